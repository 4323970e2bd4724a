// Every break-glass activation raised a change ticket (export linked by event ID, or a ticket named in its review).

import type { Finding } from '../../model/check.js';
import { defineCheck, EvidenceNotCollected } from '../define-check.js';
import { activationLabel, activationLocation, cloudtrailOf, minutes, optionalOf, rejectedNote, reviewsFor, ticketsFor } from '../process.js';

/** A ticket raised more than this after the activation started was not raised by the activation. */
const AUTOMATIC_WITHIN_SECONDS = 3600;

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.change-ticket-for-every-activation',
    title: 'Break-glass activations raise a change ticket',
    description:
      'Each activation in the CloudTrail logs has a change ticket: a row of the ticket export linked by event ID (or named by the activation’s review) created no later than 60 minutes after the activation started, or a ticket reference in the activation’s review when no export is configured (maturity level 4).',
    severity: 'medium',
    evidence: ['tickets', 'reviews', 'cloudtrail-logs'],
    remediation: 'Have the activation (e.g. an EventBridge rule on the break-glass role assumption) open a change ticket automatically, with the activation’s event ID.',
  },
  evaluate(ev) {
    const tickets = optionalOf(ev, 'tickets');
    const reviewSet = optionalOf(ev, 'reviews');
    if (!tickets && !reviewSet) throw new EvidenceNotCollected('neither a ticket export (config key `tickets`) nor review records (config key `reviews`) were collected');
    const ct = cloudtrailOf(ev);
    const note = rejectedNote(tickets, 'ticket') + rejectedNote(reviewSet, 'review');
    if (ct.activations.length === 0) return { status: 'not_applicable', reason: `no break-glass activation in the CloudTrail logs of the period${note}` };
    const reviews = reviewSet?.records ?? [];
    const findings: Finding[] = ct.activations.map((a) => {
      const { exported, referenced } = ticketsFor(a, reviews, tickets?.records);
      if (exported.length) {
        const first = [...exported].sort((x, y) => x.created.localeCompare(y.created))[0];
        const delay = (Date.parse(first.created) - Date.parse(a.start)) / 1000;
        if (delay > AUTOMATIC_WITHIN_SECONDS) {
          return { status: 'fail', subject: a.id, message: `${activationLabel(a)}: ticket ${first.id} was created ${minutes(delay)} after the activation started — not raised by the activation`, location: first.at };
        }
        return { status: 'pass', subject: a.id, message: `${activationLabel(a)}: ticket ${first.id} created ${first.created}${first.createdBy ? ` by ${first.createdBy}` : ''} (${delay >= 0 ? `${minutes(delay)} after` : `${minutes(-delay)} before`} the start)`, location: first.at };
      }
      if (tickets && referenced.length) {
        return { status: 'fail', subject: a.id, message: `${activationLabel(a)}: review names ticket(s) ${referenced.join(', ')}, which are not in the ticket export`, location: reviewsFor(a, reviews)[0]?.at ?? activationLocation(a) };
      }
      if (referenced.length) {
        return { status: 'pass', subject: a.id, message: `${activationLabel(a)}: ticket ${referenced.join(', ')} named in review ${reviewsFor(a, reviews).map((r) => r.id).join(', ')} (no export configured: creation time not evidenced)`, location: reviewsFor(a, reviews)[0].at };
      }
      return { status: 'fail', subject: a.id, message: `${activationLabel(a)}: no change ticket is linked (neither in the ticket export by event ID nor in a review)`, location: activationLocation(a) };
    });
    const bad = findings.filter((f) => f.status !== 'pass');
    return {
      reason: bad.length ? `${bad.length} of ${findings.length} activation(s) without a ticket raised by the activation: ${bad.map((f) => f.message).join('; ')}${note}` : `all ${findings.length} activation(s) raised a change ticket${note}`,
      findings,
    };
  },
});
