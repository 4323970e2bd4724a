// Generates the CloudTrail logs of samples/late-review-borealis: three break-glass role activations in 2026-Q3.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeLogFile } from '../../../src/collect/cloudtrail/digest-fixtures.ts';
import { assumedRole, ev, user } from '../../tools/events.mts';

const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const A = '473829106655';
const R = 'eu-north-1';
const ROLE = `arn:aws:iam::${A}:role/BreakGlassAdmin`;

function activation(session: string, day: string, t0: string, calls: [string, string, string, boolean][], tRevoke: string) {
  const caller = user(A, 'oncall-responder');
  const assume = ev(A, R, {
    userIdentity: { ...caller, accessKeyId: 'AKIAEXAMPLEONCALL001' }, eventTime: `${day}T${t0}Z`, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole',
    requestParameters: { roleArn: ROLE, roleSessionName: session },
    responseElements: { assumedRoleUser: { assumedRoleId: `AROABORBG:${session}`, arn: `arn:aws:sts::${A}:assumed-role/BreakGlassAdmin/${session}` } },
  });
  const work = calls.map(([t, src, name, ro]) => ev(A, R, { userIdentity: assumedRole(A, 'BreakGlassAdmin', session, `${day}T${t0}Z`), eventTime: `${day}T${t}Z`, eventSource: src, eventName: name, readOnly: ro }));
  const revoke = ev(A, 'us-east-1', {
    userIdentity: caller, eventTime: `${day}T${tRevoke}Z`, eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', readOnly: false,
    requestParameters: { roleName: 'BreakGlassAdmin', policyName: 'AWSRevokeOlderSessions' },
  });
  return [assume, ...work, revoke];
}

const acts = [
  activation('inc-2207', '2026-07-06', '07:30:00', [['07:35:00', 'ec2.amazonaws.com', 'StartInstances', false]], '08:10:00'),
  activation('inc-2291', '2026-08-13', '14:02:00', [['14:05:00', 'rds.amazonaws.com', 'RebootDBInstance', false]], '14:40:00'),
  activation('inc-2345', '2026-09-16', '21:15:00', [['21:20:00', 's3.amazonaws.com', 'PutBucketPolicy', false]], '22:00:00'),
];
rmSync(join(ROOT, 'cloudtrail'), { recursive: true, force: true });
let seq = 0;
for (const events of acts) {
  const at = new Date(Date.parse(events[events.length - 1].eventTime) + 5 * 60_000);
  await writeLogFile(join(ROOT, 'cloudtrail'), { account: A, region: R, at, records: events, seq: seq++ });
}
console.log(JSON.stringify(acts.map((a) => a.map((e) => [e.eventName, e.eventID]))));
