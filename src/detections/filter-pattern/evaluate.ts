// Evaluates a parsed filter pattern against one log event, following CloudWatch Logs' documented semantics.
//
// Choices where the documentation is silent (kept conservative, listed in docs/filter-patterns.md):
// - a comparison (=, !=, <, …) is true only when the selector reaches a value node (string, number, boolean);
//   a missing field, null, an object or an array satisfies neither `=` nor `!=` — that is why CIS patterns
//   need `NOT EXISTS` for absent fields;
// - wildcard selectors (`.*`, `[*]`) are existential: the condition holds when any selected node satisfies it;
// - a number compares numerically with a number or a numeric string, and textually otherwise.

import type { Condition, FilterPattern, JsonExpr, Step, Value } from './ast.js';

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Does the pattern match the event? `event` is a parsed JSON value or the raw log line; a JSON pattern never
 * matches a line that is not a JSON object.
 */
export function matchesEvent(pattern: FilterPattern, event: unknown): boolean {
  switch (pattern.kind) {
    case 'all':
      return true;
    case 'json': {
      const root = typeof event === 'string' ? tryParseJson(event) : event;
      if (root === null || typeof root !== 'object' || Array.isArray(root)) return false;
      return evalExpr(pattern.expr, root);
    }
    case 'regex':
      return pattern.regex.test(eventText(event));
    case 'terms': {
      const text = eventText(event);
      const required = pattern.terms.filter((t) => t.mode === 'required');
      const excluded = pattern.terms.filter((t) => t.mode === 'excluded');
      const optional = pattern.terms.filter((t) => t.mode === 'optional');
      if (excluded.some((t) => text.includes(t.text))) return false;
      // Documented: '?' terms are ignored when combined with other terms.
      if (required.length > 0 || excluded.length > 0) return required.every((t) => text.includes(t.text));
      return optional.some((t) => text.includes(t.text));
    }
  }
}

/** The log line CloudWatch Logs receives for a CloudTrail record: its compact JSON text. */
function eventText(event: unknown): string {
  return typeof event === 'string' ? event : (JSON.stringify(event) ?? '');
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function evalExpr(expr: JsonExpr, root: object): boolean {
  switch (expr.type) {
    case 'and':
      return evalExpr(expr.left, root) && evalExpr(expr.right, root);
    case 'or':
      return evalExpr(expr.left, root) || evalExpr(expr.right, root);
    case 'condition':
      return evalCondition(expr, root);
  }
}

function evalCondition(cond: Condition, root: object): boolean {
  const nodes = select(root, cond.selector.steps);
  const test = cond.test;
  switch (test.op) {
    case 'notExists':
      return nodes.length === 0;
    case 'isNull':
      return nodes.some((n) => n === null);
    case 'isTrue':
      return nodes.some((n) => n === true);
    case 'isFalse':
      return nodes.some((n) => n === false);
    default:
      return nodes.some((n) => isValueNode(n) && compare(n, test.op, test.value));
  }
}

/** Every node the selector reaches; empty when the path does not exist. */
export function select(root: unknown, steps: Step[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (node === null || typeof node !== 'object') continue;
      switch (step.kind) {
        case 'key':
          if (!Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, step.name)) next.push((node as Record<string, unknown>)[step.name]);
          break;
        case 'index':
          if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
          break;
        case 'anyIndex':
          if (Array.isArray(node)) next.push(...node);
          break;
        case 'anyChild':
          next.push(...(Array.isArray(node) ? node : Object.values(node)));
          break;
      }
    }
    nodes = next;
  }
  return nodes;
}

type ValueNode = string | number | boolean;

function isValueNode(n: unknown): n is ValueNode {
  return typeof n === 'string' || typeof n === 'number' || typeof n === 'boolean';
}

function compare(node: ValueNode, op: '=' | '!=' | '<' | '>' | '<=' | '>=', value: Value): boolean {
  if (value.kind === 'number') {
    const num = typeof node === 'number' ? node : typeof node === 'string' && NUMERIC_TEXT.test(node.trim()) ? Number(node) : undefined;
    switch (op) {
      case '=':
        return num !== undefined ? num === value.value : String(node) === value.text;
      case '!=':
        return num !== undefined ? num !== value.value : String(node) !== value.text;
      case '<':
        return num !== undefined && num < value.value;
      case '>':
        return num !== undefined && num > value.value;
      case '<=':
        return num !== undefined && num <= value.value;
      case '>=':
        return num !== undefined && num >= value.value;
    }
  }
  let matched: boolean;
  const text = String(node);
  if (value.kind === 'any') matched = true;
  else if (value.kind === 'regex') matched = value.regex.test(text);
  else if (value.leadingWildcard && value.trailingWildcard) matched = text.includes(value.core);
  else if (value.leadingWildcard) matched = text.endsWith(value.core);
  else if (value.trailingWildcard) matched = text.startsWith(value.core);
  else matched = text === value.text;
  if (op === '=') return matched;
  if (op === '!=') return value.kind === 'any' ? false : !matched;
  return false; // the parser only allows numbers after <, >, <=, >=
}
