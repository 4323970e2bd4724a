// Live AWS evidence for the live checks' tables, in the collector's own shape (the collector itself is tested
// against moto): one account and region unless told otherwise, with the live areas' coverage as collectAll records it.

import { liveCoverage } from '../../src/collect/aws/index.js';
import { readTrustPolicy, type PolicyValue } from '../../src/collect/iam-trust.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import type { AlarmFiring, AwsLiveEvidence, AwsScope, AwsUnavailable, BreakGlassRoleLive, LookedUpActivation, PermissionSetLive, SecretLive, TrailStatusLive } from '../../src/model/aws.js';
import type { Alarm, MetricFilter, Unknown } from '../../src/model/infra.js';
import type { Period } from '../../src/model/period.js';
import { baseEvidence } from './evidence.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-central-1';

export interface LiveCase {
  collectedAt?: string;
  alarmWithinMinutes?: number;
  trailStatus?: TrailStatusLive[];
  alarms?: Alarm[];
  /** Metric filters beside the alarms (what an alarm's metric counts). */
  filters?: MetricFilter[];
  firings?: AlarmFiring[] | Unknown;
  activations?: LookedUpActivation[] | Unknown;
  secrets?: SecretLive[];
  roles?: BreakGlassRoleLive[];
  permissionSets?: PermissionSetLive[];
  unavailable?: AwsUnavailable[];
  /** No account could be read (e.g. ListAccounts denied). */
  noAccounts?: boolean;
}

const at = (api: string) => ({ api, account: ACCOUNT, region: REGION });

export function alarm(name: string, o: { actionsEnabled?: boolean; actions?: string[]; metric?: string } = {}): Alarm {
  const a = at('monitoring:DescribeAlarms');
  const known = <T>(value: T) => ({ value, at: a });
  return { type: 'alarm', id: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`, origin: 'aws-live', resourceType: 'AWS::CloudWatch::Alarm', at: a, account: ACCOUNT, region: REGION, name: known(name), metricName: known(o.metric ?? 'M'), namespace: known('N'), actions: known((o.actions ?? [`arn:aws:sns:${REGION}:${ACCOUNT}:alerts`]).map((n) => ({ name: n }))), actionsEnabled: known(o.actionsEnabled ?? true) };
}

/** A metric filter on the trail's log group counting `pattern`'s matches as metric N/`metric`. */
export function metricFilter(name: string, pattern: string, metric: string): MetricFilter {
  const a = at('logs:DescribeMetricFilters');
  const known = <T>(value: T) => ({ value, at: a });
  return { type: 'metric-filter', id: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/org:metric-filter:${name}`, origin: 'aws-live', resourceType: 'AWS::Logs::MetricFilter', at: a, account: ACCOUNT, region: REGION, name: known(name), pattern: known(pattern), logGroup: known({ name: '/aws/cloudtrail/org' }), metrics: known([{ name: metric, namespace: 'N' }]) };
}

export function trail(o: Partial<TrailStatusLive> = {}): TrailStatusLive {
  return { trailArn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org-trail`, name: 'org-trail', logFileValidation: true, isLogging: true, startLoggingTime: '2026-01-01T00:00:00.000Z', latestDeliveryTime: '2026-09-30T23:50:00.000Z', latestDigestDeliveryTime: '2026-09-30T23:30:00.000Z', ...o };
}

export function activation(id: string, eventTime: string, principal = `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlassAdmin/alice`): LookedUpActivation {
  return { eventId: id, eventTime, eventName: 'AssumeRole', principal, account: ACCOUNT, region: REGION };
}

export function role(name: string, trust: object | string, maxSessionDurationSeconds = 3600): BreakGlassRoleLive {
  const parsed = typeof trust === 'string' ? undefined : trust;
  return { arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, name, maxSessionDurationSeconds, trustPolicy: trust, trust: parsed ? readTrustPolicy(parsed as PolicyValue) : { unknown: 'the trust policy IAM returned is not JSON' } };
}

export function liveState(c: LiveCase = {}): AwsLiveEvidence {
  const scope: AwsScope = {
    account: ACCOUNT,
    region: REGION,
    enabled: true,
    snapshot: { origin: 'aws-live', root: `aws:${ACCOUNT}/${REGION}`, entities: [...(c.alarms ?? []), ...(c.filters ?? [])], files: [], problems: [] },
    trailStatus: c.trailStatus ?? [trail()],
    alarmFirings: c.firings ?? [],
    publicKeys: [],
    activations: c.activations ?? [],
    secrets: c.secrets ?? [],
  };
  return {
    criteria: { collectedAt: c.collectedAt ?? '2026-10-01T00:00:00.000Z', alarmWithinMinutes: c.alarmWithinMinutes ?? 15, deliveryMaxAgeHours: 24, digestMaxAgeHours: 2 },
    accounts: c.noAccounts ? [] : [{ account: ACCOUNT, identity: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/EvidencePackReadOnly/evidence-pack`, userId: 'AROAEXAMPLE:evidence-pack' }, roles: c.roles ?? [], users: [], permissionSets: c.permissionSets ?? [] }],
    scopes: c.noAccounts ? [] : [scope],
    calls: [],
    unavailable: c.unavailable ?? [],
  };
}

/** Evidence with live state only (and whatever `over` adds: CloudTrail logs, break-glass declarations …). */
export function withLive(c: LiveCase = {}, over: Partial<EvidenceSet> & { period?: Period } = {}): () => EvidenceSet {
  return () => {
    const live = liveState(c);
    return baseEvidence({ live: { state: 'collected', value: live }, coverage: liveCoverage({ state: 'collected', value: live }, ['test']), breakGlass: { roles: ['arn:aws:iam::*:role/BreakGlass*'], users: [], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: true, secrets: ['break-glass/root'] }, breakGlassDeclared: true, ...over });
  };
}

/** A failed call as the collector records it (area from the registry). */
export function denied(api: string, area: AwsUnavailable['area'], code = 'AccessDeniedException'): AwsUnavailable {
  return { api, account: ACCOUNT, region: REGION, code, message: `User is not authorized to perform: ${api}`, area };
}
