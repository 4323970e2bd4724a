// Activations and credential rotation rebuilt from crafted CloudTrail sequences written in the S3 layout.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import type { BreakGlassConfig } from '../../src/model/cloudtrail.js';
import { ACCOUNT, assumeRole, event, fixedClock, period, roleCall, rootConsoleLogin, ROOT, tempDir, writeLayoutFile } from './helpers.js';

const Q3 = period('2026-07-01', '2026-09-30');
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;

async function run(events: Record<string, any>[], breakGlass: BreakGlassConfig = {}, extra: object = {}) {
  const root = tempDir();
  // One file per event day, as CloudTrail delivers them.
  const byDay = new Map<string, Record<string, any>[]>();
  for (const e of events) byDay.set(e.eventTime.slice(0, 10), [...(byDay.get(e.eventTime.slice(0, 10)) ?? []), e]);
  let n = 0;
  for (const evs of byDay.values()) writeLayoutFile(root, ACCOUNT, 'us-east-1', `f${n++}`, evs);
  return collectCloudTrail({ config: { logs: [root] }, breakGlass, period: Q3, now: fixedClock, workers: 0, ...extra });
}

describe('activations from crafted sequences', () => {
  it('root console login → calls → password change: one activation, rotated with zero delay', async () => {
    const login = rootConsoleLogin('2026-08-03T09:00:00Z', 'Yes');
    const list = event({ userIdentity: ROOT, eventTime: '2026-08-03T09:05:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', readOnly: true });
    const put = event({
      userIdentity: ROOT,
      eventTime: '2026-08-03T09:20:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      readOnly: false,
      requestParameters: { bucketName: 'org-trail-logs' },
      sourceIPAddress: '198.51.100.7',
    });
    const pw = event({ userIdentity: ROOT, eventTime: '2026-08-03T09:30:00Z', eventSource: 'signin.amazonaws.com', eventName: 'PasswordUpdated', readOnly: false });
    const ev = await run([login, list, put, pw], { allowedCidrs: ['203.0.113.0/24'] }, { trailBuckets: ['org-trail-logs'] });
    assert.equal(ev.activations.length, 1);
    const a = ev.activations[0];
    assert.equal(a.principal.kind, 'root');
    assert.equal(a.principal.arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(a.start, '2026-08-03T09:00:00Z');
    assert.equal(a.end, '2026-08-03T09:30:00Z');
    assert.equal(a.durationSeconds, 1800);
    assert.equal(a.mfaUsed, true);
    assert.equal(a.consoleSignIn, true);
    assert.equal(a.apiCalls, 4);
    assert.equal(a.readCalls, 1);
    assert.equal(a.writeCalls, 3);
    assert.deepEqual(a.eventIds, [login.eventID, list.eventID, put.eventID, pw.eventID]);
    assert.equal(a.firstEventId, login.eventID);
    assert.equal(a.lastEventId, pw.eventID);
    assert.deepEqual(a.sourceIps, ['198.51.100.7', '203.0.113.10']);
    assert.deepEqual(a.services, ['iam.amazonaws.com', 's3.amazonaws.com', 'signin.amazonaws.com']);
    assert.ok(a.resources.includes('bucketName=org-trail-logs'));
    assert.equal(a.outsideCidrEvents, 1);
    assert.equal(a.rotation.status, 'rotated');
    assert.equal(a.rotation.delaySeconds, 0);
    assert.deepEqual(a.rotation.evidence.map((r) => [r.kind, r.eventId]), [['password-changed', pw.eventID]]);
    assert.deepEqual(ev.tamperingEvents.map((t) => [t.eventName, t.target]), [['PutBucketPolicy', 'org-trail-logs']]);
    assert.deepEqual(ev.outsideCidrEvents.map((o) => o.eventId), [put.eventID]);
    assert.equal(ev.populationRecord.recordCount, 1);
  });

  it('break-glass role assumption: the AssumeRole call and the session’s calls form one activation; secret rotation 2 h later', async () => {
    const ar = assumeRole('2026-08-10T14:00:00Z', ROLE, 'incident-42', 'ASIASESSION1');
    const c1 = roleCall('2026-08-10T14:02:00Z', ROLE, 'incident-42', 'ASIASESSION1', { eventName: 'DescribeInstances' });
    const c2 = roleCall('2026-08-10T14:40:00Z', ROLE, 'incident-42', 'ASIASESSION1', {
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachRolePolicy',
      readOnly: false,
      requestParameters: { roleName: 'app', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    });
    const other = roleCall('2026-08-10T14:10:00Z', `arn:aws:iam::${ACCOUNT}:role/ReadOnly`, 'x', 'ASIAOTHER');
    const rotate = event({
      eventTime: '2026-08-10T16:40:00Z',
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'RotateSecret',
      readOnly: false,
      requestParameters: { secretId: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:break-glass/admin-AbC123' },
    });
    const ev = await run([ar, c1, other, c2, rotate], { roles: ['arn:aws:iam::*:role/BreakGlass*'], secrets: ['break-glass/admin'] });
    assert.equal(ev.activations.length, 1);
    const a = ev.activations[0];
    assert.equal(a.principal.kind, 'role');
    assert.equal(a.principal.roleArn, ROLE);
    assert.equal(a.principal.sessionName, 'incident-42');
    assert.equal(a.principal.sourceIdentity, 'bob');
    assert.equal(a.principal.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlassAdmin/incident-42`);
    assert.deepEqual(a.eventIds, [ar.eventID, c1.eventID, c2.eventID]);
    assert.deepEqual(a.accessKeyIds, ['ASIASESSION1']);
    assert.equal(a.durationSeconds, 40 * 60);
    assert.equal(a.mfaUsed, true);
    assert.equal(ev.counts['break-glass-role-assumption'], 1);
    assert.equal(ev.counts['iam-policy-change'], 1);
    assert.equal(a.rotation.status, 'rotated');
    assert.equal(a.rotation.delaySeconds, 2 * 3600);
    assert.equal(a.rotation.evidence[0].kind, 'secret-rotated');
    assert.ok(!JSON.stringify(ev).includes('EXAMPLETOKEN'), 'the session token of the AssumeRole response never enters the evidence');
  });

  // A sign-in without MFA is not hidden by another sign-in with MFA in the same activation, in either order.
  for (const [name, logins] of [
    ['with MFA, then without', [rootConsoleLogin('2026-09-01T08:00:00Z', 'Yes'), rootConsoleLogin('2026-09-01T08:05:00Z', 'No')]],
    ['without MFA, then with', [rootConsoleLogin('2026-09-01T08:00:00Z', 'No'), rootConsoleLogin('2026-09-01T08:05:00Z', 'Yes')]],
    ['with MFA, then a call whose session says no MFA', [rootConsoleLogin('2026-09-01T08:00:00Z', 'Yes'), event({ userIdentity: { ...ROOT, sessionContext: { attributes: { mfaAuthenticated: 'false' } } }, eventTime: '2026-09-01T08:05:00Z', eventName: 'RunInstances', readOnly: false })]],
  ] as const) {
    it(`two sign-ins in one activation, ${name}: MFA was not used`, async () => {
      const ev = await run([...logins]);
      assert.equal(ev.activations.length, 1);
      assert.equal(ev.activations[0].mfaUsed, false);
    });
  }

  it('a root sign-in whose record spells MFAUsed "YES" (as in the CloudTrail User Guide) used MFA', async () => {
    const login = rootConsoleLogin('2026-09-01T08:00:00Z', 'Yes');
    login.additionalEventData.MFAUsed = 'YES';
    const ev = await run([login]);
    assert.equal(ev.activations[0].mfaUsed, true);
    assert.equal(ev.consoleSignIns[0].mfaUsed, 'yes');
  });

  // A role activation: the AssumeRole call carries its caller's session (a broker's, an IAM user's); the role
  // session's own calls say whether it had MFA. The caller's MFA decides only when the session says nothing.
  const callerSession = (mfa: 'true' | 'false') => ({ userIdentity: { type: 'AssumedRole', principalId: 'AROABROKER:jit', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/JitBroker/jit`, accountId: ACCOUNT, sessionContext: { attributes: { mfaAuthenticated: mfa } } } });
  const sessionMfa = (mfa: 'true' | 'false') => (t: string) => { const c = roleCall(t, ROLE, 'inc-7', 'ASIAS7'); c.userIdentity.sessionContext.attributes.mfaAuthenticated = mfa; return c; };
  for (const [name, caller, calls, expected] of [
    ['caller without MFA, session calls with MFA', 'false', [sessionMfa('true')], true],
    ['caller without MFA, one session call without MFA', 'false', [sessionMfa('true'), sessionMfa('false')], false],
    ['caller with MFA, session call without MFA', 'true', [sessionMfa('false')], false],
    ['caller without MFA, no session calls', 'false', [], false],
    ['caller with MFA, no session calls', 'true', [], true],
  ] as const) {
    it(`role activation, ${name}: mfaUsed ${expected}`, async () => {
      const ar = { ...assumeRole('2026-08-10T14:00:00Z', ROLE, 'inc-7', 'ASIAS7'), ...callerSession(caller) };
      const ev = await run([ar, ...calls.map((c, i) => c(`2026-08-10T14:0${i + 1}:00Z`))], { roles: [ROLE] });
      assert.equal(ev.activations.length, 1);
      assert.equal(ev.activations[0].mfaUsed, expected);
    });
  }

  it('two uses a day apart are two activations; rotation must fall between them', async () => {
    const day1 = [rootConsoleLogin('2026-09-01T08:00:00Z', 'No'), event({ userIdentity: ROOT, eventTime: '2026-09-01T08:10:00Z', eventName: 'RunInstances', readOnly: false })];
    const day2 = [rootConsoleLogin('2026-09-02T08:00:00Z', 'Yes')];
    // A rotation after the second use does not cover the first.
    const lateRotation = event({ userIdentity: ROOT, eventTime: '2026-09-02T09:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'DeleteAccessKey', readOnly: false, requestParameters: { accessKeyId: 'AKIAROOTKEY' } });
    const ev = await run([...day1, ...day2, lateRotation]);
    assert.equal(ev.activations.length, 2);
    const [first, second] = ev.activations;
    assert.equal(first.start, '2026-09-01T08:00:00Z');
    assert.equal(first.mfaUsed, false);
    assert.equal(first.rotation.status, 'not-found');
    assert.equal(first.rotation.deadline, '2026-09-02T08:00:00Z');
    assert.equal(second.rotation.status, 'rotated');
    assert.equal(second.rotation.evidence[0].kind, 'access-key-deleted');
    assert.equal(second.rotation.delaySeconds, 0);
    assert.notEqual(first.id, second.id);
  });

  const gapCases = [
    { name: 'calls 60 min apart stay in one activation', second: '2026-08-05T11:00:00Z', activations: 1 },
    { name: 'calls 61 min apart start a new activation', second: '2026-08-05T11:01:00Z', activations: 2 },
  ];
  for (const c of gapCases)
    it(`gap rule: ${c.name}`, async () => {
      const a = event({ userIdentity: ROOT, eventTime: '2026-08-05T10:00:00Z' });
      const b = event({ userIdentity: ROOT, eventTime: c.second });
      assert.equal((await run([a, b])).activations.length, c.activations);
    });

  const principalCases: { name: string; events: () => Record<string, any>[]; bg: BreakGlassConfig; activations: number; kind?: string }[] = [
    { name: 'root is not break-glass when rootIsBreakGlass is false', events: () => [rootConsoleLogin('2026-08-01T10:00:00Z', 'Yes')], bg: { rootIsBreakGlass: false }, activations: 0 },
    {
      name: 'a service acting for root (invokedBy) is no root use',
      events: () => [event({ userIdentity: { ...ROOT, invokedBy: 'support.amazonaws.com' }, eventTime: '2026-08-01T10:00:00Z' })],
      bg: {},
      activations: 0,
    },
    { name: 'AwsServiceEvent under root is no root use', events: () => [event({ userIdentity: ROOT, eventType: 'AwsServiceEvent' })], bg: {}, activations: 0 },
    {
      name: 'break-glass IAM user by name glob',
      events: () => [event({ userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bg-emergency`, accountId: ACCOUNT, userName: 'bg-emergency' } })],
      bg: { users: ['bg-*'] },
      activations: 1,
      kind: 'iam-user',
    },
    {
      name: 'Identity Center permission set session (AWSReservedSSO_<name>_<hash>)',
      events: () => [
        roleCall('2026-08-01T10:00:00Z', `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_EmergencyAdmin_0123456789abcdef`, 'jane@example.com', 'ASIASSO'),
      ],
      bg: { permissionSets: ['EmergencyAdmin'] },
      activations: 1,
      kind: 'permission-set',
    },
    { name: 'a failed root sign-in is listed but is no activation', events: () => [rootConsoleLogin('2026-08-01T10:00:00Z', 'No', 'Failure')], bg: {}, activations: 0 },
    { name: 'ordinary users are not break-glass', events: () => [event({})], bg: { users: ['bg-*'] }, activations: 0 },
  ];
  for (const c of principalCases)
    it(`principals: ${c.name}`, async () => {
      const ev = await run(c.events(), c.bg);
      assert.equal(ev.activations.length, c.activations);
      if (c.kind) assert.equal(ev.activations[0].principal.kind, c.kind);
    });

  it('CreateAccessKey on a break-glass user is detected; on another user it is not', async () => {
    const mk = (user: string) => event({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false, requestParameters: { userName: user } });
    const ev = await run([mk('bg-emergency'), mk('deploy')], { users: ['bg-*'] });
    assert.equal(ev.counts['access-key-event'], 2);
    assert.equal(ev.counts['break-glass-access-key-created'], 1);
  });

  it('the same events give the same evidence (ids, population hash) on every run', async () => {
    const evs = [rootConsoleLogin('2026-08-03T09:00:00Z', 'Yes'), event({ userIdentity: ROOT, eventTime: '2026-08-03T09:05:00Z' })];
    const [a, b] = [await run(evs), await run(evs)];
    assert.deepEqual(
      a.activations.map((x) => x.id),
      b.activations.map((x) => x.id),
    );
    assert.equal(a.populationRecord.sha256, b.populationRecord.sha256);
  });
});
