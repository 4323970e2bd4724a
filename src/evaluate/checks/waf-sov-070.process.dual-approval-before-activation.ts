// Each break-glass activation was approved by two distinct people, other than the requester, before it started.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { activationLabel, activationLocation, approvalsFor, cloudtrailOf, optionalOf, processOf, rejectedNote, ticketsFor } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.dual-approval-before-activation',
    title: 'Just-in-time activation with dual approval',
    description:
      'For each activation in the CloudTrail logs, an approval record (linked by event ID or by the activation’s ticket) holds approvals from two distinct approvers, neither of them the requester, each given after the request and no later than the activation start; when the session carries an STS source identity, it must be the requester (maturity level 5).',
    severity: 'high',
    evidence: ['approvals', 'cloudtrail-logs', 'tickets', 'reviews'],
    remediation: 'Gate break-glass activation on two approvals recorded before access is granted, and export the approval records with the activation’s event ID or ticket.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'approvals', 'approval records');
    const ct = cloudtrailOf(ev);
    const note = rejectedNote(set, 'approval');
    if (ct.activations.length === 0) return { status: 'not_applicable', reason: `no break-glass activation in the CloudTrail logs of the period${note}` };
    const reviews = optionalOf(ev, 'reviews')?.records ?? [];
    const tickets = optionalOf(ev, 'tickets')?.records;
    const findings: Finding[] = ct.activations.map((a) => {
      const t = ticketsFor(a, reviews, tickets);
      const ticketIds = [...new Set([...t.referenced, ...t.exported.map((x) => x.id)])];
      const recs = approvalsFor(a, set.records, ticketIds);
      if (recs.length === 0) return { status: 'fail', subject: a.id, message: `${activationLabel(a)}: no approval record linked by event ID or ticket`, location: activationLocation(a) };
      const problems: string[] = [];
      const valid = new Map<string, string>();
      for (const r of recs) {
        for (const p of r.approvals) {
          const who = p.approver.trim().toLowerCase();
          if (who === r.requester.trim().toLowerCase()) problems.push(`${p.approver} approved their own request ${r.id}`);
          else if (p.at > a.start) problems.push(`${p.approver} approved at ${p.at}, after the activation started at ${a.start}`);
          else if (p.at < r.requestedAt) problems.push(`${p.approver}'s approval at ${p.at} precedes the request at ${r.requestedAt}`);
          else valid.set(who, p.approver);
        }
      }
      // The person who used the session must be the one who asked: otherwise the approvals approved someone else.
      const user = a.principal.sourceIdentity?.trim().toLowerCase();
      if (user && !recs.some((r) => r.requester.trim().toLowerCase() === user)) problems.push(`the session was used by ${a.principal.sourceIdentity} (CloudTrail sourceIdentity), but approval was requested by ${recs.map((r) => r.requester).join(', ')}`);
      const ok = valid.size >= 2 && !(user && !recs.some((r) => r.requester.trim().toLowerCase() === user));
      const names = [...valid.values()].join(', ') || 'none';
      return {
        status: ok ? 'pass' : 'fail',
        subject: a.id,
        message: ok
          ? `${activationLabel(a)}: approved before the start by ${names} (${recs.map((r) => r.id).join(', ')})${problems.length ? `; also ${problems.join('; ')}` : ''}`
          : `${activationLabel(a)}: ${valid.size} valid distinct approver(s) before the start (${names})${problems.length ? `: ${problems.join('; ')}` : ''}`,
        location: recs[0].at,
      };
    });
    const bad = findings.filter((f) => f.status === 'fail');
    return { reason: bad.length ? `${bad.length} of ${findings.length} activation(s) without dual approval before the start: ${bad.map((f) => f.message).join('; ')}${note}` : `all ${findings.length} activation(s) had two distinct approvals before they started${note}`, findings };
  },
});
