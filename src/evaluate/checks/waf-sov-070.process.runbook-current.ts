// The runbook in force was revised within the 12 months before the period end.

import { defineCheck } from '../define-check.js';
import { runbookLocation, runbookOf } from '../runbook.js';

const YEAR_MS = 365 * 86_400_000;

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.runbook-current',
    title: 'The runbook was revised within the last 12 months',
    description: 'The revision in force at the period end was committed within the 12 months before the period end, showing the process is maintained.',
    severity: 'medium',
    evidence: ['runbook'],
    remediation: 'Review the runbook at least annually (for example after the annual drill) and commit the reviewed version.',
  },
  evaluate(ev) {
    const rb = runbookOf(ev);
    if (!rb.inForce) return { status: 'unknown', reason: `no revision of ${rb.displayPath} in force at the period end (${rb.stateReason ?? rb.state})`, locations: [runbookLocation(rb)] };
    const age = ev.period.end.getTime() - new Date(rb.inForce.date).getTime();
    const days = Math.floor(age / 86_400_000);
    return age <= YEAR_MS
      ? { status: 'pass', reason: `last revised ${rb.inForce.date.slice(0, 10)}, ${days} day(s) before the period end`, locations: [runbookLocation(rb)] }
      : { status: 'fail', reason: `last revised ${rb.inForce.date.slice(0, 10)}, ${days} days before the period end (more than 12 months)`, locations: [runbookLocation(rb)] };
  },
});
