// Each review links at least one CloudTrail event ID, and every linked ID exists in the CloudTrail evidence.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { knownEventIds, processOf, rejectedNote, reviewsInPeriod } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.review-linked-event-ids',
    title: 'Post-incident reviews link to existing CloudTrail event IDs',
    description:
      'Each review of the period lists at least one CloudTrail event ID; when CloudTrail logs are collected, every listed ID must be an event of a break-glass activation in them (WAF-SOV-070 requirement 6). Orphan IDs are findings.',
    severity: 'medium',
    evidence: ['reviews', 'cloudtrail-logs'],
    remediation: 'Copy the event IDs of the activation (eventID field of the CloudTrail records) into the review’s `eventIds`.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'reviews', 'post-incident review records');
    const ct = ev.cloudtrail.state === 'collected' && !ev.cloudtrail.value.noLogs ? ev.cloudtrail.value : undefined;
    const reviews = reviewsInPeriod(ev, set.records, ct);
    const note = rejectedNote(set, 'review');
    if (reviews.length === 0) return { status: 'not_applicable', reason: `no review record concerns an activation in the period (${set.records.length} on file)${note}` };
    const known = ct ? knownEventIds(ct) : undefined;
    const activationIds = ct ? new Set(ct.activations.flatMap((a) => a.eventIds)) : undefined;
    const findings: Finding[] = [];
    for (const r of reviews) {
      if (r.eventIds.length === 0) {
        findings.push({ status: 'fail', subject: r.id, message: `review ${r.id} links no CloudTrail event ID`, location: r.at });
        continue;
      }
      if (!known || !activationIds) {
        findings.push({ status: 'unknown', subject: r.id, message: `review ${r.id} links ${r.eventIds.length} event ID(s); they cannot be verified: ${ev.cloudtrail.state === 'collected' ? 'no CloudTrail event in the period' : ev.cloudtrail.reason}`, location: r.at });
        continue;
      }
      const orphans = r.eventIds.filter((id) => !known.has(id));
      const notActivation = r.eventIds.filter((id) => known.has(id) && !activationIds.has(id));
      if (orphans.length) findings.push({ status: 'fail', subject: r.id, message: `review ${r.id} links event ID(s) not found in the CloudTrail logs of the period: ${orphans.join(', ')}`, location: r.at });
      if (notActivation.length) findings.push({ status: 'fail', subject: r.id, message: `review ${r.id} links event ID(s) that belong to no break-glass activation: ${notActivation.join(', ')}`, location: r.at });
      if (!orphans.length && !notActivation.length) findings.push({ status: 'pass', subject: r.id, message: `review ${r.id}: all ${r.eventIds.length} linked event ID(s) are activation events in CloudTrail`, location: r.at });
    }
    const bad = findings.filter((f) => f.status === 'fail');
    return {
      reason: bad.length
        ? `${bad.length} problem(s) with linked event IDs across ${reviews.length} review(s): ${bad.map((f) => f.message).join('; ')}${note}`
        : findings.some((f) => f.status === 'unknown')
          ? `linked event IDs of ${reviews.length} review(s) cannot be verified without CloudTrail logs${note}`
          : `all ${reviews.length} review(s) link event IDs that exist in the CloudTrail logs${note}`,
      findings,
    };
  },
});
