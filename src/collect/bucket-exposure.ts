// The one decision "does this S3 bucket policy or ACL make the bucket public?", over a neutral JSON-like document.

/**
 * How the caller's value representation marks the parts that are not plain JSON. `isUnknown`: a value only
 * known at deploy/apply time (it may be anything, including "*"). `isReference`: a link to another resource
 * (an ARN, an id); it is one concrete value, never a wildcard.
 */
export interface ValueKinds {
  isUnknown(v: unknown): boolean;
  isReference(v: unknown): boolean;
}

export type ExposureVerdict =
  | { verdict: 'public'; reason: string; /** Index of the first public statement. */ statement: number }
  | { verdict: 'not-public'; reason: string }
  | { verdict: 'unknown'; reason: string; /** JSON path of the deciding part, e.g. `Statement[0].Principal`. */ path: string; /** The caller's unknown value found there, when there is one (for its location). */ cause?: unknown };

/**
 * Condition keys that pin a statement to known accounts, organisations, networks or sources: with a fixed value
 * of one of them, an Allow to everyone is not public. The union of the AWS S3 User Guide ("The meaning of
 * public": aws:SourceIp ranges, fixed principals, aws:SourceArn/Vpc/Vpce/Owner/Account, aws:userid,
 * s3:x-amz-server-side-encryption-aws-kms-key-id) and the organisation / access-point keys both collectors
 * already accepted. Compared case-insensitively, as IAM compares condition keys.
 */
export const RESTRICTING_KEYS: ReadonlySet<string> = new Set(
  [
    'aws:SourceIp',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceOwner',
    'aws:SourceAccount',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:userid',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalServiceName',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
    's3:x-amz-server-side-encryption-aws-kms-key-id',
  ].map((k) => k.toLowerCase()),
);

/** Canned ACLs that grant AllUsers or AuthenticatedUsers (S3 "Canned ACL"), in the API / Terraform spelling. */
export const PUBLIC_CANNED_ACLS: ReadonlySet<string> = new Set(['public-read', 'public-read-write', 'authenticated-read']);

/** Grantee groups that AWS counts as public: everyone, and every AWS account holder. */
export const PUBLIC_GROUP_URIS: ReadonlySet<string> = new Set([
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
]);

/**
 * Whether a canned ACL is public. Accepts the API / Terraform spelling (`public-read`) and the CloudFormation
 * `AccessControl` spelling (`PublicRead`), which name the same ACLs.
 */
export function cannedAclIsPublic(acl: string): boolean {
  const kebab = acl.includes('-') ? acl : acl.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase();
  return PUBLIC_CANNED_ACLS.has(kebab);
}

/** Whether an ACL grantee URI names a public group. */
export function granteeIsPublic(uri: string): boolean {
  return PUBLIC_GROUP_URIS.has(uri);
}

type Undecided = { is: 'unknown'; path: string; reason: string; cause?: unknown };
type Tri = { is: true } | { is: false } | Undecided;
const YES: Tri = { is: true };
const NO: Tri = { is: false };

type Obj = Record<string, unknown>;

/**
 * Decides whether a bucket policy grants public access. A statement is public when it Allows everyone
 * (`Principal: "*"`, `{"AWS": "*"}`, or any NotPrincipal) and no condition pins the caller: a non-negated,
 * non-IfExists, non-ForAllValues operator on a restricting key whose values are all fixed (no wildcard, no /0
 * range). Any public statement makes the policy public; otherwise an undecidable part makes it unknown.
 * `Action` is not inspected: a public grant of harmless actions still counts (conservative).
 */
export function policyExposure(document: unknown, kinds: ValueKinds): ExposureVerdict {
  if (kinds.isUnknown(document)) return { verdict: 'unknown', path: '', reason: 'the policy document is not known statically', cause: document };
  if (!isObj(document, kinds)) return { verdict: 'unknown', path: '', reason: 'the policy document is not a JSON object' };
  const statements = document.Statement;
  if (statements === undefined) return { verdict: 'not-public', reason: 'the policy has no statements' };
  if (kinds.isUnknown(statements)) return unknownOf({ is: 'unknown', path: 'Statement', reason: 'not known statically', cause: statements });
  const list = Array.isArray(statements) ? statements : [statements];
  let firstUnknown: Undecided | undefined;
  for (const [i, s] of list.entries()) {
    const path = Array.isArray(statements) ? `Statement[${i}]` : 'Statement';
    const t = statementIsPublic(s, path, kinds);
    if (t.is === true) return { verdict: 'public', statement: i, reason: `${path} allows everyone without a condition that pins the caller` };
    if (t.is === 'unknown') firstUnknown ??= t;
  }
  return firstUnknown ? unknownOf(firstUnknown) : { verdict: 'not-public', reason: 'no statement allows everyone without a restricting condition' };
}

function unknownOf(t: Undecided): ExposureVerdict {
  return { verdict: 'unknown', path: t.path, reason: `${t.path}: ${t.reason}`, cause: t.cause };
}

function isObj(v: unknown, kinds: ValueKinds): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !kinds.isUnknown(v) && !kinds.isReference(v);
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function unknownAt(path: string, v: unknown): Undecided {
  return { is: 'unknown', path, reason: 'not known statically', cause: v };
}

function statementIsPublic(s: unknown, path: string, kinds: ValueKinds): Tri {
  if (kinds.isUnknown(s)) return unknownAt(path, s);
  if (!isObj(s, kinds)) return { is: 'unknown', path, reason: 'a statement must be a JSON object' };
  if (kinds.isUnknown(s.Effect)) return unknownAt(`${path}.Effect`, s.Effect);
  if (s.Effect !== 'Allow') return NO;
  // Allow with NotPrincipal grants everyone but the named principals.
  const everyone = s.NotPrincipal !== undefined ? YES : principalIsEveryone(s.Principal, `${path}.Principal`, kinds);
  if (everyone.is === false) return NO;
  const pinned = conditionRestricts(s.Condition, `${path}.Condition`, kinds);
  if (pinned.is === true) return NO;
  if (everyone.is === 'unknown') return everyone;
  return pinned.is === 'unknown' ? pinned : YES;
}

function principalIsEveryone(p: unknown, path: string, kinds: ValueKinds): Tri {
  if (p === undefined || kinds.isReference(p)) return NO;
  if (kinds.isUnknown(p)) return unknownAt(path, p);
  if (p === '*') return YES;
  if (!isObj(p, kinds)) return NO;
  if (kinds.isUnknown(p.AWS)) return unknownAt(`${path}.AWS`, p.AWS);
  let unknown: Tri | undefined;
  for (const [i, v] of asList(p.AWS).entries()) {
    if (v === '*') return YES;
    if (kinds.isUnknown(v)) unknown ??= unknownAt(Array.isArray(p.AWS) ? `${path}.AWS[${i}]` : `${path}.AWS`, v);
  }
  return unknown ?? NO;
}

/**
 * Operators that hold when the key is absent from the request (…IfExists, ForAllValues:… on an empty set),
 * negated ones (which exclude a few callers and let everyone else in) and Null (which tests presence, not a
 * value) never pin the caller.
 */
function operatorCanRestrict(operator: string): boolean {
  return !/not/i.test(operator) && !/ifexists$/i.test(operator) && !/^forallvalues:/i.test(operator) && !/^null$/i.test(operator);
}

function conditionRestricts(condition: unknown, path: string, kinds: ValueKinds): Tri {
  if (condition === undefined) return NO;
  if (kinds.isUnknown(condition)) return unknownAt(path, condition);
  if (!isObj(condition, kinds)) return NO;
  let unknown: Tri | undefined;
  for (const [operator, clauses] of Object.entries(condition)) {
    if (!operatorCanRestrict(operator)) continue;
    const opPath = `${path}.${operator}`;
    if (kinds.isUnknown(clauses)) {
      unknown ??= unknownAt(opPath, clauses);
      continue;
    }
    if (!isObj(clauses, kinds)) continue;
    for (const [key, value] of Object.entries(clauses)) {
      const k = key.toLowerCase();
      if (!RESTRICTING_KEYS.has(k)) continue;
      const t = valuesAreFixed(k, value, `${opPath}["${key}"]`, kinds);
      if (t.is === true) return YES;
      if (t.is === 'unknown') unknown ??= t;
    }
  }
  return unknown ?? NO;
}

/**
 * Whether every value of a restricting key is fixed. A reference is fixed. An unknown value is taken as a
 * deploy-time constant (an account id, an organisation id) and so fixed — except for aws:SourceIp, where it may
 * well be 0.0.0.0/0, so the verdict becomes unknown.
 */
function valuesAreFixed(key: string, value: unknown, path: string, kinds: ValueKinds): Tri {
  if (kinds.isUnknown(value)) return key === 'aws:sourceip' ? unknownAt(path, value) : YES;
  const values = asList(value);
  if (values.length === 0) return NO;
  let unknown: Tri | undefined;
  for (const v of values) {
    if (kinds.isReference(v)) continue;
    if (kinds.isUnknown(v)) {
      if (key === 'aws:sourceip') unknown ??= unknownAt(path, v);
      continue;
    }
    if (typeof v !== 'string') return NO;
    const s = v.trim();
    if (key === 'aws:sourceip' ? /\/0$/.test(s) : /[*?]/.test(s)) return NO;
  }
  return unknown ?? YES;
}
