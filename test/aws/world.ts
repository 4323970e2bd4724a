// A fake AWS organisation behind SDK-level mocks (aws-sdk-client-mock): responses shaped as the AWS API reference documents them.

import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { CloudTrailClient, CloudTrailServiceException, DescribeTrailsCommand, GetTrailStatusCommand, GetEventSelectorsCommand, LookupEventsCommand, ListPublicKeysCommand, StartQueryCommand, GetQueryResultsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, CloudWatchServiceException, DescribeAlarmsCommand, DescribeAlarmHistoryCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CloudWatchLogsServiceException, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient, SNSServiceException, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { S3Client, S3ServiceException, GetPublicAccessBlockCommand, GetBucketPolicyStatusCommand, GetBucketVersioningCommand, GetObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { S3ControlClient, S3ControlServiceException, GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { IAMClient, IAMServiceException, GetRoleCommand, ListRolesCommand, ListAccessKeysCommand, GetLoginProfileCommand } from '@aws-sdk/client-iam';
import { SecretsManagerClient, SecretsManagerServiceException, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { STSClient, STSServiceException, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { OrganizationsClient, OrganizationsServiceException, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { sdkClientFactory, type AwsClientFactory } from '../../src/collect/aws/collect.js';
import type { AwsCall } from '../../src/collect/aws/calls.js';
import type { AwsConfig } from '../../src/model/aws.js';
import type { BreakGlassConfig } from '../../src/config/load.js';
import { period } from '../cloudtrail/helpers.js';

export const CALLER = '111111111111';
export const MEMBER = '222222222222';
export const HOME = 'eu-west-1';
export const OTHER = 'eu-central-1';
export const QUARTER = period('2026-07-01', '2026-09-30');
export const NOW = () => new Date('2026-10-01T00:00:00Z');
export const TOPIC = (a: string) => `arn:aws:sns:${HOME}:${a}:break-glass-alerts`;
export const TRAIL = (a: string) => `arn:aws:cloudtrail:${HOME}:${a}:trail/org-trail`;
export const BUCKET = (a: string) => `acme-cloudtrail-${a}`;

export const breakGlass: BreakGlassConfig = {
  roles: [`arn:aws:iam::${'111111111111'}:role/BreakGlassAudit`, 'arn:aws:iam::*:role/BreakGlass*'],
  users: ['breakglass-admin'],
  permissionSets: [],
  allowedCidrs: [],
  rootIsBreakGlass: true,
  secrets: [`arn:aws:secretsmanager:${HOME}:${CALLER}:secret:break-glass/root-mfa-AbCdEf`],
};

export function awsConfig(over: Partial<AwsConfig> = {}): AwsConfig {
  return { enabled: true, regions: [HOME, OTHER], accounts: [CALLER], concurrency: 2, maxAttempts: 3, ...over };
}

type Ex = new (o: { name: string; $fault: 'client' | 'server'; $metadata: object; message: string }) => Error;

/** An error as the SDK surfaces it: the service's exception class with AWS's error code as name. */
export function awsError(cls: Ex, name: string, message: string, status = 400): Error {
  return new cls({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: 'c0ffee00-0000-4000-8000-000000000000', attempts: 1 }, message });
}

/** Per API: the SDK client class, the command, and the service's exception class. */
export const API: Record<AwsCall, { client: any; command: any; ex: Ex; accessDenied: string; throttling: string }> = {
  'sts:GetCallerIdentity': { client: STSClient, command: GetCallerIdentityCommand, ex: STSServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'sts:AssumeRole': { client: STSClient, command: AssumeRoleCommand, ex: STSServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'organizations:ListAccounts': { client: OrganizationsClient, command: ListAccountsCommand, ex: OrganizationsServiceException, accessDenied: 'AccessDeniedException', throttling: 'TooManyRequestsException' },
  'cloudtrail:DescribeTrails': { client: CloudTrailClient, command: DescribeTrailsCommand, ex: CloudTrailServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'cloudtrail:GetTrailStatus': { client: CloudTrailClient, command: GetTrailStatusCommand, ex: CloudTrailServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'cloudtrail:GetEventSelectors': { client: CloudTrailClient, command: GetEventSelectorsCommand, ex: CloudTrailServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'cloudtrail:LookupEvents': { client: CloudTrailClient, command: LookupEventsCommand, ex: CloudTrailServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'cloudtrail:ListPublicKeys': { client: CloudTrailClient, command: ListPublicKeysCommand, ex: CloudTrailServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'cloudtrail:StartQuery': { client: CloudTrailClient, command: StartQueryCommand, ex: CloudTrailServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'cloudtrail:GetQueryResults': { client: CloudTrailClient, command: GetQueryResultsCommand, ex: CloudTrailServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'monitoring:DescribeAlarms': { client: CloudWatchClient, command: DescribeAlarmsCommand, ex: CloudWatchServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'monitoring:DescribeAlarmHistory': { client: CloudWatchClient, command: DescribeAlarmHistoryCommand, ex: CloudWatchServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'logs:DescribeMetricFilters': { client: CloudWatchLogsClient, command: DescribeMetricFiltersCommand, ex: CloudWatchLogsServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
  'sns:ListSubscriptionsByTopic': { client: SNSClient, command: ListSubscriptionsByTopicCommand, ex: SNSServiceException, accessDenied: 'AuthorizationError', throttling: 'Throttling' },
  's3:GetPublicAccessBlock': { client: S3Client, command: GetPublicAccessBlockCommand, ex: S3ServiceException, accessDenied: 'AccessDenied', throttling: 'SlowDown' },
  's3control:GetPublicAccessBlock': { client: S3ControlClient, command: GetAccountPublicAccessBlockCommand, ex: S3ControlServiceException, accessDenied: 'AccessDenied', throttling: 'SlowDown' },
  's3:GetBucketPolicyStatus': { client: S3Client, command: GetBucketPolicyStatusCommand, ex: S3ServiceException, accessDenied: 'AccessDenied', throttling: 'SlowDown' },
  's3:GetBucketVersioning': { client: S3Client, command: GetBucketVersioningCommand, ex: S3ServiceException, accessDenied: 'AccessDenied', throttling: 'SlowDown' },
  's3:GetObjectLockConfiguration': { client: S3Client, command: GetObjectLockConfigurationCommand, ex: S3ServiceException, accessDenied: 'AccessDenied', throttling: 'SlowDown' },
  'iam:GetRole': { client: IAMClient, command: GetRoleCommand, ex: IAMServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'iam:ListRoles': { client: IAMClient, command: ListRolesCommand, ex: IAMServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'iam:ListAccessKeys': { client: IAMClient, command: ListAccessKeysCommand, ex: IAMServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'iam:GetLoginProfile': { client: IAMClient, command: GetLoginProfileCommand, ex: IAMServiceException, accessDenied: 'AccessDenied', throttling: 'Throttling' },
  'secretsmanager:DescribeSecret': { client: SecretsManagerClient, command: DescribeSecretCommand, ex: SecretsManagerServiceException, accessDenied: 'AccessDeniedException', throttling: 'ThrottlingException' },
};

/** Who is asking: the region of the client and the account behind its credentials (ASIA + account id). */
async function whereOf(getClient: () => any): Promise<{ account: string; region: string }> {
  const cfg = getClient().config;
  const region = await cfg.region();
  const creds = await cfg.credentials();
  return { account: String(creds.accessKeyId).slice(4), region };
}

/** Clients built by the real factory, with credentials that name the account (the mocks read them back). */
export const testClients: AwsClientFactory = (service, region, credentials) =>
  sdkClientFactory()(service, region, credentials ?? { accessKeyId: `ASIA${CALLER}`, secretAccessKey: 'test-secret-not-real' });

const trustPolicy = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] }));

export interface WorldOptions {
  /** Live differences from the healthy world. */
  trailMultiRegion?: boolean;
  alarmActionsEnabled?: boolean;
  /** Regions (per account) that answer UnrecognizedClientException. */
  disabledRegions?: string[];
  /** Called before each send: may throw to inject a fault. */
  fault?: (api: AwsCall, input: any, where: { account: string; region: string }) => void;
  /** Delay per call, to observe concurrency. */
  delayMs?: number;
}

export interface World {
  mocks: Map<any, AwsStub<any, any, any>>;
  /** Most calls in flight at once. */
  maxInFlight: number;
  restore(): void;
}

/** Installs handlers for every API in API. */
export function installWorld(opts: WorldOptions = {}): World {
  const mocks = new Map<any, AwsStub<any, any, any>>();
  const world: World = { mocks, maxInFlight: 0, restore: () => mocks.forEach((m) => m.restore()) };
  let inFlight = 0;
  const handlers = responses(opts);
  for (const [api, def] of Object.entries(API) as [AwsCall, (typeof API)[AwsCall]][]) {
    if (!mocks.has(def.client)) mocks.set(def.client, mockClient(def.client));
    mocks.get(def.client)!.on(def.command).callsFake(async (input: any, getClient: () => any) => {
      const where = await whereOf(getClient);
      inFlight++;
      world.maxInFlight = Math.max(world.maxInFlight, inFlight);
      try {
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        if (opts.disabledRegions?.includes(where.region) && !api.startsWith('sts:') && !api.startsWith('iam:') && !api.startsWith('organizations:'))
          throw awsError(def.ex, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
        opts.fault?.(api, input, where);
        return handlers[api](input, where);
      } finally {
        inFlight--;
      }
    });
  }
  return world;
}

const d = (s: string) => new Date(s);

function responses(opts: WorldOptions): Record<AwsCall, (input: any, w: { account: string; region: string }) => any> {
  return {
    'sts:GetCallerIdentity': (_i, w) => ({ UserId: 'AROAEXAMPLEID:evidence-pack', Account: w.account, Arn: `arn:aws:sts::${w.account}:assumed-role/EvidencePackReadOnly/evidence-pack` }),
    'sts:AssumeRole': (i) => {
      const account = String(i.RoleArn).split(':')[4];
      return { Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 'assumed-secret-not-real', SessionToken: 'token-not-real', Expiration: d('2026-10-01T01:00:00Z') }, AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:evidence-pack', Arn: `arn:aws:sts::${account}:assumed-role/EvidencePackReadOnly/evidence-pack` } };
    },
    'organizations:ListAccounts': (i) =>
      i.NextToken === 'page-2'
        ? { Accounts: [{ Id: MEMBER, Arn: `arn:aws:organizations::${CALLER}:account/o-example/${MEMBER}`, Email: 'member@example.com', Name: 'member', Status: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: d('2024-01-01T00:00:00Z') }, { Id: '333333333333', Arn: `arn:aws:organizations::${CALLER}:account/o-example/333333333333`, Email: 'gone@example.com', Name: 'gone', Status: 'SUSPENDED', JoinedMethod: 'INVITED', JoinedTimestamp: d('2023-01-01T00:00:00Z') }] }
        : { Accounts: [{ Id: CALLER, Arn: `arn:aws:organizations::${CALLER}:account/o-example/${CALLER}`, Email: 'mgmt@example.com', Name: 'management', Status: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: d('2023-01-01T00:00:00Z') }], NextToken: 'page-2' },
    // The trail lives in HOME; DescribeTrails with includeShadowTrails returns it in every region.
    'cloudtrail:DescribeTrails': (_i, w) => ({
      trailList: [
        {
          Name: 'org-trail',
          S3BucketName: BUCKET(w.account),
          IncludeGlobalServiceEvents: true,
          IsMultiRegionTrail: opts.trailMultiRegion ?? true,
          HomeRegion: HOME,
          TrailARN: TRAIL(w.account),
          LogFileValidationEnabled: true,
          CloudWatchLogsLogGroupArn: `arn:aws:logs:${HOME}:${w.account}:log-group:cloudtrail:*`,
          CloudWatchLogsRoleArn: `arn:aws:iam::${w.account}:role/CloudTrailToCloudWatch`,
          HasCustomEventSelectors: false,
          HasInsightSelectors: false,
          IsOrganizationTrail: false,
        },
      ],
    }),
    'cloudtrail:GetTrailStatus': () => ({ IsLogging: true, LatestDeliveryTime: d('2026-09-30T23:55:00Z'), StartLoggingTime: d('2024-01-01T00:00:00Z'), LatestDigestDeliveryTime: d('2026-09-30T23:00:00Z'), LatestDeliveryAttemptTime: '2026-09-30T23:55:00Z', LatestDeliveryAttemptSucceeded: '2026-09-30T23:55:00Z', TimeLoggingStarted: '2024-01-01T00:00:00Z' }),
    'cloudtrail:GetEventSelectors': (_i, w) => ({ TrailARN: TRAIL(w.account), EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] }),
    'cloudtrail:LookupEvents': (i, w) => {
      if (i.LookupAttributes?.[0]?.AttributeValue !== 'AssumeRole') return { Events: [] };
      const ev = (id: string, role: string, t: string) => ({
        EventId: id,
        EventName: 'AssumeRole',
        ReadOnly: 'true',
        EventTime: d(t),
        EventSource: 'sts.amazonaws.com',
        Username: 'alice',
        Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: `arn:aws:iam::${w.account}:role/${role}` }],
        CloudTrailEvent: JSON.stringify({ eventVersion: '1.08', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${w.account}:user/alice`, accountId: w.account, userName: 'alice' }, eventTime: t.replace('.000', ''), eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', awsRegion: w.region, sourceIPAddress: '203.0.113.10', requestParameters: { roleArn: `arn:aws:iam::${w.account}:role/${role}`, roleSessionName: 'alice' }, responseElements: { assumedRoleUser: { arn: `arn:aws:sts::${w.account}:assumed-role/${role}/alice` } }, eventID: id, recipientAccountId: w.account }),
      });
      return i.NextToken === 'p2' ? { Events: [ev(`${w.region}-e2`, 'ReadOnly', '2026-09-02T10:00:00.000Z')] } : { Events: [ev(`${w.region}-e1`, 'BreakGlassAdmin', '2026-09-01T10:00:00.000Z')], NextToken: 'p2' };
    },
    'cloudtrail:ListPublicKeys': (i) => (i.NextToken ? { PublicKeyList: [{ Value: new Uint8Array([2]), ValidityStartTime: d('2026-08-01T00:00:00Z'), ValidityEndTime: d('2026-10-01T00:00:00Z'), Fingerprint: 'fp-2' }] } : { PublicKeyList: [{ Value: new Uint8Array([1]), ValidityStartTime: d('2026-06-01T00:00:00Z'), ValidityEndTime: d('2026-08-01T00:00:00Z'), Fingerprint: 'fp-1' }], NextToken: 'k2' }),
    'cloudtrail:StartQuery': () => ({ QueryId: 'q-0001' }),
    'cloudtrail:GetQueryResults': () => ({ QueryStatus: 'FINISHED', QueryStatistics: { ResultsCount: 0, TotalResultsCount: 0, BytesScanned: 0 }, QueryResultRows: [] }),
    'monitoring:DescribeAlarms': (i, w) => {
      const alarm = (name: string, metric: string) => ({
        AlarmName: name,
        AlarmArn: `arn:aws:cloudwatch:${w.region}:${w.account}:alarm:${name}`,
        AlarmDescription: `${name} (CIS)`,
        ActionsEnabled: opts.alarmActionsEnabled ?? true,
        OKActions: [],
        AlarmActions: [TOPIC(w.account)],
        InsufficientDataActions: [],
        StateValue: 'OK',
        StateReason: 'Threshold Crossed',
        MetricName: metric,
        Namespace: 'CISBenchmark',
        Statistic: 'Sum',
        Dimensions: [],
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      if (w.region !== HOME) return { MetricAlarms: [], CompositeAlarms: [] };
      return i.NextToken === 'a2' ? { MetricAlarms: [alarm('iam-policy-changes', 'IAMPolicyChanges')], CompositeAlarms: [] } : { MetricAlarms: [alarm('root-usage', 'RootAccountUsage')], CompositeAlarms: [], NextToken: 'a2' };
    },
    'monitoring:DescribeAlarmHistory': (_i, w) =>
      w.region !== HOME
        ? { AlarmHistoryItems: [] }
        : { AlarmHistoryItems: [{ AlarmName: 'root-usage', AlarmType: 'MetricAlarm', Timestamp: d('2026-09-01T10:03:00Z'), HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from OK to ALARM', HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'OK', stateReason: 'Threshold Crossed' }, newState: { stateValue: 'ALARM', stateReason: 'Threshold Crossed: 1 datapoint [1.0] was greater than or equal to the threshold (1.0).' } }) }, { AlarmName: 'root-usage', AlarmType: 'MetricAlarm', Timestamp: d('2026-09-01T10:13:00Z'), HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from ALARM to OK', HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'ALARM' }, newState: { stateValue: 'OK' } }) }] },
    'logs:DescribeMetricFilters': (i, w) => {
      const f = (name: string, pattern: string, metric: string) => ({ filterName: name, filterPattern: pattern, metricTransformations: [{ metricName: metric, metricNamespace: 'CISBenchmark', metricValue: '1' }], creationTime: 1704067200000, logGroupName: 'cloudtrail' });
      if (w.region !== HOME) return { metricFilters: [] };
      return i.nextToken === 'f2'
        ? { metricFilters: [f('iam-policy-changes', '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}', 'IAMPolicyChanges')] }
        : { metricFilters: [f('root-usage', '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', 'RootAccountUsage')], nextToken: 'f2' };
    },
    'sns:ListSubscriptionsByTopic': (i, w) =>
      i.NextToken === 's2'
        ? { Subscriptions: [{ SubscriptionArn: `${TOPIC(w.account)}:6b0e71bd-7e97-4d97-80ce-4a0994e55286`, Owner: w.account, Protocol: 'email', Endpoint: 'secops@example.com', TopicArn: TOPIC(w.account) }] }
        : { Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Owner: w.account, Protocol: 'email', Endpoint: 'new@example.com', TopicArn: TOPIC(w.account) }], NextToken: 's2' },
    's3:GetPublicAccessBlock': () => ({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
    's3control:GetPublicAccessBlock': () => ({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
    's3:GetBucketPolicyStatus': () => ({ PolicyStatus: { IsPublic: false } }),
    's3:GetBucketVersioning': () => ({ Status: 'Enabled', MFADelete: 'Disabled' }),
    's3:GetObjectLockConfiguration': () => ({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } } }),
    'iam:GetRole': (i, w) => ({ Role: { Path: '/', RoleName: i.RoleName, RoleId: 'AROAEXAMPLEBREAKGLASS', Arn: `arn:aws:iam::${w.account}:role/${i.RoleName}`, CreateDate: d('2024-01-01T00:00:00Z'), AssumeRolePolicyDocument: trustPolicy, MaxSessionDuration: 3600 } }),
    'iam:ListRoles': (i, w) => {
      const role = (name: string) => ({ Path: '/', RoleName: name, RoleId: `AROA${name.toUpperCase()}`, Arn: `arn:aws:iam::${w.account}:role/${name}`, CreateDate: d('2024-01-01T00:00:00Z'), AssumeRolePolicyDocument: trustPolicy, MaxSessionDuration: 3600 });
      return i.Marker === 'r2' ? { Roles: [role('BreakGlassAdmin')], IsTruncated: false } : { Roles: [role('ReadOnly')], IsTruncated: true, Marker: 'r2' };
    },
    'iam:ListAccessKeys': (i) => (i.Marker === 'k2' ? { AccessKeyMetadata: [{ UserName: i.UserName, AccessKeyId: 'AKIAEXAMPLEKEY2', Status: 'Inactive', CreateDate: d('2025-01-01T00:00:00Z') }], IsTruncated: false } : { AccessKeyMetadata: [], IsTruncated: true, Marker: 'k2' }),
    'iam:GetLoginProfile': () => {
      throw awsError(IAMServiceException, 'NoSuchEntity', 'Login Profile for User breakglass-admin cannot be found.', 404);
    },
    'secretsmanager:DescribeSecret': (i) => ({ ARN: i.SecretId, Name: 'break-glass/root-mfa', RotationEnabled: true, RotationLambdaARN: `arn:aws:lambda:${HOME}:${CALLER}:function:rotate`, RotationRules: { AutomaticallyAfterDays: 30 }, LastRotatedDate: d('2026-09-15T00:00:00Z'), LastChangedDate: d('2026-09-15T00:00:00Z'), Tags: [], VersionIdsToStages: {} }),
  };
}
