// Alarm chain check: console sign-in without MFA, followed from the trail to the SNS subscription (first broken link reported).

import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';
import { evaluateChain } from '../chain.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.alarm-chain-console-signin-without-mfa',
    title: 'A complete alarm chain notifies on console sign-in without MFA',
    description:
      "Seed 000 implementation guidance 4: a metric filter on the trail's log group must match IAM-user console sign-ins without MFA and ignore sign-ins with MFA, feeding an alarm with enabled actions that notify an SNS topic (with a subscription where defined). Follows the whole chain and reports the first broken link.",
    severity: 'high',
    evidence: ['iac'],
    remediation:
      'Add a metric filter such as {($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = IAMUser) && ($.responseElements.ConsoleLogin = Success)} on the trail\'s log group, and an alarm on its metric that notifies an SNS topic.',
  },
  evaluate: (ev) => evaluateChain(infraOf(ev), { detectionId: 'console-signin-without-mfa', what: 'console sign-in without MFA' }),
});
