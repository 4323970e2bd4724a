// Seed 000 check: every CloudTrail trail is multi-region with log file validation and global service events.

import type { Finding } from '../../model/check.js';
import { worstOf } from '../../model/status.js';
import { defineCheck } from '../define-check.js';
import { infraOf, mayAllBeAbsent, noTrail, onEntity, requireTrue, settle } from '../infra.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions',
    title: 'CloudTrail is multi-region with log file validation and global service events',
    description:
      'Every CloudTrail trail must set is_multi_region_trail = true, enable_log_file_validation = true and include_global_service_events = true (WAF-SOV-070 requirement 2).',
    severity: 'high',
    evidence: ['iac'],
    remediation: 'Set is_multi_region_trail = true, enable_log_file_validation = true and include_global_service_events = true on the trail.',
  },
  evaluate(ev) {
    const infra = infraOf(ev);
    const trails = infra.of('trail');
    if (trails.length === 0) return settle(infra, { status: 'fail', reason: noTrail(infra).message, findings: [noTrail(infra)] }, { absence: true });
    const findings: Finding[] = [];
    for (const t of trails) {
      for (const attr of ['multiRegion', 'logFileValidation', 'globalServiceEvents'] as const) {
        findings.push(onEntity(t, { ...requireTrue(t, t[attr], attr), defect: `trail:${t.id}:${attr}` }));
      }
    }
    const none = mayAllBeAbsent(trails, 'trail');
    if (none) findings.push(none);
    const status = worstOf(findings.map((f) => f.status));
    const bad = findings.filter((f) => f.status === status);
    const reason =
      status === 'pass'
        ? `${trails.length} trail${trails.length > 1 ? 's are' : ' is'} multi-region with log file validation and global service events`
        : bad.map((f) => f.message).join('; ');
    return settle(infra, { status, reason, findings }, { absence: false });
  },
});
