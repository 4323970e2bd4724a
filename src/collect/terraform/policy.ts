// Does an S3 bucket policy or ACL make a bucket public? (IAM policy grammar; AWS "The meaning of public")

import { Unk, isObj, toStr, type Val } from './values.js';

/**
 * Condition keys that pin a wildcard principal to known accounts, organisations, networks or sources.
 * A statement with one of these is not public (AWS S3 "Block Public Access: the meaning of public").
 */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceIp',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalServiceName',
    'aws:userid',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

function list<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function wildcardPrincipal(p: unknown): boolean {
  if (p === '*') return true;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const aws = (p as Record<string, unknown>).AWS;
    return list(aws as unknown).some((a) => a === '*');
  }
  return false;
}

/**
 * A condition restricts a wildcard principal when a non-negated operator (not `…Not…`, not `…IfExists`,
 * which pass when the key is absent) tests a restricting key; `aws:SourceIp` must not be a /0 range.
 */
function restricted(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  return Object.entries(condition as Record<string, unknown>).some(([operator, byKey]) => {
    if (/not/i.test(operator) || /ifexists$/i.test(operator) || byKey === null || typeof byKey !== 'object') return false;
    return Object.entries(byKey as Record<string, unknown>).some(([key, value]) => {
      const k = key.toLowerCase();
      if (!RESTRICTING_KEYS.has(k)) return false;
      if (k === 'aws:sourceip') return list(value).every((v) => typeof v === 'string' && !v.trim().endsWith('/0'));
      return true;
    });
  });
}

export interface PolicyVerdict {
  public: boolean;
  /** Index of the first public statement, for the report. */
  statement?: number;
}

/** Parses a policy (JSON text or decoded object) and reports an Allow to "*" without a restricting condition. */
export function policyIsPublic(policy: Val): PolicyVerdict | Unk {
  let doc: unknown;
  if (policy instanceof Unk) return policy;
  if (isObj(policy)) doc = policy;
  else {
    const text = toStr(policy);
    if (text instanceof Unk) return new Unk(`bucket policy: ${text.reason}`, text.location);
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return new Unk(`bucket policy is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!doc || typeof doc !== 'object') return new Unk('bucket policy is not a JSON object');
  const statements = list((doc as { Statement?: unknown }).Statement as unknown);
  for (const [i, s] of statements.entries()) {
    if (!s || typeof s !== 'object') continue;
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow') continue;
    if (st.NotPrincipal !== undefined) return { public: true, statement: i }; // Allow with NotPrincipal grants everyone else
    if (wildcardPrincipal(st.Principal) && !restricted(st.Condition)) return { public: true, statement: i };
  }
  return { public: false };
}

/** Canned ACLs that grant AllUsers or AuthenticatedUsers (S3 "Canned ACL"); both count as public for S3. */
export const PUBLIC_CANNED_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);

export const PUBLIC_GROUP_URIS = new Set([
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
]);
