// Classifies one CloudTrail event: root activity, sign-ins, break-glass identities, tampering, IAM changes, rotations.

import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import picomatch from 'picomatch';
import type { BreakGlassConfig, PrincipalKind, RotationKind } from '../model/cloudtrail.js';

/** A CloudTrail record as parsed; only the fields read here are typed. */
export interface CtEvent {
  eventID: string;
  eventTime: string;
  eventName: string;
  eventSource?: string;
  eventType?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  readOnly?: boolean;
  recipientAccountId?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    accountId?: string;
    userName?: string;
    accessKeyId?: string;
    invokedBy?: string;
    sessionContext?: {
      sourceIdentity?: string;
      attributes?: { mfaAuthenticated?: string };
      sessionIssuer?: { arn?: string; userName?: string; type?: string };
    };
  };
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown> | null;
  resources?: { ARN?: string }[];
}

export const ASSUME_ROLE_NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
export const ACCESS_KEY_NAMES = ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'];
export const TRAIL_TAMPERING_NAMES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'];
/** S3 calls that weaken or remove the protection of the bucket the trail writes to. */
export const BUCKET_TAMPERING_NAMES = [
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketPublicAccessBlock',
  'DeleteBucketPublicAccessBlock',
  'PutBucketAcl',
  'PutBucketLifecycle',
  'DeleteBucketLifecycle',
  'PutBucketVersioning',
  'PutBucketObjectLockConfiguration',
  'DeleteBucket',
];
/** Account-wide public access block changes reach every bucket, the trail's included. */
export const ACCOUNT_PAB_NAMES = ['PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock'];
/** CIS AWS Foundations 4.4 (IAM policy changes) metric filter event names. */
export const IAM_POLICY_CHANGE_NAMES = [
  'DeleteGroupPolicy',
  'DeleteRolePolicy',
  'DeleteUserPolicy',
  'PutGroupPolicy',
  'PutRolePolicy',
  'PutUserPolicy',
  'CreatePolicy',
  'DeletePolicy',
  'CreatePolicyVersion',
  'DeletePolicyVersion',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'AttachGroupPolicy',
  'DetachGroupPolicy',
];
export const ROTATION_NAMES = [
  'ChangePassword',
  'PasswordUpdated',
  'UpdateLoginProfile',
  'CreateLoginProfile',
  'DeleteLoginProfile',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'RotateSecret',
  'PutSecretValue',
];

/** Every eventName whose records are parsed whatever their actor. */
export const INTERESTING_EVENT_NAMES = [
  ...new Set([
    'ConsoleLogin',
    ...ASSUME_ROLE_NAMES,
    ...ACCESS_KEY_NAMES,
    ...TRAIL_TAMPERING_NAMES,
    ...BUCKET_TAMPERING_NAMES,
    ...ACCOUNT_PAB_NAMES,
    ...IAM_POLICY_CHANGE_NAMES,
    ...ROTATION_NAMES,
  ]),
].sort();

export class CloudTrailConfigError extends Error {
  readonly code = 'CLOUDTRAIL_CONFIG';
  constructor(
    message: string,
    readonly pointer: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CloudTrailConfigError';
  }
}

export interface Principal {
  /** Groups events of one identity: `root:<acct>`, `user:<acct>:<name>`, `session:<assumed-role arn>`. */
  key: string;
  /** Identity whose credentials a rotation must cover: `root:<acct>`, `user:<acct>:<name>`, `role:<role arn>`. */
  identity: string;
  kind: PrincipalKind;
  arn: string;
  accountId?: string;
  userName?: string;
  roleArn?: string;
  roleName?: string;
  sessionName?: string;
  sourceIdentity?: string;
  permissionSet?: string;
  accessKeyId?: string;
}

export interface RotationSignal {
  kind: RotationKind;
  /** `root:<acct>`, `user:<acct>:<name>`, `role-name:<name>`, or `secret` (a configured break-glass secret). */
  target: string;
  detail?: string;
}

const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The longest run of ordinary name characters in a glob: it must appear in the raw text of any event it matches. */
export function literalNeedle(glob: string): string | undefined {
  const runs = glob.split(/[*?[\]{}()!|+@:/\\,]+/).filter((r) => r.length >= 3);
  runs.sort((a, b) => b.length - a.length || a.localeCompare(b));
  return runs[0];
}

export class Detector {
  readonly rootIsBreakGlass: boolean;
  private readonly roleMatch: (s: string) => boolean;
  private readonly userMatch: (s: string) => boolean;
  private readonly permissionSets: Set<string>;
  private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  readonly allowedCidrs: string[];
  private readonly secrets: string[];
  readonly trailBuckets: Set<string>;

  constructor(
    cfg: BreakGlassConfig,
    trailBuckets: string[] = [],
  ) {
    this.rootIsBreakGlass = cfg.rootIsBreakGlass !== false;
    const roles = cfg.roles ?? [];
    const users = cfg.users ?? [];
    this.roleMatch = roles.length ? picomatch(roles, { dot: true }) : () => false;
    this.userMatch = users.length ? picomatch(users, { dot: true }) : () => false;
    this.permissionSets = new Set(cfg.permissionSets ?? []);
    this.allowedCidrs = cfg.allowedCidrs ?? [];
    this.cidrs = this.allowedCidrs.map((c, i) => {
      try {
        return ipaddr.parseCIDR(c);
      } catch {
        throw new CloudTrailConfigError(`breakGlass.allowedCidrs[${i}]: "${c}" is not a CIDR`, `breakGlass.allowedCidrs[${i}]`, 'write e.g. 203.0.113.0/24');
      }
    });
    this.secrets = cfg.secrets ?? [];
    this.trailBuckets = new Set(trailBuckets);
  }

  /** Substrings of which at least one appears in the raw text of every event that a break-glass rule can match. */
  needles(cfg: BreakGlassConfig): { needles: string[]; parseAll: boolean } {
    const needles = new Set<string>(['"Root"']);
    let parseAll = false;
    for (const g of [...(cfg.roles ?? []), ...(cfg.users ?? [])]) {
      const n = literalNeedle(g);
      if (n) needles.add(n);
      else parseAll = true;
    }
    for (const ps of cfg.permissionSets ?? []) needles.add(`AWSReservedSSO_${ps}_`);
    return { needles: [...needles].sort(), parseAll };
  }

  /** CIS 4.3: root credentials used, not a service acting on root's behalf. */
  isRootActivity(e: CtEvent): boolean {
    const ui = e.userIdentity;
    return ui?.type === 'Root' && !ui.invokedBy && e.eventType !== 'AwsServiceEvent';
  }

  private matchRole(roleArn: string | undefined, roleName: string | undefined): { kind: PrincipalKind; permissionSet?: string } | undefined {
    const sso = roleName ? SSO_ROLE.exec(roleName) : null;
    if (sso && this.permissionSets.has(sso[1])) return { kind: 'permission-set', permissionSet: sso[1] };
    if (roleArn && this.roleMatch(roleArn)) return { kind: 'role' };
    return undefined;
  }

  /** The break-glass identity that made this call, if any. */
  breakGlassActor(e: CtEvent): Principal | undefined {
    const ui = e.userIdentity;
    if (!ui) return undefined;
    const acct = ui.accountId ?? e.recipientAccountId;
    if (ui.type === 'Root') {
      if (!this.rootIsBreakGlass || !this.isRootActivity(e)) return undefined;
      const arn = ui.arn ?? `arn:aws:iam::${acct}:root`;
      return { key: `root:${acct}`, identity: `root:${acct}`, kind: 'root', arn, accountId: acct, accessKeyId: ui.accessKeyId };
    }
    if (ui.type === 'IAMUser' && ui.userName && this.userMatch(ui.userName)) {
      const id = `user:${acct}:${ui.userName}`;
      return { key: id, identity: id, kind: 'iam-user', arn: ui.arn ?? id, accountId: acct, userName: ui.userName, accessKeyId: ui.accessKeyId };
    }
    if (ui.type === 'AssumedRole' && ui.arn) {
      const issuer = ui.sessionContext?.sessionIssuer;
      const m = this.matchRole(issuer?.arn, issuer?.userName);
      if (!m) return undefined;
      return {
        key: `session:${ui.arn}`,
        identity: `role:${issuer?.arn}`,
        kind: m.kind,
        arn: ui.arn,
        accountId: acct,
        roleArn: issuer?.arn,
        roleName: issuer?.userName,
        sessionName: ui.arn.split('/').pop(),
        sourceIdentity: ui.sessionContext?.sourceIdentity,
        permissionSet: m.permissionSet,
        accessKeyId: ui.accessKeyId,
      };
    }
    return undefined;
  }

  /**
   * The break-glass identity whose use this event starts, if any: a successful assumption of a break-glass
   * role, or a successful console sign-in by root or a break-glass user. Failed and denied attempts start nothing.
   */
  usePrincipal(e: CtEvent): Principal | undefined {
    if (e.errorCode) return undefined;
    const assumed = this.assumedBreakGlassSession(e);
    if (assumed) return assumed;
    return e.eventName === 'ConsoleLogin' && !isFailedSignIn(e) ? this.breakGlassActor(e) : undefined;
  }

  /** For AssumeRole* of a break-glass role: the session it opens. */
  assumedBreakGlassSession(e: CtEvent): Principal | undefined {
    if (!ASSUME_ROLE_NAMES.includes(e.eventName)) return undefined;
    const rp = e.requestParameters ?? {};
    const roleArn = str(rp.roleArn);
    if (!roleArn) return undefined;
    const roleName = roleArn.split('/').pop();
    const m = this.matchRole(roleArn, roleName);
    if (!m) return undefined;
    const re = e.responseElements ?? {};
    const aru = (re.assumedRoleUser ?? {}) as Record<string, unknown>;
    const creds = (re.credentials ?? {}) as Record<string, unknown>;
    const sessionName = str(rp.roleSessionName) ?? str(aru.arn)?.split('/').pop();
    const [, partition = 'aws', , , acct = ''] = roleArn.split(':');
    const arn = str(aru.arn) ?? `arn:${partition}:sts::${acct}:assumed-role/${roleName}/${sessionName}`;
    return {
      key: `session:${arn}`,
      identity: `role:${roleArn}`,
      kind: m.kind,
      arn,
      accountId: acct || undefined,
      roleArn,
      roleName,
      sessionName,
      sourceIdentity: str(rp.sourceIdentity) ?? str(re.sourceIdentity),
      permissionSet: m.permissionSet,
      accessKeyId: str(creds.accessKeyId),
    };
  }

  /** True for an IP source outside every allowed CIDR; AWS service names and unparsable values are not IPs. */
  outsideAllowedCidrs(e: CtEvent): boolean {
    if (this.cidrs.length === 0) return false;
    const ip = e.sourceIPAddress;
    if (!ip || !ipaddr.isValid(ip)) return false;
    const addr = ipaddr.process(ip);
    return !this.cidrs.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
  }

  /** The IAM user a user-scoped IAM call acts on: `requestParameters.userName`, else the caller itself. */
  private targetUser(e: CtEvent): string | undefined {
    const ui = e.userIdentity;
    const acct = ui?.accountId ?? e.recipientAccountId;
    const named = str(e.requestParameters?.userName);
    if (named) return `user:${acct}:${named}`;
    if (ui?.type === 'Root') return `root:${acct}`;
    if (ui?.type === 'IAMUser' && ui.userName) return `user:${acct}:${ui.userName}`;
    return undefined;
  }

  isBreakGlassTarget(target: string | undefined): boolean {
    if (!target) return false;
    if (target.startsWith('root:')) return this.rootIsBreakGlass;
    if (target.startsWith('user:')) return this.userMatch(target.split(':').slice(2).join(':'));
    return false;
  }

  /** CreateAccessKey for a break-glass user (or root, when root is break-glass). */
  isBreakGlassAccessKeyCreated(e: CtEvent): boolean {
    return e.eventName === 'CreateAccessKey' && this.isBreakGlassTarget(this.targetUser(e));
  }

  private isConfiguredSecret(secretId: string | undefined): boolean {
    if (!secretId) return false;
    return this.secrets.some((s) => {
      if (s === secretId) return true;
      // Secret ARNs end in "-" and six random characters; a name or a partial ARN identifies the same secret.
      const arnName = (a: string) => /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(a)?.[1];
      return arnName(secretId) === s || arnName(s) === secretId || (secretId.startsWith('arn:') && secretId.startsWith(s + '-'));
    });
  }

  /** Evidence that some credential was rotated, and whose. Failed calls rotate nothing. */
  rotationSignal(e: CtEvent): RotationSignal | undefined {
    if (e.errorCode) return undefined;
    const rp = e.requestParameters ?? {};
    switch (e.eventName) {
      case 'ChangePassword':
      case 'PasswordUpdated': {
        const t = this.targetUser(e);
        return t ? { kind: 'password-changed', target: t } : undefined;
      }
      case 'UpdateLoginProfile':
      case 'CreateLoginProfile':
      case 'DeleteLoginProfile': {
        const t = this.targetUser(e);
        return t ? { kind: 'login-profile-changed', target: t } : undefined;
      }
      case 'UpdateAccessKey': {
        const t = this.targetUser(e);
        return t && rp.status === 'Inactive' ? { kind: 'access-key-deactivated', target: t, detail: str(rp.accessKeyId) } : undefined;
      }
      case 'DeleteAccessKey': {
        const t = this.targetUser(e);
        return t ? { kind: 'access-key-deleted', target: t, detail: str(rp.accessKeyId) } : undefined;
      }
      case 'EnableMFADevice':
      case 'DeactivateMFADevice':
      case 'DeleteVirtualMFADevice': {
        const t = this.targetUser(e);
        return t ? { kind: 'mfa-reenrolled', target: t, detail: str(rp.serialNumber) } : undefined;
      }
      case 'RotateSecret':
      case 'PutSecretValue': {
        const id = str(rp.secretId);
        return this.isConfiguredSecret(id) ? { kind: 'secret-rotated', target: 'secret', detail: id } : undefined;
      }
      case 'PutRolePolicy':
        // IAM console's "Revoke active sessions" writes this inline policy.
        return rp.policyName === 'AWSRevokeOlderSessions' && str(rp.roleName)
          ? { kind: 'sessions-revoked', target: `role-name:${rp.roleName}` }
          : undefined;
      default:
        return undefined;
    }
  }

  /** Does this rotation cover the credentials of the identity used in an activation? */
  static rotationCovers(signal: RotationSignal, p: Pick<Principal, 'identity' | 'roleName'>): boolean {
    if (signal.target === 'secret') return true;
    if (signal.target.startsWith('role-name:')) return p.roleName !== undefined && signal.target === `role-name:${p.roleName}`;
    return signal.target === p.identity;
  }

  tamperingTarget(e: CtEvent): { tampering: boolean; target?: string } {
    const rp = e.requestParameters ?? {};
    if (e.eventSource === 'cloudtrail.amazonaws.com' && TRAIL_TAMPERING_NAMES.includes(e.eventName))
      return { tampering: true, target: str(rp.name) ?? str(rp.trailName) };
    if (e.eventSource === 's3.amazonaws.com') {
      if (ACCOUNT_PAB_NAMES.includes(e.eventName)) return { tampering: true, target: `account:${str(rp.accountId) ?? e.recipientAccountId ?? ''}` };
      const bucket = str(rp.bucketName);
      if (BUCKET_TAMPERING_NAMES.includes(e.eventName) && bucket && this.trailBuckets.has(bucket)) return { tampering: true, target: bucket };
    }
    return { tampering: false };
  }

  iamPolicyTarget(e: CtEvent): { change: boolean; target?: string } {
    if (e.eventSource !== 'iam.amazonaws.com' || !IAM_POLICY_CHANGE_NAMES.includes(e.eventName)) return { change: false };
    const rp = e.requestParameters ?? {};
    const target = [str(rp.roleName) && `role/${rp.roleName}`, str(rp.userName) && `user/${rp.userName}`, str(rp.groupName) && `group/${rp.groupName}`, str(rp.policyArn), str(rp.policyName)]
      .filter(Boolean)
      .join(' ');
    return { change: true, target: target || undefined };
  }
}

/** True when the call only reads; null when the log does not say and the name does not tell. */
export function isReadOnly(e: CtEvent): boolean | null {
  if (typeof e.readOnly === 'boolean') return e.readOnly;
  if (/^(Get|List|Describe|Head|Lookup|Search|BatchGet)[A-Z]/.test(e.eventName)) return true;
  return null;
}

/** Identifiers of what a call touched: `resources[].ARN` and well-known request parameters. */
export function resourcesOf(e: CtEvent): string[] {
  const out = new Set<string>();
  for (const r of e.resources ?? []) if (r?.ARN) out.add(r.ARN);
  const rp = e.requestParameters ?? {};
  for (const k of ['bucketName', 'userName', 'roleName', 'groupName', 'policyArn', 'secretId', 'roleArn', 'instanceId', 'functionName', 'keyId', 'name']) {
    const v = rp[k];
    if (typeof v === 'string') out.add(`${k}=${v}`);
  }
  return [...out];
}

const REQUEST_KEYS = [
  'userName', 'roleArn', 'roleSessionName', 'sourceIdentity', 'status', 'accessKeyId', 'serialNumber', 'secretId', 'policyName',
  'roleName', 'name', 'trailName', 'bucketName', 'accountId', 'groupName', 'policyArn', 'instanceId', 'functionName', 'keyId',
];

function pick(o: unknown, keys: string[]): Record<string, unknown> | undefined {
  if (!o || typeof o !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') out[k] = v;
  }
  return out;
}

/**
 * The fields of an event that detection reads. Kept instead of the whole record so that a quarter's candidate
 * events fit in memory (and session tokens in responseElements never travel further than the scan).
 */
export function slimEvent(e: Record<string, unknown>): CtEvent {
  const ui = e.userIdentity as CtEvent['userIdentity'] | undefined;
  const sc = ui?.sessionContext;
  const re = e.responseElements as Record<string, unknown> | null | undefined;
  const out: CtEvent = {
    eventID: e.eventID as string,
    eventTime: e.eventTime as string,
    eventName: e.eventName as string,
    ...pick(e, ['eventSource', 'eventType', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'readOnly', 'recipientAccountId']),
  };
  if (ui && typeof ui === 'object') {
    out.userIdentity = pick(ui, ['type', 'arn', 'accountId', 'userName', 'accessKeyId', 'invokedBy']) as CtEvent['userIdentity'];
    if (sc && typeof sc === 'object')
      out.userIdentity!.sessionContext = {
        ...pick(sc, ['sourceIdentity']),
        ...(sc.attributes ? { attributes: pick(sc.attributes, ['mfaAuthenticated']) } : {}),
        ...(sc.sessionIssuer ? { sessionIssuer: pick(sc.sessionIssuer, ['arn', 'userName', 'type']) } : {}),
      };
  }
  if (e.requestParameters && typeof e.requestParameters === 'object') out.requestParameters = pick(e.requestParameters, REQUEST_KEYS);
  if (re && typeof re === 'object') {
    out.responseElements = {
      ...pick(re, ['ConsoleLogin', 'sourceIdentity']),
      ...(re.assumedRoleUser && typeof re.assumedRoleUser === 'object' ? { assumedRoleUser: pick(re.assumedRoleUser, ['arn']) } : {}),
      ...(re.credentials && typeof re.credentials === 'object' ? { credentials: pick(re.credentials, ['accessKeyId']) } : {}),
    };
  }
  const aed = e.additionalEventData;
  if (aed && typeof aed === 'object') out.additionalEventData = pick(aed, ['MFAUsed']);
  if (Array.isArray(e.resources)) out.resources = e.resources.filter((r) => typeof r?.ARN === 'string').map((r) => ({ ARN: r.ARN as string }));
  return out;
}

/** JSON with object keys sorted at every level, so equal data always hashes the same. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

/**
 * A whole event reduced to what aggregation keeps: sort keys and the slim event as compact JSON. A record
 * without an eventID is named by its content, so that copies of it still count once.
 */
export function toSlimRecord(full: Record<string, unknown>): { t: string; id: string; json: string } {
  if (typeof full.eventID !== 'string') full.eventID = 'content-sha256:' + createHash('sha256').update(canonicalJson(full)).digest('hex').slice(0, 32);
  const slim = slimEvent(full);
  // slimEvent writes keys in a fixed order, so equal content gives equal text.
  return { t: slim.eventTime, id: slim.eventID, json: JSON.stringify(slim) };
}

/** A console sign-in that did not succeed (CloudTrail records the outcome in responseElements.ConsoleLogin). */
export function isFailedSignIn(e: CtEvent): boolean {
  return e.eventName === 'ConsoleLogin' && e.responseElements?.ConsoleLogin !== 'Success';
}
