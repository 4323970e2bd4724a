// The forensic evidence chain is complete: validated CloudTrail logs, and each activation linked to review, ticket, approval and rotation.

import type { Finding } from '../../model/check.js';
import { defineCheck, need } from '../define-check.js';
import { activationLabel, activationLocation, approvalsFor, cloudtrailOf, optionalOf, reviewsFor, ticketsFor } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.forensic-chain',
    title: 'Full forensic evidence chain for every activation',
    description:
      'CloudTrail digest validation proves the log files of the period unaltered (verdict valid), and every activation in them is linked to a review, a change ticket, an approval record and a credential rotation event (maturity level 5). Missing digests leave the chain unknown.',
    severity: 'medium',
    evidence: ['cloudtrail-digests', 'cloudtrail-logs', 'reviews', 'tickets', 'approvals'],
    remediation: 'Validate CloudTrail digests for the period and record each activation’s event IDs in its review, ticket and approval; rotate through logged API calls.',
  },
  evaluate(ev) {
    const integrity = need(ev.integrity, 'CloudTrail digest validation');
    const ct = cloudtrailOf(ev);
    const f: Finding[] = [];
    f.push(
      integrity.verdict === 'valid'
        ? { status: 'pass', message: `log file integrity valid: ${integrity.summary.digests.valid} digest(s), ${integrity.summary.logFiles.valid} log file(s) verified` }
        : { status: integrity.verdict === 'invalid' ? 'fail' : 'unknown', message: `log file integrity ${integrity.verdict}: ${integrity.verdictReasons.join('; ')}` },
    );
    const reviews = optionalOf(ev, 'reviews')?.records ?? [];
    const tickets = optionalOf(ev, 'tickets')?.records;
    const approvals = optionalOf(ev, 'approvals')?.records ?? [];
    for (const a of ct.activations) {
      const t = ticketsFor(a, reviews, tickets);
      const ticketIds = [...new Set([...t.referenced, ...t.exported.map((x) => x.id)])];
      const missing = [
        reviewsFor(a, reviews).length ? '' : 'review',
        ticketIds.length ? '' : 'ticket',
        approvalsFor(a, approvals, ticketIds).length ? '' : 'approval',
        a.rotation.status === 'rotated' ? '' : 'rotation event',
      ].filter(Boolean);
      f.push(missing.length ? { status: 'fail', subject: a.id, message: `${activationLabel(a)}: chain incomplete, no linked ${missing.join(', ')}`, location: activationLocation(a) } : { status: 'pass', subject: a.id, message: `${activationLabel(a)}: review, ticket, approval and rotation linked`, location: activationLocation(a) });
    }
    const bad = f.filter((x) => x.status !== 'pass');
    return { reason: bad.length ? bad.map((x) => x.message).join('; ') : `integrity valid and all ${ct.activations.length} activation(s) fully linked`, findings: f };
  },
});
