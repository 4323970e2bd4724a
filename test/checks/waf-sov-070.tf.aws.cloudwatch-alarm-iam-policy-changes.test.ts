import check from '../../src/evaluate/checks/waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence, terraform, terraformDir } from '../support/evidence.js';

const SEED = '{($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy)}';
const CIS =
  '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}';
const stack = (pattern: string, alarmExtra = '  alarm_actions = ["arn:aws:sns:eu-central-1:111122223333:alerts"]\n') =>
  `resource "aws_cloudwatch_log_metric_filter" "iam" {\n  name = "iam"\n  pattern = ${JSON.stringify(pattern)}\n  log_group_name = "trail"\n  metric_transformation {\n    name = "IAMPolicyChangeCount"\n    namespace = "CloudTrailMetrics"\n    value = "1"\n  }\n}\nresource "aws_cloudwatch_metric_alarm" "iam" {\n  alarm_name = "iam"\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n  evaluation_periods = 1\n  metric_name = "IAMPolicyChangeCount"\n  namespace = "CloudTrailMetrics"\n  period = 300\n  statistic = "Sum"\n  threshold = 1\n${alarmExtra}}\n`;

checkTable(check, {
  pass: [
    { name: "seed 000's pattern with an alarm (required events; partial against CIS)", evidence: terraformDir('test/fixtures/terraform/seed-compliant'), reason: /covers the required events/ },
    { name: 'the full CIS list', evidence: terraform({ 'a.tf': stack(CIS) }), assert: (r) => { if (/covers the required/.test(r.reason)) throw new Error('CIS list should be complete'); } },
  ],
  fail: [
    { name: "seed 000's filter alone (no alarm, as the seed shows it)", evidence: terraform({ 'a.tf': stack(SEED).replace(/resource "aws_cloudwatch_metric_alarm"[\s\S]*$/, '') }), reason: /no alarm watches its metric CloudTrailMetrics\/IAMPolicyChangeCount/ },
    { name: 'a filter missing DetachRolePolicy', evidence: terraform({ 'a.tf': stack('{($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = AttachRolePolicy)}') }), reason: /does not match an iam:DetachRolePolicy/ },
    { name: 'alarm without actions', evidence: terraform({ 'a.tf': stack(SEED, '') }), reason: /no alarm_actions/ },
    { name: 'no metric filter at all', evidence: terraform({ 'a.tf': 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n' }), reason: /no CloudWatch Logs metric filter/ },
  ],
  unknown: [{ name: 'IaC not configured', evidence: () => baseEvidence(), reason: /not collected/ }],
});
