// Every break-glass activation of the period has a post-incident review that links its CloudTrail event IDs.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { reviewTiming } from '../../model/dates.js';
import { activationLabel, activationLocation, calendarOf, cloudtrailOf, processOf, rejectedNote, reviewsFor } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.review-for-every-activation',
    title: 'Every break-glass activation has a post-incident review',
    description:
      'Each activation rebuilt from the CloudTrail logs of the period is linked, by at least one of its event IDs, from a review record (WAF-SOV-070 requirement 6, maturity level 3). A review that matches only by time is named, but does not count.',
    severity: 'high',
    evidence: ['reviews', 'cloudtrail-logs'],
    remediation: 'File a review for every activation and list the activation’s CloudTrail event IDs in its `eventIds`.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'reviews', 'post-incident review records');
    const ct = cloudtrailOf(ev);
    const cal = calendarOf(ev);
    const note = rejectedNote(set, 'review');
    if (ct.activations.length === 0) {
      return { status: 'not_applicable', reason: `no break-glass activation in the CloudTrail logs of the period (${ct.eventsInPeriod} events read); ${set.records.length} review record(s) on file${note}` };
    }
    const findings: Finding[] = ct.activations.map((a) => {
      const linked = reviewsFor(a, set.records);
      if (linked.length) return { status: 'pass', subject: a.id, message: `${activationLabel(a)} is reviewed by ${linked.map((r) => r.id).join(', ')}`, location: linked[0].at };
      const byTime = set.records.filter((r) => r.activatedAt.some((t) => t >= a.start && t <= a.end));
      const hint = byTime.length ? ` (review ${byTime.map((r) => r.id).join(', ')} declares this activation time but links none of its event IDs)` : '';
      const { deadline } = reviewTiming(a.start, a.start.slice(0, 10), cal);
      if (deadline > ev.period.to && !byTime.length) {
        return { status: 'unknown', subject: a.id, message: `${activationLabel(a)} has no review yet; one is due by ${deadline}, after the period end`, location: activationLocation(a) };
      }
      return { status: 'fail', subject: a.id, message: `${activationLabel(a)} (events ${a.firstEventId} … ${a.lastEventId}) has no post-incident review${hint}`, location: activationLocation(a) };
    });
    const missing = findings.filter((f) => f.status !== 'pass').length;
    return {
      reason: missing
        ? `${missing} of ${findings.length} activation(s) have no review linking their event IDs: ${findings.filter((f) => f.status !== 'pass').map((f) => f.message).join('; ')}${note}`
        : `all ${findings.length} activation(s) of the period are linked from a review${note}`,
      findings,
    };
  },
});
