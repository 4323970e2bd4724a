// Every break-glass activation used MFA and came from an allowed network (seed 003 aws-ir-01).

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { cloudtrailOf } from '../cloudtrail.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.logs.break-glass-use-with-mfa',
    title: 'Break-glass use was MFA-protected and from allowed networks',
    description:
      'Each break-glass activation in the period shows MFA (console sign-in MFAUsed or the session context) and, when `breakGlass.allowedCidrs` is configured, no call from outside those networks.',
    severity: 'high',
    evidence: ['cloudtrail-logs'],
    remediation: 'Enforce MFA on break-glass identities (hardware keys; aws:MultiFactorAuthPresent in role trust policies) and restrict their use to the expected networks (aws:SourceIp).',
  },
  evaluate(ev) {
    const ct = cloudtrailOf(ev);
    if (ct.activations.length === 0) return { status: 'not_applicable', reason: `no break-glass activation in the ${ct.eventsInPeriod} events of the period` };
    const findings: Finding[] = ct.activations.map((a) => {
      const who = `${a.principal.arn} (${a.start})`;
      if (a.outsideCidrEvents > 0) return { status: 'fail', subject: a.id, message: `${who}: ${a.outsideCidrEvents} call(s) from outside the allowed networks (${a.sourceIps.join(', ')})` };
      if (a.mfaUsed === false) return { status: 'fail', subject: a.id, message: `${who}: used without MFA` };
      if (a.mfaUsed === null) return { status: 'unknown', subject: a.id, message: `${who}: MFA use is not recorded in the logs` };
      return { status: 'pass', subject: a.id, message: `${who}: MFA used${ev.breakGlass.allowedCidrs.length ? ', from allowed networks' : ''}` };
    });
    const bad = findings.filter((f) => f.status !== 'pass');
    return { reason: bad.length ? bad.map((f) => f.message).join('; ') : `all ${findings.length} activation(s) used MFA${ev.breakGlass.allowedCidrs.length ? ' from allowed networks' : ''}`, findings };
  },
});
