// Each post-incident review is dated within 5 business days of its activation (weekends and configured holidays excluded).

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { reviewTiming } from '../../model/dates.js';
import { calendarOf, processOf, rejectedNote, reviewsInPeriod } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.review-within-five-business-days',
    title: 'Post-incident reviews are documented within 5 business days',
    description:
      'The review date is at most the 5th business day after the activation day (day 0), counted in the configured time zone; Saturdays, Sundays and `calendar.holidays` are not business days. The activation instant is the start of the linked CloudTrail activation, else the one the review declares (WAF-SOV-070 requirement 6, maturity level 3).',
    severity: 'medium',
    evidence: ['reviews', 'cloudtrail-logs'],
    remediation: 'Complete and date the post-incident review within 5 business days of the activation.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'reviews', 'post-incident review records');
    const cal = calendarOf(ev);
    const ct = ev.cloudtrail.state === 'collected' && !ev.cloudtrail.value.noLogs ? ev.cloudtrail.value : undefined;
    const reviews = reviewsInPeriod(ev, set.records, ct);
    const note = rejectedNote(set, 'review');
    if (reviews.length === 0) return { status: 'not_applicable', reason: `no review record concerns an activation in the period (${set.records.length} on file)${note}` };
    const findings: Finding[] = reviews.map((r) => {
      const ids = new Set(r.eventIds);
      const linked = ct?.activations.filter((a) => a.eventIds.some((id) => ids.has(id))) ?? [];
      const start = linked.length ? linked.map((a) => a.start).sort()[0] : r.activatedAt[0];
      const source = linked.length ? 'CloudTrail' : 'the review';
      const t = reviewTiming(start, r.reviewDate, cal);
      const tz = cal.timeZone === 'UTC' ? '' : ` ${cal.timeZone}`;
      if (t.beforeActivation) return { status: 'fail', subject: r.id, message: `review ${r.id} is dated ${r.reviewDate}, before its activation on ${t.activationDay}${tz} (from ${source})`, location: r.at };
      return {
        status: t.onTime ? 'pass' : 'fail',
        subject: r.id,
        message: t.onTime
          ? `review ${r.id} dated ${r.reviewDate}: business day ${t.businessDays} after the activation on ${t.activationDay}${tz} (deadline ${t.deadline})`
          : `review ${r.id} filed late: dated ${r.reviewDate}, business day ${t.businessDays} after the activation on ${t.activationDay}${tz} (from ${source}); the deadline was ${t.deadline}`,
        location: r.at,
      };
    });
    const late = findings.filter((f) => f.status === 'fail');
    return {
      reason: late.length ? `${late.length} of ${reviews.length} review(s) not within 5 business days: ${late.map((f) => f.message).join('; ')}${note}` : `all ${reviews.length} review(s) dated within 5 business days of their activation${note}`,
      findings,
    };
  },
});
