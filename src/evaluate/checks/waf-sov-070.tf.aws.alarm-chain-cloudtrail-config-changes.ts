// Alarm chain check: CloudTrail configuration changes, followed from the trail to the SNS subscription (first broken link reported).

import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';
import { evaluateChain } from '../chain.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.alarm-chain-cloudtrail-config-changes',
    title: 'A complete alarm chain notifies on CloudTrail configuration changes',
    description:
      "Stopping or changing the trail is how break-glass activity is hidden: a metric filter on the trail's log group must match CreateTrail, UpdateTrail, DeleteTrail, StartLogging and StopLogging (PutEventSelectors for a complete verdict), feeding an alarm with enabled actions that notify an SNS topic (with a subscription where defined). Follows the whole chain and reports the first broken link.",
    severity: 'high',
    evidence: ['iac'],
    remediation:
      "Add a metric filter {($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) || ($.eventName = PutEventSelectors)} on the trail's log group, and an alarm on its metric that notifies an SNS topic.",
  },
  evaluate: (ev) => evaluateChain(infraOf(ev), { detectionId: 'cloudtrail-config-changes', what: 'CloudTrail configuration changes' }),
});
