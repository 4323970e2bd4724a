// Maturity level 2 ("CloudTrail enabled for the account"): at least one trail logs management events.

import type { Finding } from '../../model/check.js';
import { isUnknown } from '../../model/infra.js';
import { defineCheck } from '../define-check.js';
import { attrName, infraOf, unlessOpaque } from '../infra.js';

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
        if (isUnknown(f.value)) return { status: 'unknown', subject: t.id, message: `${t.id}: ${attrName(name, t.origin)} cannot be known statically (${f.value.unknown})`, location: f.at };
        if (f.value === false) return { status: 'fail', subject: t.id, message: name === 'logging' ? `${t.id}: logging is disabled (${attrName(name, t.origin)} = false)` : `${t.id}: management events are not recorded`, location: f.at };
      }
      return { status: 'pass', subject: t.id, message: `${t.id}: logging enabled, management events recorded`, location: t.at };
    });
    const passing = findings.filter((f) => f.status === 'pass');
    if (passing.length) return { status: 'pass', reason: `CloudTrail enabled: ${passing.map((f) => f.subject).join(', ')}`, findings, locations: passing.map((f) => f.location!) };
    if (findings.some((f) => f.status === 'unknown') || infra.unreadable.length) {
      return { status: infra.unreadable.length ? 'error' : 'unknown', reason: 'no trail is known to log: ' + [...findings, ...infra.unreadable].map((f) => f.message).join('; '), findings: [...findings, ...infra.unreadable] };
    }
    if (trails.length === 0) return unlessOpaque(infra, { status: 'fail', reason: `no CloudTrail trail is defined in ${infra.roots}`, findings });
    return { status: 'fail', reason: findings.map((f) => f.message).join('; '), findings };
  },
});
