// Substrings every event a pattern can match must contain in its raw JSON text: lets the log scanner skip
// parsing records that cannot match (metric-filter replay), without changing what matches.

import type { FilterPattern, JsonExpr } from './ast.js';

/** Literal text safe to look for in raw JSON (no characters JSON would escape). */
const SAFE = /^[A-Za-z0-9_.:/@+=,-]+$/;

function exprNeedles(e: JsonExpr): string[] | undefined {
  if (e.type === 'and') return exprNeedles(e.left) ?? exprNeedles(e.right);
  if (e.type === 'or') {
    const l = exprNeedles(e.left);
    const r = exprNeedles(e.right);
    return l && r ? [...l, ...r] : undefined;
  }
  const t = e.test;
  if (t.op !== '=' || t.value.kind !== 'string') return undefined;
  const core = t.value.core;
  return core.length >= 3 && SAFE.test(core) ? [core] : undefined;
}

/**
 * Needles for `pattern`: every event it matches contains at least one of them verbatim. `undefined`
 * means no such guarantee (the scanner must parse every record for this pattern).
 */
export function needlesOf(pattern: FilterPattern): string[] | undefined {
  if (pattern.kind !== 'json') return undefined;
  const n = exprNeedles(pattern.expr);
  return n && [...new Set(n)].sort();
}
