// Terraform's JSON configuration syntax (.tf.json, CDKTF synth output) → the same AST as HCL files.

import { parse as parseJson, type AnyNode, type MemberNode } from '@humanwhocodes/momoa';
import type { Parser } from 'web-tree-sitter';
import { parseHclWith, type Expr, type HclAttribute, type HclBlock, type HclBody, type ParseResult, type Pos } from './hcl.js';

/** Labels each top-level block type takes (Terraform "JSON Configuration Syntax"). */
const LABELS: Record<string, number> = { resource: 2, data: 2, module: 1, variable: 1, output: 1, provider: 1, locals: 0, terraform: 0, moved: 0, import: 0, check: 1, removed: 0 };

/**
 * Keys of a resource whose object value is an argument (a map), not a nested block. Every other object (or list of
 * objects) in a resource body is read as nested blocks: the provider schema would tell, and the blocks the checks
 * read (metric_transformation, event_selector, statement …) are all blocks.
 */
const MAP_ARGUMENTS = new Set(['tags', 'tags_all', 'dimensions', 'default_tags', 'variables', 'environment', 'labels', 'triggers', 'parameters', 'policy', 'assume_role_policy', 'for_each', 'count', 'depends_on', 'provider', 'providers']);

const keyOf = (m: MemberNode) => (m.name.type === 'String' ? m.name.value : m.name.name);

function pos(n: AnyNode | MemberNode): Pos {
  return { line: n.loc.start.line, column: n.loc.start.column, endLine: n.loc.end.line, endColumn: n.loc.end.column };
}

/** Every position of an expression parsed from a JSON string is the string's own position in the .tf.json file. */
function relocate<T>(v: T, p: Pos): T {
  if (Array.isArray(v)) return v.map((x) => relocate(x, p)) as T;
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'pos' ? p : relocate(x, p)])) as T;
}

/** HCL escapes for a JSON string placed between double quotes; `${` and `%{` stay templates (`$${` stays an escape). */
function quoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

class JsonConverter {
  constructor(
    private readonly parser: Parser,
    private readonly problems: { message: string; line: number; column: number }[],
  ) {}

  /** A JSON value as an expression: strings are templates (or, for `type`, a bare expression). */
  expr(n: AnyNode, raw = false): Expr {
    const p = pos(n);
    switch (n.type) {
      case 'String': {
        const parsed = parseHclWith(this.parser, `x = ${raw ? n.value : quoted(n.value)}\n`);
        if (!parsed.ok) {
          this.problems.push({ message: `invalid expression in a JSON string (${parsed.error.message})`, line: p.line, column: p.column });
          return { k: 'unsupported', what: 'an expression that does not parse', pos: p };
        }
        return relocate(parsed.body.attrs.get('x')!.expr, p);
      }
      case 'Number':
      case 'Boolean':
        return { k: 'lit', value: n.value, pos: p };
      case 'Null':
        return { k: 'lit', value: null, pos: p };
      case 'Array':
        return { k: 'tuple', items: n.elements.map((e) => this.expr(e.value)), pos: p };
      case 'Object':
        return { k: 'object', items: n.members.filter((m) => keyOf(m) !== '//').map((m) => ({ key: { k: 'lit', value: keyOf(m), pos: pos(m.name) }, value: this.expr(m.value) })), pos: p };
      default:
        return { k: 'unsupported', what: `JSON ${n.type}`, pos: p };
    }
  }

  /** A block body: arguments, and nested blocks for object values (unless `allAttributes`, as for module inputs and locals). */
  body(n: AnyNode, allAttributes: boolean): Pick<HclBlock, 'attrs' | 'blocks'> {
    const attrs = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];
    if (n.type !== 'Object') return { attrs, blocks };
    for (const m of n.members) {
      const key = keyOf(m);
      if (key === '//') continue;
      const v = m.value;
      const objects = v.type === 'Object' ? [v] : v.type === 'Array' && v.elements.length > 0 && v.elements.every((e) => e.value.type === 'Object') ? v.elements.map((e) => e.value) : undefined;
      if (!allAttributes && objects && !MAP_ARGUMENTS.has(key)) {
        if (key === 'dynamic') {
          // "dynamic": {"LABEL": {for_each, iterator, content}}
          for (const d of objects.flatMap((o) => (o.type === 'Object' ? o.members : []))) for (const b of this.asList(d.value)) blocks.push({ type: 'dynamic', labels: [keyOf(d)], ...this.body(b, false), pos: pos(b) });
        } else for (const o of objects) blocks.push({ type: key, labels: [], ...this.body(o, key === 'lifecycle'), pos: pos(o) });
        continue;
      }
      attrs.set(key, { name: key, expr: this.expr(v), pos: pos(m) });
    }
    return { attrs, blocks };
  }

  private asList(n: AnyNode): AnyNode[] {
    return n.type === 'Array' ? n.elements.map((e) => e.value) : [n];
  }

  /** Top-level `"TYPE": {"L1": {"L2": BODY}}` nesting, one level per label. */
  blocks(type: string, n: AnyNode, labels: string[], depth: number, out: HclBlock[]): void {
    if (depth === 0) {
      for (const b of this.asList(n)) {
        if (type === 'variable') {
          const { attrs, blocks } = this.body(b, true);
          // A variable's type is an expression written as a string ("list(string)"), not a template.
          const t = b.type === 'Object' ? b.members.find((m) => keyOf(m) === 'type') : undefined;
          if (t?.value.type === 'String') attrs.set('type', { name: 'type', expr: this.expr(t.value, true), pos: pos(t) });
          out.push({ type, labels, attrs, blocks, pos: pos(b) });
        } else out.push({ type, labels, ...this.body(b, type === 'module' || type === 'output' || type === 'locals'), pos: pos(b) });
      }
      return;
    }
    for (const b of this.asList(n)) {
      if (b.type !== 'Object') continue;
      for (const m of b.members) if (keyOf(m) !== '//') this.blocks(type, m.value, [...labels, keyOf(m)], depth - 1, out);
    }
  }
}

/** Parses a `.tf.json` file into the HCL AST; JSON errors and expressions that do not parse are syntax errors. */
export function parseTerraformJson(parser: Parser, text: string): ParseResult {
  let doc;
  try {
    doc = parseJson(text);
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    return { ok: false, error: { message: `invalid JSON: ${err.message}`, line: err.line ?? 1, column: err.column ?? 1 } };
  }
  if (doc.body.type !== 'Object') return { ok: false, error: { message: `expected a JSON object of blocks, got ${doc.body.type}`, line: 1, column: 1 } };
  const problems: { message: string; line: number; column: number }[] = [];
  const c = new JsonConverter(parser, problems);
  const blocks: HclBlock[] = [];
  for (const m of doc.body.members) {
    const type = keyOf(m);
    if (type === '//') continue;
    const depth = LABELS[type];
    if (depth === undefined) continue;
    c.blocks(type, m.value, [], depth, blocks);
  }
  if (problems.length) return { ok: false, error: problems[0] };
  const body: HclBody = { attrs: new Map(), blocks };
  return { ok: true, body };
}

