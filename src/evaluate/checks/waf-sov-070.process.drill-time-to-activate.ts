// Mean time to activate, measured in the drills of the last 365 days, is under 5 minutes, each with a generated audit artefact.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { daysBetween } from '../../model/dates.js';
import { minutes, processOf, rejectedNote } from '../process.js';

const LIMIT_SECONDS = 300;

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.drill-time-to-activate',
    title: 'Mean time to activate is under 5 minutes, with a generated audit artefact',
    description:
      'Over the non-production drills of the 365 days before the period end that measured it, the mean time to activate is below 5 minutes, and every such drill references an audit artefact that exists (its sha256 is recorded and the file kept in the pack) (maturity level 5).',
    severity: 'low',
    evidence: ['drills'],
    remediation: 'Measure time to activate in every drill, keep it under 5 minutes, and keep the audit artefact the activation generates with the drill record.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'drills', 'drill records');
    const note = rejectedNote(set, 'drill');
    const recent = set.records.filter((d) => {
      const age = daysBetween(d.date, ev.period.to);
      return age >= 0 && age <= 365 && d.environmentClass === 'non-production';
    });
    const measured = recent.filter((d) => d.timeToActivateSeconds !== undefined);
    if (measured.length === 0) return { status: 'unknown', reason: `no non-production drill of the last 365 days records a time to activate (${recent.length} drill(s) in the window)${note}` };
    const findings: Finding[] = measured.map((d) => {
      const a = d.auditArtefact;
      const art = !a ? 'no audit artefact referenced' : a.exists ? `audit artefact ${a.displayPath} (sha256 ${a.sha256!.slice(0, 12)}…)` : `audit artefact ${a.displayPath} not found`;
      return { status: a?.exists ? 'pass' : 'fail', subject: d.id, message: `drill ${d.id} on ${d.date}: time to activate ${minutes(d.timeToActivateSeconds!)}; ${art}`, location: d.at };
    });
    const mean = measured.reduce((s, d) => s + d.timeToActivateSeconds!, 0) / measured.length;
    const noArtefact = findings.filter((f) => f.status === 'fail');
    const parts = [`mean time to activate ${minutes(mean)} over ${measured.length} drill(s)`];
    if (mean >= LIMIT_SECONDS) parts.push('not under 5 min');
    if (noArtefact.length) parts.push(`${noArtefact.length} drill(s) without an existing audit artefact`);
    const ok = mean < LIMIT_SECONDS && noArtefact.length === 0;
    return { status: ok ? 'pass' : 'fail', reason: parts.join('; ') + note, findings };
  },
});
