// Alarm chain check: IAM policy changes, followed from the trail to the SNS subscription (first broken link reported).

import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';
import { evaluateChain } from '../chain.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.alarm-chain-iam-policy-changes',
    title: 'A complete alarm chain notifies on IAM policy changes',
    description:
      'Follows the whole chain for IAM policy changes (at least CreatePolicy, DeletePolicy, AttachRolePolicy and DetachRolePolicy; the CIS list of 16 for a complete verdict): trail (all regions, management events) → its CloudWatch Logs log group → a metric filter on that log group → metric → alarm with enabled actions → SNS topic → subscription where defined. The first broken link is reported.',
    severity: 'high',
    evidence: ['iac'],
    remediation:
      'Put the IAM policy-change metric filter on the log group the trail delivers to (cloud_watch_logs_group_arn), and add an alarm on its metric whose alarm_actions notify an SNS topic with a subscription.',
  },
  evaluate: (ev) => evaluateChain(infraOf(ev), { detectionId: 'iam-policy-changes', what: 'IAM policy changes' }),
});
