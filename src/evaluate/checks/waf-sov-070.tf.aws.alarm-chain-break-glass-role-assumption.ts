// Alarm chain check: break-glass role assumption / sign-in (seed 003 aws-ir-01), parameterised by the declared identities.

import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';
import { breakGlassDetection, evaluateChain } from '../chain.js';
import { detection } from '../alarms.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.alarm-chain-break-glass-role-assumption',
    title: 'A complete alarm chain notifies on break-glass role assumption',
    description:
      'Seed 003 aws-ir-01: every assumption of a break-glass role and every console sign-in of a break-glass user (the identities declared under breakGlass.roles / breakGlass.users in evidence-pack.yaml) must raise an alarm, while other roles and users must not. Follows the whole chain (trail → log group → metric filter → metric → alarm with enabled actions → SNS topic → subscription where defined) and reports the first broken link. Without declared identities the result is unknown.',
    severity: 'critical',
    evidence: ['iac', 'break-glass-identities'],
    remediation:
      'Declare the break-glass identities under breakGlass.roles / breakGlass.users, then add a metric filter such as {($.eventName = "AssumeRole*" && $.requestParameters.roleArn = "<break-glass role ARN>") || ($.eventName = ConsoleLogin && $.userIdentity.userName = "<break-glass user>")} on the trail\'s log group with an alarm that notifies an SNS topic.',
  },
  evaluate(ev) {
    const infra = infraOf(ev);
    const bg = breakGlassDetection(ev.breakGlass, detection('break-glass-role-assumption'));
    if (!bg) return { status: 'unknown', reason: 'no break-glass identities are declared (config keys breakGlass.roles and breakGlass.users), so the filter cannot be tested against their events' };
    return evaluateChain(infra, { detectionId: 'break-glass-role-assumption', what: 'break-glass role assumption and sign-in', detection: bg.detection, params: bg.params });
  },
});
