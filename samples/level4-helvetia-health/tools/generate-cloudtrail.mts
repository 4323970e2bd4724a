// Generates the CloudTrail logs and activation-linked process records of samples/level4-helvetia-health.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeLogFile } from '../../../src/collect/cloudtrail/digest-fixtures.ts';
import { ev, lambdaRole, user } from '../../tools/events.mts';

const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const A = '210987654321';
const R = 'eu-central-2';
const SECRET = `arn:aws:secretsmanager:${R}:${A}:secret:break-glass/console-password-Hx7Q2a`;
const bg = user(A, 'breakglass-admin');

function activation(day: string, t0: string, ip: string, calls: [string, string, string, boolean, any?][], rotateAt: string) {
  const login = ev(A, 'us-east-1', {
    userIdentity: bg, eventTime: `${day}T${t0}Z`, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', sourceIPAddress: ip,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', responseElements: { ConsoleLogin: 'Success' },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'Yes' }, readOnly: false, eventType: 'AwsConsoleSignIn',
  });
  const work = calls.map(([time, source, name, ro, params]) => ev(A, R, {
    userIdentity: { ...bg, accessKeyId: 'ASIATKQ4EXAMPLE00001', sessionContext: { attributes: { creationDate: `${day}T${t0}Z`, mfaAuthenticated: 'true' } } },
    eventTime: `${day}T${time}Z`, eventSource: source, eventName: name, readOnly: ro, sourceIPAddress: ip, userAgent: 'AWS Internal', requestParameters: params ?? null,
  }));
  const rotate = ev(A, R, {
    userIdentity: lambdaRole(A, 'break-glass-rotation', 'rotate-break-glass-password', `${day}T${rotateAt}Z`),
    eventTime: `${day}T${rotateAt}Z`, eventSource: 'secretsmanager.amazonaws.com', eventName: 'RotateSecret', readOnly: false,
    sourceIPAddress: 'lambda.amazonaws.com', userAgent: 'lambda.amazonaws.com', requestParameters: { secretId: SECRET },
  });
  return { login, work, rotate, all: [login, ...work, rotate] };
}

async function main() {
  rmSync(join(ROOT, 'cloudtrail'), { recursive: true, force: true });
  const a1 = activation('2026-07-14', '06:40:12', '198.51.100.23', [
    ['06:42:30', 'iam.amazonaws.com', 'ListRoles', true],
    ['06:47:05', 'iam.amazonaws.com', 'UpdateAssumeRolePolicy', false, { roleName: 'payments-batch' }],
    ['07:02:44', 'ec2.amazonaws.com', 'DescribeInstances', true],
  ], '07:25:00');
  const a2 = activation('2026-09-09', '13:05:40', '198.51.100.23', [
    ['13:07:10', 'kms.amazonaws.com', 'DescribeKey', true, { keyId: 'alias/patient-records' }],
    ['13:12:55', 'kms.amazonaws.com', 'EnableKey', false, { keyId: 'alias/patient-records' }],
  ], '13:48:00');
  // Ordinary activity so that the log archive is not empty outside the activations.
  const routine = ['2026-07-01', '2026-07-20', '2026-08-03', '2026-08-25', '2026-09-15', '2026-09-30'].map((d, i) =>
    ev(A, R, { userIdentity: user(A, 'ci-deployer'), eventTime: `${d}T10:0${i}:00Z`, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }));
  const byFile: { at: string; records: any[] }[] = [
    { at: '2026-07-14T06:50:00Z', records: [a1.login, a1.work[0], a1.work[1]] },
    { at: '2026-07-14T07:35:00Z', records: [a1.work[2], a1.rotate] },
    { at: '2026-09-09T13:15:00Z', records: [a2.login, ...a2.work] },
    { at: '2026-09-09T13:55:00Z', records: [a2.rotate] },
    ...routine.map((r) => ({ at: r.eventTime.replace(/:00Z$/, ':00Z').slice(0, 14) + '30:00Z', records: [r] })),
  ];
  let seq = 0;
  for (const f of byFile) {
    const region = f.records[0].awsRegion === 'us-east-1' ? 'us-east-1' : R;
    await writeLogFile(join(ROOT, 'cloudtrail'), { account: A, region, at: new Date(f.at), records: f.records, seq: seq++ });
  }
  mkdirSync(join(ROOT, 'process/tickets'), { recursive: true });
  writeFileSync(join(ROOT, 'process/tickets/servicenow-export-2026-Q3.csv'),
    ['id,created,eventIds,type,createdBy,status',
     `CHG0004711,2026-07-14T06:41:02Z,${a1.login.eventID},emergency-change,eventbridge-servicenow-connector,closed`,
     `CHG0004802,2026-09-09T13:06:31Z,${a2.login.eventID},emergency-change,eventbridge-servicenow-connector,closed`,
     `CHG0004750,2026-08-12T09:00:00Z,,standard-change,m.keller,closed`, ''].join('\n'));
  console.log(JSON.stringify({ a1: a1.all.map((e) => [e.eventName, e.eventID]), a2: a2.all.map((e) => [e.eventName, e.eventID]) }, null, 1));
}
await main();
