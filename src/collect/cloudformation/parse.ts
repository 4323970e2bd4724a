// Parses a CloudFormation template (YAML with short-form intrinsic tags, or JSON) into one positioned node tree.

import { parseDocument, LineCounter, YAMLMap, YAMLSeq, isAlias, isMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { parse as parseJson, type ValueNode as JsonValueNode } from '@humanwhocodes/momoa';

/** 1-based start and end of a node in its file. */
export interface Pos {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A template node. Short-form tags are rewritten to their long form (`!Ref X` → `{Ref: X}`), so the resolver
 * sees one shape for YAML and JSON; `intrinsic` marks maps that came from a tag (needed for `!Condition`,
 * which in long form is only an intrinsic inside condition functions).
 */
export type CfnNode =
  | { kind: 'scalar'; value: string | number | boolean | null; pos: Pos; path: string }
  | { kind: 'seq'; items: CfnNode[]; pos: Pos; path: string }
  | { kind: 'map'; entries: CfnEntry[]; pos: Pos; path: string; intrinsic?: boolean }
  /** A value that could not be read (unknown tag, alias error); `reason` was already reported as a problem. */
  | { kind: 'invalid'; reason: string; pos: Pos; path: string };

export interface CfnEntry {
  key: string;
  keyPos: Pos;
  value: CfnNode;
}

export interface ParseProblem {
  level: 'error' | 'warning';
  message: string;
  line?: number;
  column?: number;
}

export interface ParsedTemplate {
  root: CfnNode | undefined;
  problems: ParseProblem[];
}

/** Short form → long-form key, per the CloudFormation intrinsic function reference. */
export const SHORT_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAtt': 'Fn::GetAtt',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Sub': 'Fn::Sub',
  '!Transform': 'Fn::Transform',
  '!And': 'Fn::And',
  '!Equals': 'Fn::Equals',
  '!If': 'Fn::If',
  '!Not': 'Fn::Not',
  '!Or': 'Fn::Or',
};

// Each tag is registered for scalar, sequence and mapping nodes, so `yaml` accepts it on every node kind.
// The converter below reads `node.tag` from the AST rather than calling `toJS()`, which would silently turn
// `!Ref X` into "X"; any tag not listed here becomes an error at its node.
const CUSTOM_TAGS = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (s: string) => s },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq, resolve: (n: unknown) => n },
  { tag, collection: 'map' as const, nodeClass: YAMLMap, resolve: (n: unknown) => n },
]);

/** Standard YAML tags that CloudFormation accepts and that `yaml` resolves itself. */
const STANDARD_TAG_PREFIX = 'tag:yaml.org,2002:';

const NO_POS: Pos = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export function parseYamlTemplate(text: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: ParseProblem[] = [];
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors) {
    problems.push({ level: 'error', message: `YAML syntax error: ${firstLine(e.message)}`, ...at(e.pos[0]) });
  }
  for (const w of doc.warnings) {
    // Unknown tags are reported below, at their node, as errors.
    if (w.code === 'TAG_RESOLVE_FAILED') continue;
    problems.push({ level: 'warning', message: `YAML: ${firstLine(w.message)}`, ...at(w.pos[0]) });
  }
  if (doc.errors.length > 0) return { root: undefined, problems };

  const posOf = (node: { range?: [number, number, number] | null }): Pos => {
    if (!node.range) return NO_POS;
    const s = lineCounter.linePos(node.range[0]);
    const e = lineCounter.linePos(node.range[1]);
    return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  };

  // `yaml` ranges start after a node's tag; locations should start at the tag the author wrote.
  const posWithTag = (node: YamlNode, tag: string): Pos => {
    const pos = posOf(node);
    if (!node.range) return pos;
    const start = node.range[0];
    const at = text.lastIndexOf(tag, start);
    if (at < 0 || !/^\s*$/.test(text.slice(at + tag.length, start))) return pos;
    const p = lineCounter.linePos(at);
    return { ...pos, line: p.line, column: p.col };
  };

  const convert = (node: unknown, path: string, depth: number): CfnNode => {
    if (depth > 200) {
      problems.push({ level: 'error', message: `${path}: nesting deeper than 200 levels` });
      return { kind: 'invalid', reason: 'nesting too deep', pos: NO_POS, path };
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) {
        const pos = posOf(node);
        problems.push({ level: 'error', message: `YAML alias *${node.source} has no anchor`, line: pos.line, column: pos.column });
        return { kind: 'invalid', reason: `alias *${node.source} has no anchor`, pos, path };
      }
      return convert(target, path, depth + 1);
    }
    if (node === null || node === undefined) return { kind: 'scalar', value: null, pos: NO_POS, path };
    const yamlNode = node as YamlNode;
    const tag = yamlNode.tag;
    const pos = tag ? posWithTag(yamlNode, tag) : posOf(yamlNode);
    let plain: CfnNode;
    if (isScalar(yamlNode)) {
      const v = yamlNode.value;
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      plain = { kind: 'scalar', value, pos, path };
    } else if (isSeq(yamlNode)) {
      plain = { kind: 'seq', items: yamlNode.items.map((item, i) => convert(item, `${path}[${i}]`, depth + 1)), pos, path };
    } else if (isMap(yamlNode)) {
      const entries: CfnEntry[] = [];
      for (const pair of yamlNode.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        const keyPos = keyNode ? posOf(keyNode) : pos;
        if (key === undefined) {
          problems.push({ level: 'error', message: `${path}: mapping keys must be plain strings`, line: keyPos.line, column: keyPos.column });
          continue;
        }
        entries.push({ key, keyPos, value: convert(pair.value, joinPath(path, key), depth + 1) });
      }
      plain = { kind: 'map', entries, pos, path };
    } else {
      plain = { kind: 'scalar', value: null, pos, path };
    }
    if (tag === undefined || tag.startsWith(STANDARD_TAG_PREFIX)) return plain;
    const longForm = SHORT_TAGS[tag];
    if (longForm === undefined) {
      const reason = `unknown tag ${tag}: expected one of ${Object.keys(SHORT_TAGS).join(' ')}`;
      problems.push({ level: 'error', message: `${path}: ${reason}`, line: pos.line, column: pos.column });
      return { kind: 'invalid', reason, pos, path };
    }
    return { kind: 'map', entries: [{ key: longForm, keyPos: pos, value: plain }], pos, path, intrinsic: true };
  };
  return { root: convert(doc.contents, '', 0), problems };
}

export function parseJsonTemplate(text: string): ParsedTemplate {
  let ast;
  try {
    ast = parseJson(text, { mode: 'json' });
  } catch (e) {
    const err = e as { message?: string; line?: number; column?: number };
    const message = (err.message ?? String(e)).replace(/\s*\(\d+:\d+\)\s*$/, '');
    return { root: undefined, problems: [{ level: 'error', message: `JSON syntax error: ${message}`, line: err.line, column: err.column }] };
  }
  const problems: ParseProblem[] = [];
  const posOf = (n: { loc: { start: { line: number; column: number }; end: { line: number; column: number } } }): Pos => ({
    line: n.loc.start.line,
    column: n.loc.start.column,
    endLine: n.loc.end.line,
    endColumn: n.loc.end.column,
  });
  const convert = (node: JsonValueNode, path: string): CfnNode => {
    const pos = posOf(node);
    switch (node.type) {
      case 'String':
      case 'Number':
      case 'Boolean':
        return { kind: 'scalar', value: node.value, pos, path };
      case 'Null':
        return { kind: 'scalar', value: null, pos, path };
      case 'Array':
        return { kind: 'seq', items: node.elements.map((el, i) => convert(el.value, `${path}[${i}]`)), pos, path };
      case 'Object': {
        const seen = new Set<string>();
        const entries: CfnEntry[] = [];
        for (const m of node.members) {
          const key = m.name.type === 'String' ? m.name.value : m.name.name;
          const keyPos = posOf(m.name);
          if (seen.has(key)) {
            problems.push({ level: 'error', message: `${joinPath(path, key)}: duplicate key "${key}"`, line: keyPos.line, column: keyPos.column });
          }
          seen.add(key);
          entries.push({ key, keyPos, value: convert(m.value, joinPath(path, key)) });
        }
        return { kind: 'map', entries, pos, path };
      }
      default:
        // NaN / Infinity / identifiers only exist in JSON5 mode, which is not used.
        return { kind: 'invalid', reason: `unexpected JSON node ${node.type}`, pos, path };
    }
  };
  return { root: convert(ast.body, ''), problems };
}

export function joinPath(path: string, key: string): string {
  const k = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? k : `${path}.${k}`;
}

export function entryOf(node: CfnNode | undefined, key: string): CfnEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

export function childOf(node: CfnNode | undefined, key: string): CfnNode | undefined {
  return entryOf(node, key)?.value;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
