// Live AWS collector: reads trail, alarm, filter, topic, bucket, role, user and secret state in every account and region.

import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, GetEventSelectorsCommand, LookupEventsCommand, ListPublicKeysCommand, type Trail as SdkTrail, type GetEventSelectorsCommandOutput, type GetTrailStatusCommandOutput, type LookupEventsCommandOutput, type ListPublicKeysCommandOutput } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmHistoryCommand, type DescribeAlarmsCommandOutput, type DescribeAlarmHistoryCommandOutput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, type DescribeMetricFiltersCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient, ListSubscriptionsByTopicCommand, type ListSubscriptionsByTopicCommandOutput } from '@aws-sdk/client-sns';
import { S3Client, GetPublicAccessBlockCommand, GetBucketPolicyStatusCommand, GetBucketVersioningCommand, GetObjectLockConfigurationCommand, type GetPublicAccessBlockCommandOutput, type GetBucketPolicyStatusCommandOutput, type GetObjectLockConfigurationCommandOutput } from '@aws-sdk/client-s3';
import { S3ControlClient, GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, type GetPublicAccessBlockCommandOutput as GetAccountPabOutput } from '@aws-sdk/client-s3-control';
import { IAMClient, GetRoleCommand, ListRolesCommand, ListAccessKeysCommand, GetLoginProfileCommand, type GetRoleCommandOutput, type ListRolesCommandOutput, type ListAccessKeysCommandOutput, type Role } from '@aws-sdk/client-iam';
import { SecretsManagerClient, DescribeSecretCommand, type DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, type GetCallerIdentityCommandOutput, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { OrganizationsClient, ListAccountsCommand, type ListAccountsCommandOutput } from '@aws-sdk/client-organizations';
import { AthenaClient } from '@aws-sdk/client-athena';
import { SSOAdminClient, ListInstancesCommand, ListPermissionSetsCommand, DescribePermissionSetCommand, type ListInstancesCommandOutput, type ListPermissionSetsCommandOutput, type DescribePermissionSetCommandOutput } from '@aws-sdk/client-sso-admin';
import picomatch from 'picomatch';
import type { BreakGlassConfig } from '../../config/load.js';
import type { Period } from '../../model/period.js';
import type { Alarm, Bucket, Entity, Field, InfraSnapshot, Link, LogGroup, MetricFilter, PublicAccessBlock, SnsSubscription, SnsTopic, Trail, Unknown } from '../../model/infra.js';
import { isUnknown } from '../../model/infra.js';
import type { SourceLocation } from '../../model/location.js';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { AlarmFiring, AwsAccountEvidence, AwsConfig, AwsLiveEvidence, AwsScope, AwsUnavailable, BreakGlassRoleLive, BreakGlassUserLive, LookedUpActivation, PermissionSetLive, SecretLive, TrailStatusLive } from '../../model/aws.js';
import { AwsCaller, AwsCallError, type Sender, type AwsCall } from './calls.js';
import { Detector, useStartEventNames, type CtEvent } from '../../detections/detector.js';
import { readTrustPolicy, type PolicyValue } from '../iam-trust.js';

export type AwsService = 'cloudtrail' | 'cloudwatch' | 'logs' | 'sns' | 's3' | 's3control' | 'iam' | 'secretsmanager' | 'sts' | 'organizations' | 'sso' | 'athena';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Builds an SDK client; `credentials` absent = the standard chain (or the configured profile). */
export type AwsClientFactory = (service: AwsService, region: string, credentials?: AwsCredentials) => Sender;

/**
 * Real SDK v3 clients. Retries happen in AwsCaller (adaptive strategy), so each client makes one attempt.
 * `extra` adds client options per service (an endpoint, path-style S3, a request handler, default credentials),
 * e.g. to reach an AWS API emulator in tests; credentials from AssumeRole always win.
 */
export function sdkClientFactory(profile?: string, extra?: (service: AwsService, region: string) => object): AwsClientFactory {
  return (service, region, credentials) => {
    // The SDK waits forever on a silent connection unless told otherwise: a hung endpoint must end in a
    // TimeoutError that AwsCaller retries and then reports, not stall the run.
    const requestHandler = { connectionTimeout: 10_000, requestTimeout: 60_000, throwOnRequestTimeout: true };
    const base = { region, maxAttempts: 1, requestHandler, ...extra?.(service, region), ...(credentials ? { credentials } : profile ? { profile } : {}) };
    switch (service) {
      case 'cloudtrail': return new CloudTrailClient(base);
      case 'cloudwatch': return new CloudWatchClient(base);
      case 'logs': return new CloudWatchLogsClient(base);
      case 'sns': return new SNSClient(base);
      case 's3': return new S3Client(base);
      case 's3control': return new S3ControlClient(base);
      case 'iam': return new IAMClient(base);
      case 'secretsmanager': return new SecretsManagerClient(base);
      case 'sts': return new STSClient(base);
      case 'organizations': return new OrganizationsClient(base);
      case 'sso': return new SSOAdminClient(base);
      case 'athena': return new AthenaClient(base);
    }
  };
}

export interface CollectAwsOptions {
  config: AwsConfig;
  breakGlass: BreakGlassConfig;
  period: Period;
  clients?: AwsClientFactory;
  now: () => Date;
  /** LookupEvents for activations (the last 90 days) — when no log archive is configured. */
  lookupEvents: boolean;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

const LOOKUP_WINDOW_DAYS = 90;
/** LookupEvents is limited to 2 requests per second per account and region; bound what one run asks for. */
const LOOKUP_MAX_PAGES = 50;

/** Collects live evidence from every configured (or discovered) account and region. Never throws for AWS failures. */
export async function collectAws(opts: CollectAwsOptions): Promise<AwsLiveEvidence> {
  const caller = new AwsCaller({ maxAttempts: opts.config.maxAttempts });
  const clients = opts.clients ?? sdkClientFactory(opts.config.profile);
  const unavailable: AwsUnavailable[] = [];
  const home = opts.config.regions[0] ?? 'us-east-1';
  const fail = (e: unknown, how: { regionDisabled?: boolean } = {}): Unknown => {
    if (!(e instanceof AwsCallError)) throw e;
    unavailable.push({ ...e.toUnavailable(), ...(how.regionDisabled && { regionDisabled: true }) });
    return { unknown: e.message, location: { api: e.api, account: e.account, region: e.region } };
  };

  // The caller's own identity names the account the tool runs in.
  const callerSts = clients('sts', home);
  let callerAccount = 'caller';
  try {
    const id = await caller.call<GetCallerIdentityCommandOutput>('sts:GetCallerIdentity', { account: 'caller', region: home }, callerSts, new GetCallerIdentityCommand({}));
    callerAccount = id.Account ?? 'caller';
  } catch (e) {
    fail(e);
  }

  let accounts: string[] = [];
  if (opts.config.accounts === 'organization') {
    // 20 is ListAccounts' largest page (its default too); said explicitly so every endpoint pages alike.
    try {
      const pages = await caller.paginate<ListAccountsCommandOutput>('organizations:ListAccounts', { account: callerAccount, region: home }, clients('organizations', home), (NextToken) => new ListAccountsCommand({ NextToken, MaxResults: 20 }), (o) => o.NextToken);
      accounts = pages.flatMap((p) => p.Accounts ?? []).filter((a) => (a.State ?? a.Status) === 'ACTIVE' && a.Id).map((a) => a.Id!).sort();
    } catch (e) {
      fail(e);
    }
  } else accounts = opts.config.accounts.length ? [...opts.config.accounts] : [callerAccount];

  // One bound for the whole run: accounts first (role, IAM, STS), then every account × region pair.
  const perAccount = await mapLimit(accounts, opts.config.concurrency, async (account) => {
    let credentials: AwsCredentials | undefined;
    const ar = opts.config.assumeRole;
    if (ar && account !== callerAccount) {
      const roleArn = `arn:aws:iam::${account}:role/${ar.roleName}`;
      try {
        const out = await caller.call<AssumeRoleCommandOutput>('sts:AssumeRole', { account: callerAccount, region: home, target: roleArn }, callerSts, new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: ar.sessionName ?? 'evidence-pack', ExternalId: ar.externalId }));
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AwsCallError('sts:AssumeRole', callerAccount, home, roleArn, { name: 'NoCredentials', message: 'AssumeRole returned no credentials' });
        credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (e) {
        const reason = fail(e);
        return { evidence: { account, identity: reason, roles: [], users: [], permissionSets: [] } satisfies AwsAccountEvidence, collector: undefined, reason };
      }
    }
    const collector = new AccountCollector(account, caller, clients, credentials, opts, fail);
    return { evidence: await collector.accountWide(), collector, reason: undefined };
  });
  const pairs = perAccount.flatMap((a) => opts.config.regions.map((region) => ({ a, region })));
  const scopes = await mapLimit(pairs, opts.config.concurrency, ({ a, region }) => (a.collector ? a.collector.region(region) : Promise.resolve(emptyScope(a.evidence.account, region, a.reason!))));

  return {
    criteria: {
      collectedAt: opts.now().toISOString(),
      alarmWithinMinutes: opts.config.alarmWithinMinutes ?? 15,
      deliveryMaxAgeHours: opts.config.deliveryMaxAgeHours ?? 24,
      digestMaxAgeHours: opts.config.digestMaxAgeHours ?? 2,
    },
    accounts: perAccount.map((a) => a.evidence),
    scopes,
    // Calls finish in any order under concurrency; the pack lists them in a stable one.
    calls: [...caller.calls].sort(byWhere),
    unavailable: [...unavailable].sort(byWhere),
  };
}

function byWhere(a: { account: string; region: string; api: string; target?: string }, b: typeof a): number {
  return a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.api.localeCompare(b.api) || (a.target ?? '').localeCompare(b.target ?? '');
}

function emptyScope(account: string, region: string, reason: Unknown): AwsScope {
  return {
    account,
    region,
    enabled: true,
    snapshot: { origin: 'aws-live', root: `aws:${account}/${region}`, entities: [], files: [], problems: [{ level: 'error', message: `not collected: ${reason.unknown}`, location: reason.location }] },
    trailStatus: [],
    alarmFirings: reason,
    publicKeys: reason,
    activations: reason,
    secrets: [],
  };
}

const known = <T>(value: T, at: SourceLocation): Field<T> => ({ value, at });

class AccountCollector {
  constructor(
    readonly account: string,
    readonly caller: AwsCaller,
    readonly clients: AwsClientFactory,
    readonly credentials: AwsCredentials | undefined,
    readonly opts: CollectAwsOptions,
    readonly fail: (e: unknown, how?: { regionDisabled?: boolean }) => Unknown,
  ) {}

  private where(region: string, target?: string) {
    return { account: this.account, region, target };
  }
  private loc(api: AwsCall, region: string, pointer?: string): SourceLocation {
    return { api, account: this.account, region, pointer };
  }

  /** IAM (global) and STS: identity, break-glass roles and users. */
  async accountWide(): Promise<AwsAccountEvidence> {
    const region = this.opts.config.regions[0] ?? 'us-east-1';
    let identity: AwsAccountEvidence['identity'];
    try {
      const id = await this.caller.call<GetCallerIdentityCommandOutput>('sts:GetCallerIdentity', this.where(region), this.clients('sts', region, this.credentials), new GetCallerIdentityCommand({}));
      identity = { arn: id.Arn ?? '', userId: id.UserId ?? '' };
    } catch (e) {
      identity = this.fail(e);
    }
    const iam = this.clients('iam', region, this.credentials);
    const roles: BreakGlassRoleLive[] = [];
    const rolePatterns = this.opts.breakGlass.roles.filter((p) => !p.includes(':') || p.split(':')[4] === this.account || /[*?]/.test(p.split(':')[4] ?? ''));
    const literal = rolePatterns.filter((p) => !/[*?[\]{}]/.test(p));
    const globs = rolePatterns.filter((p) => /[*?[\]{}]/.test(p));
    for (const arn of literal) {
      const name = arn.split('/').pop()!;
      try {
        const out = await this.caller.call<GetRoleCommandOutput>('iam:GetRole', this.where(region, name), iam, new GetRoleCommand({ RoleName: name }));
        if (out.Role) roles.push(roleOf(out.Role, this.loc('iam:GetRole', region, name)));
      } catch (e) {
        if (!(e instanceof AwsCallError && e.code === 'NoSuchEntity')) this.fail(e);
      }
    }
    if (globs.length) {
      const match = picomatch(globs, { dot: true });
      try {
        const pages = await this.caller.paginate<ListRolesCommandOutput>('iam:ListRoles', this.where(region), iam, (Marker) => new ListRolesCommand({ Marker }), (o) => (o.IsTruncated ? o.Marker : undefined));
        for (const r of pages.flatMap((p) => p.Roles ?? [])) if (r.Arn && match(r.Arn) && !roles.some((x) => x.arn === r.Arn)) roles.push(roleOf(r, this.loc('iam:ListRoles', region, r.RoleName)));
      } catch (e) {
        this.fail(e);
      }
    }
    const users: BreakGlassUserLive[] = [];
    for (const name of this.opts.breakGlass.users.filter((u) => !/[*?[\]{}]/.test(u))) {
      let accessKeys: BreakGlassUserLive['accessKeys'];
      let loginProfile: BreakGlassUserLive['loginProfile'];
      try {
        const pages = await this.caller.paginate<ListAccessKeysCommandOutput>('iam:ListAccessKeys', this.where(region, name), iam, (Marker) => new ListAccessKeysCommand({ UserName: name, Marker }), (o) => (o.IsTruncated ? o.Marker : undefined));
        accessKeys = pages.flatMap((p) => p.AccessKeyMetadata ?? []).map((k) => ({ accessKeyId: k.AccessKeyId ?? '', status: k.Status ?? 'unknown', createDate: k.CreateDate?.toISOString() }));
      } catch (e) {
        if (e instanceof AwsCallError && e.code === 'NoSuchEntity') continue;
        accessKeys = this.fail(e);
      }
      try {
        await this.caller.call('iam:GetLoginProfile', this.where(region, name), iam, new GetLoginProfileCommand({ UserName: name }));
        loginProfile = true;
      } catch (e) {
        loginProfile = e instanceof AwsCallError && e.code === 'NoSuchEntity' ? false : this.fail(e);
      }
      users.push({ name, accessKeys, loginProfile });
    }
    return { account: this.account, identity, roles, users, permissionSets: await this.permissionSets() };
  }

  /**
   * The permission sets breakGlass.permissionSets names, from every IAM Identity Center instance this account
   * sees in the configured regions (the organisation's instance is in its management or delegated account).
   */
  private async permissionSets(): Promise<PermissionSetLive[]> {
    const wanted = this.opts.breakGlass.permissionSets ?? [];
    if (!wanted.length) return [];
    const match = picomatch(wanted, { dot: true });
    const out: PermissionSetLive[] = [];
    for (const region of this.opts.config.regions) {
      const sso = this.clients('sso', region, this.credentials);
      let instances: string[];
      try {
        const pages = await this.caller.paginate<ListInstancesCommandOutput>('sso:ListInstances', this.where(region), sso, (NextToken) => new ListInstancesCommand({ NextToken }), (o) => o.NextToken);
        instances = pages.flatMap((p) => p.Instances ?? []).flatMap((i) => (i.InstanceArn && (i.Status ?? 'ACTIVE') === 'ACTIVE' ? [i.InstanceArn] : []));
      } catch (e) {
        // A region that is not enabled has no instance: recorded, and no gap.
        this.fail(e, { regionDisabled: e instanceof AwsCallError && e.regionDisabled });
        continue;
      }
      for (const instanceArn of instances) {
        try {
          const pages = await this.caller.paginate<ListPermissionSetsCommandOutput>('sso:ListPermissionSets', this.where(region, instanceArn), sso, (NextToken) => new ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken }), (o) => o.NextToken);
          for (const arn of pages.flatMap((p) => p.PermissionSets ?? [])) {
            const d = await this.caller.call<DescribePermissionSetCommandOutput>('sso:DescribePermissionSet', this.where(region, arn), sso, new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
            const name = d.PermissionSet?.Name;
            // Identity Center's default session duration is one hour when none is set.
            if (name && match(name)) out.push({ arn, name, sessionDuration: d.PermissionSet?.SessionDuration ?? 'PT1H', instanceArn, region });
          }
        } catch (e) {
          this.fail(e);
        }
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn));
  }

  async region(region: string): Promise<AwsScope> {
    const problems: EvidenceProblem[] = [];
    const entities: Entity[] = [];
    const snapshot: InfraSnapshot = { origin: 'aws-live', root: `aws:${this.account}/${region}`, entities, files: [], problems };
    const scope: AwsScope = { account: this.account, region, enabled: true, snapshot, trailStatus: [], alarmFirings: [], publicKeys: [], activations: [], secrets: [] };
    const unavailable = (e: unknown): Unknown => {
      const u = this.fail(e);
      problems.push({ level: 'error', message: `not collected: ${u.unknown}`, location: u.location });
      return u;
    };
    const ct = this.clients('cloudtrail', region, this.credentials);

    // DescribeTrails first: an opt-in region that is not enabled fails here, and nothing else is asked.
    let trails: SdkTrail[] = [];
    try {
      const out = await this.caller.call<{ trailList?: SdkTrail[] }>('cloudtrail:DescribeTrails', this.where(region), ct, new DescribeTrailsCommand({ includeShadowTrails: true }));
      trails = out.trailList ?? [];
    } catch (e) {
      if (e instanceof AwsCallError && e.regionDisabled) {
        this.fail(e, { regionDisabled: true });
        scope.enabled = false;
        const reason: Unknown = { unknown: `region ${region} is not enabled for account ${this.account} (${e.code})`, location: this.loc('cloudtrail:DescribeTrails', region) };
        problems.push({ level: 'error', message: `not collected: ${reason.unknown}`, location: reason.location });
        return { ...scope, alarmFirings: reason, publicKeys: reason, activations: reason };
      }
      unavailable(e);
    }

    // A trail is an entity in its home region only; shadow copies in other regions would count it twice. A
    // multi-region trail whose home region is not read is taken from its shadow in the first region read, its
    // status and selectors asked in its home region (where CloudTrail keeps them).
    const regions = this.opts.config.regions;
    const owned = trails.filter((t) => t.TrailARN && (t.HomeRegion === region || (!regions.includes(t.HomeRegion ?? '') && region === regions[0])));
    for (const t of owned) {
      const at = this.loc('cloudtrail:DescribeTrails', region, t.TrailARN);
      const home = t.HomeRegion && t.HomeRegion !== region ? t.HomeRegion : region;
      const ctHome = home === region ? ct : this.clients('cloudtrail', home, this.credentials);
      let logging: Field<boolean>;
      const described = { trailArn: t.TrailARN!, name: t.Name ?? t.TrailARN!, logFileValidation: t.LogFileValidationEnabled === true };
      try {
        const s = await this.caller.call<GetTrailStatusCommandOutput>('cloudtrail:GetTrailStatus', this.where(home, t.TrailARN), ctHome, new GetTrailStatusCommand({ Name: t.TrailARN }));
        const st: TrailStatusLive = {
          ...described,
          isLogging: s.IsLogging === true,
          startLoggingTime: s.StartLoggingTime?.toISOString(),
          latestDeliveryTime: s.LatestDeliveryTime?.toISOString(),
          latestDeliveryError: s.LatestDeliveryError || undefined,
          latestDigestDeliveryTime: s.LatestDigestDeliveryTime?.toISOString(),
          latestDigestDeliveryError: s.LatestDigestDeliveryError || undefined,
        };
        scope.trailStatus.push(st);
        logging = known(st.isLogging === true, this.loc('cloudtrail:GetTrailStatus', home, t.TrailARN));
      } catch (e) {
        const reason = unavailable(e);
        scope.trailStatus.push({ ...described, unavailable: reason });
        logging = { value: reason, at };
      }
      let managementEvents: Field<boolean>;
      try {
        const sel = await this.caller.call<GetEventSelectorsCommandOutput>('cloudtrail:GetEventSelectors', this.where(home, t.TrailARN), ctHome, new GetEventSelectorsCommand({ TrailName: t.TrailARN }));
        managementEvents = known(recordsManagementEvents(sel), this.loc('cloudtrail:GetEventSelectors', home, t.TrailARN));
      } catch (e) {
        managementEvents = { value: unavailable(e), at };
      }
      const trail: Trail = {
        type: 'trail',
        id: t.TrailARN!,
        origin: 'aws-live',
        resourceType: 'AWS::CloudTrail::Trail',
        at,
        account: this.account,
        region,
        name: known(t.Name ?? '', at),
        multiRegion: known(t.IsMultiRegionTrail === true, at),
        logFileValidation: known(t.LogFileValidationEnabled === true, at),
        globalServiceEvents: known(t.IncludeGlobalServiceEvents === true, at),
        logging,
        bucket: known<Link>({ name: t.S3BucketName }, at),
        logGroup: known<Link | null>(t.CloudWatchLogsLogGroupArn ? { name: t.CloudWatchLogsLogGroupArn } : null, at),
        managementEvents,
        organisationTrail: known(t.IsOrganizationTrail === true, at),
      };
      entities.push(trail);
      if (t.S3BucketName && !entities.some((e) => e.type === 'bucket' && e.id === `arn:aws:s3:::${t.S3BucketName}`)) await this.bucket(region, t.S3BucketName, entities, unavailable);
    }
    if (owned.length) await this.accountPublicAccessBlock(region, entities, unavailable);

    // Digest public keys for the period, where a trail validates its log files.
    if (owned.some((t) => t.LogFileValidationEnabled)) {
      try {
        const pages = await this.caller.paginate<ListPublicKeysCommandOutput>('cloudtrail:ListPublicKeys', this.where(region), ct, (NextToken) => new ListPublicKeysCommand({ StartTime: this.opts.period.start, EndTime: this.lookupEnd(), NextToken }), (o) => o.NextToken);
        scope.publicKeys = pages.flatMap((p) => p.PublicKeyList ?? []).map((k) => ({ fingerprint: k.Fingerprint ?? '', validityStart: k.ValidityStartTime?.toISOString(), validityEnd: k.ValidityEndTime?.toISOString() }));
      } catch (e) {
        scope.publicKeys = unavailable(e);
      }
    }

    await this.logs(region, entities, unavailable);
    const alarms = await this.alarms(region, entities, unavailable);
    scope.alarmFirings = alarms;
    await this.topics(region, entities, unavailable);
    scope.secrets = await this.secrets(region, unavailable);
    if (this.opts.lookupEvents) scope.activations = await this.lookup(region, ct);
    entities.sort((a, b) => a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
    return scope;
  }

  private lookupEnd(): Date {
    const now = this.opts.now();
    return this.opts.period.end < now ? this.opts.period.end : now;
  }

  private async bucket(region: string, name: string, entities: Entity[], unavailable: (e: unknown) => Unknown) {
    const s3 = this.clients('s3', region, this.credentials);
    const id = `arn:aws:s3:::${name}`;
    const at = (api: AwsCall): SourceLocation => this.loc(api, region, name);
    const absentIs = async <T>(api: AwsCall, command: object, absentCodes: string[], read: (o: any) => T, absent: T): Promise<Field<T>> => {
      try {
        return known(read(await this.caller.call(api, this.where(region, name), s3, command)), at(api));
      } catch (e) {
        if (e instanceof AwsCallError && absentCodes.includes(e.code)) return known(absent, at(api));
        return { value: unavailable(e), at: at(api) };
      }
    };
    const objectLock = await absentIs('s3:GetObjectLockConfiguration', new GetObjectLockConfigurationCommand({ Bucket: name }), ['ObjectLockConfigurationNotFoundError'], (o: GetObjectLockConfigurationCommandOutput) => o.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled', false);
    const publicByPolicy = await absentIs('s3:GetBucketPolicyStatus', new GetBucketPolicyStatusCommand({ Bucket: name }), ['NoSuchBucketPolicy'], (o: GetBucketPolicyStatusCommandOutput) => o.PolicyStatus?.IsPublic === true, false);
    // Versioning is recorded for the pack (Object Lock requires it); no check reads it yet.
    await absentIs('s3:GetBucketVersioning', new GetBucketVersioningCommand({ Bucket: name }), [], (o: { Status?: string }) => o.Status ?? 'Disabled', 'Disabled');
    const bucket: Bucket = { type: 'bucket', id, origin: 'aws-live', resourceType: 'AWS::S3::Bucket', at: at('cloudtrail:DescribeTrails'), account: this.account, region, name: known(name, at('cloudtrail:DescribeTrails')), objectLock, publicByPolicy };
    entities.push(bucket);
    try {
      const out = await this.caller.call<GetPublicAccessBlockCommandOutput>('s3:GetPublicAccessBlock', this.where(region, name), s3, new GetPublicAccessBlockCommand({ Bucket: name }));
      entities.push(pab(`${id}/public-access-block`, 'bucket', out.PublicAccessBlockConfiguration ?? {}, at('s3:GetPublicAccessBlock'), this.account, region, { name }));
    } catch (e) {
      if (!(e instanceof AwsCallError && e.code === 'NoSuchPublicAccessBlockConfiguration')) unavailable(e);
    }
  }

  private async accountPublicAccessBlock(region: string, entities: Entity[], unavailable: (e: unknown) => Unknown) {
    try {
      const out = await this.caller.call<GetAccountPabOutput>('s3control:GetPublicAccessBlock', this.where(region), this.clients('s3control', region, this.credentials), new GetAccountPublicAccessBlockCommand({ AccountId: this.account }));
      entities.push(pab(`arn:aws:s3:${region}:${this.account}:account-public-access-block`, 'account', out.PublicAccessBlockConfiguration ?? {}, this.loc('s3control:GetPublicAccessBlock', region), this.account, region));
    } catch (e) {
      if (!(e instanceof AwsCallError && e.code === 'NoSuchPublicAccessBlockConfiguration')) unavailable(e);
    }
  }

  private async logs(region: string, entities: Entity[], unavailable: (e: unknown) => Unknown) {
    try {
      const pages = await this.caller.paginate<DescribeMetricFiltersCommandOutput>('logs:DescribeMetricFilters', this.where(region), this.clients('logs', region, this.credentials), (nextToken) => new DescribeMetricFiltersCommand({ nextToken }), (o) => o.nextToken);
      const groups = new Set<string>();
      for (const f of pages.flatMap((p) => p.metricFilters ?? [])) {
        const at = this.loc('logs:DescribeMetricFilters', region, `${f.logGroupName}:${f.filterName}`);
        groups.add(f.logGroupName ?? '');
        const mf: MetricFilter = {
          type: 'metric-filter',
          id: `arn:aws:logs:${region}:${this.account}:log-group:${f.logGroupName}:metric-filter:${f.filterName}`,
          origin: 'aws-live',
          resourceType: 'AWS::Logs::MetricFilter',
          at,
          account: this.account,
          region,
          name: known(f.filterName ?? '', at),
          pattern: known(f.filterPattern ?? '', at),
          logGroup: known<Link>({ name: f.logGroupName }, at),
          metrics: known((f.metricTransformations ?? []).map((m) => ({ name: m.metricName ?? '', namespace: m.metricNamespace ?? '' })), at),
        };
        entities.push(mf);
      }
      for (const g of groups) {
        const at = this.loc('logs:DescribeMetricFilters', region, g);
        const lg: LogGroup = { type: 'log-group', id: `arn:aws:logs:${region}:${this.account}:log-group:${g}`, origin: 'aws-live', resourceType: 'AWS::Logs::LogGroup', at, account: this.account, region, name: known(g, at) };
        entities.push(lg);
      }
    } catch (e) {
      unavailable(e);
    }
  }

  private async alarms(region: string, entities: Entity[], unavailable: (e: unknown) => Unknown): Promise<AlarmFiring[] | Unknown> {
    const cw = this.clients('cloudwatch', region, this.credentials);
    try {
      const pages = await this.caller.paginate<DescribeAlarmsCommandOutput>('monitoring:DescribeAlarms', this.where(region), cw, (NextToken) => new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], NextToken }), (o) => o.NextToken);
      for (const a of pages.flatMap((p) => p.MetricAlarms ?? [])) {
        const at = this.loc('monitoring:DescribeAlarms', region, a.AlarmName);
        const alarm: Alarm = {
          type: 'alarm',
          id: a.AlarmArn ?? `arn:aws:cloudwatch:${region}:${this.account}:alarm:${a.AlarmName}`,
          origin: 'aws-live',
          resourceType: 'AWS::CloudWatch::Alarm',
          at,
          account: this.account,
          region,
          name: known(a.AlarmName ?? '', at),
          metricName: known(a.Metrics?.length ? null : (a.MetricName ?? null), at),
          namespace: known(a.Metrics?.length ? null : (a.Namespace ?? null), at),
          actions: known((a.AlarmActions ?? []).map((arn) => ({ name: arn })), at),
          actionsEnabled: known(a.ActionsEnabled === true, at),
        };
        entities.push(alarm);
      }
    } catch (e) {
      unavailable(e);
    }
    try {
      // An activation at the very end of the period may raise its alarm just after it.
      const end = new Date(Math.min(this.opts.period.end.getTime() + (this.opts.config.alarmWithinMinutes ?? 15) * 60_000, this.opts.now().getTime()));
      const pages = await this.caller.paginate<DescribeAlarmHistoryCommandOutput>('monitoring:DescribeAlarmHistory', this.where(region), cw, (NextToken) => new DescribeAlarmHistoryCommand({ HistoryItemType: 'StateUpdate', StartDate: this.opts.period.start, EndDate: end, ScanBy: 'TimestampAscending', NextToken }), (o) => o.NextToken);
      return pages
        .flatMap((p) => p.AlarmHistoryItems ?? [])
        .filter((h) => enteredAlarm(h.HistoryData))
        .map((h) => ({ alarmName: h.AlarmName ?? '', at: h.Timestamp?.toISOString() ?? '', summary: h.HistorySummary ?? '' }))
        .filter((f) => f.at);
    } catch (e) {
      return unavailable(e);
    }
  }

  private async topics(region: string, entities: Entity[], unavailable: (e: unknown) => Unknown) {
    const arns = [...new Set(entities.flatMap((e) => (e.type === 'alarm' && Array.isArray(e.actions.value) ? e.actions.value.map((l) => (isUnknown(l) ? '' : (l.name ?? ''))) : [])))]
      .filter((a) => a.startsWith(`arn:aws:sns:${region}:`))
      .sort();
    if (!arns.length) return;
    const sns = this.clients('sns', region, this.credentials);
    for (const arn of arns) {
      const at = this.loc('sns:ListSubscriptionsByTopic', region, arn);
      const topic: SnsTopic = { type: 'sns-topic', id: arn, origin: 'aws-live', resourceType: 'AWS::SNS::Topic', at, account: arn.split(':')[4], region, name: known(arn.split(':').pop() ?? arn, at) };
      entities.push(topic);
      try {
        const pages = await this.caller.paginate<ListSubscriptionsByTopicCommandOutput>('sns:ListSubscriptionsByTopic', this.where(region, arn), sns, (NextToken) => new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken }), (o) => o.NextToken);
        for (const s of pages.flatMap((p) => p.Subscriptions ?? [])) {
          const confirmed = !!s.SubscriptionArn && s.SubscriptionArn.startsWith('arn:');
          const sub: SnsSubscription = {
            type: 'sns-subscription',
            id: confirmed ? s.SubscriptionArn! : `${arn}/pending/${s.Protocol}`,
            origin: 'aws-live',
            resourceType: 'AWS::SNS::Subscription',
            at,
            account: this.account,
            region,
            topic: known<Link>({ name: arn }, at),
            protocol: known(s.Protocol ?? '', at),
            confirmed: known(confirmed, at),
          };
          entities.push(sub);
        }
      } catch (e) {
        unavailable(e);
      }
    }
  }

  private async secrets(region: string, unavailable: (e: unknown) => Unknown): Promise<SecretLive[]> {
    // A secret ARN names its region; a bare name is looked up in the first configured region only.
    const ids = this.opts.breakGlass.secrets.filter((s) => (s.startsWith('arn:') ? s.split(':')[3] === region && s.split(':')[4] === this.account : region === this.opts.config.regions[0]));
    if (!ids.length) return [];
    const sm = this.clients('secretsmanager', region, this.credentials);
    const out: SecretLive[] = [];
    for (const id of ids) {
      try {
        const d = await this.caller.call<DescribeSecretCommandOutput>('secretsmanager:DescribeSecret', this.where(region, id), sm, new DescribeSecretCommand({ SecretId: id }));
        out.push({ arn: d.ARN ?? id, name: d.Name ?? id, rotationEnabled: d.RotationEnabled === true, lastRotatedDate: d.LastRotatedDate?.toISOString(), lastChangedDate: d.LastChangedDate?.toISOString() });
      } catch (e) {
        if (!(e instanceof AwsCallError && e.code === 'ResourceNotFoundException' && !id.startsWith('arn:'))) unavailable(e);
      }
    }
    return out;
  }

  /** Break-glass sign-ins and role assumptions of the last 90 days (LookupEvents keeps no more). */
  private async lookup(region: string, ct: Sender): Promise<LookedUpActivation[] | Unknown> {
    const detector = new Detector(this.opts.breakGlass);
    const end = this.lookupEnd();
    const floor = new Date(end.getTime() - LOOKUP_WINDOW_DAYS * 86_400_000);
    const start = this.opts.period.start > floor ? this.opts.period.start : floor;
    const found: LookedUpActivation[] = [];
    const caller = new AwsCaller({ maxAttempts: this.opts.config.maxAttempts, maxPages: LOOKUP_MAX_PAGES });
    try {
      for (const name of useStartEventNames()) {
        try {
          const pages = await caller.paginate<LookupEventsCommandOutput>('cloudtrail:LookupEvents', this.where(region, name), ct, (NextToken) => new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }], StartTime: start, EndTime: end, NextToken }), (o) => o.NextToken);
          for (const ev of pages.flatMap((p) => p.Events ?? [])) {
            if (!ev.CloudTrailEvent) continue;
            let e: CtEvent;
            try {
              e = JSON.parse(ev.CloudTrailEvent) as CtEvent;
            } catch {
              throw new AwsCallError('cloudtrail:LookupEvents', this.account, region, name, { name: 'InvalidCloudTrailEvent', message: `event ${ev.EventId}: CloudTrailEvent is not JSON` });
            }
            const p = detector.usePrincipal(e);
            if (p) found.push({ eventId: e.eventID, eventTime: e.eventTime, eventName: e.eventName, principal: p.arn, account: this.account, region });
          }
        } finally {
          this.caller.calls.push(...caller.calls.splice(0));
        }
      }
    } catch (e) {
      const u = this.fail(e);
      return u;
    }
    return found.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventId.localeCompare(b.eventId));
  }
}

/** A role as IAM returned it, with its trust policy read the one way IaC roles are read (src/collect/iam-trust.ts). */
function roleOf(r: Role, at: SourceLocation): BreakGlassRoleLive {
  const base = { arn: r.Arn ?? '', name: r.RoleName ?? '', maxSessionDurationSeconds: r.MaxSessionDuration ?? 3600 };
  let doc: unknown;
  try {
    // IAM returns the trust policy URL-encoded (RFC 3986).
    doc = JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument ?? ''));
  } catch {
    // Kept verbatim; what it requires cannot be told.
    return { ...base, trustPolicy: r.AssumeRolePolicyDocument, trust: { unknown: `the trust policy IAM returned is not JSON`, location: at } };
  }
  return { ...base, trustPolicy: doc, trust: readTrustPolicy(doc as PolicyValue) };
}

/** Management events are recorded unless selectors exclude them (basic or advanced selectors). */
export function recordsManagementEvents(sel: GetEventSelectorsCommandOutput): boolean {
  if (sel.AdvancedEventSelectors?.length) {
    return sel.AdvancedEventSelectors.some((a) => (a.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management')) && !(a.FieldSelectors ?? []).some((f) => f.Field === 'readOnly' && (f.Equals ?? []).includes('true')));
  }
  return (sel.EventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') !== 'ReadOnly');
}

function enteredAlarm(historyData: string | undefined): boolean {
  if (!historyData) return false;
  try {
    return (JSON.parse(historyData) as { newState?: { stateValue?: string } }).newState?.stateValue === 'ALARM';
  } catch {
    return false;
  }
}

function pab(id: string, scope: 'bucket' | 'account', c: { BlockPublicAcls?: boolean; BlockPublicPolicy?: boolean; IgnorePublicAcls?: boolean; RestrictPublicBuckets?: boolean }, at: SourceLocation, account: string, region: string, bucket?: Link): PublicAccessBlock {
  return {
    type: 'public-access-block',
    id,
    origin: 'aws-live',
    resourceType: scope === 'bucket' ? 'AWS::S3::Bucket.PublicAccessBlockConfiguration' : 'AWS::S3::AccountPublicAccessBlock',
    at,
    account,
    region,
    scope,
    bucket: bucket && known(bucket, at),
    blockPublicAcls: known(c.BlockPublicAcls === true, at),
    blockPublicPolicy: known(c.BlockPublicPolicy === true, at),
    ignorePublicAcls: known(c.IgnorePublicAcls === true, at),
    restrictPublicBuckets: known(c.RestrictPublicBuckets === true, at),
  };
}
