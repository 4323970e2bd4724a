// Generates the CloudTrail logs, signed digest chain and activation-linked records of samples/level5-aurora-sovereign.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeyList, writeDigestChain, writeLogFile } from '../../../src/collect/cloudtrail/digest-fixtures.ts';
import { assumedRole, ev, lambdaRole, user } from '../../tools/events.mts';

const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const A = '384756192837';
const R = 'eu-west-3';
const ROLE = `arn:aws:iam::${A}:role/BreakGlassJIT`;

function activation(tag: string, day: string, requester: string, tAssume: string, calls: [string, string, string, boolean, any?][], tRevoke: string) {
  const broker = lambdaRole(A, 'jit-broker', 'jit-broker-grant', `${day}T${tAssume}Z`);
  const assume = ev(A, R, {
    userIdentity: broker, eventTime: `${day}T${tAssume}Z`, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', sourceIPAddress: 'lambda.amazonaws.com', userAgent: 'lambda.amazonaws.com',
    requestParameters: { roleArn: ROLE, roleSessionName: `${requester}-${tag}`, durationSeconds: 3600, sourceIdentity: requester },
    responseElements: { credentials: { accessKeyId: `ASIAVQ7JIT${tag.toUpperCase().padEnd(10, 'X').slice(0, 10)}`, sessionToken: '[omitted by the sample generator]', expiration: 'Sep 8, 2026, 10:12:00 AM' }, assumedRoleUser: { assumedRoleId: `AROAJIT:${requester}-${tag}`, arn: `arn:aws:sts::${A}:assumed-role/BreakGlassJIT/${requester}-${tag}` }, sourceIdentity: requester },
  });
  const session = { ...assumedRole(A, 'BreakGlassJIT', `${requester}-${tag}`, `${day}T${tAssume}Z`, requester), accessKeyId: `ASIAVQ7JIT${tag.toUpperCase().padEnd(10, 'X').slice(0, 10)}` };
  const work = calls.map(([time, source, name, ro, params]) => ev(A, R, { userIdentity: session, eventTime: `${day}T${time}Z`, eventSource: source, eventName: name, readOnly: ro, sourceIPAddress: '203.0.113.40', requestParameters: params ?? null }));
  const revoke = ev(A, 'us-east-1', {
    userIdentity: lambdaRole(A, 'jit-broker', 'jit-broker-revoke', `${day}T${tRevoke}Z`), eventTime: `${day}T${tRevoke}Z`, eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', readOnly: false,
    sourceIPAddress: 'lambda.amazonaws.com', userAgent: 'lambda.amazonaws.com',
    requestParameters: { roleName: 'BreakGlassJIT', policyName: 'AWSRevokeOlderSessions', policyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":"${day}T${tRevoke}Z"}}}]}` },
  });
  return { assume, work, revoke };
}

async function main() {
  rmSync(join(ROOT, 'cloudtrail'), { recursive: true, force: true });
  const a1 = activation('inc4417', '2026-09-08', 'j.weber', '09:12:00', [
    ['09:13:20', 'kms.amazonaws.com', 'GetKeyPolicy', true, { keyId: 'alias/core-ledger', policyName: 'default' }],
    ['09:18:45', 'kms.amazonaws.com', 'PutKeyPolicy', false, { keyId: 'alias/core-ledger', policyName: 'default' }],
  ], '09:41:00');
  const a2 = activation('inc4460', '2026-09-23', 'l.dubois', '16:40:30', [
    ['16:42:10', 'organizations.amazonaws.com', 'DescribePolicy', true, { policyId: 'p-region-guard' }],
    ['16:47:00', 'organizations.amazonaws.com', 'UpdatePolicy', false, { policyId: 'p-region-guard' }],
  ], '17:05:00');
  const routine = Array.from({ length: 30 }, (_, i) => {
    const d = `2026-09-${String(i + 1).padStart(2, '0')}`;
    return ev(A, R, { userIdentity: user(A, 'ci-deployer'), eventTime: `${d}T11:00:00Z`, eventSource: 'cloudformation.amazonaws.com', eventName: 'DescribeStacks', sourceIPAddress: '203.0.113.9' });
  });
  const files = [
    { at: '2026-09-08T09:20:00Z', region: R, records: [a1.assume, ...a1.work] },
    { at: '2026-09-08T09:45:00Z', region: 'us-east-1', records: [a1.revoke] },
    { at: '2026-09-23T16:50:00Z', region: R, records: [a2.assume, ...a2.work] },
    { at: '2026-09-23T17:10:00Z', region: 'us-east-1', records: [a2.revoke] },
    ...routine.map((r) => ({ at: r.eventTime.replace('T11:00:00Z', 'T11:05:00Z'), region: R, records: [r] })),
  ];
  const root = join(ROOT, 'cloudtrail');
  const keys: Record<string, string[]> = {};
  let seq = 0;
  for (const f of files) (keys[f.region] ??= []).push(await writeLogFile(root, { account: A, region: f.region, at: new Date(f.at), records: f.records, seq: seq++ }));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // The chain starts one hour before the period so that the period's first digest has a predecessor.
  for (const region of Object.keys(keys).sort()) {
    await writeDigestChain({ root, bucket: 'aurora-sovereign-cloudtrail', account: A, region, trail: 'aurora-org-audit', homeRegion: R, privateKey, start: new Date('2026-08-31T23:00:00Z'), hours: 24 * 30 + 1, logFiles: keys[region] });
  }
  writeFileSync(join(ROOT, 'cloudtrail-public-keys.json'), JSON.stringify(publicKeyList(publicKey, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') }), null, 2) + '\n');
  mkdirSync(join(ROOT, 'process/tickets'), { recursive: true });
  const tickets = [
    { id: 'CHG-2026-0917', created: '2026-09-08T09:07:55Z', eventIds: [a1.assume.eventID], type: 'emergency-change', createdBy: 'jit-broker (automatic)', status: 'closed' },
    { id: 'CHG-2026-0981', created: '2026-09-23T16:37:10Z', eventIds: [a2.assume.eventID], type: 'emergency-change', createdBy: 'jit-broker (automatic)', status: 'closed' },
  ];
  writeFileSync(join(ROOT, 'process/tickets/jira-export-2026-09.json'), JSON.stringify(tickets, null, 2) + '\n');
  console.log(JSON.stringify({ a1: [a1.assume, ...a1.work, a1.revoke].map((e) => [e.eventName, e.eventID]), a2: [a2.assume, ...a2.work, a2.revoke].map((e) => [e.eventName, e.eventID]) }));
}
await main();
