// The golden CloudTrail events, in one place: every detection's canonical must-match / must-ignore records
// (mappings/detections), the identity scenarios of 2026 (AssumeRoot sessions, upper-case MFA, failed sign-ins of
// every kind, SAML and Identity Center sign-ins, refused calls) and the real third-party logs of ../shared/testdata.
// The scanner tests read it, and the equivalence test runs all of it through every engine.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDetections } from '../../src/detections/filter-pattern/index.js';
import { selectCases } from '../../src/detections/definitions.js';
import type { BreakGlassConfig } from '../../src/model/cloudtrail.js';
import type { Period } from '../../src/model/period.js';
import { CLOUDTRAIL_TESTDATA } from './shared.js';

export const MGMT = '111111111111';
export const MEMBER = '222222222222';
export const ACCOUNT = '111122223333';

export const GOLDEN_PERIOD: Period = { label: '2026-Q3', from: '2026-07-01', to: '2026-09-30', start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') };

/** The break-glass configuration the scenarios are written for. */
export const GOLDEN_BREAK_GLASS: Required<BreakGlassConfig> = {
  roles: [`arn:aws:iam::*:role/BreakGlass*`],
  users: ['breakglass-*'],
  permissionSets: ['EmergencyAdmin'],
  allowedCidrs: [],
  rootIsBreakGlass: true,
  secrets: ['break-glass/admin'],
  rootSessions: { callers: [`arn:aws:iam::${MGMT}:role/RootTaskOperator`], taskPolicies: [] },
};

let seq = 0;
/** A record as AWS writes it (eventVersion 1.09 fields); `over` replaces fields. */
export function record(over: Record<string, unknown>): Record<string, unknown> {
  seq++;
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEALICE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' },
    eventTime: '2026-08-01T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-central-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    requestID: `golden-req-${seq}`,
    eventID: `90000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...over,
  };
}

const root = (acct: string, extra: Record<string, unknown> = {}) => ({ type: 'Root', principalId: acct, arn: `arn:aws:iam::${acct}:root`, accountId: acct, ...extra });
const iamUser = (name: string, acct = ACCOUNT) => ({ type: 'IAMUser', principalId: `AIDA${name.toUpperCase().replace(/[^A-Z]/g, '')}`, arn: `arn:aws:iam::${acct}:user/${name}`, accountId: acct, userName: name, accessKeyId: '' });
const session = (roleArn: string, name: string, key: string, mfa: 'true' | 'false', acct = ACCOUNT, extra: Record<string, unknown> = {}) => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLE:${name}`,
  arn: `arn:aws:sts::${acct}:assumed-role/${roleArn.split('/').pop()}/${name}`,
  accountId: acct,
  accessKeyId: key,
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: roleArn, accountId: acct, userName: roleArn.split('/').pop() }, attributes: { creationDate: '2026-08-01T00:00:00Z', mfaAuthenticated: mfa }, ...extra },
});

const signIn = (identity: Record<string, unknown>, time: string, outcome: string | undefined, mfa: string | undefined, over: Record<string, unknown> = {}) =>
  record({
    userIdentity: identity,
    eventTime: time,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    userAgent: 'Mozilla/5.0',
    responseElements: outcome === undefined ? null : { ConsoleLogin: outcome },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', ...(mfa !== undefined && { MFAUsed: mfa }) },
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: (identity.accountId as string) ?? ACCOUNT,
    ...over,
  });

const BG_ROLE = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
const SSO_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_EmergencyAdmin_0123456789abcdef`;
const OPERATOR = `arn:aws:iam::${MGMT}:role/RootTaskOperator`;

/** What the scanner must make of one scenario (checked by test/cloudtrail/identity.test.ts). */
export interface Expected {
  activations: { kind: string; mfaUsed: boolean | null; eventIds: string[]; assumedBy?: string; accountId?: string; taskPolicy?: string; sanctioned?: boolean }[];
  /** Sign-ins listed, as `outcome/mfa`. */
  signIns?: string[];
  breakGlassRoleAssumptions?: number;
}

export interface Scenario {
  name: string;
  events: Record<string, unknown>[];
  expected: Expected;
}

function ids(...events: Record<string, unknown>[]): string[] {
  return events.map((e) => e.eventID as string);
}

/** The identity semantics of 2026, one scenario each; event times do not overlap between scenarios. */
export function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  const add = (name: string, events: Record<string, unknown>[], expected: Expected) => out.push({ name, events, expected });

  {
    const login = signIn(root(ACCOUNT), '2026-07-02T09:00:00Z', 'Success', 'YES');
    const call = record({ userIdentity: root(ACCOUNT, { accessKeyId: 'ASIAROOTCONSOLE1' }), eventTime: '2026-07-02T09:05:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' });
    add('root sign-in with MFAUsed "YES" (upper case, as AWS documents it): MFA used', [login, call], { activations: [{ kind: 'root', mfaUsed: true, eventIds: ids(login, call) }], signIns: ['success/yes'] });
  }
  {
    const login = signIn(iamUser('breakglass-ops'), '2026-07-03T09:00:00Z', 'Success', 'no');
    add('break-glass user sign-in with MFAUsed "no" (lower case): no MFA', [login], { activations: [{ kind: 'iam-user', mfaUsed: false, eventIds: ids(login) }], signIns: ['success/no'] });
  }
  {
    const fail = signIn(root(ACCOUNT), '2026-07-04T09:00:00Z', 'Failure', 'No', { errorMessage: 'Failed authentication' });
    add('failed root ConsoleLogin: listed, starts nothing', [fail], { activations: [], signIns: ['failure/no'] });
  }
  {
    const fail = record({
      userIdentity: root(ACCOUNT),
      eventTime: '2026-07-05T09:00:00Z',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ExternalIdPDirectoryLogin',
      awsRegion: 'us-east-1',
      responseElements: { ExternalIdPDirectoryLogin: 'Failure' },
      errorMessage: 'Failed authentication',
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
    });
    add('failed root ExternalIdPDirectoryLogin: starts nothing', [fail], { activations: [], signIns: ['failure/unknown'] });
  }
  {
    const fail = signIn(iamUser('breakglass-ops'), '2026-07-06T09:00:00Z', 'Failure', 'Yes', { errorMessage: 'Failed authentication' });
    const noOutcome = signIn(iamUser('breakglass-ops'), '2026-07-06T12:00:00Z', undefined, 'Yes');
    add('failed and outcome-less break-glass user sign-ins: start nothing', [fail, noOutcome], { activations: [], signIns: ['failure/yes', 'unknown/yes'] });
  }
  {
    const saml = record({
      userIdentity: { type: 'SAMLUser', principalId: 'SAMLEXAMPLE:jane@example.com', userName: 'jane@example.com', identityProvider: 'EXAMPLEPROVIDER' },
      eventTime: '2026-07-07T09:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithSAML',
      awsRegion: 'us-east-1',
      requestParameters: { roleArn: BG_ROLE, principalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`, durationSeconds: 3600 },
      responseElements: { credentials: { accessKeyId: 'ASIASAMLSESSION1', expiration: 'Jul 7, 2026, 10:00:00 AM' }, assumedRoleUser: { assumedRoleId: 'AROAEXAMPLE:jane@example.com', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlassAdmin/jane@example.com` }, subjectType: 'persistent', issuer: 'http://www.okta.com/EXAMPLE' },
      readOnly: true,
    });
    const login = signIn(session(BG_ROLE, 'jane@example.com', 'ASIASAMLSESSION1', 'false'), '2026-07-07T09:00:30Z', 'Success', 'No', {
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No', SamlProviderArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` },
    });
    const call = record({ userIdentity: session(BG_ROLE, 'jane@example.com', 'ASIASAMLSESSION1', 'false'), eventTime: '2026-07-07T09:10:00Z' });
    add('SAML federation into a break-glass role: MFA at the identity provider is unknown, never "no"', [saml, login, call], {
      activations: [{ kind: 'role', mfaUsed: null, eventIds: ids(saml, login, call) }],
      signIns: ['success/unknown'],
      breakGlassRoleAssumptions: 1,
    });
  }
  {
    const call1 = record({ userIdentity: session(SSO_ROLE, 'jane@example.com', 'ASIASSOSESSION01', 'false'), eventTime: '2026-07-08T09:00:00Z' });
    const call2 = record({ userIdentity: session(SSO_ROLE, 'jane@example.com', 'ASIASSOSESSION01', 'false'), eventTime: '2026-07-08T09:20:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListRoles' });
    add('IAM Identity Center permission-set session: mfaAuthenticated "false" is the federation, not a missing MFA', [call1, call2], { activations: [{ kind: 'permission-set', mfaUsed: null, eventIds: ids(call1, call2) }] });
  }
  {
    const denied = record({
      userIdentity: iamUser('bob'),
      eventTime: '2026-07-09T09:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleArn: BG_ROLE, roleSessionName: 'attempt' },
      errorCode: 'AccessDenied',
      errorMessage: 'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole',
    });
    add('refused AssumeRole of a break-glass role: no activation, no assumption counted', [denied], { activations: [], breakGlassRoleAssumptions: 0 });
  }
  {
    const assumeRoot = record({
      userIdentity: session(OPERATOR, 'alice', 'ASIAOPERATORKEY1', 'true', MGMT),
      eventTime: '2026-07-10T09:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoot',
      awsRegion: 'us-east-1',
      recipientAccountId: MGMT,
      requestParameters: { targetPrincipal: MEMBER, taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' }, durationSeconds: 900 },
      responseElements: { credentials: { accessKeyId: 'ASIAROOTSESSION01', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEROOTTOKEN', expiration: 'Jul 10, 2026, 9:15:00 AM' } },
      readOnly: true,
    });
    const member = (time: string, name: string) =>
      record({
        userIdentity: root(MEMBER, { accessKeyId: 'ASIAROOTSESSION01', sessionContext: { attributes: { creationDate: '2026-07-10T09:00:00Z', mfaAuthenticated: 'false' }, assumedRoot: 'true' } }),
        eventTime: time,
        eventSource: 'iam.amazonaws.com',
        eventName: name,
        awsRegion: 'us-east-1',
        recipientAccountId: MEMBER,
        readOnly: name.startsWith('List') || name.startsWith('Get'),
      });
    const list = member('2026-07-10T09:01:00Z', 'ListAccessKeys');
    const del = member('2026-07-10T09:03:00Z', 'DeleteLoginProfile');
    add('AssumeRoot from the management account, then calls in the member account: one root-session activation attributed to its caller', [assumeRoot, list, del], {
      activations: [{ kind: 'root-session', mfaUsed: true, eventIds: ids(assumeRoot, list, del), assumedBy: session(OPERATOR, 'alice', '', 'true', MGMT).arn, accountId: MEMBER, taskPolicy: 'IAMDeleteRootUserCredentials', sanctioned: true }],
    });
  }
  {
    const refused = record({
      userIdentity: iamUser('mallory', MGMT),
      eventTime: '2026-07-11T09:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoot',
      awsRegion: 'us-east-1',
      recipientAccountId: MGMT,
      requestParameters: { targetPrincipal: MEMBER, taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword' } },
      errorCode: 'AccessDenied',
    });
    add('refused AssumeRoot: starts nothing', [refused], { activations: [] });
  }
  {
    const orphan = record({
      userIdentity: root(MEMBER, { accessKeyId: 'ASIAROOTSESSION02', sessionContext: { attributes: { creationDate: '2026-07-12T09:00:00Z', mfaAuthenticated: 'false' }, assumedRoot: 'true' } }),
      eventTime: '2026-07-12T09:01:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteBucketPolicy',
      awsRegion: 'eu-west-1',
      recipientAccountId: MEMBER,
      requestParameters: { bucketName: 'locked-out-bucket' },
      readOnly: false,
    });
    add('root-session calls whose AssumeRoot is not in the logs: a root session of an unknown caller', [orphan], {
      activations: [{ kind: 'root-session', mfaUsed: null, eventIds: ids(orphan), accountId: MEMBER, sanctioned: false }],
    });
  }
  {
    const assumeRoot = record({
      userIdentity: iamUser('mallory', MGMT),
      eventTime: '2026-07-13T09:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoot',
      awsRegion: 'us-east-1',
      recipientAccountId: MGMT,
      requestParameters: { targetPrincipal: `arn:aws:iam::${MEMBER}:root`, taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' }, durationSeconds: 300 },
      responseElements: { credentials: { accessKeyId: 'ASIAROOTSESSION03', expiration: 'Jul 13, 2026, 9:05:00 AM' } },
      readOnly: true,
    });
    const unlock = record({
      userIdentity: root(MEMBER, { accessKeyId: 'ASIAROOTSESSION03' }),
      eventTime: '2026-07-13T09:02:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteBucketPolicy',
      awsRegion: 'eu-west-1',
      recipientAccountId: MEMBER,
      requestParameters: { bucketName: 'locked-out-bucket' },
      readOnly: false,
    });
    add('AssumeRoot by a caller not declared in breakGlass.rootSessions: a root session, not sanctioned', [assumeRoot, unlock], {
      activations: [{ kind: 'root-session', mfaUsed: null, eventIds: ids(assumeRoot, unlock), assumedBy: `arn:aws:iam::${MGMT}:user/mallory`, accountId: MEMBER, taskPolicy: 'S3UnlockBucketPolicy', sanctioned: false }],
    });
  }
  return out;
}

/** Every canonical record of the detection definitions, with the parameters of each definition substituted. */
export function definitionEvents(): Record<string, unknown>[] {
  return loadDetections().flatMap((d) => selectCases(d).flatMap((c) => [...c.match, ...c.ignore]).map((x) => x.event));
}

/** Records of the shared third-party logs (awsdocs, invictus-ir, stratus-red-team). */
export function thirdPartyFiles(): string[] {
  const dirs = ['awsdocs-cloudtrail-user-guide', 'awsdocs-iam-user-guide', 'invictus-ir-aws_dataset', 'stratus-red-team-detonation-logs'];
  return dirs.flatMap((d) => readdirSync(join(CLOUDTRAIL_TESTDATA, d)).filter((f) => f.endsWith('.json') && !f.endsWith('.labels.json')).map((f) => join(CLOUDTRAIL_TESTDATA, d, f))).sort();
}

export function recordsOfFile(path: string): Record<string, unknown>[] {
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  return Array.isArray(doc) ? doc : doc.Records;
}
