// Decides whether a resolved S3 bucket policy document grants public access, following AWS's definition of "public".

import { ResourceRef, UnknownValue, type Resolved } from './resolve.js';

/**
 * Condition keys that pin a statement to specific principals or sources; with one of them (and a value other
 * than a wildcard) an Allow to "*" is not public. From the S3 User Guide, "The meaning of public".
 */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceOwner',
    'aws:SourceAccount',
    'aws:SourceOrgID',
    'aws:userid',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

type Doc = { [key: string]: Resolved };

function isDoc(v: Resolved | undefined): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ResourceRef) && !(v instanceof UnknownValue);
}

const asList = (v: Resolved | undefined): Resolved[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** true: some Allow statement is open to everyone; false: none is; Unknown when a deciding part is unknown. */
export function policyIsPublic(document: Resolved): boolean | UnknownValue {
  if (document instanceof UnknownValue) return document;
  if (!isDoc(document)) return new UnknownValue('PolicyDocument is not a policy document mapping');
  let unknown: UnknownValue | undefined;
  for (const statement of asList(document.Statement)) {
    if (statement instanceof UnknownValue) {
      unknown ??= statement;
      continue;
    }
    if (!isDoc(statement)) continue;
    const verdict = statementIsPublic(statement);
    if (verdict === true) return true;
    if (verdict instanceof UnknownValue) unknown ??= verdict;
  }
  return unknown ?? false;
}

function statementIsPublic(s: Doc): boolean | UnknownValue {
  if (s.Effect instanceof UnknownValue) return new UnknownValue(`statement Effect: ${s.Effect.reason}`, s.Effect.pos);
  if (s.Effect !== 'Allow') return false;
  const everyone = s.NotPrincipal !== undefined ? true : principalIsEveryone(s.Principal);
  if (everyone !== true) return everyone;
  return !hasRestrictingCondition(s.Condition);
}

function principalIsEveryone(p: Resolved | undefined): boolean | UnknownValue {
  if (p === undefined) return false;
  if (p instanceof UnknownValue) return new UnknownValue(`statement Principal: ${p.reason}`, p.pos);
  if (p === '*') return true;
  if (!isDoc(p)) return false;
  for (const v of asList(p.AWS)) {
    if (v === '*') return true;
    if (v instanceof UnknownValue) return new UnknownValue(`statement Principal.AWS: ${v.reason}`, v.pos);
  }
  return false;
}

function hasRestrictingCondition(condition: Resolved | undefined): boolean {
  if (!isDoc(condition)) return false;
  for (const [operator, clauses] of Object.entries(condition)) {
    // Negated operators (StringNotEquals …) exclude a few callers and leave everyone else in.
    if (/Not/.test(operator) || !isDoc(clauses)) continue;
    for (const [key, value] of Object.entries(clauses)) {
      if (!RESTRICTING_KEYS.has(key.toLowerCase())) continue;
      const values = asList(value);
      // An unknown value (`!Ref AWS::AccountId`) still pins one account; only wildcards and /0 ranges do not.
      const open = values.some((v) => v === '*' || (typeof v === 'string' && /\/0$/.test(v)));
      if (values.length > 0 && !open) return true;
    }
  }
  return false;
}
