// CIS / seed patterns over real CloudTrail records written by others (../shared/testdata, see its README):
// the awsdocs console sign-in samples against their labels, and 3,000+ invictus-ir / Stratus Red Team records
// against independently written predicates.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFilterPattern, matchesEvent } from '../../src/detections/filter-pattern/index.js';
import { CLOUDTRAIL_TESTDATA } from '../support/shared.js';

const TESTDATA = CLOUDTRAIL_TESTDATA;
const skip = existsSync(TESTDATA) ? false : `third-party test data not found at ${TESTDATA}`;

type Rec = Record<string, any>;

function records(dir: string): { file: string; record: Rec }[] {
  const out: { file: string; record: Rec }[] = [];
  for (const name of readdirSync(join(TESTDATA, dir)).sort()) {
    if (!name.endsWith('.json') || name.endsWith('.labels.json')) continue;
    const data = JSON.parse(readFileSync(join(TESTDATA, dir, name), 'utf8'));
    for (const record of Array.isArray(data) ? data : data.Records) out.push({ file: `${dir}/${name}`, record });
  }
  return out;
}

const CIS_ROOT = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
const CIS_NO_MFA = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';
const CIS_NO_MFA_SSO = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';
const CIS_IAM = [
  'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy',
  'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
];
const CIS_TRAIL = ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'];

test('awsdocs console sign-in samples: which records each CIS pattern matches, against the labels', { skip }, () => {
  const dir = join(TESTDATA, 'awsdocs-cloudtrail-user-guide');
  const recs: Rec[] = JSON.parse(readFileSync(join(dir, 'console-sign-in-events.records.json'), 'utf8')).Records;
  const labels: Rec[] = JSON.parse(readFileSync(join(dir, 'console-sign-in-events.labels.json'), 'utf8')).records;
  assert.equal(recs.length, labels.length);
  const matching = (pattern: string) => recs.flatMap((r, i) => (matchesEvent(parseFilterPattern(pattern), r) ? [i] : []));
  const labelled = (pred: (l: Rec) => boolean) => labels.filter(pred).map((l) => l.index as number);

  assert.deepEqual(matching(CIS_NO_MFA_SSO), labelled((l) => l.eventName === 'ConsoleLogin' && l['userIdentity.type'] === 'IAMUser' && l.MFAUsed !== 'Yes' && l.ConsoleLogin === 'Success'));
  // The base CIS pattern also fires for root sign-ins — including the sample that spells MFAUsed "YES":
  // filter values are case-sensitive, so `!= "Yes"` holds for "YES".
  assert.deepEqual(matching(CIS_NO_MFA), labelled((l) => l.eventName === 'ConsoleLogin' && l.MFAUsed !== 'Yes'));
  assert.ok(matching(CIS_NO_MFA).includes(labels.findIndex((l) => l.MFAUsed === 'YES')));
  assert.deepEqual(matching(CIS_ROOT), labelled((l) => l['userIdentity.type'] === 'Root'));
});

test('3,000+ real records: CIS patterns agree with predicates written independently of the engine', { skip }, () => {
  const all = ['invictus-ir-aws_dataset', 'stratus-red-team-detonation-logs', 'awsdocs-cloudtrail-user-guide', 'awsdocs-iam-user-guide'].flatMap(records);
  assert.ok(all.length > 3000, `${all.length} records`);
  const table: { pattern: string; expected: (r: Rec) => boolean }[] = [
    { pattern: CIS_ROOT, expected: (r) => r.userIdentity?.type === 'Root' && !('invokedBy' in r.userIdentity) && r.eventType !== 'AwsServiceEvent' },
    { pattern: `{ ${CIS_IAM.map((n) => `($.eventName = ${n})`).join(' || ')} }`, expected: (r) => CIS_IAM.includes(r.eventName) },
    { pattern: `{ ${CIS_TRAIL.map((n) => `$.eventName = "${n}"`).join(' || ')} }`, expected: (r) => CIS_TRAIL.includes(r.eventName) },
    { pattern: CIS_NO_MFA_SSO, expected: (r) => r.eventName === 'ConsoleLogin' && r.additionalEventData?.MFAUsed !== undefined && r.additionalEventData.MFAUsed !== 'Yes' && r.userIdentity?.type === 'IAMUser' && r.responseElements?.ConsoleLogin === 'Success' },
    { pattern: '{ $.eventSource = "sts.amazonaws.com" && $.eventName = "AssumeRole*" && $.requestParameters.roleArn = "*:role/stratus-*" }', expected: (r) => r.eventSource === 'sts.amazonaws.com' && String(r.eventName).startsWith('AssumeRole') && typeof r.requestParameters?.roleArn === 'string' && /:role\/stratus-/.test(r.requestParameters.roleArn) },
    { pattern: '{ $.errorCode = "AccessDenied*" || $.errorCode = "*UnauthorizedOperation" }', expected: (r) => typeof r.errorCode === 'string' && (r.errorCode.startsWith('AccessDenied') || r.errorCode.endsWith('UnauthorizedOperation')) },
    { pattern: '{ $.readOnly IS FALSE && $.eventSource = iam.amazonaws.com }', expected: (r) => r.readOnly === false && r.eventSource === 'iam.amazonaws.com' },
    { pattern: 'StopLogging', expected: (r) => JSON.stringify(r).includes('StopLogging') },
  ];
  for (const { pattern, expected } of table) {
    const parsed = parseFilterPattern(pattern);
    const got = all.filter(({ record }) => matchesEvent(parsed, record));
    const want = all.filter(({ record }) => expected(record));
    assert.deepEqual(got.map((x) => x.record.eventID), want.map((x) => x.record.eventID), pattern);
    // the raw log line CloudWatch Logs sees gives the same answer as the parsed record
    const gotFromText = all.filter(({ record }) => matchesEvent(parsed, JSON.stringify(record)));
    assert.equal(gotFromText.length, got.length, `${pattern} on raw lines`);
    assert.ok(want.length > 0 || pattern === CIS_ROOT, `${pattern} should match some real records`);
  }
});
