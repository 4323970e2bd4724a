// Reads an IAM role trust policy (assume-role policy) for the break-glass check: who may assume it, and whether MFA is required.

import picomatch from 'picomatch';
import { isUnknown, type TrustPolicy, type Unknown } from '../model/infra.js';

/** A decoded policy document; `Unknown` marks a part that cannot be known statically. */
export type PolicyValue = null | boolean | number | string | PolicyValue[] | { [key: string]: PolicyValue } | Unknown;

type Doc = { [key: string]: PolicyValue };

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

function isDoc(v: PolicyValue | undefined): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v);
}

const asList = (v: PolicyValue | undefined): PolicyValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM action globs are case-insensitive with `*` and `?` (IAM JSON policy reference, "Action"). */
function actionsMatching(actions: PolicyValue[]): string[] | Unknown {
  const out = new Set<string>();
  for (const a of actions) {
    if (isUnknown(a)) return a;
    if (typeof a !== 'string') continue;
    const match = picomatch(a.toLowerCase(), { nocase: true });
    for (const x of ASSUME_ACTIONS) if (match(x.toLowerCase())) out.add(x);
  }
  return [...out];
}

/** The assume actions a statement covers (`NotAction` covers all the ones it does not list). */
function assumeActions(s: Doc): string[] | Unknown {
  if (s.NotAction !== undefined) {
    const excluded = actionsMatching(asList(s.NotAction));
    return isUnknown(excluded) ? excluded : ASSUME_ACTIONS.filter((a) => !excluded.includes(a));
  }
  return actionsMatching(asList(s.Action));
}

function principalsOf(p: PolicyValue | undefined): (string | Unknown)[] {
  if (p === undefined) return [];
  if (isUnknown(p)) return [p];
  if (p === '*') return ['*'];
  if (!isDoc(p)) return [];
  return Object.entries(p).flatMap(([kind, values]) => asList(values).map((v) => (isUnknown(v) ? v : `${kind}:${String(v)}`)));
}

const lower = (k: string) => k.toLowerCase();

/** Values of a condition key under an operator, keys compared case-insensitively (condition keys are). */
function conditionValues(condition: PolicyValue | undefined, operator: string, key: string): PolicyValue[] | Unknown | undefined {
  if (isUnknown(condition)) return condition;
  if (!isDoc(condition)) return undefined;
  const clauses = condition[operator];
  if (isUnknown(clauses)) return clauses;
  if (!isDoc(clauses)) return undefined;
  const entry = Object.entries(clauses).find(([k]) => lower(k) === lower(key));
  if (!entry) return undefined;
  if (isUnknown(entry[1])) return entry[1];
  return asList(entry[1]);
}

const isTrue = (v: PolicyValue) => v === true || (typeof v === 'string' && lower(v) === 'true');
const isFalse = (v: PolicyValue) => v === false || (typeof v === 'string' && lower(v) === 'false');

/**
 * Does the condition fail whenever the request carries no MFA? `…IfExists` operators pass when the key is
 * absent (long-term access keys carry no MFA keys), so they do not count.
 */
function conditionRequiresMfa(condition: PolicyValue | undefined): boolean | Unknown {
  if (isUnknown(condition)) return condition;
  const tests: [string, string, (vs: PolicyValue[]) => boolean][] = [
    ['Bool', 'aws:MultiFactorAuthPresent', (vs) => vs.length > 0 && vs.every(isTrue)],
    ['Null', 'aws:MultiFactorAuthAge', (vs) => vs.length > 0 && vs.every(isFalse)],
    ['Null', 'aws:MultiFactorAuthPresent', (vs) => vs.length > 0 && vs.every(isFalse)],
    ...['NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'NumericEquals'].map(
      (op): [string, string, (vs: PolicyValue[]) => boolean] => [op, 'aws:MultiFactorAuthAge', (vs) => vs.length > 0],
    ),
  ];
  let unknown: Unknown | undefined;
  for (const [op, key, holds] of tests) {
    const vs = conditionValues(condition, op, key);
    if (vs === undefined) continue;
    if (isUnknown(vs)) {
      unknown ??= vs;
      continue;
    }
    const u = vs.find(isUnknown);
    if (u) {
      unknown ??= u as Unknown;
      continue;
    }
    if (holds(vs)) return true;
  }
  return unknown ?? false;
}

/** A Deny of assumption to everyone when MFA is absent (`BoolIfExists aws:MultiFactorAuthPresent false`, `Null aws:MultiFactorAuthAge true`). */
function deniesWithoutMfa(s: Doc): boolean {
  if (s.Effect !== 'Deny') return false;
  const everyone = s.Principal === '*' || (isDoc(s.Principal) && asList(s.Principal.AWS).includes('*'));
  const actions = assumeActions(s);
  if (!everyone || isUnknown(actions) || actions.length < ASSUME_ACTIONS.length) return false;
  const any = (op: string, key: string, ok: (v: PolicyValue) => boolean) => {
    const vs = conditionValues(s.Condition, op, key);
    return Array.isArray(vs) && vs.length > 0 && vs.every(ok);
  };
  return (
    any('BoolIfExists', 'aws:MultiFactorAuthPresent', isFalse) ||
    any('Null', 'aws:MultiFactorAuthAge', isTrue) ||
    any('Null', 'aws:MultiFactorAuthPresent', isTrue)
  );
}

/** SAML federation (IAM Identity Center roles trust an `AWSSSO_…` SAML provider): MFA is the identity provider's. */
function isSamlFederation(s: Doc, actions: string[]): boolean {
  if (!actions.every((a) => a === 'sts:AssumeRoleWithSAML')) return false;
  const principals = principalsOf(s.Principal);
  return principals.length > 0 && principals.every((p) => typeof p === 'string' && /^Federated:arn:[^:]+:iam::[^:]*:saml-provider\//.test(p));
}

/** Reads a decoded trust policy. Statements are numbered from 0 in the detail text. */
export function readTrustPolicy(doc: PolicyValue): TrustPolicy | Unknown {
  if (isUnknown(doc)) return doc;
  if (!isDoc(doc)) return { unknown: 'the trust policy is not a JSON object' };
  const statements = doc.Statement;
  if (isUnknown(statements)) return statements;
  const list = asList(statements);
  const principals: (string | Unknown)[] = [];
  let unknown: Unknown | undefined;
  let weak: string | undefined;
  const allowed: string[] = [];
  const denied = list.some((s) => isDoc(s) && deniesWithoutMfa(s));
  for (const [i, s] of list.entries()) {
    if (isUnknown(s)) {
      unknown ??= s;
      continue;
    }
    if (!isDoc(s)) continue;
    if (isUnknown(s.Effect)) {
      unknown ??= { unknown: `statement ${i} Effect: ${s.Effect.unknown}`, location: s.Effect.location };
      continue;
    }
    if (s.Effect !== 'Allow') continue;
    const actions = assumeActions(s);
    if (isUnknown(actions)) {
      unknown ??= { unknown: `statement ${i} Action: ${actions.unknown}`, location: actions.location };
      continue;
    }
    if (actions.length === 0) continue;
    const who = s.NotPrincipal !== undefined ? ['* (NotPrincipal)'] : principalsOf(s.Principal);
    principals.push(...who);
    const label = `statement ${i} (${who.map((p) => (isUnknown(p) ? `unknown: ${p.unknown}` : p)).join(', ') || 'no principal'})`;
    allowed.push(label);
    if (denied) continue;
    if (isSamlFederation(s, actions)) continue;
    const mfa = conditionRequiresMfa(s.Condition);
    if (isUnknown(mfa)) unknown ??= { unknown: `${label} condition: ${mfa.unknown}`, location: mfa.location };
    else if (!mfa) weak ??= `${label} allows ${actions.join(', ')} without requiring MFA (no Bool aws:MultiFactorAuthPresent = true or aws:MultiFactorAuthAge condition)`;
  }
  const mfaRequired: boolean | Unknown = weak ? false : unknown ? unknown : true;
  const detail = weak
    ? weak
    : unknown
      ? unknown.unknown
      : allowed.length === 0
        ? 'no statement allows assuming the role'
        : denied
          ? 'a Deny statement refuses assumption without MFA'
          : `every statement allowing assumption requires MFA or is SAML federation: ${allowed.join('; ')}`;
  return { principals, mfaRequired, detail };
}
