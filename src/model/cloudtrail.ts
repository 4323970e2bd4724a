// CloudTrail log evidence: what was read, what was detected, and each break-glass activation rebuilt from the logs.

import type { PopulationRecord } from './evidence.js';
import type { DropReason, SkipReason } from './coverage.js';

/** The `cloudtrail:` block of evidence-pack.yaml, paths already absolute. */
/** Where CloudTrail evidence is read: the built-in scanner, or a SQL engine running the detections' SQL (docs/engines.md). */
export type CloudTrailEngine = 'scan' | 'duckdb' | 'athena' | 'securitylake';

export interface CloudTrailConfig {
  /** Local folders/files, or `s3://bucket/prefix` URIs. */
  logs: string[];
  digests?: string[];
  publicKeys?: string;
  /** Default `scan`. */
  engine?: CloudTrailEngine;
  athena?: AthenaEngineConfig;
  securitylake?: SecurityLakeEngineConfig;
}

/** `cloudtrail.securitylake`: Security Lake's CloudTrail management table, queried through Athena. */
export interface SecurityLakeEngineConfig {
  /** e.g. amazon_security_lake_glue_db_eu_west_1 */
  database: string;
  /** e.g. amazon_security_lake_table_eu_west_1_cloud_trail_mgmt_2_0 */
  table: string;
  accounts?: string[];
}

/** `cloudtrail.athena`: the CloudTrail table (`evidence-pack athena-ddl`) and where queries run. */
export interface AthenaEngineConfig {
  workgroup: string;
  database: string;
  table: string;
  catalog?: string;
  /** Query results location, when the workgroup does not set one (s3://…). */
  outputLocation?: string;
  region?: string;
  /** Organization trail tables: the accounts to read (required when the table's account partition is injected). */
  accounts?: string[];
}

/** The `breakGlass:` block of evidence-pack.yaml: which identities are break-glass ones. */
export interface BreakGlassConfig {
  /** Role ARN glob patterns, e.g. `arn:aws:iam::*:role/BreakGlass*`. */
  roles?: string[];
  /** IAM user name glob patterns. */
  users?: string[];
  /** IAM Identity Center permission set names (their roles are `AWSReservedSSO_<name>_<hash>`). */
  permissionSets?: string[];
  /** Networks break-glass identities may be used from. */
  allowedCidrs?: string[];
  /** Root usage is a break-glass use unless this is false. Default true. */
  rootIsBreakGlass?: boolean;
  /** Secrets Manager ARNs or names that hold break-glass credentials. */
  secrets?: string[];
  /**
   * Centralized root access (sts:AssumeRoot): the principals allowed to open root sessions in member accounts (ARN
   * globs) and, optionally, the task policies they may use (names, e.g. `IAMDeleteRootUserCredentials`). A root session
   * by a declared caller with an allowed task policy is sanctioned root use; any other is still an activation.
   */
  rootSessions?: { callers?: string[]; taskPolicies?: string[] };
}

/** The `breakGlass:` block after the config's defaults: every key present. */
export type ResolvedBreakGlassConfig = Required<BreakGlassConfig>;

/** One log file or S3 object that was read. */
export interface CloudTrailSource {
  /** Absolute local path or `s3://bucket/key`. */
  path: string;
  /** sha256 (hex) of the raw bytes as stored (compressed when gzip). */
  sha256: string;
  size: number;
  /** Records in the file, and of those the records whose eventTime falls in the period. */
  records: number;
  eventsInPeriod: number;
  /** S3 ETag / version of the object, for S3 sources. */
  etag?: string;
  versionId?: string;
}

export interface CloudTrailFileProblem {
  /** Local path or `s3://bucket/key`. */
  path: string;
  reason: string;
  /** Byte offset in the (uncompressed) file where the problem was found. */
  offset?: number;
  /** The file (or root) was not read completely, and why; none of skip/drop set: a note only. */
  skip?: SkipReason;
  /** `count` records were not used, and why. */
  drop?: DropReason;
  count?: number;
}

export interface PeriodCoverage {
  firstEvent?: string;
  lastEvent?: string;
  /** Days (YYYY-MM-DD, UTC) of the period with at least one event. */
  daysWithLogs: number;
  /** Days of the period without a single event: logging gap, or logs not supplied. */
  daysWithoutLogs: string[];
}

export type DetectionKind =
  | 'root-activity'
  | 'console-login'
  | 'break-glass-console-login'
  | 'assume-role'
  | 'break-glass-role-assumption'
  | 'break-glass-activity'
  | 'outside-allowed-cidrs'
  | 'access-key-event'
  | 'break-glass-access-key-created'
  | 'logging-tampering'
  | 'iam-policy-change'
  | 'credential-rotation'
  | 'root-session';

/** A compact pointer to one CloudTrail event. */
export interface EventRef {
  eventId: string;
  eventTime: string;
  eventName: string;
  eventSource: string;
  /** Actor: userIdentity.arn, or `root` / the identity type when no ARN is logged. */
  actor: string;
  sourceIp?: string;
  awsRegion?: string;
  /** errorCode of a failed call; absent when the call succeeded. */
  errorCode?: string;
  /** File or object the event was read from. */
  file: string;
}

export interface ConsoleSignIn extends EventRef {
  identityType: string;
  userName?: string;
  root: boolean;
  breakGlass: boolean;
  /**
   * additionalEventData.MFAUsed, read case-insensitively; `unknown` when not logged, and for federated sign-ins (SAML,
   * Identity Center) unless the event asserts MFA: their MFA happens at the identity provider, which CloudTrail does not see.
   */
  mfaUsed: 'yes' | 'no' | 'unknown';
  /** `success` only when the event says so; an error, a Failure or no outcome at all is not a sign-in. */
  outcome: 'success' | 'failure' | 'unknown';
  /** The sign-in went through an identity provider (SAML, web identity, IAM Identity Center). */
  federated?: boolean;
}

export interface TamperingEvent extends EventRef {
  /** Trail name/ARN or bucket name acted on. */
  target?: string;
}

export interface IamPolicyChange extends EventRef {
  /** Role, user, group or policy ARN the change applies to. */
  target?: string;
}

export interface OutsideCidrEvent extends EventRef {
  /** The allowed CIDRs the source IP is outside of. */
  allowedCidrs: string[];
}

export type PrincipalKind = 'root' | 'iam-user' | 'role' | 'permission-set' | 'root-session';

export interface ActivationPrincipal {
  kind: PrincipalKind;
  /** Root: `arn:aws:iam::<acct>:root`; user: user ARN; role: the assumed-role ARN of the session. */
  arn: string;
  accountId?: string;
  userName?: string;
  /** Role ARN (session issuer) for role and permission-set sessions. */
  roleArn?: string;
  sessionName?: string;
  /** STS source identity, where the session carries one. */
  sourceIdentity?: string;
  permissionSet?: string;
  /** Root sessions: the principal that called sts:AssumeRoot (absent when that call is not in the logs). */
  assumedBy?: string;
  /** Root sessions: the task policy that scopes the session (its name, e.g. `S3UnlockBucketPolicy`). */
  taskPolicy?: string;
  /** Root sessions: the duration asked for (seconds; AWS allows at most 900). */
  requestedDurationSeconds?: number;
  /** Root sessions: the caller (and task policy) are declared in `breakGlass.rootSessions`. */
  sanctioned?: boolean;
}

export type RotationKind =
  | 'password-changed'
  | 'login-profile-changed'
  | 'access-key-deactivated'
  | 'access-key-deleted'
  | 'secret-rotated'
  | 'mfa-reenrolled'
  | 'sessions-revoked';

export interface RotationEvidence {
  kind: RotationKind;
  eventId: string;
  eventName: string;
  eventTime: string;
  /** Seconds from the activation's last use to this rotation (0 when it closes the session). */
  delaySeconds: number;
  /** User, key id or secret rotated. */
  target?: string;
}

export interface Activation {
  /** Deterministic: derived from the first event ID. */
  id: string;
  principal: ActivationPrincipal;
  start: string;
  end: string;
  durationSeconds: number;
  sourceIps: string[];
  userAgents: string[];
  /** False when any console sign-in or session context of the activation says MFA was not used; true when they all say it was; null when not logged. */
  mfaUsed: boolean | null;
  accessKeyIds: string[];
  regions: string[];
  apiCalls: number;
  readCalls: number;
  writeCalls: number;
  /** Calls whose read/write nature is not logged (no `readOnly` field). */
  unclassifiedCalls: number;
  failedCalls: number;
  services: string[];
  resources: string[];
  consoleSignIn: boolean;
  firstEventId: string;
  lastEventId: string;
  eventIds: string[];
  /** Events of this activation made from outside the allowed CIDRs. */
  outsideCidrEvents: number;
  rotation: {
    status: 'rotated' | 'not-found';
    /** Rotation must happen before this time (start of the same principal's next activation). */
    deadline?: string;
    /** Delay of the first rotation found, in seconds. */
    delaySeconds?: number;
    evidence: RotationEvidence[];
  };
}

export interface FilterCount {
  id: string;
  /** Events in the period (deduplicated by eventID) the filter matches. */
  matches: number;
  /** The filter threw on some event: its count is not complete. */
  error?: string;
}

export interface CloudTrailEvidence {
  /** Roots as configured (local paths, s3:// URIs). */
  roots: string[];
  period: { label: string; from: string; to: string };
  sources: CloudTrailSource[];
  /** Log files / objects found under the roots for the period (read or not). */
  objectsListed: number;
  /** Records read in total, and those inside the period (per-file counts; see `duplicateEvents`). */
  recordsRead: number;
  eventsInPeriod: number;
  /** Detected events dropped because their eventID had been seen already. */
  duplicateEvents: number;
  coverage: PeriodCoverage;
  /** True when no event at all falls in the period: checks must report `unknown`, not "nothing found". */
  noLogs: boolean;
  noLogsReason?: string;
  counts: Record<DetectionKind, number>;
  activations: Activation[];
  rootActivity: EventRef[];
  roleAssumptions: EventRef[];
  consoleSignIns: ConsoleSignIn[];
  tamperingEvents: TamperingEvent[];
  iamPolicyChanges: IamPolicyChange[];
  outsideCidrEvents: OutsideCidrEvent[];
  accessKeyEvents: EventRef[];
  filterCounts: FilterCount[];
  fileProblems: CloudTrailFileProblem[];
  /** Limits of what could be evaluated (e.g. trail buckets unknown), stated rather than silently skipped. */
  notes: string[];
  /** The population of break-glass activations, for the auditor's completeness and accuracy tests. */
  populationRecord: PopulationRecord;
}

/** Metric-filter replay: what each IaC metric filter would have matched in the period's logs. */
export interface FilterReplay {
  filters: {
    id: string;
    pattern: string;
    /** Alarms with actions on the filter's metric: a match would have notified someone. */
    alarms: string[];
    matches: number;
    /** Event IDs matched (deduplicated). */
    eventIds: string[];
  }[];
  /** Filters whose pattern could not be replayed (unknown statically, invalid). */
  skipped: { id: string; reason: string }[];
}
