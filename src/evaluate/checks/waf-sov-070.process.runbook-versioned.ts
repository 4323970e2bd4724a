// The break-glass runbook exists and is versioned in git as of the period end (maturity level 2).

import { defineCheck } from '../define-check.js';
import { runbookLocation, runbookOf } from '../runbook.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.runbook-versioned',
    title: 'The break-glass runbook exists and is versioned',
    description:
      'The runbook is committed to git, a revision of it is in force at the period end (the last commit at or before it), and the working copy has no uncommitted changes to it (WAF-SOV-070 requirement 1, maturity level 2).',
    severity: 'high',
    evidence: ['runbook'],
    remediation: 'Commit the break-glass runbook to a git repository and keep every change as a commit (tag approved versions).',
  },
  evaluate(ev) {
    const rb = runbookOf(ev);
    const at = runbookLocation(rb);
    if (rb.state !== 'ok') return { status: 'fail', reason: rb.stateReason ?? rb.state, locations: [at] };
    if (!rb.inForce) return { status: 'fail', reason: rb.stateReason ?? `no revision of ${rb.displayPath} existed at the period end`, locations: [at] };
    if (rb.dirty) {
      return {
        status: 'fail',
        reason: `${rb.displayPath} has uncommitted changes in the working copy: the version in use is not the versioned one (commit or discard them)`,
        locations: [at],
      };
    }
    const later = rb.laterRevisions.length ? `; ${rb.laterRevisions.length} later revision(s) after the period end are not counted` : '';
    const tags = rb.tags.length ? `, tagged ${rb.tags.join(', ')}` : '';
    return {
      status: 'pass',
      reason: `${rb.displayPath} is versioned: ${rb.revisions.length} revision(s) up to the period end, in force ${rb.inForce.sha.slice(0, 12)} of ${rb.inForce.date.slice(0, 10)} by ${rb.inForce.author}${tags}${later}`,
      locations: [at],
    };
  },
});
