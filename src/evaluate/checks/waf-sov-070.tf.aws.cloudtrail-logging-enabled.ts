// Maturity level 2 ("CloudTrail enabled for the account"): at least one trail logs management events.

import type { Finding } from '../../model/check.js';
import { isUnknown } from '../../model/infra.js';
import { defineCheck } from '../define-check.js';
import { attrName, ifCreated, infraOf, noTrail, settle } from '../infra.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.cloudtrail-logging-enabled',
    title: 'CloudTrail is enabled for the account',
    description: 'At least one CloudTrail trail exists with logging enabled and management events recorded (WAF-SOV-070 maturity level 2).',
    severity: 'high',
    evidence: ['iac'],
    remediation: 'Define an aws_cloudtrail trail (enable_logging defaults to true) that records management events.',
  },
  evaluate(ev) {
    const infra = infraOf(ev);
    const trails = infra.of('trail');
    const findings: Finding[] = trails.map((t) => {
      for (const [name, f] of [['logging', t.logging], ['managementEvents', t.managementEvents]] as const) {
        const defect = `trail:${t.id}:${name}`;
        if (isUnknown(f.value)) return { status: 'unknown', subject: t.id, message: `${t.id}: ${attrName(name, t.origin)} cannot be known statically (${f.value.unknown})`, location: f.value.location ?? f.at };
        if (f.value === false) return { status: 'fail', subject: t.id, message: name === 'logging' ? `${t.id}: logging is disabled (${attrName(name, t.origin)} = false)` : `${t.id}: management events are not recorded`, location: f.at, defect };
      }
      // A trail that may not be created does not show that CloudTrail is enabled.
      if (t.conditional) return { status: 'unknown', subject: t.id, message: `${t.id}: logs management events${ifCreated(t)}`, location: t.at };
      return { status: 'pass', subject: t.id, message: `${t.id}: logging enabled, management events recorded`, location: t.at };
    });
    const passing = findings.filter((f) => f.status === 'pass');
    if (passing.length) return settle(infra, { status: 'pass', reason: `CloudTrail enabled: ${passing.map((f) => f.subject).join(', ')}`, findings, locations: passing.map((f) => f.location!) }, { absence: false });
    if (trails.length === 0) return settle(infra, { status: 'fail', reason: noTrail(infra).message, findings: [noTrail(infra)] }, { absence: true });
    if (findings.some((f) => f.status === 'unknown')) return settle(infra, { status: 'unknown', reason: 'no trail is known to log: ' + findings.filter((f) => f.status === 'unknown').map((f) => f.message).join('; '), findings }, { absence: false });
    return settle(infra, { status: 'fail', reason: findings.map((f) => f.message).join('; '), findings }, { absence: true });
  },
});
