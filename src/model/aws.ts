// Live AWS evidence: what the API calls returned per account and region, and which calls failed and why.

import type { InfraSnapshot, Unknown } from './infra.js';

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
}

export interface TrailStatusLive {
  trailArn: string;
  isLogging: boolean;
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
  /** Every Allow statement of the trust policy requires MFA (aws:MultiFactorAuthPresent / MultiFactorAuthAge). */
  mfaRequired: boolean;
  trustPolicy: unknown;
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
  alarmFirings: AlarmFiring[] | Unknown;
  publicKeys: { fingerprint: string; validityStart?: string; validityEnd?: string }[] | Unknown;
  activations: LookedUpActivation[] | Unknown;
  /** For each activation found with LookupEvents: the first alarm that entered ALARM within the hour after it. */
  activationAlarms: { eventId: string; alarmName: string | null; minutesAfter: number | null }[] | Unknown;
  secrets: SecretLive[];
}

export interface AwsAccountEvidence {
  account: string;
  /** sts:GetCallerIdentity in this account (after assuming the role, when one is configured). */
  identity: { arn: string; userId: string } | Unknown;
  roles: BreakGlassRoleLive[];
  users: BreakGlassUserLive[];
}

export interface AwsLiveEvidence {
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
