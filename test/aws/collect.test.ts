// Live AWS collectors against moto_server: success, pagination, AccessDenied, throttling, timeouts, half-failed pages,
// disabled regions, many accounts. Errors come from moto or from the policy-enforcing wire, in AWS's wire format.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AWS_CALLS, CALLER_ONLY, type AwsCall } from '../../src/collect/aws/calls.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { runCheck } from '../../src/evaluate/engine.js';
import type { AwsLiveEvidence } from '../../src/model/aws.js';
import { isUnknown, type Bucket } from '../../src/model/infra.js';
import { startMoto, type Moto } from '../support/moto.js';
import { assumeRoleEvent, buildWorld, CALLER, compliantAccount, consoleLoginEvent, HOME, OTHER, type World } from '../support/aws-world.js';
import { denyPolicy, iamActionOf, WireError, type WireOptions } from '../support/aws-wire.js';
import { collectFrom, liveEvidence } from './helpers.js';

let moto: Moto;
let world: World;
let MEMBER: string;

before(async () => {
  moto = await startMoto();
  world = await buildWorld(moto, {
    caller: compliantAccount({
      roles: [
        { name: 'BreakGlassAudit', mfa: true, maxSessionDuration: 3600 },
        { name: 'BreakGlassAdmin', mfa: true, maxSessionDuration: 3600 },
      ],
      subscriptions: [
        { protocol: 'email', endpoint: 'secops@example.com', confirmed: true },
        { protocol: 'email', endpoint: 'new@example.com', confirmed: false },
      ],
      // More than one page of roles (100) and of subscriptions (100).
      bulk: { roles: 100, subscriptions: 99 },
    }),
    members: [compliantAccount()],
    closedMembers: 1,
  });
  MEMBER = world.members[0];
  // LookupEvents: one break-glass assumption in each region, and 50 ordinary ones after it (two pages of 50).
  world.state.events.push(assumeRoleEvent({ id: `${HOME}-e1`, time: '2026-09-01T10:00:00Z', account: CALLER, role: 'BreakGlassAdmin' }));
  world.state.events.push(assumeRoleEvent({ id: `${OTHER}-e1`, time: '2026-09-01T10:00:00Z', account: CALLER, role: 'BreakGlassAdmin', region: OTHER }));
  for (let i = 1; i <= 50; i++) world.state.events.push(assumeRoleEvent({ id: `${HOME}-ro-${i}`, time: `2026-09-02T10:${String(i).padStart(2, '0')}:00Z`, account: CALLER, role: 'ReadOnly-1' }));
  world.state.alarmHistory.push({ account: CALLER, region: HOME, alarmName: 'root-usage', at: '2026-09-01T10:03:00Z', from: 'OK', to: 'ALARM' }, { account: CALLER, region: HOME, alarmName: 'root-usage', at: '2026-09-01T10:13:00Z', from: 'ALARM', to: 'OK' });
  for (const [start, end] of [['2026-06-01T00:00:00Z', '2026-08-01T00:00:00Z'], ['2026-08-01T00:00:00Z', '2026-10-01T00:00:00Z']]) {
    world.state.publicKeys.push({ region: HOME, value: new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'pkcs1' })), start, end });
  }
});
after(async () => {
  await moto?.stop();
});

const collect = (wire: WireOptions = {}, config: Parameters<typeof collectFrom>[2] = {}, opts: Parameters<typeof collectFrom>[3] = {}) => collectFrom(world, wire, config, opts);

function check(live: AwsLiveEvidence, id: string) {
  const c = CHECKS.find((x) => x.meta.id === id);
  assert.ok(c, id);
  return runCheck(c, liveEvidence(live));
}

const T = 'waf-sov-070.tf.aws.';
const LIVE_IDENTITY = 'waf-sov-070.live.aws.break-glass-identity-hardened';
const home = (l: AwsLiveEvidence) => l.scopes.find((s) => s.region === HOME && s.account === CALLER)!;
const bucketOf = (l: AwsLiveEvidence) => home(l).snapshot.entities.find((e) => e.type === 'bucket') as Bucket;

/**
 * One row per API call the collectors make, with what its failure must make unknown: the check that reads
 * it, or (for evidence no check reads yet) the field of the live evidence that must become Unknown.
 */
const DEPENDENTS: { api: AwsCall; check?: string; field?: (l: AwsLiveEvidence) => unknown }[] = [
  { api: 'cloudtrail:DescribeTrails', check: `${T}cloudtrail-enabled-all-regions` },
  { api: 'cloudtrail:GetTrailStatus', check: `${T}cloudtrail-logging-enabled` },
  { api: 'cloudtrail:GetEventSelectors', check: `${T}cloudtrail-logging-enabled` },
  { api: 'cloudtrail:ListPublicKeys', field: (l) => home(l).publicKeys },
  { api: 'cloudtrail:LookupEvents', field: (l) => home(l).activations },
  { api: 'monitoring:DescribeAlarms', check: `${T}cloudwatch-alarm-root-login` },
  { api: 'monitoring:DescribeAlarmHistory', field: (l) => home(l).alarmFirings },
  { api: 'logs:DescribeMetricFilters', check: `${T}cloudwatch-alarm-root-login` },
  { api: 'sns:ListSubscriptionsByTopic', check: `${T}alarm-chain-root-usage` },
  { api: 's3:GetObjectLockConfiguration', check: `${T}cloudtrail-bucket-object-lock` },
  // A complete public-access block keeps the bucket-not-public check passing; the policy status itself is unknown.
  { api: 's3:GetBucketPolicyStatus', field: (l) => bucketOf(l).publicByPolicy!.value },
  { api: 's3:GetPublicAccessBlock' },
  { api: 's3control:GetPublicAccessBlock' },
  { api: 's3:GetBucketVersioning' },
  { api: 'secretsmanager:DescribeSecret' },
  { api: 'iam:GetRole', check: LIVE_IDENTITY },
  { api: 'iam:ListRoles', check: LIVE_IDENTITY },
  { api: 'iam:ListAccessKeys', field: (l) => l.accounts[0].users[0].accessKeys },
  { api: 'iam:GetLoginProfile', field: (l) => l.accounts[0].users[0].loginProfile },
  { api: 'sso:ListInstances', check: LIVE_IDENTITY },
  { api: 'sso:ListPermissionSets', check: LIVE_IDENTITY },
  { api: 'sso:DescribePermissionSet', check: LIVE_IDENTITY },
  { api: 'sts:GetCallerIdentity', field: (l) => l.accounts[0].identity },
];

it('the table has a row for every call the collectors make in an account (AWS_CALLS, less the caller\'s, Lake\'s and Athena\'s)', () => {
  const expected = (Object.keys(AWS_CALLS) as AwsCall[]).filter((c) => !CALLER_ONLY.includes(c) && !c.startsWith('cloudtrail:StartQuery') && !c.startsWith('cloudtrail:GetQueryResults') && !c.startsWith('athena:'));
  assert.deepEqual(DEPENDENTS.map((d) => d.api).sort(), expected.sort());
});

describe('healthy account: the IaC checks pass on live state, every result labelled with account and region', () => {
  it('trail, bucket, alarm and chain checks pass; findings carry account and region', async () => {
    const { live } = await collect();
    assert.deepEqual(live.unavailable, []);
    for (const id of ['cloudtrail-enabled-all-regions', 'cloudtrail-logging-enabled', 'cloudtrail-s3-bucket-not-public', 'cloudtrail-bucket-object-lock', 'cloudwatch-alarm-root-login', 'cloudwatch-alarm-iam-policy-changes', 'alarm-chain-root-usage']) {
      const r = check(live, T + id);
      assert.equal(r.status, 'pass', `${id}: ${r.reason}`);
      for (const l of r.locations) assert.ok(l.account === CALLER && l.region === HOME, `${id}: location ${JSON.stringify(l)} names account and region`);
    }
  });

  it('a multi-region trail whose home region is not read is taken from its shadow, its status asked by ARN', async () => {
    const { live } = await collect({}, { regions: [OTHER] });
    const trails = live.scopes.flatMap((s) => s.snapshot.entities.filter((e) => e.type === 'trail').map((e) => `${e.id} read in ${e.region}`));
    assert.deepEqual(trails, [`arn:aws:cloudtrail:${HOME}:${CALLER}:trail/org-trail read in ${OTHER}`]);
    assert.deepEqual(live.scopes[0].trailStatus.map((t) => [t.name, t.isLogging, t.unavailable]), [['org-trail', true, undefined]]);
    assert.deepEqual(live.calls.filter((c) => c.api === 'cloudtrail:GetTrailStatus' || c.api === 'cloudtrail:GetEventSelectors').map((c) => [c.api, c.region, c.ok]), [['cloudtrail:GetEventSelectors', HOME, true], ['cloudtrail:GetTrailStatus', HOME, true]]);
    assert.equal(check(live, `${T}cloudtrail-enabled-all-regions`).status, 'pass');
  });

  it('shadow trails are not counted twice; the trail exists once, in its home region', async () => {
    const { live } = await collect();
    const trails = live.scopes.flatMap((s) => s.snapshot.entities.filter((e) => e.type === 'trail').map((e) => `${e.account}/${e.region}`));
    assert.deepEqual(trails, [`${CALLER}/${HOME}`]);
  });

  it('roles (trust policy MFA, session length), users (keys, console password), secret rotation, alarm firings, LookupEvents activations', async () => {
    const built = Date.now() - 3_600_000;
    const { live } = await collect();
    const acct = live.accounts[0];
    assert.deepEqual(acct.roles.map((r) => [r.name, !isUnknown(r.trust) && r.trust.mfaRequired, r.maxSessionDurationSeconds]), [['BreakGlassAudit', true, 3600], ['BreakGlassAdmin', true, 3600]]);
    assert.equal(acct.users.length, 1);
    assert.deepEqual([acct.users[0].name, (acct.users[0].accessKeys as { status: string }[]).map((k) => k.status), acct.users[0].loginProfile], ['breakglass-admin', ['Inactive'], false]);
    const h = home(live);
    assert.deepEqual(h.secrets.map((s) => [s.name, s.rotationEnabled]), [['break-glass/root-mfa', true]]);
    assert.ok(Date.parse(h.secrets[0].lastRotatedDate!) > built, 'moto stamped the rotation when the world was built');
    assert.deepEqual(h.alarmFirings, [{ alarmName: 'root-usage', at: '2026-09-01T10:03:00.000Z', summary: 'Alarm updated from OK to ALARM' }]);
    // Two pages of AssumeRole: only the break-glass role counts, as the local log scanner decides.
    assert.deepEqual(Array.isArray(h.activations) && h.activations.map((a) => a.principal), [`arn:aws:sts::${CALLER}:assumed-role/BreakGlassAdmin/alice`]);
    assert.deepEqual(Array.isArray(live.scopes.find((s) => s.region === OTHER)!.activations) && (live.scopes.find((s) => s.region === OTHER)!.activations as { eventId: string }[]).map((a) => a.eventId), [`${OTHER}-e1`]);
    assert.deepEqual(live.scopes.find((s) => s.region === OTHER)!.alarmFirings, [], 'no alarm fired there');
    // moto reports a logging trail as delivered when asked, and no digest delivery.
    assert.deepEqual(h.trailStatus.map((t) => [t.name, t.logFileValidation, t.isLogging, Date.parse(t.latestDeliveryTime!) > built, t.latestDigestDeliveryTime]), [['org-trail', true, true, true, undefined]]);
  });
});

describe('pagination: every page is read', () => {
  const cases: { name: string; api: AwsCall; got: (l: AwsLiveEvidence) => unknown; expected: unknown }[] = [
    { name: 'ListSubscriptionsByTopic (NextToken; pending + confirmed)', api: 'sns:ListSubscriptionsByTopic', got: (l) => home(l).snapshot.entities.filter((e) => e.type === 'sns-subscription').map((e) => (e as { confirmed: { value: boolean } }).confirmed.value).filter((v) => v === false).length, expected: 1 },
    { name: 'ListPublicKeys (NextToken)', api: 'cloudtrail:ListPublicKeys', got: (l) => (home(l).publicKeys as { fingerprint: string }[]).map((k) => k.fingerprint), expected: () => fingerprints(HOME) },
    { name: 'ListRoles (Marker / IsTruncated)', api: 'iam:ListRoles', got: (l) => l.accounts[0].roles.map((r) => r.name), expected: ['BreakGlassAudit', 'BreakGlassAdmin'] },
    { name: 'LookupEvents (NextToken)', api: 'cloudtrail:LookupEvents', got: (l) => l.calls.filter((c) => c.api === 'cloudtrail:LookupEvents' && c.target === 'AssumeRole' && c.region === HOME).map((c) => c.pages), expected: [2] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { live } = await collect({}, { regions: [HOME] });
      assert.deepEqual(c.got(live), typeof c.expected === 'function' ? (c.expected as () => unknown)() : c.expected);
      assert.ok(live.calls.some((x) => x.api === c.api && x.pages === 2), `${c.api} read two pages`);
    });
  }
  it('organizations:ListAccounts: both pages (20 per page), ACTIVE accounts only', async () => {
    // The member accounts are not read here (AssumeRole denied): only the listing matters.
    const { live } = await collect({ policy: () => denyPolicy('sts:AssumeRole') }, { accounts: 'organization', assumeRole: { roleName: 'EvidencePackReadOnly' }, regions: [HOME] });
    assert.deepEqual(live.accounts.map((a) => a.account).sort(), [CALLER, MEMBER].sort(), 'the closed account is not read');
    assert.equal(live.calls.find((c) => c.api === 'organizations:ListAccounts')!.pages, 1, 'three accounts fit one page');
  });
});

function fingerprints(region: string): string[] {
  return world.state.publicKeys.filter((k) => k.region === region).map((k) => createHash('md5').update(k.value).digest('hex'));
}

describe('AccessDenied (the reading identity\'s IAM policy denies the action): that evidence is unavailable with the exact call and error, dependants are unknown, the run continues', () => {
  for (const d of DEPENDENTS) {
    it(d.api, async () => {
      const { live } = await collect({ policy: () => denyPolicy(iamActionOf(d.api)) }, { regions: [HOME] });
      const u = live.unavailable.find((x) => x.api === d.api);
      assert.ok(u, `${d.api} is listed as unavailable`);
      assert.match(u.code, /^(AccessDenied|AccessDeniedException|AuthorizationError)$/);
      assert.match(u.message, new RegExp(`not authorized to perform: ${AWS_CALLS[d.api]} `), 'the wire denied the action the iam-policy registry names');
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
  // One collection in which every call's first request is throttled (each service in its own error code).
  let throttled: Promise<Awaited<ReturnType<typeof collect>>> | undefined;
  const once = () => (throttled ??= collect({ rules: DEPENDENTS.map((d) => ({ api: d.api, times: 1, fault: 'throttling' as const })) }, { regions: [HOME] }));
  it('nothing is unavailable', async () => assert.deepEqual((await once()).live.unavailable, []));
  for (const d of DEPENDENTS) {
    it(d.api, async () => {
      const { live, wire } = await once();
      const retried = live.calls.filter((c) => c.api === d.api && c.attempts > c.pages);
      assert.equal(retried.length, 1, 'one call needed a second attempt');
      // GetLoginProfile's healthy answer is NoSuchEntity (no console password).
      assert.ok(retried[0].ok || retried[0].error?.code === 'NoSuchEntity', JSON.stringify(retried[0]));
      assert.ok(wire.received.filter((o) => o.api === d.api).length >= 2, 'the throttled request was sent again');
      if (d.check) assert.equal(check(live, d.check).status, 'pass');
      if (d.field) assert.ok(!isUnknown(d.field(live)));
    });
  }
  it('throttled on every attempt: gives up after maxAttempts, unavailable', async () => {
    const { live } = await collect({ rules: [{ api: 'cloudtrail:GetTrailStatus', fault: 'throttling' }] }, { maxAttempts: 2, regions: [HOME] });
    const c = live.calls.find((x) => x.api === 'cloudtrail:GetTrailStatus')!;
    assert.deepEqual([c.ok, c.attempts, c.error?.code], [false, 2, 'ThrottlingException']);
    assert.equal(check(live, `${T}cloudtrail-logging-enabled`).status, 'unknown');
  });
});

describe('other faults', () => {
  it('timeouts (the SDK\'s own request timeout) are retried, then reported', async () => {
    const once = await collect({ rules: [{ api: 'monitoring:DescribeAlarms', times: 1, fault: 'timeout' }] }, { regions: [HOME] });
    assert.deepEqual(once.live.unavailable, []);
    const always = await collect({ rules: [{ api: 'monitoring:DescribeAlarms', fault: 'timeout' }] }, { maxAttempts: 2, regions: [HOME] });
    assert.deepEqual(always.live.unavailable.map((u) => [u.api, u.code]), [['monitoring:DescribeAlarms', 'TimeoutError']]);
    assert.equal(check(always.live, `${T}cloudwatch-alarm-root-login`).status, 'unknown');
  });

  it('a half-failed page: page 1 read, page 2 fails — the partial list is not used', async () => {
    const { live } = await collect({ rules: [{ api: 'cloudtrail:LookupEvents', when: (op) => !!op.input.NextToken, fault: new WireError('InternalFailure', 'An internal error occurred', 500) }] }, { regions: [HOME] });
    const activations = home(live).activations;
    assert.ok(isUnknown(activations), 'no activation from page 1 is kept');
    assert.match(activations.unknown, /cloudtrail:LookupEvents .*InternalFailure.*after 1 page; the partial list is not used/);
    assert.deepEqual(live.unavailable.map((u) => [u.api, u.code]), [['cloudtrail:LookupEvents', 'InternalFailure']]);
  });

  it('a region that is not enabled: nothing else is asked there, the other region is read', async () => {
    const { live } = await collect({ rules: [{ region: OTHER, when: (op) => !['sts', 'iam', 'organizations'].includes(op.service), fault: 'region-disabled' }] });
    const other = live.scopes.find((s) => s.region === OTHER)!;
    assert.equal(other.enabled, false);
    // Account-wide, the Identity Center instance is looked for in each region first; then DescribeTrails, and nothing else.
    assert.deepEqual(live.calls.filter((c) => c.region === OTHER).map((c) => c.api), ['cloudtrail:DescribeTrails', 'sso:ListInstances']);
    assert.ok(live.unavailable.filter((u) => u.region === OTHER).every((u) => u.regionDisabled), 'a region that is not enabled is no gap');
    assert.match(other.snapshot.problems[0].message, new RegExp(`region eu-central-1 is not enabled for account ${CALLER} \\(UnrecognizedClientException\\)`));
    assert.ok(isUnknown(other.activations));
    // The trail in the enabled home region still counts.
    assert.equal(check(live, `${T}cloudtrail-logging-enabled`).status, 'pass');
  });

  it('AssumeRole denied for one account\'s role: that account is unknown, the other is read', async () => {
    const role = `arn:aws:iam::${MEMBER}:role/EvidencePackReadOnly`;
    const { live } = await collect({ policy: () => denyPolicy('sts:AssumeRole', role) }, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'EvidencePackReadOnly' } });
    assert.deepEqual(live.unavailable.map((u) => [u.api, u.code, u.target]), [['sts:AssumeRole', 'AccessDenied', role]]);
    assert.ok(isUnknown(live.accounts.find((a) => a.account === MEMBER)!.identity));
    assert.ok(live.scopes.filter((s) => s.account === MEMBER).every((s) => s.snapshot.entities.length === 0 && s.snapshot.problems.length === 1));
    assert.ok(live.scopes.some((s) => s.account === CALLER && s.snapshot.entities.length > 0));
  });
});

describe('many accounts', () => {
  it('assumes the role in each member account (not the caller\'s), labels every scope, keeps concurrency bounded', async () => {
    const { live, wire } = await collect({ delayMs: 5 }, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'EvidencePackReadOnly', externalId: 'ext-123' }, concurrency: 2 });
    const assumed = wire.received.filter((o) => o.api === 'sts:AssumeRole').map((o) => [o.input.RoleArn, o.input.RoleSessionName, o.input.ExternalId]);
    assert.deepEqual(assumed, [[`arn:aws:iam::${MEMBER}:role/EvidencePackReadOnly`, 'evidence-pack', 'ext-123']]);
    assert.deepEqual(live.scopes.map((s) => `${s.account}/${s.region}`), [`${CALLER}/${HOME}`, `${CALLER}/${OTHER}`, `${MEMBER}/${HOME}`, `${MEMBER}/${OTHER}`]);
    assert.ok(live.scopes.every((s) => s.snapshot.entities.every((e) => e.account === s.account || e.type === 'sns-topic')));
    assert.equal(live.scopes.find((s) => s.account === MEMBER && s.region === HOME)!.snapshot.entities.find((e) => e.type === 'trail')!.id, `arn:aws:cloudtrail:${HOME}:${MEMBER}:trail/org-trail`);
    assert.deepEqual(live.accounts.find((a) => a.account === MEMBER)!.identity, { arn: `arn:aws:sts::${MEMBER}:assumed-role/EvidencePackReadOnly/evidence-pack`, userId: (live.accounts.find((a) => a.account === MEMBER)!.identity as { userId: string }).userId });
    assert.ok(wire.maxInFlight <= 2, `at most 2 calls in flight (saw ${wire.maxInFlight})`);
    assert.ok(wire.maxInFlight === 2, 'the bound is used');
  });

  it('the same inputs give the same evidence (order does not depend on timing)', async () => {
    const a = await collect({ delayMs: 3 }, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'R' }, concurrency: 4 });
    const b = await collect({}, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'R' }, concurrency: 1 });
    // Where moto differs from AWS, and only there: it stamps a logging trail's latest delivery at the time it is
    // asked, and gives each AssumeRole session a new role id (AWS keeps the role's unique id, AROA…).
    const stable = (l: AwsLiveEvidence) => JSON.stringify(l, (k, v) => (k === 'latestDeliveryTime' ? 'asked-time' : k === 'userId' ? String(v).replace(/^AROA[A-Z0-9]+:/, 'AROA…:') : v));
    assert.equal(stable(a.live), stable(b.live));
  });

  it('credentials from AssumeRole never appear in the evidence', async () => {
    const { live } = await collect({}, { accounts: [CALLER, MEMBER], assumeRole: { roleName: 'R' } });
    const text = JSON.stringify(live);
    assert.ok(world.keys.secrets.size > 1, 'AssumeRole handed out credentials');
    for (const secret of world.keys.secrets) assert.ok(!text.includes(secret), 'a secret key or session token leaked');
  });
});

describe('malformed answers are reported, never a crash', () => {
  it('a trust policy that is not JSON: kept verbatim, what it requires unknown (never taken as requiring MFA)', async () => {
    const { live } = await collect({ rewrite: { 'iam:GetRole': (xml) => xml.replace(/<AssumeRolePolicyDocument>[^<]*<\/AssumeRolePolicyDocument>/, '<AssumeRolePolicyDocument>%7Bnot-json</AssumeRolePolicyDocument>') } }, { regions: [HOME] }, { lookupEvents: false });
    const role = live.accounts[0].roles.find((r) => r.name === 'BreakGlassAudit')!;
    assert.equal(role.trustPolicy, '%7Bnot-json');
    assert.ok(isUnknown(role.trust) && /not JSON/.test(role.trust.unknown));
  });
  it('a LookupEvents CloudTrailEvent that is not JSON: LookupEvents unavailable, the rest read', async () => {
    const { live } = await collect({ emulate: { 'cloudtrail:LookupEvents': () => ({ Events: [{ EventId: 'bad-1', EventName: 'ConsoleLogin', EventTime: new Date('2026-08-01T10:00:00Z'), CloudTrailEvent: '{not json' }] }) } }, { regions: [HOME] });
    assert.ok(isUnknown(home(live).activations));
    assert.match(live.unavailable.map((u) => `${u.api} ${u.code} ${u.message}`).join('\n'), /cloudtrail:LookupEvents InvalidCloudTrailEvent event bad-1: CloudTrailEvent is not JSON/);
    assert.equal(check(live, `${T}cloudtrail-logging-enabled`).status, 'pass');
  });
});

describe('LookupEvents activations follow the log scanner', () => {
  it('a denied AssumeRole of a break-glass role and a failed root sign-in start no activation', async () => {
    const events = [assumeRoleEvent({ id: 'denied-1', time: '2026-08-01T10:00:00Z', account: CALLER, role: 'BreakGlassAdmin', user: 'ops', errorCode: 'AccessDenied' }), consoleLoginEvent({ id: 'failed-1', time: '2026-08-01T10:00:00Z', account: CALLER, outcome: 'Failure', region: HOME })];
    const lookup = world.state.events;
    world.state.events = events;
    try {
      const { live } = await collect({}, { regions: [HOME] });
      assert.deepEqual(home(live).activations, []);
      assert.ok(live.calls.some((c) => c.api === 'cloudtrail:LookupEvents' && c.target === 'ConsoleLogin' && c.ok), 'both events were looked up');
    } finally {
      world.state.events = lookup;
    }
  });
});


// Last: it builds its own world (moto is reset), after every test above has used the shared one.
describe('errors that are answers, as moto returns them', () => {
  it('NoSuchPublicAccessBlockConfiguration (bucket and account) and ObjectLockConfigurationNotFoundError: known absent, not unavailable', async () => {
    const bare = await buildWorld(moto, { caller: compliantAccount({ bucket: { objectLock: false, publicAccessBlock: false, publicPolicy: false }, accountPublicAccessBlock: false }), regions: [HOME] });
    const { live } = await collectFrom(bare, {}, { regions: [HOME] }, { lookupEvents: false });
    const failed = live.calls.filter((c) => !c.ok).map((c) => `${c.api} ${c.error?.code}`).sort();
    assert.deepEqual(failed, ['iam:GetLoginProfile NoSuchEntity', 'iam:GetRole NoSuchEntity', 's3:GetObjectLockConfiguration ObjectLockConfigurationNotFoundError', 's3:GetPublicAccessBlock NoSuchPublicAccessBlockConfiguration', 's3control:GetPublicAccessBlock NoSuchPublicAccessBlockConfiguration']);
    assert.deepEqual(live.unavailable, [], 'an answer is not a failure');
    assert.equal(bucketOf(live).objectLock!.value, false);
    assert.deepEqual(home(live).snapshot.entities.filter((e) => e.type === 'public-access-block'), []);
    assert.equal(check(live, `${T}cloudtrail-bucket-object-lock`).status, 'fail');
    assert.equal(check(live, `${T}cloudtrail-s3-bucket-not-public`).status, 'fail');
  });
});
