// Seed 000 check: a metric filter that detects root account usage feeds an alarm with actions.

import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';
import { evaluateAlarm } from '../alarms.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.cloudwatch-alarm-root-login',
    title: 'A CloudWatch alarm fires on root account usage',
    description:
      'A CloudWatch Logs metric filter must match root sign-ins and root API calls (and ignore AWS service events and calls invoked by AWS services), and a CloudWatch alarm on its metric must have alarm actions (WAF-SOV-070 requirement 4; CIS root-usage monitoring).',
    severity: 'critical',
    evidence: ['iac'],
    remediation:
      'Add an aws_cloudwatch_log_metric_filter with pattern {$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent} and an aws_cloudwatch_metric_alarm on its metric with alarm_actions pointing at an SNS topic.',
  },
  evaluate: (ev) => evaluateAlarm(infraOf(ev), { detectionId: 'root-usage', what: 'root account usage' }),
});
