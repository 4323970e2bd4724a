// Live AWS collectors against SDK-level mocks: success, pagination, AccessDenied, throttling, timeouts, half-failed pages, disabled regions.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { alarmsAfter, collectAws } from '../../src/collect/aws/collect.js';
import { AWS_CALLS, type AwsCall } from '../../src/collect/aws/calls.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { runCheck } from '../../src/evaluate/engine.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import type { AwsConfig, AwsLiveEvidence } from '../../src/model/aws.js';
import { isUnknown } from '../../src/model/infra.js';
import { API, awsConfig, awsError, breakGlass, CALLER, HOME, installWorld, MEMBER, NOW, OTHER, QUARTER, testClients, type World, type WorldOptions } from './world.js';

let world: World | undefined;
afterEach(() => world?.restore());

async function collect(opts: WorldOptions = {}, config: Partial<AwsConfig> = {}, bg = breakGlass): Promise<AwsLiveEvidence> {
  world = installWorld(opts);
  return collectAws({ config: awsConfig(config), breakGlass: bg, period: QUARTER, clients: testClients, now: NOW, lookupEvents: true });
}

/** Live-only evidence: the IaC checks read the live snapshots. */
export function liveEvidence(live: AwsLiveEvidence): EvidenceSet {
  const nc = { state: 'not-configured' as const, reason: 'not configured' };
  return { period: QUARTER, breakGlass, breakGlassDeclared: true, runbook: nc, iac: nc, live: { state: 'collected', value: live }, cloudtrail: nc, replay: nc, integrity: nc, evidenceRefs: {} };
}

function check(live: AwsLiveEvidence, id: string) {
  const c = CHECKS.find((x) => x.meta.id === id);
  assert.ok(c, id);
  return runCheck(c, liveEvidence(live));
}

/** Fault for one API (in every account and region), `times` times (Infinity = always). */
function failing(api: AwsCall, make: () => Error, times = Infinity): WorldOptions['fault'] {
  let n = 0;
  return (a) => {
    if (a === api && n++ < times) throw make();
  };
}

const T = 'waf-sov-070.tf.aws.';
const bucketOf = (l: AwsLiveEvidence) => l.scopes.find((s) => s.region === HOME)!.snapshot.entities.find((e) => e.type === 'bucket') as import('../../src/model/infra.js').Bucket;

/**
 * One row per API call the collectors make, with what its failure must make unknown: the check that reads
 * it, or (for evidence no check reads yet) the field of the live evidence that must become Unknown.
 */
const DEPENDENTS: { api: AwsCall; check?: string; field?: (l: AwsLiveEvidence) => unknown }[] = [
  { api: 'cloudtrail:DescribeTrails', check: `${T}cloudtrail-enabled-all-regions` },
  { api: 'cloudtrail:GetTrailStatus', check: `${T}cloudtrail-logging-enabled` },
  { api: 'cloudtrail:GetEventSelectors', check: `${T}cloudtrail-logging-enabled` },
  { api: 'cloudtrail:ListPublicKeys', field: (l) => l.scopes.find((s) => s.region === HOME)!.publicKeys },
  { api: 'cloudtrail:LookupEvents', field: (l) => l.scopes.find((s) => s.region === HOME)!.activations },
  { api: 'monitoring:DescribeAlarms', check: `${T}cloudwatch-alarm-root-login` },
  { api: 'monitoring:DescribeAlarmHistory', field: (l) => l.scopes.find((s) => s.region === HOME)!.alarmFirings },
  { api: 'logs:DescribeMetricFilters', check: `${T}cloudwatch-alarm-root-login` },
  { api: 'sns:ListSubscriptionsByTopic', check: `${T}alarm-chain-root-usage` },
  { api: 's3:GetObjectLockConfiguration', check: `${T}cloudtrail-bucket-object-lock` },
  // A complete public-access block keeps the bucket-not-public check passing; the policy status itself is unknown.
  { api: 's3:GetBucketPolicyStatus', field: (l) => bucketOf(l).publicByPolicy!.value },
  { api: 's3:GetPublicAccessBlock' },
  { api: 's3control:GetPublicAccessBlock' },
  { api: 's3:GetBucketVersioning' },
  { api: 'secretsmanager:DescribeSecret' },
  { api: 'iam:GetRole' },
  { api: 'iam:ListRoles', field: (l) => l.unavailable.find((u) => u.api === 'iam:ListRoles') && { unknown: 'roles' } },
  { api: 'iam:ListAccessKeys', field: (l) => l.accounts[0].users[0].accessKeys },
  { api: 'iam:GetLoginProfile', field: (l) => l.accounts[0].users[0].loginProfile },
  { api: 'sts:GetCallerIdentity', field: (l) => l.accounts[0].identity },
];

describe('healthy account: the IaC checks pass on live state, every result labelled with account and region', () => {
  it('trail, bucket, alarm and chain checks pass; findings carry account and region', async () => {
    const live = await collect();
    assert.deepEqual(live.unavailable, []);
    for (const id of ['cloudtrail-enabled-all-regions', 'cloudtrail-logging-enabled', 'cloudtrail-s3-bucket-not-public', 'cloudtrail-bucket-object-lock', 'cloudwatch-alarm-root-login', 'cloudwatch-alarm-iam-policy-changes', 'alarm-chain-root-usage']) {
      const r = check(live, T + id);
      assert.equal(r.status, 'pass', `${id}: ${r.reason}`);
      for (const l of r.locations) assert.ok(l.account === CALLER && l.region === HOME, `${id}: location ${JSON.stringify(l)} names account and region`);
    }
  });

  it('shadow trails are not counted twice; the trail exists once, in its home region', async () => {
    const live = await collect();
    const trails = live.scopes.flatMap((s) => s.snapshot.entities.filter((e) => e.type === 'trail').map((e) => `${e.account}/${e.region}`));
    assert.deepEqual(trails, [`${CALLER}/${HOME}`]);
  });

  it('roles (trust policy MFA, session length), users (keys, console password), secret rotation, alarm firings, LookupEvents activations', async () => {
    const live = await collect();
    const acct = live.accounts[0];
    assert.deepEqual(acct.roles.map((r) => [r.name, r.mfaRequired, r.maxSessionDurationSeconds]), [['BreakGlassAudit', true, 3600], ['BreakGlassAdmin', true, 3600]]);
    assert.deepEqual(acct.users, [{ name: 'breakglass-admin', accessKeys: [{ accessKeyId: 'AKIAEXAMPLEKEY2', status: 'Inactive', createDate: '2025-01-01T00:00:00.000Z' }], loginProfile: false }]);
    const home = live.scopes.find((s) => s.region === HOME)!;
    assert.deepEqual(home.secrets.map((s) => [s.name, s.rotationEnabled, s.lastRotatedDate]), [['break-glass/root-mfa', true, '2026-09-15T00:00:00.000Z']]);
    assert.deepEqual(home.alarmFirings, [{ alarmName: 'root-usage', at: '2026-09-01T10:03:00.000Z', summary: 'Alarm updated from OK to ALARM' }]);
    // Two pages of AssumeRole: only the break-glass role counts, as the local log scanner decides.
    assert.deepEqual(Array.isArray(home.activations) && home.activations.map((a) => a.principal), [`arn:aws:sts::${CALLER}:assumed-role/BreakGlassAdmin/alice`]);
    assert.deepEqual(home.activationAlarms, [{ eventId: `${HOME}-e1`, alarmName: 'root-usage', minutesAfter: 3 }]);
    assert.deepEqual(live.scopes.find((s) => s.region === OTHER)!.activationAlarms, [{ eventId: `${OTHER}-e1`, alarmName: null, minutesAfter: null }], 'no alarm fired there');
    assert.deepEqual(home.trailStatus.map((t) => [t.isLogging, t.latestDeliveryTime, t.latestDigestDeliveryTime]), [[true, '2026-09-30T23:55:00.000Z', '2026-09-30T23:00:00.000Z']]);
  });
});

describe('pagination: every page is read', () => {
  const cases: { name: string; api: AwsCall; got: (l: AwsLiveEvidence) => unknown; expected: unknown }[] = [
    { name: 'DescribeAlarms (NextToken)', api: 'monitoring:DescribeAlarms', got: (l) => l.scopes[0].snapshot.entities.filter((e) => e.type === 'alarm').map((e) => e.id.split(':').pop()), expected: ['iam-policy-changes', 'root-usage'] },
    { name: 'DescribeMetricFilters (nextToken)', api: 'logs:DescribeMetricFilters', got: (l) => l.scopes[0].snapshot.entities.filter((e) => e.type === 'metric-filter').map((e) => e.id.split(':').pop()), expected: ['iam-policy-changes', 'root-usage'] },
    { name: 'ListSubscriptionsByTopic (pending + confirmed)', api: 'sns:ListSubscriptionsByTopic', got: (l) => l.scopes[0].snapshot.entities.filter((e) => e.type === 'sns-subscription').map((e) => (e as any).confirmed.value).sort(), expected: [false, true] },
    { name: 'ListPublicKeys', api: 'cloudtrail:ListPublicKeys', got: (l) => (l.scopes[0].publicKeys as { fingerprint: string }[]).map((k) => k.fingerprint), expected: ['fp-1', 'fp-2'] },
    { name: 'ListRoles (Marker / IsTruncated)', api: 'iam:ListRoles', got: (l) => l.accounts[0].roles.map((r) => r.name), expected: ['BreakGlassAudit', 'BreakGlassAdmin'] },
    { name: 'ListAccessKeys (Marker / IsTruncated)', api: 'iam:ListAccessKeys', got: (l) => (l.accounts[0].users[0].accessKeys as unknown[]).length, expected: 1 },
    { name: 'LookupEvents', api: 'cloudtrail:LookupEvents', got: (l) => l.calls.filter((c) => c.api === 'cloudtrail:LookupEvents' && c.target === 'AssumeRole' && c.region === HOME).map((c) => c.pages), expected: [2] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const live = await collect();
      assert.deepEqual(c.got(live), c.expected);
      assert.ok(live.calls.some((x) => x.api === c.api && x.pages === 2), `${c.api} read two pages`);
    });
  }
  it('organizations:ListAccounts: both pages, ACTIVE accounts only', async () => {
    const live = await collect({}, { accounts: 'organization', assumeRole: { roleName: 'EvidencePackReadOnly' }, regions: [HOME] });
    assert.deepEqual(live.accounts.map((a) => a.account), [CALLER, MEMBER]);
  });
});

describe('AccessDenied: that evidence is unavailable with the exact call and error, dependants are unknown, the run continues', () => {
  for (const d of DEPENDENTS) {
    it(d.api, async () => {
      const def = API[d.api];
      const live = await collect({ fault: failing(d.api, () => awsError(def.ex, def.accessDenied, `User: arn:aws:sts::${CALLER}:assumed-role/EvidencePackReadOnly/evidence-pack is not authorized to perform: ${AWS_CALLS[d.api]}`, 403)) });
      const u = live.unavailable.find((x) => x.api === d.api);
      assert.ok(u, `${d.api} is listed as unavailable`);
      assert.equal(u.code, def.accessDenied);
      assert.match(u.message, new RegExp(`not authorized to perform: ${AWS_CALLS[d.api]}`));
      if (d.check) {
        const r = check(live, d.check);
        assert.equal(r.status, 'unknown', `${d.check}: ${r.reason}`);
        assert.match(JSON.stringify(r), new RegExp(d.api), 'the result names the failed call');
      }
      if (d.field) assert.ok(isUnknown(d.field(live)), 'the evidence is Unknown');
      // The run went on: other calls were still made.
      assert.ok(live.calls.filter((c) => c.ok).length > 5);
    });
  }
});

describe('throttling: the adaptive retry succeeds and the evidence is as healthy', () => {
  for (const d of DEPENDENTS) {
    it(d.api, async () => {
      const def = API[d.api];
      const live = await collect({ fault: failing(d.api, () => awsError(def.ex, def.throttling, 'Rate exceeded', def.throttling === 'SlowDown' ? 503 : 400), 1) });
      assert.deepEqual(live.unavailable, []);
      const retried = live.calls.filter((c) => c.api === d.api && c.attempts > c.pages);
      assert.equal(retried.length, 1, 'one call needed a second attempt');
      // GetLoginProfile's healthy answer is NoSuchEntity (no console password).
      assert.ok(retried[0].ok || retried[0].error?.code === 'NoSuchEntity', JSON.stringify(retried[0]));
      if (d.check) assert.equal(check(live, d.check).status, 'pass');
      if (d.field) assert.ok(!isUnknown(d.field(live)));
    });
  }
  it('throttled on every attempt: gives up after maxAttempts, unavailable', async () => {
    const def = API['cloudtrail:GetTrailStatus'];
    const live = await collect({ fault: failing('cloudtrail:GetTrailStatus', () => awsError(def.ex, 'ThrottlingException', 'Rate exceeded')) }, { maxAttempts: 2 });
    const c = live.calls.find((x) => x.api === 'cloudtrail:GetTrailStatus')!;
    assert.deepEqual([c.ok, c.attempts, c.error?.code], [false, 2, 'ThrottlingException']);
    assert.equal(check(live, `${T}cloudtrail-logging-enabled`).status, 'unknown');
  });
});

describe('other faults', () => {
  it('timeouts are retried, then reported', async () => {
    const timeout = () => Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });
    const once = await collect({ fault: failing('monitoring:DescribeAlarms', timeout, 1) });
    assert.deepEqual(once.unavailable, []);
    world!.restore();
    const always = await collect({ fault: failing('monitoring:DescribeAlarms', timeout) }, { maxAttempts: 2 });
    assert.deepEqual(always.unavailable.map((u) => [u.api, u.code]), [['monitoring:DescribeAlarms', 'TimeoutError'], ['monitoring:DescribeAlarms', 'TimeoutError']]);
    assert.equal(check(always, `${T}cloudwatch-alarm-root-login`).status, 'unknown');
  });

  it('a half-failed page: page 1 read, page 2 fails — the partial list is not used', async () => {
    const def = API['monitoring:DescribeAlarms'];
    const live = await collect({ fault: (api, input) => { if (api === 'monitoring:DescribeAlarms' && input.NextToken === 'a2') throw awsError(def.ex, 'InternalFailure', 'An internal error occurred', 400); } });
    const home = live.scopes.find((s) => s.region === HOME)!;
    assert.equal(home.snapshot.entities.filter((e) => e.type === 'alarm').length, 0, 'no alarm from page 1 is kept');
    assert.match(home.snapshot.problems.map((p) => p.message).join('\n'), /monitoring:DescribeAlarms .*InternalFailure.*after 1 page/);
    assert.equal(check(live, `${T}cloudwatch-alarm-root-login`).status, 'unknown');
  });

  it('a region that is not enabled: nothing else is asked there, the other region is read', async () => {
    const live = await collect({ disabledRegions: [OTHER] });
    const other = live.scopes.find((s) => s.region === OTHER)!;
    assert.equal(other.enabled, false);
    assert.deepEqual(live.calls.filter((c) => c.region === OTHER).map((c) => c.api), ['cloudtrail:DescribeTrails']);
    assert.match(other.snapshot.problems[0].message, /region eu-central-1 is not enabled for account 111111111111 \(UnrecognizedClientException\)/);
    assert.ok(isUnknown(other.activations));
    // The trail in the enabled home region still counts.
    assert.equal(check(live, `${T}cloudtrail-logging-enabled`).status, 'pass');
  });

  it('AssumeRole denied in one account: that account is unknown, the other is read', async () => {
    const def = API['sts:AssumeRole'];
    const live = await collect({ fault: (api, input) => { if (api === 'sts:AssumeRole' && String(input.RoleArn).includes(MEMBER)) throw awsError(def.ex, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403); } }, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'EvidencePackReadOnly' } });
    assert.deepEqual(live.unavailable.map((u) => [u.api, u.code, u.target]), [['sts:AssumeRole', 'AccessDenied', `arn:aws:iam::${MEMBER}:role/EvidencePackReadOnly`]]);
    assert.ok(isUnknown(live.accounts.find((a) => a.account === MEMBER)!.identity));
    assert.ok(live.scopes.filter((s) => s.account === MEMBER).every((s) => s.snapshot.entities.length === 0 && s.snapshot.problems.length === 1));
    assert.ok(live.scopes.some((s) => s.account === CALLER && s.snapshot.entities.length > 0));
  });
});

describe('many accounts', () => {
  it('assumes the role in each member account (not the caller\'s), labels every scope, keeps concurrency bounded', async () => {
    const live = await collect({ delayMs: 5 }, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'EvidencePackReadOnly', externalId: 'ext-123' }, concurrency: 2 });
    const assumed = world!.mocks.get(API['sts:AssumeRole'].client)!.commandCalls(API['sts:AssumeRole'].command).map((c) => c.args[0].input);
    assert.deepEqual(assumed, [{ RoleArn: `arn:aws:iam::${MEMBER}:role/EvidencePackReadOnly`, RoleSessionName: 'evidence-pack', ExternalId: 'ext-123' }]);
    assert.deepEqual(live.scopes.map((s) => `${s.account}/${s.region}`), [`${CALLER}/${HOME}`, `${CALLER}/${OTHER}`, `${MEMBER}/${HOME}`, `${MEMBER}/${OTHER}`]);
    assert.ok(live.scopes.every((s) => s.snapshot.entities.every((e) => e.account === s.account || e.type === 'sns-topic')));
    assert.equal(live.scopes.find((s) => s.account === MEMBER && s.region === HOME)!.snapshot.entities.find((e) => e.type === 'trail')!.id, `arn:aws:cloudtrail:${HOME}:${MEMBER}:trail/org-trail`);
    assert.ok(world!.maxInFlight <= 2, `at most 2 calls in flight (saw ${world!.maxInFlight})`);
    assert.ok(world!.maxInFlight === 2, 'the bound is used');
  });

  it('the same inputs give the same evidence (order does not depend on timing)', async () => {
    const a = await collect({ delayMs: 3 }, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'R' }, concurrency: 4 });
    world!.restore();
    const b = await collect({}, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'R' }, concurrency: 1 });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
  });

  it('credentials from AssumeRole never appear in the evidence', async () => {
    const live = await collect({}, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'R' } });
    const text = JSON.stringify(live);
    for (const secret of ['assumed-secret-not-real', 'token-not-real', 'test-secret-not-real']) assert.ok(!text.includes(secret), secret);
  });
});

describe('malformed answers are reported, never a crash', () => {
  it('a trust policy that is not JSON: kept verbatim, MFA not taken as required', async () => {
    world = installWorld();
    const { GetRoleCommand } = await import('@aws-sdk/client-iam');
    world.mocks.get(API['iam:GetRole'].client)!.on(GetRoleCommand).resolves({ Role: { Path: '/', RoleName: 'BreakGlassAudit', RoleId: 'AROAX', Arn: `arn:aws:iam::${CALLER}:role/BreakGlassAudit`, CreateDate: new Date('2024-01-01T00:00:00Z'), AssumeRolePolicyDocument: '%7Bnot-json', MaxSessionDuration: 43200 } });
    const live = await collectAws({ config: awsConfig({ regions: [HOME] }), breakGlass, period: QUARTER, clients: testClients, now: NOW, lookupEvents: false });
    const role = live.accounts[0].roles.find((r) => r.name === 'BreakGlassAudit')!;
    assert.deepEqual([role.mfaRequired, role.trustPolicy, role.maxSessionDurationSeconds], [false, '%7Bnot-json', 43200]);
  });
  it('a LookupEvents CloudTrailEvent that is not JSON: LookupEvents unavailable, the rest read', async () => {
    world = installWorld();
    const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
    world.mocks.get(API['cloudtrail:LookupEvents'].client)!.on(LookupEventsCommand).resolves({ Events: [{ EventId: 'bad-1', EventName: 'ConsoleLogin', CloudTrailEvent: '{not json' }] });
    const live = await collectAws({ config: awsConfig({ regions: [HOME] }), breakGlass, period: QUARTER, clients: testClients, now: NOW, lookupEvents: true });
    assert.ok(isUnknown(live.scopes[0].activations));
    assert.match(live.unavailable.map((u) => `${u.api} ${u.code} ${u.message}`).join('\n'), /cloudtrail:LookupEvents InvalidCloudTrailEvent event bad-1: CloudTrailEvent is not JSON/);
    assert.equal(check(live, `${T}cloudtrail-logging-enabled`).status, 'pass');
  });
});

describe('alarm firings relative to activations', () => {
  const act = (id: string, t: string) => ({ eventId: id, eventTime: t, eventName: 'AssumeRole', principal: 'p', account: CALLER, region: HOME });
  const fire = (name: string, t: string) => ({ alarmName: name, at: t, summary: 'Alarm updated from OK to ALARM' });
  const cases: { name: string; acts: any; fires: any; expected: unknown }[] = [
    { name: 'first firing after the activation', acts: [act('a', '2026-09-01T10:00:00Z')], fires: [fire('late', '2026-09-01T10:30:00Z'), fire('early', '2026-09-01T10:02:00Z')], expected: [{ eventId: 'a', alarmName: 'early', minutesAfter: 2 }] },
    { name: 'a firing before the activation does not count', acts: [act('a', '2026-09-01T10:00:00Z')], fires: [fire('before', '2026-09-01T09:59:00Z')], expected: [{ eventId: 'a', alarmName: null, minutesAfter: null }] },
    { name: 'more than an hour later does not count', acts: [act('a', '2026-09-01T10:00:00Z')], fires: [fire('x', '2026-09-01T11:00:01Z')], expected: [{ eventId: 'a', alarmName: null, minutesAfter: null }] },
    { name: 'alarm history unknown: unknown, not "no alarm"', acts: [act('a', '2026-09-01T10:00:00Z')], fires: { unknown: 'DescribeAlarmHistory denied' }, expected: { unknown: 'DescribeAlarmHistory denied' } },
    { name: 'activations unknown: unknown', acts: { unknown: 'LookupEvents denied' }, fires: [], expected: { unknown: 'LookupEvents denied' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(alarmsAfter(c.acts, c.fires), c.expected));
});


describe('LookupEvents activations follow the log scanner', () => {
  it('a denied AssumeRole of a break-glass role and a failed root sign-in start no activation', async () => {
    world = installWorld();
    const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
    const ev = (id: string, name: string, extra: Record<string, unknown>) => ({
      EventId: id,
      EventName: name,
      CloudTrailEvent: JSON.stringify({ eventVersion: '1.09', eventID: id, eventTime: '2026-08-01T10:00:00Z', eventName: name, awsRegion: HOME, sourceIPAddress: '198.51.100.7', ...extra }),
    });
    world.mocks.get(API['cloudtrail:LookupEvents'].client)!.on(LookupEventsCommand).resolves({
      Events: [
        ev('denied-1', 'AssumeRole', { eventSource: 'sts.amazonaws.com', errorCode: 'AccessDenied', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${CALLER}:user/ops` }, requestParameters: { roleArn: `arn:aws:iam::${CALLER}:role/BreakGlassAdmin`, roleSessionName: 'x' } }),
        ev('failed-1', 'ConsoleLogin', { eventSource: 'signin.amazonaws.com', userIdentity: { type: 'Root', arn: `arn:aws:iam::${CALLER}:root` }, responseElements: { ConsoleLogin: 'Failure' } }),
      ],
    });
    const live = await collectAws({ config: awsConfig({ regions: [HOME] }), breakGlass, period: QUARTER, clients: testClients, now: NOW, lookupEvents: true });
    assert.deepEqual(live.scopes[0].activations, []);
  });
});
