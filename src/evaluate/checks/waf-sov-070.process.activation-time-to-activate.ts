// Mean time to activate in real activations, from the approval request to the session start, is under 5 minutes.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { activationLabel, approvalsFor, cloudtrailOf, minutes, optionalOf, processOf, rejectedNote, ticketsFor } from '../process.js';

const LIMIT_SECONDS = 300;

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.activation-time-to-activate',
    title: 'Real activations start within 5 minutes of the request (mean)',
    description:
      'For each activation in the CloudTrail logs with a linked approval record, the time from `requestedAt` to the first event of the activation; the mean must be under 5 minutes. The approval record and the CloudTrail events are the generated audit artefact (maturity level 5, with the drill measurements).',
    severity: 'low',
    evidence: ['approvals', 'cloudtrail-logs'],
    remediation: 'Automate the just-in-time grant so that access starts within minutes of the approved request, and keep the request time in the approval record.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'approvals', 'approval records');
    const ct = cloudtrailOf(ev);
    const note = rejectedNote(set, 'approval');
    const reviews = optionalOf(ev, 'reviews')?.records ?? [];
    const tickets = optionalOf(ev, 'tickets')?.records;
    const findings: Finding[] = [];
    const times: number[] = [];
    for (const a of ct.activations) {
      const t = ticketsFor(a, reviews, tickets);
      const recs = approvalsFor(a, set.records, [...new Set([...t.referenced, ...t.exported.map((x) => x.id)])]);
      const requested = recs.map((r) => r.requestedAt).filter((r) => r <= a.start).sort()[0];
      if (!requested) continue;
      const seconds = (Date.parse(a.start) - Date.parse(requested)) / 1000;
      times.push(seconds);
      findings.push({ status: seconds < LIMIT_SECONDS ? 'pass' : 'fail', subject: a.id, message: `${activationLabel(a)}: requested ${requested}, active ${minutes(seconds)} later (${recs.map((r) => r.id).join(', ')})`, location: recs[0].at });
    }
    if (times.length === 0) return { status: 'not_applicable', reason: `no activation of the period has an approval request before it (${ct.activations.length} activation(s))${note}` };
    const mean = times.reduce((s, x) => s + x, 0) / times.length;
    const ok = mean < LIMIT_SECONDS;
    return { status: ok ? 'pass' : 'fail', reason: `mean time to activate ${minutes(mean)} over ${times.length} real activation(s)${ok ? '' : '; not under 5 min'}${note}`, findings };
  },
});
