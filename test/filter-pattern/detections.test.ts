// Semantic assessment of metric filters against the shipped detections: seed 000 / CIS patterns however they
// are written pass, `||` in place of `&&` fails, and every verdict says what the filter misses or over-matches.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  loadDetections,
  assessFilter,
  bestFilterFor,
  describeAssessment,
  DetectionParameterError,
  type Detection,
  type FilterVerdict,
} from '../../src/detections/filter-pattern/index.js';
import { tableTest } from './table.js';

const detections = loadDetections();
const byId = new Map(detections.map((d) => [d.id, d]));
function detection(id: string): Detection {
  const d = byId.get(id);
  assert.ok(d, `detection ${id} is shipped`);
  return d;
}

const BREAK_GLASS = { breakGlassRoleArn: 'arn:aws:iam::111122223333:role/BreakGlassAdmin', breakGlassUserName: 'break-glass-responder-01' };

// seed 000 (WAF-SOV-070) compliant examples, verbatim
const SEED_ROOT = '{$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent}';
const SEED_IAM = '{($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy)}';
// seed 003 (aws-ir-01) break-glass filter, verbatim
const SEED_BREAK_GLASS = '{ $.eventName = "AssumeRoleWithSAML" && $.requestParameters.roleArn = "*BreakGlassAdmin*" }';
// CIS AWS Foundations 4.4, the sixteen IAM policy-change event names
const CIS_IAM_NAMES = [
  'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
  'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
  'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
];
const CIS_TRAIL_NAMES = ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'];
const anyOf = (names: string[], fmt: (n: string) => string, sep = ' || ') => `{ ${names.map(fmt).join(sep)} }`;

interface Case {
  name: string;
  detection: string;
  pattern: string;
  verdict: FilterVerdict;
  params?: Record<string, string>;
  /** Exact finding descriptions expected (misses then over-matches); omitted = not checked. */
  findings?: string[];
  /** Some finding descriptions that must appear. */
  mentions?: string[];
}

const cases: Case[] = [
  // ---- root usage: CIS 4.3 / seed 004 / seed 000
  { name: 'root: seed 000 pattern', detection: 'root-usage', pattern: SEED_ROOT, verdict: 'complete', findings: [] },
  { name: 'root: CIS quoted', detection: 'root-usage', pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', verdict: 'complete' },
  { name: 'root: clauses reordered', detection: 'root-usage', pattern: '{ $.eventType != "AwsServiceEvent" && $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = "Root" }', verdict: 'complete' },
  { name: 'root: parenthesised, no spaces', detection: 'root-usage', pattern: '{($.userIdentity.type="Root")&&($.userIdentity.invokedBy NOT EXISTS)&&($.eventType!="AwsServiceEvent")}', verdict: 'complete' },
  { name: 'root: multi-line heredoc', detection: 'root-usage', pattern: '{\n  $.userIdentity.type = "Root" &&\n  $.userIdentity.invokedBy NOT EXISTS &&\n  $.eventType != "AwsServiceEvent"\n}\n', verdict: 'complete' },
  { name: 'root: nested groups', detection: 'root-usage', pattern: '{ ($.userIdentity.type = Root) && (($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != AwsServiceEvent)) }', verdict: 'complete' },
  { name: 'root: arn instead of type', detection: 'root-usage', pattern: '{ $.userIdentity.arn = "*:root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent }', verdict: 'complete' },
  {
    name: 'root: || in place of &&',
    detection: 'root-usage',
    pattern: '{$.userIdentity.type = Root || $.userIdentity.invokedBy NOT EXISTS || $.eventType != AwsServiceEvent}',
    verdict: 'missing',
    findings: [
      "also matches a call made by an AWS service on root's behalf (userIdentity.invokedBy set)",
      'also matches an AwsServiceEvent by root (signin CredentialVerification)',
      'also matches an API call by an IAM user',
      'also matches an API call by an assumed role',
    ],
  },
  { name: 'root: one || (precedence makes the last clause stand alone)', detection: 'root-usage', pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS || $.eventType != "AwsServiceEvent" }', verdict: 'missing', mentions: ['also matches an API call by an IAM user'] },
  { name: 'root: type only (Trivy-style)', detection: 'root-usage', pattern: '{ $.userIdentity.type = "Root" }', verdict: 'missing', findings: ["also matches a call made by an AWS service on root's behalf (userIdentity.invokedBy set)", 'also matches an AwsServiceEvent by root (signin CredentialVerification)'] },
  { name: 'root: wrong case of Root', detection: 'root-usage', pattern: '{ $.userIdentity.type = "root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', verdict: 'missing', mentions: ['does not match a root ConsoleLogin', 'does not match a root API call with an access key (ec2:DescribeInstances)'] },
  { name: 'root: API calls only', detection: 'root-usage', pattern: '{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType = AwsApiCall }', verdict: 'missing', findings: ['does not match a root ConsoleLogin', 'does not match a failed root ConsoleLogin'] },
  { name: 'root: != instead of NOT EXISTS for invokedBy', detection: 'root-usage', pattern: '{ $.userIdentity.type = Root && $.userIdentity.invokedBy != "*" && $.eventType != AwsServiceEvent }', verdict: 'missing', mentions: ['does not match a root ConsoleLogin'] },
  { name: 'root: syntax error', detection: 'root-usage', pattern: '{ $.userIdentity.type = Root && }', verdict: 'invalid' },

  // ---- console sign-in without MFA: CIS 4.2 and its SSO variant
  { name: 'no-MFA: CIS base pattern is partial (SSO sign-ins over-match)', detection: 'console-signin-without-mfa', pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }', verdict: 'partial', findings: ['also matches an IAM Identity Center (SSO) ConsoleLogin, where MFA is enforced by the identity provider (MFAUsed "No")', 'also matches a failed IAM user ConsoleLogin (covered by the console authentication-failure alarm)'] },
  { name: 'no-MFA: CIS SSO variant', detection: 'console-signin-without-mfa', pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }', verdict: 'complete', findings: [] },
  { name: 'no-MFA: CIS variant reordered and unquoted', detection: 'console-signin-without-mfa', pattern: '{$.responseElements.ConsoleLogin=Success&&$.userIdentity.type=IAMUser&&$.additionalEventData.MFAUsed!=Yes&&$.eventName=ConsoleLogin}', verdict: 'complete' },
  { name: 'no-MFA: CIS variant, = No instead of != Yes', detection: 'console-signin-without-mfa', pattern: '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" && $.userIdentity.type = "IAMUser" && $.responseElements.ConsoleLogin = "Success" }', verdict: 'complete' },
  { name: 'no-MFA: || in place of &&', detection: 'console-signin-without-mfa', pattern: '{ ($.eventName = "ConsoleLogin") || ($.additionalEventData.MFAUsed != "Yes") }', verdict: 'missing', mentions: ['also matches an IAM user ConsoleLogin with MFA'] },
  { name: 'no-MFA: || in the CIS variant', detection: 'console-signin-without-mfa', pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") || ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }', verdict: 'missing', mentions: ['also matches an IAM user ConsoleLogin with MFA'] },
  { name: 'no-MFA: every console sign-in', detection: 'console-signin-without-mfa', pattern: '{ $.eventName = "ConsoleLogin" }', verdict: 'missing', mentions: ['also matches an IAM user ConsoleLogin with MFA'] },
  { name: 'no-MFA: term pattern', detection: 'console-signin-without-mfa', pattern: '"ConsoleLogin"', verdict: 'missing', mentions: ['also matches an IAM user ConsoleLogin with MFA'] },

  // ---- IAM policy changes: seed 000 (4 names) is partial, the CIS 16 complete
  { name: 'IAM: seed 000 pattern is partial', detection: 'iam-policy-changes', pattern: SEED_IAM, verdict: 'partial', mentions: ['does not match an iam:PutUserPolicy', 'does not match an iam:DetachGroupPolicy'] },
  { name: 'IAM: CIS list, compact', detection: 'iam-policy-changes', pattern: anyOf(CIS_IAM_NAMES, (n) => `($.eventName=${n})`, '||'), verdict: 'complete', findings: [] },
  { name: 'IAM: CIS list, quoted and spaced', detection: 'iam-policy-changes', pattern: anyOf(CIS_IAM_NAMES, (n) => `( $.eventName = "${n}" )`), verdict: 'complete' },
  { name: 'IAM: CIS list, reversed, no parentheses', detection: 'iam-policy-changes', pattern: anyOf([...CIS_IAM_NAMES].reverse(), (n) => `$.eventName = ${n}`), verdict: 'complete' },
  { name: 'IAM: CIS list with an eventSource guard', detection: 'iam-policy-changes', pattern: `{ $.eventSource = iam.amazonaws.com && (${CIS_IAM_NAMES.map((n) => `$.eventName = ${n}`).join(' || ')}) }`, verdict: 'complete' },
  { name: 'IAM: wildcard writes of *Policy*', detection: 'iam-policy-changes', pattern: '{ $.eventSource = "iam.amazonaws.com" && $.eventName = "*Policy*" && $.readOnly IS FALSE }', verdict: 'complete' },
  { name: 'IAM: wildcard without the read-only guard over-matches reads', detection: 'iam-policy-changes', pattern: '{ $.eventName = "*Policy*" }', verdict: 'missing', findings: ['also matches a read of a policy (iam:GetPolicy)'] },
  { name: 'IAM: && in place of ||', detection: 'iam-policy-changes', pattern: '{($.eventName = CreatePolicy) && ($.eventName = DeletePolicy) && ($.eventName = AttachRolePolicy) && ($.eventName = DetachRolePolicy)}', verdict: 'missing', mentions: ['does not match an iam:CreatePolicy'] },
  { name: 'IAM: three of the four required names', detection: 'iam-policy-changes', pattern: '{($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = AttachRolePolicy)}', verdict: 'missing', mentions: ['does not match an iam:DetachRolePolicy'] },

  // ---- CloudTrail configuration changes: CIS 4.5 is partial until PutEventSelectors is covered
  { name: 'trail: CIS pattern is partial', detection: 'cloudtrail-config-changes', pattern: anyOf(CIS_TRAIL_NAMES, (n) => `($.eventName = ${n})`), verdict: 'partial', findings: ['does not match a cloudtrail:PutEventSelectors that stops logging management events'] },
  { name: 'trail: CIS names + PutEventSelectors, quoted', detection: 'cloudtrail-config-changes', pattern: anyOf([...CIS_TRAIL_NAMES, 'PutEventSelectors'], (n) => `$.eventName = "${n}"`), verdict: 'complete' },
  { name: 'trail: CIS names reordered', detection: 'cloudtrail-config-changes', pattern: anyOf(['StopLogging', 'DeleteTrail', 'StartLogging', 'UpdateTrail', 'CreateTrail'], (n) => `$.eventName=${n}`, '||'), verdict: 'partial' },
  { name: 'trail: && in place of ||', detection: 'cloudtrail-config-changes', pattern: anyOf(CIS_TRAIL_NAMES, (n) => `($.eventName = ${n})`, ' && '), verdict: 'missing' },
  { name: 'trail: every cloudtrail call', detection: 'cloudtrail-config-changes', pattern: '{ $.eventSource = cloudtrail.amazonaws.com }', verdict: 'missing', mentions: ['also matches an event lookup (cloudtrail:LookupEvents)'] },

  // ---- break-glass role assumption (parametric, seed 003 aws-ir-01)
  { name: 'break-glass: seed 003 SAML-only pattern', detection: 'break-glass-role-assumption', params: BREAK_GLASS, pattern: SEED_BREAK_GLASS, verdict: 'missing', findings: ['does not match an AssumeRole of the break-glass role', 'does not match a ConsoleLogin of the break-glass user', 'does not match a failed ConsoleLogin of the break-glass user'] },
  {
    name: 'break-glass: role and user, every path',
    detection: 'break-glass-role-assumption',
    params: BREAK_GLASS,
    pattern: '{ ($.eventName = "AssumeRole*" && $.requestParameters.roleArn = "arn:aws:iam::111122223333:role/BreakGlassAdmin") || ($.eventName = "ConsoleLogin" && $.userIdentity.userName = "break-glass-responder-01") }',
    verdict: 'complete',
    findings: [],
  },
  { name: 'break-glass: AssumeRole only', detection: 'break-glass-role-assumption', params: BREAK_GLASS, pattern: '{ ($.eventName = AssumeRole && $.requestParameters.roleArn = "arn:aws:iam::111122223333:role/BreakGlassAdmin") || ($.eventName = ConsoleLogin && $.userIdentity.userName = "break-glass-responder-01") }', verdict: 'partial', findings: ['does not match an AssumeRoleWithSAML of the break-glass role'] },
  { name: 'break-glass: any role', detection: 'break-glass-role-assumption', params: BREAK_GLASS, pattern: '{ ($.eventName = "AssumeRole*") || ($.eventName = "ConsoleLogin" && $.userIdentity.userName = "break-glass-responder-01") }', verdict: 'missing', findings: ['also matches an AssumeRole of another role'] },
  { name: 'break-glass: role name anywhere over-matches the session calls', detection: 'break-glass-role-assumption', params: BREAK_GLASS, pattern: 'BreakGlassAdmin', verdict: 'missing', mentions: ['does not match a ConsoleLogin of the break-glass user', 'also matches an API call made inside a break-glass role session (not a new assumption)'] },
  {
    name: 'break-glass: other configured identities change the canonical events',
    detection: 'break-glass-role-assumption',
    params: { breakGlassRoleArn: 'arn:aws:iam::444455556666:role/emergency/Emergency-Admin', breakGlassUserName: 'bg-admin' },
    pattern: '{ ($.eventName = "AssumeRole*" && $.requestParameters.roleArn = "arn:aws:iam::111122223333:role/BreakGlassAdmin") || ($.eventName = "ConsoleLogin" && $.userIdentity.userName = "break-glass-responder-01") }',
    verdict: 'missing',
    mentions: ['does not match an AssumeRole of the break-glass role', 'does not match a ConsoleLogin of the break-glass user'],
  },
];

tableTest('assessFilter', cases, (c) => {
  const a = assessFilter(c.pattern, detection(c.detection), c.params);
  const findings = [...a.misses, ...a.overMatches].map((f) => f.description);
  assert.equal(a.verdict, c.verdict, describeAssessment(a));
  if (c.findings) assert.deepEqual(findings, c.findings);
  for (const m of c.mentions ?? []) assert.ok(findings.includes(m), `"${m}" in ${JSON.stringify(findings)}`);
  if (c.verdict === 'invalid') {
    assert.ok(a.error && a.error.column > 0, 'an invalid pattern reports the column');
  } else {
    assert.equal(a.error, undefined);
  }
});

test('the shipped detections are exactly the five fixed ids, each with realistic CloudTrail records', () => {
  assert.deepEqual(detections.map((d) => d.id), ['break-glass-role-assumption', 'cloudtrail-config-changes', 'console-signin-without-mfa', 'iam-policy-changes', 'root-usage']);
  const iam = detection('iam-policy-changes');
  const required = iam.tiers.required.mustMatch.map((c) => c.event.eventName);
  assert.deepEqual(required, ['CreatePolicy', 'DeletePolicy', 'AttachRolePolicy', 'DetachRolePolicy']);
  const all = [...required, ...(iam.tiers.complete?.mustMatch ?? []).map((c) => c.event.eventName)];
  assert.deepEqual([...all].sort(), [...CIS_IAM_NAMES].sort(), 'the complete tier covers exactly the CIS list of 16');
  for (const d of detections) {
    for (const tier of [d.tiers.required, d.tiers.complete]) {
      for (const c of [...(tier?.mustMatch ?? []), ...(tier?.mustIgnore ?? [])]) {
        assert.match(String(c.event.eventSource), /\.amazonaws\.com$/, `${d.id}/${c.id}`);
        assert.ok(typeof c.event.userIdentity === 'object', `${d.id}/${c.id} has a userIdentity`);
      }
    }
  }
});

test('a parametric detection without its parameters is a typed error naming them, not a silent pass', () => {
  assert.throws(
    () => assessFilter(SEED_BREAK_GLASS, detection('break-glass-role-assumption')),
    (e: unknown) => e instanceof DetectionParameterError && e.missing.join() === 'breakGlassRoleArn,breakGlassUserName,accountId,breakGlassRoleName',
  );
  assert.throws(
    () => assessFilter(SEED_BREAK_GLASS, detection('break-glass-role-assumption'), { breakGlassRoleArn: 'not-an-arn', breakGlassUserName: 'bg' }),
    (e: unknown) => e instanceof DetectionParameterError && e.missing.join() === 'accountId,breakGlassRoleName',
  );
});

test('bestFilterFor picks the most complete filter, then the one with fewest findings, then the first', () => {
  const filters = [
    { id: 'iam-seed', pattern: SEED_IAM },
    { id: 'broken', pattern: '{ $.eventName = ' },
    { id: 'cis', pattern: anyOf(CIS_IAM_NAMES, (n) => `$.eventName = ${n}`) },
    { id: 'cis-again', pattern: anyOf(CIS_IAM_NAMES, (n) => `$.eventName = "${n}"`) },
  ];
  const best = bestFilterFor(detection('iam-policy-changes'), filters);
  assert.equal(best?.filter.id, 'cis');
  assert.equal(best?.assessment.verdict, 'complete');
  assert.equal(bestFilterFor(detection('iam-policy-changes'), filters.slice(0, 2))?.filter.id, 'iam-seed');
  assert.equal(bestFilterFor(detection('iam-policy-changes'), []), undefined);
});

test('describeAssessment gives one line for a report', () => {
  assert.equal(describeAssessment(assessFilter(SEED_ROOT, detection('root-usage'))), 'complete');
  assert.equal(
    describeAssessment(assessFilter('{ $.userIdentity.type = Root && $.eventType = AwsApiCall }', detection('root-usage'))),
    "missing: does not match a root ConsoleLogin; does not match a failed root ConsoleLogin; also matches a call made by an AWS service on root's behalf (userIdentity.invokedBy set)",
  );
  assert.match(describeAssessment(assessFilter('{ $.a = ', detection('root-usage'))), /^invalid: filter pattern: expected a value after '=' at column 9/);
});
