// Alarm chain check: root account usage, followed from the trail to the SNS subscription (first broken link reported).

import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';
import { evaluateChain } from '../chain.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.alarm-chain-root-usage',
    title: 'A complete alarm chain notifies on root account usage',
    description:
      'Follows the whole chain for root account usage: a trail that logs all regions and management events delivers to a CloudWatch Logs log group; a metric filter on that log group detects root usage (matches root sign-ins and root API calls, ignores AWS service events and calls invoked by services); an alarm watches its metric with actions that are not disabled; the actions notify an SNS topic, with a subscription where the sources define subscriptions. The first broken link is reported.',
    severity: 'critical',
    evidence: ['iac'],
    remediation:
      'Wire the chain: set cloud_watch_logs_group_arn on the multi-region trail, put the root-usage aws_cloudwatch_log_metric_filter on that same log group, and add an aws_cloudwatch_metric_alarm on its metric (same metric_name and namespace) whose alarm_actions name an aws_sns_topic with a subscription.',
  },
  evaluate: (ev) => evaluateChain(infraOf(ev), { detectionId: 'root-usage', what: 'root account usage' }),
});
