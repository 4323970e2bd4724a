// Classifies one CloudTrail event: the selections of mappings/detections decide which records matter, this code what they
// mean: who used root or a break-glass identity, sign-ins and their MFA, root sessions, tampering, IAM changes, rotations.

import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import picomatch from 'picomatch';
import type { BreakGlassConfig, PrincipalKind, RotationKind } from '../model/cloudtrail.js';
import { loadSelections, type DetectionDefinition, type Selection, type SelectEvidence, type SelectParam } from './definitions.js';
import { evaluatePredicate, guardOf, literalNeedle, type Guard, type PredicateParams } from './predicate.js';

export { literalNeedle };

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
  errorMessage?: string;
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
      assumedRoot?: string;
      attributes?: { mfaAuthenticated?: string };
      sessionIssuer?: { arn?: string; userName?: string; type?: string };
      webIdFederationData?: { federatedProvider?: string };
    };
  };
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown> | null;
  serviceEventDetails?: Record<string, unknown> | null;
  resources?: { ARN?: string }[];
}

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
  /** Groups events of one identity: `root:<acct>`, `user:<acct>:<name>`, `session:<assumed-role arn>`, `root-session:<key>`. */
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
  assumedBy?: string;
  taskPolicy?: string;
  requestedDurationSeconds?: number;
  sanctioned?: boolean;
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

/** `yes` / `no` in any letter case (AWS documents "Yes" and writes "YES" for root); anything else is unknown. */
export function mfaFlag(v: unknown): 'yes' | 'no' | 'unknown' {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  return s === 'yes' ? 'yes' : s === 'no' ? 'no' : 'unknown';
}

/** The account of an AssumeRoot target: an account id, or a principal ARN in that account. */
function accountOf(target: string | undefined): string | undefined {
  if (!target) return undefined;
  if (/^\d{12}$/.test(target)) return target;
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(target)?.[1];
}

/** The configuration values the selections' predicates read. */
export function selectParams(cfg: BreakGlassConfig, trailBuckets: string[] = []): PredicateParams & Record<SelectParam, string[]> {
  const ps = cfg.permissionSets ?? [];
  // Identity Center creates role AWSReservedSSO_<set>_<hash>, under a path (aws-reserved/sso.amazonaws.com/[region/]).
  const psRoles = ps.map((p) => `arn:*:iam::*:role/**/AWSReservedSSO_${p}_*`);
  const secrets = (cfg.secrets ?? []).flatMap((s) => {
    const name = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(s)?.[1];
    return [s, `${s}-*`, `*:secret:${s}-*`, ...(name ? [name] : [])];
  });
  return { roles: cfg.roles ?? [], users: cfg.users ?? [], permissionSetRoles: psRoles, permissionSetRoleArns: psRoles, trailBuckets, secrets };
}

/** Every event name any selection may need to start a use (sign-ins, assumptions): what LookupEvents must ask for. */
export function useStartEventNames(definitions = loadSelections()): string[] {
  const kinds: SelectEvidence[] = ['console-login', 'assume-role', 'root-session'];
  const names = definitions.filter((d) => kinds.includes(d.select.evidence)).flatMap((d) => guardOf(d.select.where, selectParams({}))?.names ?? []);
  return [...new Set(names)].sort();
}

export class Detector {
  readonly rootIsBreakGlass: boolean;
  private readonly roleMatch: (s: string) => boolean;
  private readonly userMatch: (s: string) => boolean;
  private readonly callerMatch: (s: string) => boolean;
  private readonly taskPolicies: Set<string>;
  private readonly permissionSets: Set<string>;
  private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  readonly allowedCidrs: string[];
  private readonly secrets: string[];
  readonly trailBuckets: Set<string>;
  /** Values of the selections' parameters, from this configuration. */
  readonly params: ReturnType<typeof selectParams>;
  private readonly selections: Map<SelectEvidence, Selection[]>;

  constructor(
    cfg: BreakGlassConfig,
    trailBuckets: string[] = [],
    readonly definitions: (DetectionDefinition & { select: Selection })[] = loadSelections(),
  ) {
    this.rootIsBreakGlass = cfg.rootIsBreakGlass !== false;
    const roles = cfg.roles ?? [];
    const users = cfg.users ?? [];
    this.roleMatch = roles.length ? picomatch(roles, { dot: true }) : () => false;
    this.userMatch = users.length ? picomatch(users, { dot: true }) : () => false;
    const callers = cfg.rootSessions?.callers ?? [];
    this.callerMatch = callers.length ? picomatch(callers, { dot: true }) : () => false;
    this.taskPolicies = new Set(cfg.rootSessions?.taskPolicies ?? []);
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
    this.params = selectParams(cfg, trailBuckets);
    this.selections = new Map();
    for (const d of definitions) this.selections.set(d.select.evidence, [...(this.selections.get(d.select.evidence) ?? []), d.select]);
  }

  /** Does a selection feeding `evidence` take this record? */
  selected(evidence: SelectEvidence, e: unknown): boolean {
    return (this.selections.get(evidence) ?? []).some((s) => evaluatePredicate(s.where, e, this.params));
  }

  /**
   * What the scanner must parse: records with one of these event names, or one of these substrings in their raw text.
   * Every record some selection takes has one or the other; `parseAll` when a selection gives no such guarantee.
   */
  scanGuard(): { names: string[]; needles: string[]; parseAll: boolean } {
    const guards = this.definitions.map((d) => guardOf(d.select.where, this.params));
    if (guards.some((g) => g === undefined)) return { names: [], needles: [], parseAll: true };
    const g = guards as Guard[];
    return { names: [...new Set(g.flatMap((x) => x.names))].sort(), needles: [...new Set(g.flatMap((x) => x.needles))].sort(), parseAll: false };
  }

  /** CIS 4.3: root credentials used, not a service acting on root's behalf. */
  isRootActivity(e: CtEvent): boolean {
    return this.selected('root-activity', e);
  }

  isSignIn(e: CtEvent): boolean {
    return this.selected('console-login', e);
  }

  isRoleAssumption(e: CtEvent): boolean {
    return this.selected('assume-role', e);
  }

  isAccessKeyEvent(e: CtEvent): boolean {
    return this.selected('access-key-event', e);
  }

  private matchRole(roleArn: string | undefined, roleName: string | undefined): { kind: PrincipalKind; permissionSet?: string } | undefined {
    const sso = roleName ? SSO_ROLE.exec(roleName) : null;
    if (sso && this.permissionSets.has(sso[1])) return { kind: 'permission-set', permissionSet: sso[1] };
    if (roleArn && this.roleMatch(roleArn)) return { kind: 'role' };
    return undefined;
  }

  /** The break-glass identity that made this call, if any (root sessions are told apart by the caller of classify). */
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
   * The break-glass identity whose use this event starts, if any: a successful assumption of a break-glass role, a
   * successful sts:AssumeRoot, or a successful sign-in by root or a break-glass identity. Refused calls and failed
   * sign-ins start nothing.
   */
  usePrincipal(e: CtEvent): Principal | undefined {
    if (e.errorCode) return undefined;
    const assumed = this.assumedBreakGlassSession(e) ?? this.assumedRootSession(e);
    if (assumed) return assumed;
    return this.isSignIn(e) && signInOutcome(e) === 'success' ? this.breakGlassActor(e) : undefined;
  }

  /** For a successful AssumeRole* of a break-glass role: the session it opens. */
  assumedBreakGlassSession(e: CtEvent): Principal | undefined {
    if (e.errorCode || !this.selected('break-glass-role-assumption', e)) return undefined;
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

  /**
   * For a successful sts:AssumeRoot: the root session it opens in the target account, attributed to its caller and
   * keyed by the session's access key, which the calls of the session carry.
   */
  assumedRootSession(e: CtEvent): Principal | undefined {
    if (e.errorCode || e.eventName !== 'AssumeRoot' || !this.selected('root-session', e)) return undefined;
    const rp = e.requestParameters ?? {};
    const target = accountOf(str(rp.targetPrincipal));
    if (!target) return undefined;
    const creds = ((e.responseElements ?? {}).credentials ?? {}) as Record<string, unknown>;
    const key = str(creds.accessKeyId);
    const policyArn = str(((rp.taskPolicyArn ?? {}) as Record<string, unknown>).arn) ?? str(rp.taskPolicyArn);
    const taskPolicy = policyArn?.split('/').pop();
    const caller = e.userIdentity?.arn ?? (e.userIdentity?.userName ? `user:${e.userIdentity.userName}` : undefined);
    const duration = Number(rp.durationSeconds);
    const callerRole = e.userIdentity?.sessionContext?.sessionIssuer?.arn;
    return this.rootSession(target, key ?? `call:${e.eventID}`, callerRole, {
      ...(caller && { assumedBy: caller }),
      ...(taskPolicy && { taskPolicy }),
      ...(Number.isFinite(duration) && duration > 0 && { requestedDurationSeconds: duration }),
      ...(key && { accessKeyId: key }),
    });
  }

  /**
   * A root session of `account` keyed by its access key; sanctioned when its caller (its ARN, or the role its session
   * was issued by) and its task policy are declared.
   */
  rootSession(account: string, key: string, callerRole: string | undefined, extra: Partial<Principal> = {}): Principal {
    const declared = (extra.assumedBy !== undefined && this.callerMatch(extra.assumedBy)) || (callerRole !== undefined && this.callerMatch(callerRole));
    const sanctioned = declared && (this.taskPolicies.size === 0 || (extra.taskPolicy !== undefined && this.taskPolicies.has(extra.taskPolicy)));
    return { key: `root-session:${key}`, identity: `root:${account}`, kind: 'root-session', arn: `arn:aws:iam::${account}:root`, accountId: account, sanctioned, ...extra };
  }

  /** A call of a root session: root credentials from sts:AssumeRoot (`assumedRoot`), or the key of a known AssumeRoot. */
  rootSessionCall(e: CtEvent, knownKeys: ReadonlyMap<string, Principal>): Principal | undefined {
    const ui = e.userIdentity;
    if (ui?.type !== 'Root' || !this.isRootActivity(e)) return undefined;
    const known = ui.accessKeyId ? knownKeys.get(ui.accessKeyId) : undefined;
    if (known) return known;
    if (ui.sessionContext?.assumedRoot !== 'true') return undefined;
    const acct = ui.accountId ?? e.recipientAccountId ?? '';
    return this.rootSession(acct, ui.accessKeyId || `unknown:${acct}`, undefined, ui.accessKeyId ? { accessKeyId: ui.accessKeyId } : {});
  }

  /** Root sessions are break-glass use when root is, or when their caller is declared. */
  countsRootSession(p: Principal): boolean {
    return this.rootIsBreakGlass || p.sanctioned === true;
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
    return e.eventName === 'CreateAccessKey' && !e.errorCode && this.isAccessKeyEvent(e) && this.isBreakGlassTarget(this.targetUser(e));
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
    if (e.errorCode || !this.selected('credential-rotation', e)) return undefined;
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
        return rp.policyName === 'AWSRevokeOlderSessions' && str(rp.roleName) ? { kind: 'sessions-revoked', target: `role-name:${rp.roleName}` } : undefined;
      default:
        return undefined;
    }
  }

  /** The event names rotationSignal() reads (a test keeps them equal to the credential-rotations selection). */
  static readonly ROTATION_EVENT_NAMES = [
    'ChangePassword', 'PasswordUpdated', 'UpdateLoginProfile', 'CreateLoginProfile', 'DeleteLoginProfile', 'UpdateAccessKey', 'DeleteAccessKey',
    'EnableMFADevice', 'DeactivateMFADevice', 'DeleteVirtualMFADevice', 'RotateSecret', 'PutSecretValue', 'PutRolePolicy',
  ];

  /** Does this rotation cover the credentials of the identity used in an activation? */
  static rotationCovers(signal: RotationSignal, p: Pick<Principal, 'identity' | 'roleName'>): boolean {
    if (signal.target === 'secret') return true;
    if (signal.target.startsWith('role-name:')) return p.roleName !== undefined && signal.target === `role-name:${p.roleName}`;
    return signal.target === p.identity;
  }

  tamperingTarget(e: CtEvent): { tampering: boolean; target?: string } {
    if (!this.selected('logging-tampering', e)) return { tampering: false };
    const rp = e.requestParameters ?? {};
    if (e.eventSource === 'cloudtrail.amazonaws.com') return { tampering: true, target: str(rp.name) ?? str(rp.trailName) };
    if (/AccountPublicAccessBlock$/.test(e.eventName)) return { tampering: true, target: `account:${str(rp.accountId) ?? e.recipientAccountId ?? ''}` };
    return { tampering: true, target: str(rp.bucketName) };
  }

  iamPolicyTarget(e: CtEvent): { change: boolean; target?: string } {
    if (!this.selected('iam-policy-change', e)) return { change: false };
    const rp = e.requestParameters ?? {};
    const target = [str(rp.roleName) && `role/${rp.roleName}`, str(rp.userName) && `user/${rp.userName}`, str(rp.groupName) && `group/${rp.groupName}`, str(rp.policyArn), str(rp.policyName)]
      .filter(Boolean)
      .join(' ');
    return { change: true, target: target || undefined };
  }
}

/** The sign-in was made through an identity provider (SAML, web identity, IAM Identity Center), not with an IAM password. */
export function isFederatedSignIn(e: CtEvent): boolean {
  const t = e.userIdentity?.type;
  if (t === 'Root' || t === 'IAMUser') return false;
  return t !== undefined || e.additionalEventData?.SamlProviderArn !== undefined;
}

/** `success` only when the sign-in event says so (responseElements.<eventName>); an error or a missing outcome is not one. */
export function signInOutcome(e: CtEvent): 'success' | 'failure' | 'unknown' {
  const raw = str(e.responseElements?.[e.eventName]) ?? str(e.serviceEventDetails?.[e.eventName]);
  const outcome = raw?.toLowerCase();
  if (e.errorCode || e.errorMessage || outcome === 'failure') return 'failure';
  return outcome === 'success' ? 'success' : 'unknown';
}

/**
 * MFA of a sign-in: MFAUsed read case-insensitively. A federated sign-in's MFA happens at its identity provider, which
 * CloudTrail does not see: `unknown` unless the event asserts it (MFAUsed yes, or an MFA-authenticated session).
 */
export function signInMfa(e: CtEvent): 'yes' | 'no' | 'unknown' {
  const flag = mfaFlag(e.additionalEventData?.MFAUsed);
  if (!isFederatedSignIn(e)) return flag;
  return flag === 'yes' || e.userIdentity?.sessionContext?.attributes?.mfaAuthenticated === 'true' ? 'yes' : 'unknown';
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
  'targetPrincipal', 'durationSeconds',
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

function obj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The fields of an event that detection reads. Kept instead of the whole record so that a quarter's candidate
 * events fit in memory (and session tokens in responseElements never travel further than the scan).
 */
export function slimEvent(e: Record<string, unknown>): CtEvent {
  const ui = e.userIdentity as CtEvent['userIdentity'] | undefined;
  const sc = ui?.sessionContext;
  const re = e.responseElements as Record<string, unknown> | null | undefined;
  const name = e.eventName as string;
  const out: CtEvent = {
    eventID: e.eventID as string,
    eventTime: e.eventTime as string,
    eventName: name,
    ...pick(e, ['eventSource', 'eventType', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage', 'readOnly', 'recipientAccountId']),
  };
  if (ui && typeof ui === 'object') {
    out.userIdentity = pick(ui, ['type', 'arn', 'accountId', 'userName', 'accessKeyId', 'invokedBy']) as CtEvent['userIdentity'];
    if (sc && typeof sc === 'object')
      out.userIdentity!.sessionContext = {
        ...pick(sc, ['sourceIdentity', 'assumedRoot']),
        ...(sc.attributes ? { attributes: pick(sc.attributes, ['mfaAuthenticated']) } : {}),
        ...(sc.sessionIssuer ? { sessionIssuer: pick(sc.sessionIssuer, ['arn', 'userName', 'type']) } : {}),
        ...(obj(sc.webIdFederationData) && typeof sc.webIdFederationData.federatedProvider === 'string' ? { webIdFederationData: { federatedProvider: sc.webIdFederationData.federatedProvider } } : {}),
      };
  }
  const rp = e.requestParameters;
  if (obj(rp)) {
    out.requestParameters = pick(rp, REQUEST_KEYS);
    if (obj(rp.taskPolicyArn) && typeof rp.taskPolicyArn.arn === 'string') out.requestParameters!.taskPolicyArn = { arn: rp.taskPolicyArn.arn };
  }
  if (re && typeof re === 'object') {
    out.responseElements = {
      // The outcome of a sign-in is the value under its own event name (ConsoleLogin, ExternalIdPDirectoryLogin, …).
      ...pick(re, ['ConsoleLogin', 'sourceIdentity', ...(typeof re[name] === 'string' ? [name] : [])]),
      ...(re.assumedRoleUser && typeof re.assumedRoleUser === 'object' ? { assumedRoleUser: pick(re.assumedRoleUser, ['arn']) } : {}),
      ...(re.credentials && typeof re.credentials === 'object' ? { credentials: pick(re.credentials, ['accessKeyId']) } : {}),
    };
  }
  const aed = e.additionalEventData;
  if (aed && typeof aed === 'object') out.additionalEventData = pick(aed, ['MFAUsed', 'SamlProviderArn']);
  const sed = e.serviceEventDetails;
  if (obj(sed) && typeof sed[name] === 'string') out.serviceEventDetails = { [name]: sed[name] };
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

/** A sign-in that did not succeed: it starts no use (a failure, an error, or no outcome logged). */
export function isFailedSignIn(e: CtEvent, detector: Pick<Detector, 'isSignIn'>): boolean {
  return detector.isSignIn(e) && signInOutcome(e) !== 'success';
}
