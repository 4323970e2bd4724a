// Report fixtures for the HTML tests: the real pipeline on the bundled samples, and on a sample plus crafted CloudTrail logs.

import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { assess } from '../../src/index.js';
import type { Report } from '../../src/model/report.js';
import type { Activation } from '../../src/model/cloudtrail.js';
import type { ReviewRecord } from '../../src/model/process.js';

export const REPO = resolve(import.meta.dirname, '../..');
/** The two original samples, and the process-evidence samples with CloudTrail logs, reviews, drills, tickets and approvals. */
export const SAMPLES = ['acme-bank', 'northwind-sovereign', 'level5-aurora-sovereign', 'late-review-borealis'] as const;
/** 2026-10-01T00:00:00Z: reports built here are byte-for-byte reproducible. */
export const EPOCH = 1790812800;

export async function sampleReport(name: (typeof SAMPLES)[number]): Promise<Report> {
  const { report } = await assess(join(REPO, 'samples', name, 'evidence-pack.yaml'), { sourceDateEpoch: EPOCH });
  report.signature = { signed: false };
  return report;
}

const ACCOUNT = '111122223333';
let seq = 0;

/** A CloudTrail record as AWS writes it (eventVersion 1.08). */
function record(over: Record<string, unknown>): Record<string, unknown> {
  seq++;
  return {
    eventVersion: '1.08',
    eventTime: '2026-08-01T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListRoles',
    awsRegion: 'eu-central-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'aws-cli/2.17.20 Python/3.11.9 Linux/6.1 exe/x86_64.debian.12',
    requestParameters: null,
    responseElements: null,
    requestID: `9f1c6d0e-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    eventID: `5a0e9b7c-${String(seq).padStart(4, '0')}-4c1d-9e2f-${String(seq).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    ...over,
  };
}

const ROOT_ID = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };

function roleIdentity(roleName: string, session: string, time: string) {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEID:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEBG00001',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: roleArn, accountId: ACCOUNT, userName: roleName },
      attributes: { creationDate: time, mfaAuthenticated: 'true' },
      sourceIdentity: 'j.doe',
    },
  };
}

/** Three realistic break-glass uses in 2026-Q3: root with rotation, a role session, a second role session later. */
function crafted(): Record<string, unknown>[] {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
  const t1 = '2026-07-14T08:02:11Z', t2 = '2026-08-21T22:47:05Z', t3 = '2026-09-09T13:15:40Z';
  // A trail delivers logs every day: one ordinary read per day keeps the fixture free of coverage gaps.
  const daily = Array.from({ length: 92 }, (_, i) => record({
    userIdentity: { type: 'IAMUser', principalId: 'AIDAMONITOR', arn: `arn:aws:iam::${ACCOUNT}:user/monitoring`, accountId: ACCOUNT, userName: 'monitoring' },
    eventTime: new Date(Date.UTC(2026, 6, 1 + i, 6, 0, 0)).toISOString().replace('.000', ''),
    eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances',
  }));
  return [
    ...daily,
    // 1. Root console sign-in with MFA, a policy fix, password changed 25 minutes later.
    record({ userIdentity: ROOT_ID, eventTime: t1, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'Yes' }, readOnly: false, eventType: 'AwsConsoleSignIn' }),
    record({ userIdentity: ROOT_ID, eventTime: '2026-07-14T08:06:40Z', eventSource: 'iam.amazonaws.com', eventName: 'ListRoles' }),
    record({ userIdentity: ROOT_ID, eventTime: '2026-07-14T08:11:02Z', eventSource: 'iam.amazonaws.com', eventName: 'DetachRolePolicy', readOnly: false, requestParameters: { roleName: 'ci-deployer', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    record({ userIdentity: ROOT_ID, eventTime: '2026-07-14T08:27:30Z', eventSource: 'signin.amazonaws.com', eventName: 'PasswordUpdated', awsRegion: 'us-east-1', readOnly: false }),
    // 2. BreakGlassAdmin assumed at night for an incident; writes, no rotation.
    record({ userIdentity: { type: 'IAMUser', principalId: 'AIDAJDOE', arn: `arn:aws:iam::${ACCOUNT}:user/j.doe`, accountId: ACCOUNT, userName: 'j.doe' }, eventTime: t2, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', requestParameters: { roleArn, roleSessionName: 'INC-4711-jdoe', sourceIdentity: 'j.doe' }, responseElements: { credentials: { accessKeyId: 'ASIAEXAMPLEBG00001', expiration: 'Aug 21, 2026, 11:47:05 PM' }, assumedRoleUser: { assumedRoleId: 'AROAEXAMPLEID:INC-4711-jdoe', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlassAdmin/INC-4711-jdoe` }, sourceIdentity: 'j.doe' } }),
    record({ userIdentity: roleIdentity('BreakGlassAdmin', 'INC-4711-jdoe', t2), eventTime: '2026-08-21T22:49:12Z', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSecurityGroups' }),
    record({ userIdentity: roleIdentity('BreakGlassAdmin', 'INC-4711-jdoe', t2), eventTime: '2026-08-21T22:53:48Z', eventSource: 'ec2.amazonaws.com', eventName: 'RevokeSecurityGroupIngress', readOnly: false, requestParameters: { groupId: 'sg-0a1b2c3d4e5f60718' } }),
    record({ userIdentity: roleIdentity('BreakGlassAdmin', 'INC-4711-jdoe', t2), eventTime: '2026-08-21T23:31:09Z', eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', readOnly: false, sourceIPAddress: '203.0.113.77', requestParameters: { instancesSet: { items: [{ instanceId: 'i-0f1e2d3c4b5a69788' }] } } }),
    // 3. A short read-only check of the same role three weeks later.
    record({ userIdentity: { type: 'IAMUser', principalId: 'AIDAASMITH', arn: `arn:aws:iam::${ACCOUNT}:user/a.smith`, accountId: ACCOUNT, userName: 'a.smith' }, eventTime: t3, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', requestParameters: { roleArn, roleSessionName: 'drill-2026-09', sourceIdentity: 'a.smith' }, responseElements: { credentials: { accessKeyId: 'ASIAEXAMPLEBG00002', expiration: 'Sep 9, 2026, 2:15:40 PM' }, assumedRoleUser: { assumedRoleId: 'AROAEXAMPLEID:drill-2026-09', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlassAdmin/drill-2026-09` }, sourceIdentity: 'a.smith' } }),
    record({ userIdentity: { ...roleIdentity('BreakGlassAdmin', 'drill-2026-09', t3), accessKeyId: 'ASIAEXAMPLEBG00002' }, eventTime: '2026-09-09T13:18:02Z', eventSource: 'iam.amazonaws.com', eventName: 'GetAccountSummary' }),
  ];
}

function writeLogs(root: string, records: Record<string, unknown>[]): void {
  const byDay = new Map<string, Record<string, unknown>[]>();
  for (const r of records) {
    const day = String(r.eventTime).slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), r]);
  }
  for (const [day, recs] of byDay) {
    const [y, m, d] = day.split('-');
    const file = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', 'eu-central-1', y!, m!, d!, `${ACCOUNT}_CloudTrail_eu-central-1_${y}${m}${d}T0000Z_fixture.json.gz`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, gzipSync(JSON.stringify({ Records: recs })));
  }
}

/**
 * The Northwind sample plus crafted CloudTrail logs, through the real pipeline (the root activation's
 * alarm comes from replaying the sample's metric filters); then two review records typed as the
 * process-evidence collector writes them, one of them late, so the timeline shows every kind of marker.
 */
export async function reportWithActivations(): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'html-fixture-'));
  const logs = join(dir, 'logs');
  writeLogs(logs, crafted());
  const sample = join(REPO, 'samples', 'northwind-sovereign');
  cpSync(join(sample, 'infra'), join(dir, 'infra'), { recursive: true });
  const config = join(dir, 'evidence-pack.yaml');
  writeFileSync(config, [
    'organisation: Northwind Sovereign Cloud GmbH',
    'period: 2026-Q3',
    `runbook: {repo: ${JSON.stringify(sample)}, path: runbooks/break-glass.md}`,
    'terraform: {paths: [infra/]}',
    `cloudtrail: {logs: [${JSON.stringify(logs)}]}`,
    'breakGlass:',
    '  roles: ["arn:aws:iam::*:role/BreakGlass*"]',
    '  allowedCidrs: [198.51.100.0/24]',
    '',
  ].join('\n'));
  const { report } = await assess(config, { sourceDateEpoch: EPOCH });
  report.signature = { signed: true, signer: 'CN=Northwind Audit Signing 2026, O=Northwind Sovereign Cloud GmbH, C=DE' };
  const acts = report.sections.activations as Activation[];
  if (acts.length !== 3) throw new Error(`fixture: expected 3 activations from the crafted logs, got ${acts.length}`);
  const review = (id: string, ticket: string, date: string, act: Activation, eventIds: string[], lessons: string): ReviewRecord => ({
    id, at: { file: `process/reviews/${id}.md`, line: 2, column: 1 }, incident: ticket, tickets: [ticket], activatedAt: [act.start], eventIds,
    reviewDate: date, reviewDateRaw: date, reviewers: ['M. Keller (CISO)', 'S. Öztürk'], trigger: 'Identity provider outage', justification: 'Production change blocked',
    actionsTaken: ['Detached AdministratorAccess from ci-deployer'], credentialsRotated: [{ what: 'root password', when: act.end }], decommissioningConfirmed: true, lessonsLearned: lessons,
  });
  report.sections.reviews = {
    records: [
      review('PIR-2026-014', 'INC-4702', '2026-07-16', acts[0]!, [acts[0]!.firstEventId], 'Root was used because the IdP was down; add a second IdP-independent role.'),
      review('PIR-2026-019', 'INC-4711', '2026-08-31', acts[1]!, [acts[1]!.lastEventId], 'Filed after the 5-business-day deadline.'),
    ],
    rejected: 0,
    files: [],
  };
  return report;
}
