// The runbook in force covers every section seed 000 requires, recognised by its headings.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { runbookLocation, runbookOf } from '../runbook.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.runbook-sections',
    title: 'The runbook covers triggers, personnel, approval, activation, decommissioning and review',
    description:
      'The revision in force at the period end has a heading for each required section: trigger criteria, authorised personnel, approval chain, activation steps, decommissioning / credential rotation, and post-incident review (WAF-SOV-070 requirement 1, implementation guidance 1).',
    severity: 'medium',
    evidence: ['runbook'],
    remediation: 'Add a heading (## …) for each missing section to the runbook and commit it.',
  },
  evaluate(ev) {
    const rb = runbookOf(ev);
    if (!rb.inForce || rb.sha256 === undefined) {
      return { status: 'unknown', reason: `no revision of ${rb.displayPath} in force at the period end to read sections from (${rb.stateReason ?? rb.state})`, locations: [runbookLocation(rb)] };
    }
    const findings: Finding[] = rb.sections.map((s) =>
      s.present
        ? { status: 'pass', subject: s.id, message: `${s.title}: "${s.heading}"`, location: runbookLocation(rb, s.line) }
        : { status: 'fail', subject: s.id, message: `${s.title}: no matching heading`, location: runbookLocation(rb) },
    );
    const missing = rb.sections.filter((s) => !s.present);
    return missing.length
      ? { status: 'fail', reason: `the runbook lacks: ${missing.map((s) => s.title).join(', ')}`, findings, locations: [runbookLocation(rb)] }
      : { status: 'pass', reason: `all ${rb.sections.length} required sections are present`, findings };
  },
});
