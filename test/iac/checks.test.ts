// Check tables (CheckTester) for the alarm-chain checks and the Object Lock recommendation, on real collected IaC.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkTable, type CheckCase } from '../support/check-table.js';
import { baseEvidence, terraform } from '../support/evidence.js';
import rootUsage from '../../src/evaluate/checks/waf-sov-070.tf.aws.alarm-chain-root-usage.js';
import iamPolicyChanges from '../../src/evaluate/checks/waf-sov-070.tf.aws.alarm-chain-iam-policy-changes.js';
import consoleNoMfa from '../../src/evaluate/checks/waf-sov-070.tf.aws.alarm-chain-console-signin-without-mfa.js';
import trailChanges from '../../src/evaluate/checks/waf-sov-070.tf.aws.alarm-chain-cloudtrail-config-changes.js';
import breakGlass from '../../src/evaluate/checks/waf-sov-070.tf.aws.alarm-chain-break-glass-role-assumption.js';
import objectLock from '../../src/evaluate/checks/waf-sov-070.tf.aws.cloudtrail-bucket-object-lock.js';
import type { BreakGlassConfig } from '../../src/config/load.js';
import { BREAK_GLASS, CHAIN_FIXTURES, collectTf, editedCopy, evidenceOf, REPO, type Edit } from './helpers.js';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';

const COMPLETE = join(CHAIN_FIXTURES, 'complete');
const SEED_LITERAL = join(CHAIN_FIXTURES, 'seed-literal');

/** Evidence from the complete chain fixture after `edits`, with the declared break-glass identities. */
const fixture = (dir: string, edits: Edit[] = [], bg: BreakGlassConfig = BREAK_GLASS): CheckCase['evidence'] => async () => {
  const t = editedCopy(dir, edits);
  try {
    return evidenceOf(await collectTf(t.dir), bg);
  } finally {
    t.cleanup();
  }
};
const cfn = (path: string): CheckCase['evidence'] => async () => evidenceOf(await collectCloudFormation({ paths: [path], baseDir: REPO }));
const filterOf = (name: string): Edit => ({ file: 'alarms.tf', from: new RegExp(`(resource "aws_cloudwatch_log_metric_filter" "${name}" \\{\\n[^\\n]*\\n\\s+pattern\\s+= )"[^\\n]*"`), to: '$1"{ $.eventName = GetCallerIdentity }"' });

const withBreakGlass = (ev: CheckCase['evidence']): CheckCase['evidence'] => async () => ({ ...(await ev()), breakGlass: BREAK_GLASS });

const common = (name: string, filter: string): { fail: CheckCase[]; unknown: CheckCase[] } => ({
  fail: [
    { name: `${name}: seed 000's example with the trail on log group ct`, evidence: fixture(SEED_LITERAL), reason: /^first broken link: metric filter: no metric filter is defined on aws_cloudwatch_log_group\.ct/ },
    { name: `${name}: seed 000's non-compliant trail`, evidence: fixture(join(REPO, 'test/fixtures/terraform/seed-noncompliant')), reason: /^first broken link: trail: aws_cloudtrail\.trail: it logs one region only/ },
    { name: `${name}: the filter detects something else`, evidence: fixture(COMPLETE, [filterOf(filter)]), reason: /^first broken link: metric filter: no metric filter on aws_cloudwatch_log_group\.trail/, locations: [/main\.tf:\d+:\d+ \(aws_cloudwatch_log_group\.trail\)/] },
  ],
  unknown: [
    { name: `${name}: IaC not configured`, evidence: () => baseEvidence({ breakGlass: BREAK_GLASS }), reason: /not collected/ },
    { name: `${name}: trail from a registry module only`, evidence: withBreakGlass(terraform({ 'main.tf': 'module "trail" {\n  source = "cloudposse/cloudtrail/aws"\n  version = "0.24.0"\n}\n' })), reason: /module\.trail: module source "cloudposse\/cloudtrail\/aws" is not downloaded: run `terraform init`/ },
  ],
});

const rootCommon = common('root', 'root_usage');
checkTable(rootUsage, {
  pass: [
    { name: 'complete chain fixture', evidence: fixture(COMPLETE), reason: /^complete alarm chain for root account usage: aws_cloudtrail\.main → aws_cloudwatch_log_metric_filter\.root_usage/ },
    { name: 'CloudFormation YAML sample', evidence: cfn('samples/iac-equivalence/cloudformation'), reason: /SovereignTrail → RootUsageMetricFilter → RootUsageAlarm → SecurityAlertsTopic → SecurityAlertsTopic\/Subscription\[0\] \(email\)/ },
    { name: 'CDK sample', evidence: cfn('samples/iac-equivalence/cdk'), reason: /Trail022F0CF2 → RootUsageFilter4E1B9C3D/ },
    { name: 'Northwind sample', evidence: fixture(join(REPO, 'samples/northwind-sovereign/infra')) },
  ],
  ...rootCommon,
});

checkTable(iamPolicyChanges, {
  pass: [{ name: 'complete chain fixture (4 names: partial accepted, noted)', evidence: fixture(COMPLETE), reason: /partial: does not match an iam:DeleteGroupPolicy/ }],
  ...common('iam', 'iam_changes'),
});

checkTable(consoleNoMfa, {
  pass: [{ name: 'complete chain fixture', evidence: fixture(COMPLETE) }],
  fail: [
    ...common('mfa', 'no_mfa').fail,
    {
      name: 'filter written with || matches sign-ins with MFA',
      evidence: fixture(COMPLETE, [{ file: 'alarms.tf', from: '($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed', to: '($.eventName = ConsoleLogin) || ($.additionalEventData.MFAUsed' }]),
      reason: /also matches/,
    },
    { name: 'CloudFormation sample has no such filter', evidence: cfn('samples/iac-equivalence/cloudformation'), reason: /^first broken link: metric filter: no metric filter on CloudTrailLogGroup/ },
  ],
  unknown: common('mfa', 'no_mfa').unknown,
});

checkTable(trailChanges, {
  pass: [{ name: 'complete chain fixture', evidence: fixture(COMPLETE) }],
  fail: [
    ...common('trail', 'trail_changes').fail,
    {
      name: 'StopLogging left out',
      evidence: fixture(COMPLETE, [{ file: 'alarms.tf', from: ' || ($.eventName = StopLogging)', to: '' }]),
      reason: /does not match a cloudtrail:StopLogging/,
    },
  ],
  unknown: common('trail', 'trail_changes').unknown,
});

checkTable(breakGlass, {
  pass: [
    { name: 'declared role and user', evidence: fixture(COMPLETE) },
    { name: 'only the user declared (role cases dropped)', evidence: fixture(COMPLETE, [], { ...BREAK_GLASS, roles: [] }) },
  ],
  fail: [
    ...common('bg', 'break_glass').fail,
    { name: 'another role declared', evidence: fixture(COMPLETE, [], { ...BREAK_GLASS, roles: ['arn:aws:iam::111122223333:role/Emergency*'] }), reason: /does not match an AssumeRole of the break-glass role/ },
    { name: 'a second user declared that the filter misses', evidence: fixture(COMPLETE, [], { ...BREAK_GLASS, users: ['break-glass-responder-01', 'break-glass-responder-02'] }), reason: /does not match a ConsoleLogin of the break-glass user/ },
  ],
  unknown: [
    ...common('bg', 'break_glass').unknown,
    { name: 'no identities declared', evidence: fixture(COMPLETE, [], { ...BREAK_GLASS, roles: [], users: [] }), reason: /no break-glass identities are declared/ },
  ],
});

const bucket = (extra: string) =>
  `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = aws_s3_bucket.logs.id\n}\nresource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n${extra}}\n`;
checkTable(objectLock, {
  pass: [
    { name: 'Northwind sample (object_lock_enabled = true)', evidence: fixture(join(REPO, 'samples/northwind-sovereign/infra')), reason: /Object Lock is enabled/ },
    { name: 'object lock set', evidence: terraform({ 'a.tf': bucket('  object_lock_enabled = true\n') }) },
  ],
  fail: [
    {
      name: 'not set (default off)',
      evidence: terraform({ 'a.tf': bucket('') }),
      reason: /aws_s3_bucket\.logs: Object Lock is not enabled \(not set; default off\)/,
      locations: [/^a\.tf:5/],
      assert: (r) => assert.equal(r.severity, 'low', 'a recommendation, not a requirement failure'),
    },
    { name: 'CloudFormation sample (no ObjectLockEnabled)', evidence: cfn('samples/iac-equivalence/cloudformation'), reason: /CloudTrailBucket: Object Lock is not enabled/ },
  ],
  unknown: [
    { name: 'bucket not defined in the sources', evidence: terraform({ 'a.tf': 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "elsewhere"\n}\n' }), reason: /its bucket elsewhere is not defined in the sources read/ },
    { name: 'object lock from a variable without default', evidence: terraform({ 'a.tf': 'variable "lock" {}\n' + bucket('  object_lock_enabled = var.lock\n') }), reason: /cannot be known statically/ },
    { name: 'no trail', evidence: terraform({ 'a.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n' }), reason: /no CloudTrail trail/ },
  ],
});
