// Selection predicates of the detection definitions (mappings/detections/*.yaml `select.where`): one tree, read by the
// log scanner (as JavaScript, and as event names + substrings to pre-filter raw text) and by every SQL compiler.

import picomatch from 'picomatch';

/**
 * A condition on one field of a CloudTrail record, addressed by its dotted path as CloudTrail writes it
 * (`userIdentity.sessionContext.sessionIssuer.arn`, `requestParameters.roleArn`).
 *
 * - `equals` / `in`: the field is a string equal to the value / to one of the values;
 * - `notEquals`: the field is absent or differs (CIS: `eventType != AwsServiceEvent` holds for records without it);
 * - `exists: false`: absent, null or the empty string (CloudTrail writes `invokedBy` only when a service acted);
 *   `exists: true`: a value other than those;
 * - `globIn: <parameter>`: matches one of the glob patterns the parameter holds (picomatch; `*` stops at `/`);
 * - `inParam: <parameter>`: equal to one of the values the parameter holds (none: never true).
 */
export interface FieldCondition {
  field: string;
  equals?: string;
  notEquals?: string;
  in?: string[];
  exists?: boolean;
  globIn?: string;
  inParam?: string;
}

export type Predicate = { all: Predicate[] } | { any: Predicate[] } | { not: Predicate } | FieldCondition;

/** Values of the parameters a predicate names (`globIn`, `inParam`), taken from the configuration. */
export type PredicateParams = Record<string, readonly string[]>;

export class PredicateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PredicateError';
  }
}

const OPERATORS = ['equals', 'notEquals', 'in', 'exists', 'globIn', 'inParam'] as const;

/** The one operator of a field condition; the schema allows exactly one. */
export function operatorOf(c: FieldCondition): (typeof OPERATORS)[number] {
  const ops = OPERATORS.filter((o) => c[o] !== undefined);
  if (ops.length !== 1) throw new PredicateError(`condition on ${c.field} needs exactly one of ${OPERATORS.join(', ')} (has ${ops.join(', ') || 'none'})`);
  return ops[0];
}

export function isField(p: Predicate): p is FieldCondition {
  return typeof (p as FieldCondition).field === 'string';
}

/** The value at a dotted path, or undefined when any step is missing or not an object. */
export function valueAt(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const step of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[step];
  }
  return v;
}

function absent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function param(params: PredicateParams, name: string): readonly string[] {
  const v = params[name];
  if (!v) throw new PredicateError(`parameter "${name}" has no value`);
  return v;
}

const globCache = new Map<string, (s: string) => boolean>();
function globMatcher(patterns: readonly string[]): (s: string) => boolean {
  if (patterns.length === 0) return () => false;
  const key = JSON.stringify(patterns);
  let m = globCache.get(key);
  if (!m) globCache.set(key, (m = picomatch([...patterns], { dot: true })));
  return m;
}

/** Evaluates the predicate on one record (parsed JSON, or the slim event the scanner keeps). */
export function evaluatePredicate(p: Predicate, record: unknown, params: PredicateParams = {}): boolean {
  if ('all' in p) return p.all.every((q) => evaluatePredicate(q, record, params));
  if ('any' in p) return p.any.some((q) => evaluatePredicate(q, record, params));
  if ('not' in p) return !evaluatePredicate(p.not, record, params);
  const v = valueAt(record, p.field);
  switch (operatorOf(p)) {
    case 'equals':
      return v === p.equals;
    case 'notEquals':
      return v !== p.notEquals;
    case 'in':
      return typeof v === 'string' && p.in!.includes(v);
    case 'exists':
      return absent(v) !== p.exists;
    case 'globIn':
      return typeof v === 'string' && globMatcher(param(params, p.globIn!))(v);
    case 'inParam':
      return typeof v === 'string' && param(params, p.inParam!).includes(v);
  }
}

/** Every field path a predicate reads. */
export function fieldsOf(p: Predicate, out = new Set<string>()): Set<string> {
  if ('all' in p) p.all.forEach((q) => fieldsOf(q, out));
  else if ('any' in p) p.any.forEach((q) => fieldsOf(q, out));
  else if ('not' in p) fieldsOf(p.not, out);
  else out.add(p.field);
  return out;
}

/**
 * What every record the predicate can match contains, so that the scanner parses only records that can:
 * an `eventName` from `names`, or one of `needles` verbatim in its raw JSON text. `undefined`: no such
 * guarantee (every record must be parsed).
 */
export interface Guard {
  names: string[];
  needles: string[];
  /**
   * How few records the guard lets through, for choosing among the conjuncts of `all`: event names (3) over values of
   * the configuration (2, e.g. a break-glass role name) over fixed values (1, e.g. `"IAMUser"`, in most records).
   */
  rank: number;
}

/** Text JSON writes without escapes: safe to search for in the raw record. */
const SAFE = /^[A-Za-z0-9_.:/@+=,-]+$/;

/** The longest run of ordinary name characters in a glob: it appears verbatim in every string the glob matches. */
export function literalNeedle(glob: string): string | undefined {
  const runs = glob.split(/[*?[\]{}()!|+@:/\\,]+/).filter((r) => r.length >= 3);
  runs.sort((a, b) => b.length - a.length || a.localeCompare(b));
  return runs[0];
}

function union(a: Guard | undefined, b: Guard | undefined): Guard | undefined {
  return a && b ? { names: [...new Set([...a.names, ...b.names])].sort(), needles: [...new Set([...a.needles, ...b.needles])].sort(), rank: Math.min(a.rank, b.rank) } : undefined;
}

function values(c: FieldCondition, params: PredicateParams): readonly string[] | undefined {
  if (c.equals !== undefined) return [c.equals];
  if (c.in) return c.in;
  if (c.inParam) return param(params, c.inParam);
  return undefined;
}

export function guardOf(p: Predicate, params: PredicateParams = {}): Guard | undefined {
  if ('any' in p) return p.any.map((q) => guardOf(q, params)).reduce<Guard | undefined>((acc, g) => union(acc, g), { names: [], needles: [], rank: 3 });
  if ('all' in p) {
    // One guarded conjunct guards the conjunction: the most selective one.
    const guards = p.all.map((q) => guardOf(q, params)).filter((g): g is Guard => g !== undefined);
    return guards.sort((a, b) => b.rank - a.rank || a.needles.length - b.needles.length)[0];
  }
  if ('not' in p) return undefined;
  const op = operatorOf(p);
  if (op === 'globIn') {
    const needles = param(params, p.globIn!).map(literalNeedle);
    return needles.every((n): n is string => n !== undefined && SAFE.test(n)) ? { names: [], needles: [...new Set(needles)].sort(), rank: 2 } : undefined;
  }
  const vs = values(p, params);
  if (!vs) return undefined;
  if (p.field === 'eventName') return { names: [...new Set(vs)].sort(), needles: [], rank: 3 };
  // A whole JSON string value: quoted, so that "Root" does not hit every record that mentions a root ARN.
  if (vs.every((v) => v.length >= 3 && SAFE.test(v))) return { names: [], needles: [...new Set(vs.map((v) => JSON.stringify(v)))].sort(), rank: op === 'inParam' ? 2 : 1 };
  return undefined;
}
