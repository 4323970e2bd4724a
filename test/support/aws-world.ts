// AWS organisations for tests, built in moto_server through the SDK (Organizations, STS, CloudTrail, S3, CloudWatch,
// Logs, SNS, IAM, Secrets Manager, SSO Admin), plus the few operations moto lacks, answered on the wire as the AWS API
// reference documents them (LookupEvents, ListPublicKeys, DescribeAlarmHistory, GetBucketPolicyStatus, CloudTrail Lake,
// and Athena's query executions: moto accepts them but runs no SQL, so the statements run on DuckDB here).

import { createHash } from 'node:crypto';
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient, CreateAccessKeyCommand, CreateLoginProfileCommand, CreateRoleCommand, CreateUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { OrganizationsClient, CloseAccountCommand, CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { S3Client, CreateBucketCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { S3ControlClient, PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { SecretsManagerClient, CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { SSOAdminClient, CreatePermissionSetCommand, ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { sdkClientFactory, type AwsClientFactory, type AwsService } from '../../src/collect/aws/collect.js';
import { type Moto } from './moto.js';
import { AwsWire, DEFAULT_ACCOUNT, KeyBook, WireError, wireDate, type Emulated, type WireOp, type WireOptions } from './aws-wire.js';

export const HOME = 'eu-west-1';
export const OTHER = 'eu-central-1';
export const CALLER = DEFAULT_ACCOUNT;
const STATIC = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** CIS 4.3 root usage and 4.4 IAM policy changes, as the CIS AWS Foundations Benchmark writes them. */
export const PATTERNS = {
  rootUsage: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  iamPolicyChanges:
    '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  breakGlassAssumeRole: '{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "*:role/BreakGlass*") }',
};

export interface AlarmSpec {
  name: string;
  pattern: string;
  metric: string;
  /** Notify the account's topic. */
  notify: boolean;
  actionsEnabled?: boolean;
}

export interface AccountSpec {
  trail:
    | {
        name: string;
        multiRegion: boolean;
        logFileValidation: boolean;
        globalServiceEvents: boolean;
        logging: boolean;
        managementEvents: boolean;
        /** Deliver to the account's log group (CloudWatch Logs). */
        logGroup: boolean;
      }
    | false;
  bucket: { objectLock: boolean; publicAccessBlock: boolean; publicPolicy: boolean };
  accountPublicAccessBlock: boolean;
  alarms: AlarmSpec[];
  /** Subscriptions of the alarm topic; `confirmed: false` is shown as PendingConfirmation (moto confirms every one). */
  subscriptions: { protocol: 'email'; endpoint: string; confirmed: boolean }[];
  roles: { name: string; mfa: boolean; maxSessionDuration: number }[];
  users: { name: string; accessKeys: ('Active' | 'Inactive')[]; loginProfile: boolean }[];
  /** Break-glass secrets in HOME; `rotated` = RotateSecret after creation. */
  secrets: { name: string; rotated: boolean }[];
  /** IAM Identity Center permission sets in the account's instance (HOME). */
  permissionSets?: { name: string; sessionDuration: string }[];
  /** Volume, so that listing takes more than one page: roles `ReadOnly-<n>`, subscriptions `ops-<n>@example.com`. */
  bulk?: { roles?: number; subscriptions?: number };
}

/** A healthy account: multi-region validated trail, locked private bucket, CIS alarms that notify, MFA-only break-glass role. */
export function compliantAccount(over: Partial<AccountSpec> = {}): AccountSpec {
  return {
    trail: { name: 'org-trail', multiRegion: true, logFileValidation: true, globalServiceEvents: true, logging: true, managementEvents: true, logGroup: true },
    bucket: { objectLock: true, publicAccessBlock: true, publicPolicy: false },
    accountPublicAccessBlock: true,
    alarms: [
      { name: 'root-usage', pattern: PATTERNS.rootUsage, metric: 'RootAccountUsage', notify: true },
      { name: 'iam-policy-changes', pattern: PATTERNS.iamPolicyChanges, metric: 'IAMPolicyChanges', notify: true },
    ],
    subscriptions: [{ protocol: 'email', endpoint: 'secops@example.com', confirmed: true }],
    roles: [{ name: 'BreakGlassAdmin', mfa: true, maxSessionDuration: 3600 }],
    users: [{ name: 'breakglass-admin', accessKeys: ['Inactive'], loginProfile: false }],
    secrets: [{ name: 'break-glass/root-mfa', rotated: true }],
    permissionSets: [{ name: 'BreakGlass', sessionDuration: 'PT1H' }],
    ...over,
  };
}

export const bucketName = (account: string) => `acme-cloudtrail-${account}`;
export const topicArn = (account: string, region = HOME) => `arn:aws:sns:${region}:${account}:break-glass-alerts`;
export const LOG_GROUP = 'cloudtrail';

/** A CloudTrail record (the documented event format) for the emulated LookupEvents. */
export interface TrailEvent {
  eventVersion: string;
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  recipientAccountId: string;
  userIdentity: Record<string, unknown>;
  readOnly?: boolean;
  [k: string]: unknown;
}

/** A break-glass role assumption by `user` in `account`, as CloudTrail records AssumeRole. */
export function assumeRoleEvent(o: { id: string; time: string; account: string; role: string; region?: string; user?: string; errorCode?: string }): TrailEvent {
  const user = o.user ?? 'alice';
  return {
    eventVersion: '1.08',
    eventID: o.id,
    eventTime: o.time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: o.region ?? HOME,
    recipientAccountId: o.account,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${o.account}:user/${user}`, accountId: o.account, accessKeyId: 'AKIAEXAMPLEALICE', userName: user },
    requestParameters: { roleArn: `arn:aws:iam::${o.account}:role/${o.role}`, roleSessionName: user },
    responseElements: o.errorCode ? null : { assumedRoleUser: { assumedRoleId: `AROAEXAMPLE:${user}`, arn: `arn:aws:sts::${o.account}:assumed-role/${o.role}/${user}` } },
    resources: [{ ARN: `arn:aws:iam::${o.account}:role/${o.role}`, accountId: o.account, type: 'AWS::IAM::Role' }],
    ...(o.errorCode ? { errorCode: o.errorCode, errorMessage: 'not authorized' } : {}),
  };
}

/** A console sign-in, as CloudTrail records ConsoleLogin (root when `user` is absent). */
export function consoleLoginEvent(o: { id: string; time: string; account: string; user?: string; outcome?: 'Success' | 'Failure'; mfa?: boolean; region?: string }): TrailEvent {
  const identity = o.user ? { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${o.account}:user/${o.user}`, accountId: o.account, userName: o.user } : { type: 'Root', principalId: o.account, arn: `arn:aws:iam::${o.account}:root`, accountId: o.account };
  return {
    eventVersion: '1.09',
    eventID: o.id,
    eventTime: o.time,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: o.region ?? 'us-east-1',
    recipientAccountId: o.account,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'Mozilla/5.0',
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    userIdentity: identity,
    responseElements: { ConsoleLogin: o.outcome ?? 'Success' },
    additionalEventData: { MFAUsed: o.mfa === false ? 'No' : 'Yes', LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No' },
    ...(o.outcome === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
  };
}

/** One CloudWatch state change, as DescribeAlarmHistory reports it (HistoryItemType StateUpdate). */
export interface AlarmTransition {
  account: string;
  region: string;
  alarmName: string;
  at: string;
  from: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  to: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

/** The state AWS keeps that moto does not: what the emulated operations answer from. */
export interface EmulatedState {
  events: TrailEvent[];
  alarmHistory: AlarmTransition[];
  /** CloudTrail digest-signing keys per region: DER (PKCS#1) bytes and validity. */
  publicKeys: { region: string; value: Uint8Array; start: string; end: string }[];
  /** Subscription endpoints shown as PendingConfirmation. */
  unconfirmed: Set<string>;
  lake: { eventDataStores: string[]; rows: (statement: string) => Record<string, string>[] };
  /**
   * Athena: runs a statement (on DuckDB, test/support/athena.ts) and answers its columns and rows (NULL: null); a
   * thrown error is the query FAILED with that reason. `states` are the states GetQueryExecution reports before the last.
   */
  athena: { workgroups: string[]; run: (sql: string) => Promise<{ columns: string[]; rows: (string | null)[][] }>; states?: string[]; finalState?: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; scannedBytes?: number };
}

export interface World {
  moto: Moto;
  keys: KeyBook;
  /** Organisation accounts, caller first. */
  accounts: string[];
  members: string[];
  regions: string[];
  state: EmulatedState;
  /** The wire for one collection (fresh counters, the given policy and faults). */
  wire(opts?: WireOptions): AwsWire;
  /** Real SDK clients (the collector's own factory) that reach moto through `wire`. */
  clients(wire: AwsWire): AwsClientFactory;
}

/** SDK clients through `wire` to moto: endpoint per client, path-style S3, S3 Control's account host prefix kept on loopback. */
export function motoClientFactory(moto: Moto, wire: AwsWire): AwsClientFactory {
  const s3control = moto.endpoint.replace('127.0.0.1', 'localhost');
  return sdkClientFactory(undefined, (service: AwsService) => ({ endpoint: service === 's3control' ? s3control : moto.endpoint, forcePathStyle: true, requestHandler: wire, credentials: STATIC }));
}

const pageToken = (offset: number, input: object) => Buffer.from(JSON.stringify({ offset, of: createHash('sha256').update(JSON.stringify({ ...input, NextToken: undefined })).digest('hex').slice(0, 16) })).toString('base64');

/** Reads a NextToken issued for the same request parameters; anything else is the API's invalid-token error. */
function readToken(input: Record<string, any>, code: string): number {
  if (!input.NextToken) return 0;
  try {
    const t = JSON.parse(Buffer.from(String(input.NextToken), 'base64').toString('utf8')) as { offset: number; of: string };
    if (t.of !== createHash('sha256').update(JSON.stringify({ ...input, NextToken: undefined })).digest('hex').slice(0, 16)) throw new Error('other request');
    return t.offset;
  } catch {
    throw new WireError(code, 'Invalid NextToken');
  }
}

function page<T>(items: T[], input: Record<string, any>, size: number, code: string): { items: T[]; NextToken?: string } {
  const offset = readToken(input, code);
  const slice = items.slice(offset, offset + size);
  return { items: slice, NextToken: offset + size < items.length ? pageToken(offset + size, input) : undefined };
}

/** Is a bucket policy public? AWS's rule in its simplest form: an Allow to Principal "*" without a Condition. */
function policyIsPublic(policy: string): boolean {
  const doc = JSON.parse(policy) as { Statement?: { Effect?: string; Principal?: unknown; Condition?: unknown }[] | object };
  const stmts = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement as never] : [];
  return stmts.some((s: { Effect?: string; Principal?: unknown; Condition?: unknown }) => s.Effect === 'Allow' && !s.Condition && (s.Principal === '*' || (typeof s.Principal === 'object' && s.Principal !== null && [(s.Principal as { AWS?: unknown }).AWS].flat().includes('*'))));
}

/** The operations moto lacks, answered from `state` with the shapes and rules of the API reference. */
export function emulations(state: EmulatedState): Record<string, Emulated> {
  let queries = 0;
  const statements = new Map<string, string>();
  const athenaRuns = new Map<string, { sql: string; result?: { columns: string[]; rows: (string | null)[][] }; failure?: string; polls: number }>();
  return {
    // CloudTrail LookupEvents: one attribute at most, newest first, at most 50 per page.
    'cloudtrail:LookupEvents': (op) => {
      const attrs = (op.input.LookupAttributes ?? []) as { AttributeKey: string; AttributeValue: string }[];
      if (attrs.length > 1) throw new WireError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
      const start = wireDate(op.input.StartTime) ?? new Date(0);
      const end = wireDate(op.input.EndTime) ?? new Date(8.64e15);
      if (start > end) throw new WireError('InvalidTimeRangeException', 'Start time must be before end time.');
      const max = op.input.MaxResults ?? 50;
      if (max < 1 || max > 50) throw new WireError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
      const value = (e: TrailEvent, key: string): string[] => {
        const ui = e.userIdentity as { userName?: string; accessKeyId?: string };
        const resources = (e.resources as { ARN?: string; type?: string }[] | undefined) ?? [];
        switch (key) {
          case 'EventId': return [e.eventID];
          case 'EventName': return [e.eventName];
          case 'EventSource': return [e.eventSource];
          case 'ReadOnly': return [String(e.readOnly ?? false)];
          case 'Username': return ui.userName ? [ui.userName] : [];
          case 'AccessKeyId': return ui.accessKeyId ? [ui.accessKeyId] : [];
          case 'ResourceName': return resources.map((r) => r.ARN ?? '');
          case 'ResourceType': return resources.map((r) => r.type ?? '');
          default: throw new WireError('InvalidLookupAttributesException', `Unknown attribute key ${key}`);
        }
      };
      const found = state.events
        .filter((e) => e.recipientAccountId === op.account && e.awsRegion === op.region)
        .filter((e) => attrs.every((a) => value(e, a.AttributeKey).includes(a.AttributeValue)))
        .filter((e) => new Date(e.eventTime) >= start && new Date(e.eventTime) <= end)
        .sort((a, b) => b.eventTime.localeCompare(a.eventTime));
      const p = page(found, op.input, max, 'InvalidNextTokenException');
      return {
        Events: p.items.map((e) => ({
          EventId: e.eventID,
          EventName: e.eventName,
          ReadOnly: String(e.readOnly ?? false),
          AccessKeyId: (e.userIdentity as { accessKeyId?: string }).accessKeyId,
          EventTime: new Date(e.eventTime),
          EventSource: e.eventSource,
          Username: (e.userIdentity as { userName?: string }).userName,
          Resources: ((e.resources as { ARN: string; type: string }[] | undefined) ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
          CloudTrailEvent: JSON.stringify(e),
        })),
        NextToken: p.NextToken,
      };
    },
    // CloudTrail ListPublicKeys: keys valid at some time in [StartTime, EndTime].
    'cloudtrail:ListPublicKeys': (op) => {
      const end = wireDate(op.input.EndTime) ?? new Date();
      const start = wireDate(op.input.StartTime) ?? end;
      if (start > end) throw new WireError('InvalidTimeRangeException', 'Start time must be before end time.');
      const keys = state.publicKeys.filter((k) => k.region === op.region && new Date(k.start) <= end && new Date(k.end) >= start).sort((a, b) => a.start.localeCompare(b.start));
      const p = page(keys, op.input, 1, 'InvalidTokenException');
      return {
        PublicKeyList: p.items.map((k) => ({ Value: k.value, ValidityStartTime: new Date(k.start), ValidityEndTime: new Date(k.end), Fingerprint: createHash('md5').update(k.value).digest('hex') })),
        NextToken: p.NextToken,
      };
    },
    // CloudWatch DescribeAlarmHistory: StateUpdate items, by timestamp (descending unless ScanBy says otherwise), 50 per page.
    'monitoring:DescribeAlarmHistory': (op) => {
      const max = op.input.MaxRecords ?? 50;
      if (max < 1 || max > 100) throw new WireError('InvalidParameterValue', 'MaxRecords must be between 1 and 100.');
      const start = wireDate(op.input.StartDate) ?? new Date(0);
      const end = wireDate(op.input.EndDate) ?? new Date(8.64e15);
      const type = op.input.HistoryItemType as string | undefined;
      const items = state.alarmHistory
        .filter((h) => h.account === op.account && h.region === op.region && (!op.input.AlarmName || h.alarmName === op.input.AlarmName) && (!type || type === 'StateUpdate'))
        .filter((h) => new Date(h.at) >= start && new Date(h.at) <= end)
        .sort((a, b) => (op.input.ScanBy === 'TimestampAscending' ? a.at.localeCompare(b.at) : b.at.localeCompare(a.at)));
      const p = page(items, op.input, max, 'InvalidNextToken');
      return {
        AlarmHistoryItems: p.items.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: 'MetricAlarm',
          Timestamp: new Date(h.at),
          HistoryItemType: 'StateUpdate',
          HistorySummary: `Alarm updated from ${h.from} to ${h.to}`,
          HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: h.from, stateReason: 'Threshold Crossed' }, newState: { stateValue: h.to, stateReason: h.to === 'ALARM' ? 'Threshold Crossed: 1 datapoint [1.0 (06/12/26 10:00:00)] was greater than or equal to the threshold (1.0).' : 'Threshold Crossed: no datapoints were received.' } }),
        })),
        NextToken: p.NextToken,
      };
    },
    // S3 GetBucketPolicyStatus: moto's own answer for the bucket's policy (NoSuchBucket, NoSuchBucketPolicy), then IsPublic.
    's3:GetBucketPolicyStatus': async (_op, ctx) => {
      const policy = await ctx.forward({ policy: '' });
      if (policy.status !== 200) return policy.response;
      return { PolicyStatus: { IsPublic: policyIsPublic(policy.text) } };
    },
    // CloudTrail Lake: the FROM table must be a known event data store; queries finish at once.
    'cloudtrail:StartQuery': (op) => {
      const statement = String(op.input.QueryStatement ?? '');
      const table = /\bFROM\s+([A-Za-z0-9-]+)/i.exec(statement.replace(/--[^\n]*/g, ''))?.[1];
      if (!table || !state.lake.eventDataStores.includes(table)) throw new WireError('EventDataStoreNotFoundException', 'The specified event data store was not found.');
      const id = `${String(++queries).padStart(8, '0')}-0000-4000-8000-000000000000`;
      statements.set(id, statement);
      return { QueryId: id };
    },
    // Athena (API reference: StartQueryExecution, GetQueryExecution, GetQueryResults): the statement runs when it is
    // started; GetQueryExecution walks through `states`; results come in pages of MaxResults rows, the first row of
    // the first page holding the column labels, a NULL written as a Datum without VarCharValue.
    'athena:StartQueryExecution': async (op) => {
      const workgroup = String(op.input.WorkGroup ?? 'primary');
      if (!state.athena.workgroups.includes(workgroup)) throw new WireError('InvalidRequestException', `WorkGroup ${workgroup} is not found.`);
      const id = `${String(++queries).padStart(8, '0')}-a7e0-4000-8000-000000000000`;
      let result: Awaited<ReturnType<EmulatedState['athena']['run']>> | undefined;
      let failure: string | undefined;
      try {
        result = await state.athena.run(String(op.input.QueryString ?? ''));
      } catch (e) {
        failure = (e as Error).message.split('\n')[0];
      }
      athenaRuns.set(id, { sql: String(op.input.QueryString), result, failure, polls: 0 });
      return { QueryExecutionId: id };
    },
    'athena:GetQueryExecution': (op) => {
      const run = athenaRuns.get(String(op.input.QueryExecutionId));
      if (!run) throw new WireError('InvalidRequestException', 'QueryExecution is not found');
      const states = state.athena.states ?? [];
      const s = run.polls < states.length ? states[run.polls] : run.failure ? 'FAILED' : (state.athena.finalState ?? 'SUCCEEDED');
      run.polls++;
      return {
        QueryExecution: {
          QueryExecutionId: String(op.input.QueryExecutionId),
          Query: run.sql,
          StatementType: 'DML',
          Status: { State: s, ...(s === 'FAILED' && { StateChangeReason: run.failure ?? 'query failed', AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: run.failure ?? 'query failed' } }), SubmissionDateTime: new Date('2026-10-01T00:00:00Z') },
          Statistics: { DataScannedInBytes: state.athena.scannedBytes ?? 1024, EngineExecutionTimeInMillis: 10 },
        },
      };
    },
    'athena:GetQueryResults': (op) => {
      const run = athenaRuns.get(String(op.input.QueryExecutionId));
      if (!run) throw new WireError('InvalidRequestException', 'QueryExecution is not found');
      if (!run.result) throw new WireError('InvalidRequestException', `Query has not yet finished. Current state: ${run.failure ? 'FAILED' : 'RUNNING'}`);
      const { columns, rows } = run.result;
      const all = [columns.map((c) => ({ VarCharValue: c })), ...rows.map((r) => r.map((v) => (v === null ? {} : { VarCharValue: v })))];
      const p = page(all, op.input, Math.min(Number(op.input.MaxResults ?? 1000), 1000), 'InvalidRequestException');
      return {
        ResultSet: { Rows: p.items.map((Data) => ({ Data })), ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c, Label: c, Type: 'varchar', Precision: 2147483647, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })) } },
        UpdateCount: 0,
        NextToken: p.NextToken,
      };
    },
    'cloudtrail:GetQueryResults': (op) => {
      const statement = statements.get(String(op.input.QueryId));
      if (statement === undefined) throw new WireError('QueryIdNotFoundException', 'The query ID does not exist or does not map to a query.');
      const rows = state.lake.rows(statement);
      const p = page(rows, op.input, op.input.MaxQueryResults ?? 1000, 'InvalidNextTokenException');
      return { QueryStatus: 'FINISHED', QueryStatistics: { ResultsCount: p.items.length, TotalResultsCount: rows.length, BytesScanned: 0 }, QueryResultRows: p.items.map((r) => Object.entries(r).map(([k, v]) => ({ [k]: v }))), NextToken: p.NextToken };
    },
  };
}

export function emptyState(): EmulatedState {
  return { events: [], alarmHistory: [], publicKeys: [], unconfirmed: new Set(), lake: { eventDataStores: [], rows: () => [] }, athena: { workgroups: ['primary'], run: async () => ({ columns: [], rows: [] }) } };
}

/**
 * Clients for operations moto lacks only (CloudTrail Lake, ListPublicKeys …), with no moto_server behind them: the
 * endpoint is a closed loopback port, so any other operation fails loudly (connection refused).
 */
export function emulatorOnly(state: EmulatedState = emptyState(), opts: WireOptions = {}): { wire: AwsWire; clients: AwsClientFactory } {
  const wire = new AwsWire(new KeyBook(), opts, emulations(state));
  return { wire, clients: sdkClientFactory(undefined, () => ({ endpoint: 'http://127.0.0.1:9', requestHandler: wire, credentials: STATIC })) };
}

/** Moto confirms every subscription; AWS lists an unconfirmed one with SubscriptionArn "PendingConfirmation". */
function pendingRewrite(state: EmulatedState): WireOptions['rewrite'] {
  return {
    'sns:ListSubscriptionsByTopic': (xml: string) =>
      xml.replace(/<member>([\s\S]*?)<\/member>/g, (m, inner: string) => {
        const endpoint = /<Endpoint>([^<]*)<\/Endpoint>/.exec(inner)?.[1];
        return endpoint && state.unconfirmed.has(endpoint) ? m.replace(/<SubscriptionArn>[^<]*<\/SubscriptionArn>/, '<SubscriptionArn>PendingConfirmation</SubscriptionArn>') : m;
      }),
  };
}

const trustMfa = (account: string, mfa: boolean) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole', ...(mfa ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } : {}) }] });

/** Builds one account's resources in moto with that account's credentials. */
async function buildAccount(clients: AwsClientFactory, account: string, spec: AccountSpec, state: EmulatedState): Promise<void> {
  const c = <T>(service: AwsService, region = HOME) => clients(service, region) as unknown as T;
  const s3 = c<S3Client>('s3');
  const bucket = bucketName(account);
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: HOME }, ObjectLockEnabledForBucket: spec.bucket.objectLock || undefined }));
  if (!spec.bucket.objectLock) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  if (spec.bucket.publicAccessBlock) await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  const policy = { Version: '2012-10-17', Statement: [{ Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }, ...(spec.bucket.publicPolicy ? [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] : [])] };
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  if (spec.accountPublicAccessBlock) await c<S3ControlClient>('s3control').send(new PutAccountPublicAccessBlockCommand({ AccountId: account, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));

  const logs = c<CloudWatchLogsClient>('logs');
  await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  for (const a of spec.alarms) await logs.send(new PutMetricFilterCommand({ logGroupName: LOG_GROUP, filterName: a.name, filterPattern: a.pattern, metricTransformations: [{ metricName: a.metric, metricNamespace: 'CISBenchmark', metricValue: '1' }] }));

  const sns = c<SNSClient>('sns');
  const topic = await sns.send(new CreateTopicCommand({ Name: 'break-glass-alerts' }));
  const bulkSubscriptions = Array.from({ length: spec.bulk?.subscriptions ?? 0 }, (_, i) => ({ protocol: 'email' as const, endpoint: `ops-${i + 1}@example.com`, confirmed: true }));
  for (const s of [...spec.subscriptions, ...bulkSubscriptions]) {
    await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: s.protocol, Endpoint: s.endpoint }));
    if (!s.confirmed) state.unconfirmed.add(s.endpoint);
  }
  const cw = c<CloudWatchClient>('cloudwatch');
  for (const a of spec.alarms) {
    await cw.send(new PutMetricAlarmCommand({ AlarmName: a.name, MetricName: a.metric, Namespace: 'CISBenchmark', Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', ActionsEnabled: a.actionsEnabled ?? true, AlarmActions: a.notify ? [topic.TopicArn!] : [] }));
  }

  const iam = c<IAMClient>('iam');
  await iam.send(new CreateRoleCommand({ RoleName: 'CloudTrailToCloudWatch', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  for (const r of spec.roles) await iam.send(new CreateRoleCommand({ RoleName: r.name, AssumeRolePolicyDocument: trustMfa(account, r.mfa), MaxSessionDuration: r.maxSessionDuration }));
  for (let i = 1; i <= (spec.bulk?.roles ?? 0); i++) await iam.send(new CreateRoleCommand({ RoleName: `ReadOnly-${i}`, AssumeRolePolicyDocument: trustMfa(account, false) }));
  for (const u of spec.users) {
    await iam.send(new CreateUserCommand({ UserName: u.name }));
    for (const status of u.accessKeys) {
      const k = await iam.send(new CreateAccessKeyCommand({ UserName: u.name }));
      if (status === 'Inactive') await iam.send(new UpdateAccessKeyCommand({ UserName: u.name, AccessKeyId: k.AccessKey!.AccessKeyId!, Status: 'Inactive' }));
    }
    if (u.loginProfile) await iam.send(new CreateLoginProfileCommand({ UserName: u.name, Password: 'Correct-Horse-Battery-1' }));
  }

  const sm = c<SecretsManagerClient>('secretsmanager');
  for (const s of spec.secrets) {
    await sm.send(new CreateSecretCommand({ Name: s.name, SecretString: 'not-a-real-secret' }));
    if (s.rotated) await sm.send(new RotateSecretCommand({ SecretId: s.name, RotationRules: { AutomaticallyAfterDays: 30 } }));
  }

  if (spec.permissionSets?.length) {
    const sso = c<SSOAdminClient>('sso');
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances![0].InstanceArn!;
    for (const p of spec.permissionSets) await sso.send(new CreatePermissionSetCommand({ InstanceArn: instance, Name: p.name, SessionDuration: p.sessionDuration }));
  }

  if (spec.trail) {
    const t = spec.trail;
    const ct = c<CloudTrailClient>('cloudtrail');
    await ct.send(
      new CreateTrailCommand({
        Name: t.name,
        S3BucketName: bucket,
        IsMultiRegionTrail: t.multiRegion,
        EnableLogFileValidation: t.logFileValidation,
        IncludeGlobalServiceEvents: t.globalServiceEvents,
        ...(t.logGroup ? { CloudWatchLogsLogGroupArn: `arn:aws:logs:${HOME}:${account}:log-group:${LOG_GROUP}:*`, CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/CloudTrailToCloudWatch` } : {}),
      }),
    );
    // A new trail records all management events; moto starts with no selector, so say it as AWS has it.
    await ct.send(new PutEventSelectorsCommand({ TrailName: t.name, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: t.managementEvents, DataResources: [] }] }));
    if (t.logging) await ct.send(new StartLoggingCommand({ Name: t.name }));
  }
}

export interface WorldSpec {
  caller: AccountSpec;
  /** Member accounts created through Organizations; each gets the read role `EvidencePackReadOnly`. */
  members?: AccountSpec[];
  regions?: string[];
  /** Member accounts created and then closed (SUSPENDED in ListAccounts). */
  closedMembers?: number;
}

/** Resets moto, seeds its randomness (stable ids), and builds the organisation through the SDK. */
export async function buildWorld(moto: Moto, spec: WorldSpec): Promise<World> {
  await moto.reset();
  const seeded = await fetch(`${moto.endpoint}/moto-api/seed?a=17`, { method: 'POST' });
  if (!seeded.ok) throw new Error(`moto seed failed: HTTP ${seeded.status}`);
  const keys = new KeyBook();
  const state = emptyState();
  const setupWire = new AwsWire(keys);
  const admin = motoClientFactory(moto, setupWire);
  const members: string[] = [];
  if (spec.members?.length) {
    const org = admin('organizations', HOME) as unknown as OrganizationsClient;
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (const [i] of spec.members.entries()) {
      const out = await org.send(new CreateAccountCommand({ AccountName: `member-${i + 1}`, Email: `member-${i + 1}@example.com` }));
      members.push(out.CreateAccountStatus!.AccountId!);
    }
    for (let i = 1; i <= (spec.closedMembers ?? 0); i++) {
      const out = await org.send(new CreateAccountCommand({ AccountName: `closed-${i}`, Email: `closed-${i}@example.com` }));
      await org.send(new CloseAccountCommand({ AccountId: out.CreateAccountStatus!.AccountId! }));
    }
  }
  await buildAccount(admin, CALLER, spec.caller, state);
  const sts = admin('sts', HOME) as unknown as STSClient;
  for (const [i, account] of members.entries()) {
    // As an organisation's management account does: through the role Organizations creates in each member.
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'world-builder' }));
    const c = out.Credentials!;
    const inMember: AwsClientFactory = (service, region) => admin(service, region, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken });
    await buildAccount(inMember, account, spec.members![i], state);
    await (inMember('iam', HOME) as unknown as IAMClient).send(new CreateRoleCommand({ RoleName: 'EvidencePackReadOnly', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER}:root` }, Action: 'sts:AssumeRole' }] }) }));
  }
  await setupWire.close();
  const emulated = emulations(state);
  return {
    moto,
    keys,
    accounts: [CALLER, ...members],
    members,
    regions: spec.regions ?? [HOME, OTHER],
    state,
    wire: (opts = {}) => {
      return new AwsWire(keys, { ...opts, rewrite: { ...pendingRewrite(state), ...opts.rewrite } }, emulated);
    },
    clients: (wire) => motoClientFactory(moto, wire),
  };
}

export type { WireOp };
