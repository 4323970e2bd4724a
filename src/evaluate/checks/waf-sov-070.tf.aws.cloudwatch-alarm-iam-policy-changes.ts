// Seed 000 check: a metric filter that detects IAM policy changes feeds an alarm with actions.

import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';
import { evaluateAlarm } from '../alarms.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes',
    title: 'A CloudWatch alarm fires on IAM policy changes',
    description:
      'A CloudWatch Logs metric filter must match at least CreatePolicy, DeletePolicy, AttachRolePolicy and DetachRolePolicy (the full CIS list of 16 IAM policy changes for a complete verdict), and a CloudWatch alarm on its metric must have alarm actions (WAF-SOV-070 requirement 4). The seed shows only the filter; without an alarm nobody is notified, so the alarm is required.',
    severity: 'high',
    evidence: ['iac'],
    remediation:
      'Add an aws_cloudwatch_log_metric_filter matching the IAM policy-change events and an aws_cloudwatch_metric_alarm on its metric (same metric_name and namespace) with alarm_actions.',
  },
  evaluate: (ev) => evaluateAlarm(infraOf(ev), { detectionId: 'iam-policy-changes', what: 'IAM policy changes', acceptPartial: true }),
});
