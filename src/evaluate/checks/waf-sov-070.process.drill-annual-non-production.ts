// A break-glass drill ran in a non-production environment within the 365 days before the period end.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { daysBetween } from '../../model/dates.js';
import { processOf, rejectedNote } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.drill-annual-non-production',
    title: 'The break-glass process is drilled annually in non-production',
    description:
      'At least one drill record dated within the 365 days before the period end (and not after it) in a non-production environment (WAF-SOV-070 requirement 7, maturity level 4). A drill in production fails the check; a drill whose environment cannot be classified does not count.',
    severity: 'medium',
    evidence: ['drills'],
    remediation: 'Run a break-glass drill in a non-production account at least once every 365 days and record it (date, environment, participants, time to activate).',
  },
  evaluate(ev) {
    const set = processOf(ev, 'drills', 'drill records');
    const note = rejectedNote(set, 'drill');
    const end = ev.period.to;
    const findings: Finding[] = [];
    let qualifying = 0;
    for (const d of set.records) {
      const age = daysBetween(d.date, end);
      const where = `drill ${d.id} on ${d.date} in "${d.environment}"`;
      if (age < 0) findings.push({ status: 'not_applicable', subject: d.id, message: `${where} is after the period end; not counted`, location: d.at });
      else if (d.environmentClass === 'production') findings.push({ status: 'fail', subject: d.id, message: `${where} ran in production: drills must use a non-production environment`, location: d.at });
      else if (age > 365) findings.push({ status: 'not_applicable', subject: d.id, message: `${where} is ${age} days before the period end (older than 365 days); not counted`, location: d.at });
      else if (d.environmentClass === 'unclassified') findings.push({ status: 'unknown', subject: d.id, message: `${where}: the environment name does not say whether it is production; set environmentClass`, location: d.at });
      else {
        qualifying++;
        findings.push({ status: 'pass', subject: d.id, message: `${where} (non-production), ${age} days before the period end`, location: d.at });
      }
    }
    const prod = findings.filter((f) => f.status === 'fail');
    if (prod.length) return { status: 'fail', reason: `${prod.map((f) => f.message).join('; ')}${note}`, findings };
    if (qualifying) return { status: 'pass', reason: `${qualifying} non-production drill(s) within 365 days before ${end}${note}`, findings };
    const older = findings.filter((f) => /older than 365/.test(f.message));
    const unclassified = findings.filter((f) => f.status === 'unknown');
    if (unclassified.length) return { status: 'unknown', reason: `${unclassified.map((f) => f.message).join('; ')}${note}`, findings };
    return {
      status: 'fail',
      reason: set.records.length === 0 ? `no drill record${note}` : `no non-production drill within the 365 days before ${end}${older.length ? `: ${older.map((f) => f.message).join('; ')}` : ''}${note}`,
      findings: findings.map((f) => (f.status === 'not_applicable' && /older than 365/.test(f.message) ? { ...f, status: 'fail' as const } : f)),
    };
  },
});
