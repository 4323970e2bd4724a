// HCL2 parsing with tree-sitter (terraform grammar, wasm) into a small, position-carrying AST.

import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

/** 1-based start/end position of a node. */
export interface Pos {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Step = { attr: string; pos: Pos } | { index: Expr; pos: Pos } | { splat: Step[]; pos: Pos };

export type Expr =
  | { k: 'lit'; value: null | boolean | number | string; pos: Pos }
  | { k: 'template'; parts: (string | Expr)[]; pos: Pos }
  | { k: 'tuple'; items: Expr[]; pos: Pos }
  | { k: 'object'; items: { key: Expr; value: Expr }[]; pos: Pos }
  | { k: 'var'; name: string; pos: Pos }
  | { k: 'get'; base: Expr; steps: Step[]; pos: Pos }
  | { k: 'call'; name: string; args: Expr[]; expandLast: boolean; pos: Pos }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; pos: Pos }
  | { k: 'unary'; op: string; operand: Expr; pos: Pos }
  | { k: 'binary'; op: string; left: Expr; right: Expr; pos: Pos }
  | {
      k: 'for';
      keyVar?: string;
      valueVar: string;
      collection: Expr;
      keyExpr?: Expr;
      valueExpr: Expr;
      cond?: Expr;
      grouping: boolean;
      pos: Pos;
    }
  | { k: 'unsupported'; what: string; pos: Pos };

export interface HclAttribute {
  name: string;
  expr: Expr;
  pos: Pos;
  /** Set when merged in from another file (override files). */
  file?: string;
}

export interface HclBlock {
  type: string;
  labels: string[];
  attrs: Map<string, HclAttribute>;
  blocks: HclBlock[];
  pos: Pos;
  /** Set when merged in from another file (override files). */
  file?: string;
}

export interface HclBody {
  attrs: Map<string, HclAttribute>;
  blocks: HclBlock[];
}

export interface HclSyntaxError {
  message: string;
  line: number;
  column: number;
}

export type ParseResult = { ok: true; body: HclBody } | { ok: false; error: HclSyntaxError };

let parserPromise: Promise<Parser> | undefined;

/** The tree-sitter parser, loaded once per process (the wasm start-up dominates small runs). */
export function hclParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

/** Parses HCL2 source. A syntax error is returned (not thrown) with its 1-based line and column. */
export async function parseHcl(source: string): Promise<ParseResult> {
  const parser = await hclParser();
  return parseHclWith(parser, source);
}

/** Synchronous variant for callers that already hold the parser (the benchmark, bulk loading). */
export function parseHclWith(parser: Parser, source: string): ParseResult {
  const tree = parser.parse(source);
  if (!tree) return { ok: false, error: { message: 'the parser returned no tree', line: 1, column: 1 } };
  try {
    const root = tree.rootNode;
    if (root.hasError) return { ok: false, error: describeError(root) };
    const body = root.namedChildren.find((c) => c?.type === 'body');
    return { ok: true, body: body ? new Converter(source).body(body) : { attrs: new Map(), blocks: [] } };
  } finally {
    tree.delete();
  }
}

/** Finds the innermost, earliest ERROR or MISSING node: the place an editor would underline. */
function describeError(root: Node): HclSyntaxError {
  let best: Node | undefined;
  const visit = (n: Node): void => {
    if (!n.hasError && !n.isMissing) return;
    for (const c of n.children) if (c) visit(c);
    if ((n.isError || n.isMissing) && best === undefined) best = n;
  };
  visit(root);
  const n = best ?? root;
  if (n.isMissing) {
    // A missing closing token: point at what was left open, as an editor would.
    let opened = n.parent;
    while (opened && opened.startIndex === n.startIndex && opened.parent) opened = opened.parent;
    const closer = /_end$/.test(n.type) || ['}', ']', ')'].includes(n.type);
    const what = opened ? (OPENED[opened.type] ?? opened.type.replace(/_/g, ' ')) : undefined;
    if (closer && what && opened) {
      return {
        message: `${what} opened here is not closed (expected before line ${n.startPosition.row + 1})`,
        line: opened.startPosition.row + 1,
        column: opened.startPosition.column + 1,
      };
    }
    return { message: `missing "${n.type}"`, line: n.startPosition.row + 1, column: n.startPosition.column + 1 };
  }
  // An ERROR node's first child that is itself unexpected is the token the parser could not place.
  const first = n.children.find((c) => c !== null && c.text.trim() !== '') ?? n;
  const token = first.text.trim().split('\n')[0].slice(0, 30);
  return {
    message: `unexpected ${token ? JSON.stringify(token) : 'end of input'}`,
    line: first.startPosition.row + 1,
    column: first.startPosition.column + 1,
  };
}

const OPENED: Record<string, string> = {
  quoted_template: 'string',
  string_lit: 'string',
  template_interpolation: 'interpolation',
  block: 'block',
  tuple: 'list',
  object: 'object',
  function_call: 'function call',
};

function pos(n: Node): Pos {
  return {
    line: n.startPosition.row + 1,
    column: n.startPosition.column + 1,
    endLine: n.endPosition.row + 1,
    endColumn: n.endPosition.column + 1,
  };
}

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

const QUOTED_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Unescapes a literal piece of a quoted template (HCL spec: \n \r \t \" \\ \uNNNN \UNNNNNNNN, $${ and %%{). */
function unescapeQuoted(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (esc === undefined) return m;
    if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return QUOTED_ESCAPES[esc] ?? esc;
  });
}

/** Heredocs know only the `$${` and `%%{` escapes; CRLF line ends read as LF, as in Terraform. */
function unescapeHeredoc(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

class Converter {
  constructor(private readonly src: string) {}

  body(n: Node): HclBody {
    const attrs = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];
    for (const c of named(n)) {
      if (c.type === 'attribute') {
        const a = this.attribute(c);
        attrs.set(a.name, a);
      } else if (c.type === 'block') {
        blocks.push(this.block(c));
      }
    }
    return { attrs, blocks };
  }

  attribute(n: Node): HclAttribute {
    const kids = named(n);
    return { name: kids[0].text, expr: this.expr(kids[1]), pos: pos(n) };
  }

  block(n: Node): HclBlock {
    const kids = named(n);
    const labels: string[] = [];
    let body: HclBody = { attrs: new Map(), blocks: [] };
    for (const c of kids.slice(1)) {
      if (c.type === 'string_lit') labels.push(this.stringLit(c));
      else if (c.type === 'identifier') labels.push(c.text);
      else if (c.type === 'body') body = this.body(c);
    }
    return { type: kids[0].text, labels, attrs: body.attrs, blocks: body.blocks, pos: pos(n) };
  }

  stringLit(n: Node): string {
    // The quotes are one character each; slicing the source avoids marshalling child nodes.
    return unescapeQuoted(this.src.slice(n.startIndex + 1, n.endIndex - 1));
  }

  expr(n: Node): Expr {
    switch (n.type) {
      case 'expression':
        return this.term(n.children.filter((c): c is Node => c !== null && c.type !== 'comment'), pos(n));
      case 'literal_value':
        return this.literal(named(n)[0]);
      case 'variable_expr':
        return { k: 'var', name: named(n)[0].text, pos: pos(n) };
      case 'collection_value':
        return this.expr(named(n)[0]);
      case 'tuple':
        return { k: 'tuple', items: named(n).filter((c) => c.type === 'expression').map((c) => this.expr(c)), pos: pos(n) };
      case 'object':
        return {
          k: 'object',
          items: named(n)
            .filter((c) => c.type === 'object_elem')
            .map((c) => {
              const [key, value] = named(c);
              return { key: this.objectKey(key), value: this.expr(value) };
            }),
          pos: pos(n),
        };
      case 'template_expr':
        return this.expr(named(n)[0]);
      case 'quoted_template':
        return this.quotedTemplate(n);
      case 'heredoc_template':
        return this.heredoc(n);
      case 'function_call': {
        const kids = named(n);
        const argsNode = kids.find((c) => c.type === 'function_arguments');
        const args = argsNode ? named(argsNode).filter((c) => c.type === 'expression').map((c) => this.expr(c)) : [];
        const expandLast = argsNode ? argsNode.children.some((c) => c?.type === 'ellipsis') : false;
        return { k: 'call', name: kids[0].text, args, expandLast, pos: pos(n) };
      }
      case 'conditional': {
        const [test, a, b] = named(n);
        return { k: 'cond', test: this.expr(test), then: this.expr(a), else: this.expr(b), pos: pos(n) };
      }
      case 'operation':
        return this.expr(named(n)[0]);
      case 'unary_operation': {
        const kids = n.children.filter((c): c is Node => c !== null && c.type !== 'comment');
        return { k: 'unary', op: kids[0].text, operand: this.term(kids.slice(1), pos(n)), pos: pos(n) };
      }
      case 'binary_operation': {
        // Operands are runs of sibling nodes (`var`, `.name`, `[0]` …) around one operator token.
        const kids = n.children.filter((c): c is Node => c !== null && c.type !== 'comment');
        const at = kids.findIndex((c) => !c.isNamed && c.type !== '(' && c.type !== ')');
        return { k: 'binary', op: kids[at].text, left: this.term(kids.slice(0, at), pos(n)), right: this.term(kids.slice(at + 1), pos(n)), pos: pos(n) };
      }
      case 'for_expr':
        return this.forExpr(named(n)[0]);
      default:
        return { k: 'unsupported', what: `${n.type} expression`, pos: pos(n) };
    }
  }

  /** A term: a primary (or a parenthesised expression) followed by attribute, index and splat steps. */
  term(kids: Node[], p: Pos): Expr {
    if (kids[0].type === '(') {
      const inner = this.expr(kids[1]);
      const steps = kids.slice(3).map((s) => this.step(s));
      return steps.length ? { k: 'get', base: inner, steps, pos: p } : inner;
    }
    const base = this.expr(kids[0]);
    const steps = kids.slice(1).map((s) => this.step(s));
    return steps.length ? { k: 'get', base, steps, pos: p } : base;
  }

  /** A bare identifier as an object key is a string, not a variable (HCL spec). */
  objectKey(n: Node): Expr {
    const kids = named(n);
    if (n.type === 'expression' && kids.length === 1 && kids[0].type === 'variable_expr' && n.firstChild?.type !== '(') {
      return { k: 'lit', value: kids[0].text, pos: pos(n) };
    }
    return this.expr(n);
  }

  literal(n: Node): Expr {
    switch (n.type) {
      case 'numeric_lit':
        return { k: 'lit', value: Number(n.text), pos: pos(n) };
      case 'bool_lit':
        return { k: 'lit', value: n.text === 'true', pos: pos(n) };
      case 'null_lit':
        return { k: 'lit', value: null, pos: pos(n) };
      case 'string_lit':
        return { k: 'lit', value: this.stringLit(n), pos: pos(n) };
      default:
        return { k: 'unsupported', what: n.type, pos: pos(n) };
    }
  }

  step(n: Node): Step {
    if (n.type === 'get_attr') return { attr: named(n)[0].text, pos: pos(n) };
    if (n.type === 'index') {
      const inner = named(n)[0];
      if (inner.type === 'legacy_index') {
        return { index: { k: 'lit', value: Number(inner.text.replace(/^\./, '')), pos: pos(inner) }, pos: pos(n) };
      }
      return { index: this.expr(named(inner)[0]), pos: pos(n) };
    }
    // splat: `[*].a.b` (full) or `.*.a` (attr); the steps after it apply to each element
    const inner = named(n)[0];
    return { splat: named(inner).map((s) => this.step(s)), pos: pos(n) };
  }

  templateParts(n: Node, from: number, to: number, unescape: (s: string) => string): (string | Expr)[] | Expr {
    const parts: (string | Expr)[] = [];
    let cursor = from;
    for (const c of named(n)) {
      if (c.type === 'template_directive') return { k: 'unsupported', what: 'template directive (%{ … })', pos: pos(c) };
      if (c.type !== 'template_interpolation') continue;
      if (c.startIndex > cursor) parts.push(unescape(this.src.slice(cursor, c.startIndex)));
      const inner = named(c).find((x) => x.type === 'expression');
      parts.push(inner ? this.expr(inner) : { k: 'unsupported', what: 'empty interpolation', pos: pos(c) });
      cursor = c.endIndex;
    }
    if (to > cursor) parts.push(unescape(this.src.slice(cursor, to)));
    return parts;
  }

  quotedTemplate(n: Node): Expr {
    const parts = this.templateParts(n, n.startIndex + 1, n.endIndex - 1, unescapeQuoted);
    if (!Array.isArray(parts)) return parts;
    return { k: 'template', parts, pos: pos(n) };
  }

  heredoc(n: Node): Expr {
    const kids = n.children.filter((c): c is Node => c !== null);
    const strip = kids[0].text === '<<-';
    const ids = kids.filter((c) => c.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids[ids.length - 1];
    const contentStart = this.src.indexOf('\n', open.endIndex) + 1;
    const contentEnd = this.src.lastIndexOf('\n', close.startIndex - 1) + 1;
    const parts = this.templateParts(n, contentStart, Math.max(contentStart, contentEnd), unescapeHeredoc);
    if (!Array.isArray(parts)) return parts;
    return { k: 'template', parts: strip ? dedent(parts) : parts, pos: pos(n) };
  }

  forExpr(n: Node): Expr {
    const kids = named(n);
    const intro = kids.find((c) => c.type === 'for_intro')!;
    const idents = named(intro).filter((c) => c.type === 'identifier').map((c) => c.text);
    const collection = this.expr(named(intro).find((c) => c.type === 'expression')!);
    const exprs = kids.filter((c) => c.type === 'expression').map((c) => this.expr(c));
    const condNode = kids.find((c) => c.type === 'for_cond');
    const isObject = n.type === 'for_object_expr';
    return {
      k: 'for',
      keyVar: idents.length === 2 ? idents[0] : undefined,
      valueVar: idents[idents.length - 1],
      collection,
      keyExpr: isObject ? exprs[0] : undefined,
      valueExpr: isObject ? exprs[1] : exprs[0],
      cond: condNode ? this.expr(named(condNode)[0]) : undefined,
      grouping: n.children.some((c) => c?.type === 'ellipsis'),
      pos: pos(n),
    };
  }
}

/** `<<-` removes the smallest indentation of the non-blank lines (interpolations count as text). */
function dedent(parts: (string | Expr)[]): (string | Expr)[] {
  const marker = (i: number) => `\u0000${i}\u0000`;
  const joined = parts.map((p, i) => (typeof p === 'string' ? p : marker(i))).join('');
  const lines = joined.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  const text = lines.map((l) => l.slice(Math.min(cut, l.length - l.trimStart().length))).join('\n');
  const out: (string | Expr)[] = [];
  for (const piece of text.split(/(\u0000\d+\u0000)/)) {
    const m = /^\u0000(\d+)\u0000$/.exec(piece);
    if (m) out.push(parts[Number(m[1])]);
    else if (piece) out.push(piece);
  }
  return out;
}
