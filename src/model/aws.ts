// Live AWS evidence: what the API calls returned per account and region, and which calls failed and why.

import type { EntityType, InfraSnapshot, TrustPolicy, Unknown } from './infra.js';
import type { EvidenceKind } from './evidence.js';

/**
 * Live evidence by area. A call that fails leaves its area incomplete in that account (a list, or whether a
 * resource exists, may lack members): a check reading the area cannot pass there (the engine's coverage rule).
 * A call that reads one attribute leaves only that attribute unknown, which the checks see as such.
 */
export const LIVE_AREAS = ['aws-trails', 'aws-buckets', 'aws-alarms', 'aws-alarm-history', 'aws-identities', 'aws-secrets', 'aws-activations'] as const satisfies readonly EvidenceKind[];
export type LiveArea = (typeof LIVE_AREAS)[number];

/** The live area each entity type is read from: a check reading the type depends on that area's coverage. */
export const LIVE_AREA_OF_ENTITY: Record<EntityType, LiveArea> = {
  trail: 'aws-trails',
  bucket: 'aws-trails',
  'public-access-block': 'aws-buckets',
  'log-group': 'aws-alarms',
  'metric-filter': 'aws-alarms',
  alarm: 'aws-alarms',
  'sns-topic': 'aws-alarms',
  'sns-subscription': 'aws-alarms',
  'iam-role': 'aws-identities',
  'permission-set': 'aws-identities',
};

/** One API call as made (after retries): `service:Operation`, where, and how it ended. */
export interface AwsCallRecord {
  api: string;
  account: string;
  region: string;
  /** Resource the call was about (trail ARN, bucket, role name …), when any. */
  target?: string;
  ok: boolean;
  attempts: number;
  pages: number;
  /** Error code and message exactly as AWS returned them. */
  error?: { code: string; message: string };
}

/** Evidence a failed call did not produce: checks that read it are `unknown`, never `pass`. */
export interface AwsUnavailable {
  api: string;
  account: string;
  region: string;
  target?: string;
  code: string;
  message: string;
  /** The area the failure leaves incomplete (`all`: the whole account, or the organisation's list of accounts). */
  area?: LiveArea | 'all';
  /** The region is not enabled for the account (opt-in): nothing can exist there, so nothing is missing. */
  regionDisabled?: boolean;
}

/** GetTrailStatus of one trail (with what DescribeTrails said of it), or why it could not be read. */
export interface TrailStatusLive {
  trailArn: string;
  name: string;
  /** DescribeTrails: digests are delivered only when log file validation is on. */
  logFileValidation: boolean;
  /** GetTrailStatus failed: why; the status fields are then absent. */
  unavailable?: Unknown;
  isLogging?: boolean;
  startLoggingTime?: string;
  latestDeliveryTime?: string;
  latestDeliveryError?: string;
  latestDigestDeliveryTime?: string;
  latestDigestDeliveryError?: string;
}

export interface AlarmFiring {
  alarmName: string;
  alarmArn?: string;
  /** When the alarm entered ALARM. */
  at: string;
  summary: string;
}

export interface BreakGlassRoleLive {
  arn: string;
  name: string;
  maxSessionDurationSeconds: number;
  /** The trust policy as IAM returned it (the decoded JSON, or the text when it is not JSON). */
  trustPolicy: unknown;
  /** The one reading of a trust policy (src/collect/iam-trust.ts), as for IaC roles: principals, MFA, why. */
  trust: TrustPolicy | Unknown;
}

/** An IAM Identity Center permission set (DescribePermissionSet), read where breakGlass.permissionSets names one. */
export interface PermissionSetLive {
  arn: string;
  name: string;
  /** ISO 8601 duration, e.g. PT1H (Identity Center's default when none is set). */
  sessionDuration: string;
  instanceArn: string;
  region: string;
}

export interface BreakGlassUserLive {
  name: string;
  accessKeys: { accessKeyId: string; status: string; createDate?: string }[] | Unknown;
  /** True when the user has a console password. */
  loginProfile: boolean | Unknown;
}

export interface SecretLive {
  arn: string;
  name: string;
  rotationEnabled: boolean;
  lastRotatedDate?: string;
  lastChangedDate?: string;
}

/** A break-glass sign-in or role assumption found with LookupEvents (no log archive configured). */
export interface LookedUpActivation {
  eventId: string;
  eventTime: string;
  eventName: string;
  principal: string;
  account: string;
  region: string;
}

/** Everything read in one account and region. */
export interface AwsScope {
  account: string;
  region: string;
  /** False when the region is not enabled for the account (opt-in region): nothing else was read. */
  enabled: boolean;
  /** Trails, buckets, public-access blocks, metric filters, alarms, topics and subscriptions as entities. */
  snapshot: InfraSnapshot;
  trailStatus: TrailStatusLive[];
  /** When each alarm entered ALARM, from the period start to its end plus the alarm delay (DescribeAlarmHistory; CloudWatch keeps 30 days). */
  alarmFirings: AlarmFiring[] | Unknown;
  publicKeys: { fingerprint: string; validityStart?: string; validityEnd?: string }[] | Unknown;
  activations: LookedUpActivation[] | Unknown;
  secrets: SecretLive[];
}

export interface AwsAccountEvidence {
  account: string;
  /** sts:GetCallerIdentity in this account (after assuming the role, when one is configured). */
  identity: { arn: string; userId: string } | Unknown;
  roles: BreakGlassRoleLive[];
  users: BreakGlassUserLive[];
  /** Permission sets named in breakGlass.permissionSets, from the Identity Center instance(s) this account sees. */
  permissionSets: PermissionSetLive[];
}

export interface AwsLiveEvidence {
  criteria: LiveCriteria;
  accounts: AwsAccountEvidence[];
  scopes: AwsScope[];
  calls: AwsCallRecord[];
  unavailable: AwsUnavailable[];
}

/** Config key `aws` (normalised). */
export interface AwsConfig {
  enabled: boolean;
  /** Named profile for the standard credential chain; absent = env, SSO, instance role … */
  profile?: string;
  regions: string[];
  /** Account ids, or `organization` to discover the active accounts with organizations:ListAccounts. */
  accounts: string[] | 'organization';
  /** Role assumed in each account (not in the account the tool runs in when the role is absent there). */
  assumeRole?: { roleName: string; externalId?: string; sessionName?: string };
  /** Accounts and regions read at the same time. */
  concurrency: number;
  maxAttempts: number;
  /** An alarm that notifies must enter ALARM within this many minutes of each activation (live check). */
  alarmWithinMinutes: number;
  /** The latest log and digest deliveries may be at most this old when read (live check). */
  deliveryMaxAgeHours: number;
  digestMaxAgeHours: number;
}

/** What the live checks measure against, kept with the evidence so the pack says it. */
export interface LiveCriteria {
  /** When the live state was read: delivery ages are measured from here. */
  collectedAt: string;
  alarmWithinMinutes: number;
  deliveryMaxAgeHours: number;
  digestMaxAgeHours: number;
}

/** One attribute where the IaC declaration and the live resource disagree. */
export interface ResourceDrift {
  type: string;
  /** Resource name (trail, alarm, bucket …) used to pair the IaC and the live entity. */
  name: string;
  attribute: string;
  iac: string;
  live: string;
  account?: string;
  region?: string;
  iacAt: string;
  liveAt: string;
}

/** A check whose verdict on IaC differs from its verdict on one live account and region. */
export interface CheckDrift {
  check: string;
  iac: string;
  live: { account: string; region: string; status: string; reason: string }[];
}

/** The Report's drift section: controls (requirements) where IaC and live state disagree, and why. */
export interface DriftReport {
  compared: { iac: string[]; live: string[] };
  controls: { id: string; text: string; checks: CheckDrift[] }[];
  resources: ResourceDrift[];
  /** Declared in IaC, not found live in any read account and region (or the reverse). */
  missing: { type: string; name: string; side: 'live' | 'iac'; at: string }[];
  /** Pairs not compared because a side was unknown (failed call, unset variable …). */
  notCompared: string[];
}
