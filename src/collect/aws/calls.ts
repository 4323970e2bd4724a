// The one list of AWS API calls the collectors make, with the IAM action each needs; the caller records every call.

import { AdaptiveRetryStrategy, isThrottlingError, isTransientError, isServerError } from '@smithy/core/retry';
import type { AwsCallRecord, AwsUnavailable, LiveArea } from '../../model/aws.js';

/**
 * API call (`service:Operation`, as in CloudTrail's eventSource / eventName) → IAM action. Collectors can
 * only call what is listed here, and `evidence-pack iam-policy` is generated from it.
 */
export const AWS_CALLS = {
  'sts:GetCallerIdentity': 'sts:GetCallerIdentity',
  'sts:AssumeRole': 'sts:AssumeRole',
  'organizations:ListAccounts': 'organizations:ListAccounts',
  'cloudtrail:DescribeTrails': 'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus': 'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors': 'cloudtrail:GetEventSelectors',
  'cloudtrail:LookupEvents': 'cloudtrail:LookupEvents',
  'cloudtrail:ListPublicKeys': 'cloudtrail:ListPublicKeys',
  'cloudtrail:StartQuery': 'cloudtrail:StartQuery',
  'cloudtrail:GetQueryResults': 'cloudtrail:GetQueryResults',
  'athena:StartQueryExecution': 'athena:StartQueryExecution',
  'athena:GetQueryExecution': 'athena:GetQueryExecution',
  'athena:GetQueryResults': 'athena:GetQueryResults',
  'monitoring:DescribeAlarms': 'cloudwatch:DescribeAlarms',
  'monitoring:DescribeAlarmHistory': 'cloudwatch:DescribeAlarmHistory',
  'logs:DescribeMetricFilters': 'logs:DescribeMetricFilters',
  'sns:ListSubscriptionsByTopic': 'sns:ListSubscriptionsByTopic',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  's3:GetBucketPolicyStatus': 's3:GetBucketPolicyStatus',
  's3:GetBucketVersioning': 's3:GetBucketVersioning',
  's3:GetObjectLockConfiguration': 's3:GetBucketObjectLockConfiguration',
  'iam:GetRole': 'iam:GetRole',
  'iam:ListRoles': 'iam:ListRoles',
  'iam:ListAccessKeys': 'iam:ListAccessKeys',
  'iam:GetLoginProfile': 'iam:GetLoginProfile',
  'secretsmanager:DescribeSecret': 'secretsmanager:DescribeSecret',
  'sso:ListInstances': 'sso:ListInstances',
  'sso:ListPermissionSets': 'sso:ListPermissionSets',
  'sso:DescribePermissionSet': 'sso:DescribePermissionSet',
} as const;

export type AwsCall = keyof typeof AWS_CALLS;

/**
 * What a failed call leaves incomplete in its account: an area (a list, or whether a resource exists), `all` of
 * it (no credentials for the account, no list of accounts), or nothing beyond one attribute (`undefined`: that
 * attribute is Unknown and the checks reading it say so).
 */
export const CALL_AREA: Record<AwsCall, LiveArea | 'all' | undefined> = {
  'sts:GetCallerIdentity': undefined,
  'sts:AssumeRole': 'all',
  'organizations:ListAccounts': 'all',
  'cloudtrail:DescribeTrails': 'aws-trails',
  'cloudtrail:GetTrailStatus': undefined,
  'cloudtrail:GetEventSelectors': undefined,
  'cloudtrail:LookupEvents': 'aws-activations',
  'cloudtrail:ListPublicKeys': undefined,
  'cloudtrail:StartQuery': undefined,
  'cloudtrail:GetQueryResults': undefined,
  'athena:StartQueryExecution': undefined,
  'athena:GetQueryExecution': undefined,
  'athena:GetQueryResults': undefined,
  'monitoring:DescribeAlarms': 'aws-alarms',
  'monitoring:DescribeAlarmHistory': 'aws-alarm-history',
  'logs:DescribeMetricFilters': 'aws-alarms',
  'sns:ListSubscriptionsByTopic': 'aws-alarms',
  's3:GetPublicAccessBlock': 'aws-buckets',
  's3control:GetPublicAccessBlock': 'aws-buckets',
  's3:GetBucketPolicyStatus': undefined,
  's3:GetBucketVersioning': undefined,
  's3:GetObjectLockConfiguration': undefined,
  'iam:GetRole': 'aws-identities',
  'iam:ListRoles': 'aws-identities',
  'iam:ListAccessKeys': undefined,
  'iam:GetLoginProfile': undefined,
  'secretsmanager:DescribeSecret': 'aws-secrets',
  'sso:ListInstances': 'aws-identities',
  'sso:ListPermissionSets': 'aws-identities',
  'sso:DescribePermissionSet': 'aws-identities',
};

/** Calls made by the identity running the tool, not by the read-only role in each account. */
export const CALLER_ONLY: readonly AwsCall[] = ['sts:AssumeRole', 'organizations:ListAccounts'];

/** Error codes meaning the region is not enabled for the account (opt-in regions). */
const REGION_DISABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'OptInRequired']);

/** An AWS call that failed after retries: carries the exact call and AWS's own error code and message. */
export class AwsCallError extends Error {
  readonly code: string;
  constructor(
    readonly api: AwsCall,
    readonly account: string,
    readonly region: string,
    readonly target: string | undefined,
    cause: unknown,
  ) {
    const { code, message } = errorOf(cause);
    super(`${api} in ${account}/${region}${target ? ` (${target})` : ''} failed: ${code}: ${message}`, { cause });
    this.name = 'AwsCallError';
    this.code = code;
  }
  get regionDisabled(): boolean {
    return REGION_DISABLED.has(this.code);
  }
  toUnavailable(): AwsUnavailable {
    const { message } = errorOf(this.cause);
    const area = CALL_AREA[this.api];
    return { api: this.api, account: this.account, region: this.region, target: this.target, code: this.code, message, ...(area && { area }) };
  }
}

export function errorOf(e: unknown): { code: string; message: string } {
  if (e && typeof e === 'object') {
    const o = e as { name?: string; Code?: string; code?: string; message?: string };
    return { code: o.Code ?? o.name ?? o.code ?? 'Error', message: o.message ?? String(e) };
  }
  return { code: 'Error', message: String(e) };
}

/**
 * A new command with the same input for a retry: an SDK command keeps the middleware a client added when it was
 * sent, and S3 Control refuses a command sent twice ("Duplicate middleware name parseOutpostArnablesMiddleaware").
 */
function fresh(command: object): object {
  const Ctor = command.constructor as new (input: unknown) => object;
  return new Ctor((command as { input?: unknown }).input);
}

/** Anything with the SDK v3 `send(command)` shape. */
export interface Sender {
  send(command: object): Promise<unknown>;
}

export interface CallerOptions {
  /** Attempts per call (first try included), throttling and transient errors only. Default 5. */
  maxAttempts?: number;
  /** Upper bound on pages per paginated call, so a huge account cannot stall a run. Default 1000. */
  maxPages?: number;
}

/**
 * Makes the collectors' calls: checks the call is in AWS_CALLS, retries throttling and transient errors with
 * the SDK's adaptive retry strategy (client-side rate limiting + backoff; the SDK clients are built with
 * maxAttempts 1 so retries are not multiplied), and records each call with its outcome.
 */
export class AwsCaller {
  readonly calls: AwsCallRecord[] = [];
  /** One strategy per account, region and service, as the SDK keeps one per client: a throttled service slows only itself. */
  private readonly strategies = new Map<string, AdaptiveRetryStrategy>();
  private readonly maxAttempts: number;
  readonly maxPages: number;
  constructor(opts: CallerOptions = {}) {
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.maxPages = opts.maxPages ?? 1000;
  }

  private strategyFor(key: string): AdaptiveRetryStrategy {
    let s = this.strategies.get(key);
    if (!s) this.strategies.set(key, (s = new AdaptiveRetryStrategy(this.maxAttempts)));
    return s;
  }

  /** One call (all its pages when `next` is given). Throws AwsCallError when it fails after retries. */
  async call<Out>(api: AwsCall, where: { account: string; region: string; target?: string }, client: Sender, command: object): Promise<Out> {
    const record: AwsCallRecord = { api, account: where.account, region: where.region, target: where.target, ok: false, attempts: 0, pages: 1 };
    this.calls.push(record);
    const expected = api.split(':')[1] + 'Command';
    if (command.constructor.name !== expected) throw new Error(`internal: ${api} called with ${command.constructor.name}`);
    try {
      const out = (await this.withRetry(record, (attempt) => client.send(attempt === 1 ? command : fresh(command)))) as Out;
      record.ok = true;
      return out;
    } catch (e) {
      record.error = errorOf(e);
      throw new AwsCallError(api, where.account, where.region, where.target, e);
    }
  }

  /**
   * All pages of a paginated call. `build(token)` makes the command for a page, `next(out)` reads the next
   * token. A page that fails after retries fails the whole list: a partial list is never taken as complete.
   */
  async paginate<Out>(api: AwsCall, where: { account: string; region: string; target?: string }, client: Sender, build: (token: string | undefined) => object, next: (out: Out) => string | undefined): Promise<Out[]> {
    const record: AwsCallRecord = { api, account: where.account, region: where.region, target: where.target, ok: false, attempts: 0, pages: 0 };
    this.calls.push(record);
    const pages: Out[] = [];
    let token: string | undefined;
    try {
      do {
        const command = build(token);
        const expected = api.split(':')[1] + 'Command';
        if (command.constructor.name !== expected) throw new Error(`internal: ${api} called with ${command.constructor.name}`);
        const out = (await this.withRetry(record, (attempt) => client.send(attempt === 1 ? command : fresh(command)))) as Out;
        pages.push(out);
        record.pages++;
        token = next(out);
        if (token && record.pages >= this.maxPages) throw Object.assign(new Error(`stopped after ${this.maxPages} pages; the list is incomplete`), { name: 'PageLimitExceeded' });
      } while (token);
      record.ok = true;
      return pages;
    } catch (e) {
      record.error = errorOf(e);
      const err = new AwsCallError(api, where.account, where.region, where.target, e);
      if (pages.length) err.message += ` (after ${pages.length} page${pages.length > 1 ? 's' : ''}; the partial list is not used)`;
      throw err;
    }
  }

  private async withRetry(record: AwsCallRecord, send: (attempt: number) => Promise<unknown>): Promise<unknown> {
    type Token = Parameters<AdaptiveRetryStrategy['recordSuccess']>[0];
    const scope = `${record.account}/${record.region}/${record.api.split(':')[0]}`;
    const strategy = this.strategyFor(scope);
    let token = (await strategy.acquireInitialRetryToken(scope)) as Token;
    for (let attempt = 1; ; attempt++) {
      record.attempts++;
      try {
        const out = await send(attempt);
        strategy.recordSuccess(token);
        return out;
      } catch (e) {
        const err = e as Parameters<typeof isThrottlingError>[0];
        const errorType = isThrottlingError(err) ? 'THROTTLING' : isTransientError(err) || (e as Error)?.name === 'TimeoutError' ? 'TRANSIENT' : isServerError(err) ? 'SERVER_ERROR' : 'CLIENT_ERROR';
        if (errorType === 'CLIENT_ERROR') throw e;
        try {
          token = (await strategy.refreshRetryTokenForRetry(token, { errorType, error: err })) as Token;
        } catch {
          throw e;
        }
        await new Promise((r) => setTimeout(r, token.getRetryDelay()));
      }
    }
  }
}
