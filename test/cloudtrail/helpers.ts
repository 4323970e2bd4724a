// Test helpers for the CloudTrail collector: periods, CloudTrail-shaped events, log trees written to temp folders.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Period } from '../../src/model/period.js';
import { CLOUDTRAIL_TESTDATA } from '../support/shared.js';

export const TESTDATA = CLOUDTRAIL_TESTDATA;

export function period(from: string, to: string): Period {
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { label: `${from}..${to}`, from, to, start: new Date(`${from}T00:00:00Z`), end };
}

export const fixedClock = () => new Date('2026-10-01T00:00:00Z');

/** Records of a shared testdata file, whatever its shape ({Records}, array). */
export function recordsOf(rel: string): Record<string, any>[] {
  const doc = JSON.parse(readFileSync(join(TESTDATA, rel), 'utf8'));
  return Array.isArray(doc) ? doc : doc.Records;
}

export function tempDir(prefix = 'ct-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(path: string, data: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/** Writes events as one gzip log file in the S3 layout, under the folder of their first event's day. */
export function writeLayoutFile(root: string, account: string, region: string, name: string, events: object[]): string {
  const t = (events[0] as { eventTime: string }).eventTime;
  const [y, m, d] = t.slice(0, 10).split('-');
  const p = join(root, 'AWSLogs', account, 'CloudTrail', region, y, m, d, `${account}_CloudTrail_${region}_${name}.json.gz`);
  return writeFile(p, gzipSync(JSON.stringify({ Records: events })));
}

export const ACCOUNT = '111122223333';
let seq = 0;

/** A CloudTrail event in the shape AWS writes (eventVersion 1.08 fields), with overrides. */
export function event(over: Record<string, any>): Record<string, any> {
  seq++;
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' },
    eventTime: '2026-08-01T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-central-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    requestID: `req-${seq}`,
    eventID: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    ...over,
  };
}

export const ROOT = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOTEXAMPLE' };

export function rootConsoleLogin(time: string, mfa: 'Yes' | 'No', outcome = 'Success'): Record<string, any> {
  return event({
    userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
    eventTime: time,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    userAgent: 'Mozilla/5.0',
    responseElements: { ConsoleLogin: outcome },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: mfa },
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
  });
}

/** An STS AssumeRole call into `roleArn`, answered with session credentials `accessKeyId`. */
export function assumeRole(time: string, roleArn: string, session: string, accessKeyId: string, caller = 'bob'): Record<string, any> {
  const roleName = roleArn.split('/').pop();
  return event({
    userIdentity: { type: 'IAMUser', principalId: 'AIDABOB', arn: `arn:aws:iam::${ACCOUNT}:user/${caller}`, accountId: ACCOUNT, userName: caller, accessKeyId: 'AKIABOBEXAMPLE' },
    eventTime: time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'eu-central-1',
    requestParameters: { roleArn, roleSessionName: session, sourceIdentity: caller },
    responseElements: {
      credentials: { accessKeyId, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN', expiration: 'Aug 1, 2026, 11:00:00 AM' },
      assumedRoleUser: { assumedRoleId: `AROAEXAMPLE:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}` },
      sourceIdentity: caller,
    },
    readOnly: true,
  });
}

/** A call made with the session credentials of an assumed role. */
export function roleCall(time: string, roleArn: string, session: string, accessKeyId: string, over: Record<string, any> = {}): Record<string, any> {
  const roleName = roleArn.split('/').pop();
  return event({
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:${session}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`,
      accountId: ACCOUNT,
      accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: roleArn, accountId: ACCOUNT, userName: roleName },
        attributes: { creationDate: time, mfaAuthenticated: 'true' },
        sourceIdentity: 'bob',
      },
    },
    eventTime: time,
    ...over,
  });
}
