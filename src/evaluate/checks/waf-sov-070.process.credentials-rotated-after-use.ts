// Break-glass credentials are rotated after every activation, as the CloudTrail logs show.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { activationLabel, activationLocation, cloudtrailOf, minutes, optionalOf, reviewsFor } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.credentials-rotated-after-use',
    title: 'Break-glass credentials are rotated after every use',
    description:
      'For each activation in the CloudTrail logs, a rotation of the credentials used (password, access key, login profile, configured secret, revoked role sessions) follows the last use and precedes the next use (WAF-SOV-070 requirement 5, maturity level 4). A rotation only stated in a review, with no CloudTrail event, needs manual verification.',
    severity: 'high',
    evidence: ['cloudtrail-logs', 'reviews'],
    remediation: 'Rotate the break-glass credentials (or revoke the role sessions) immediately after every use, through an API call that CloudTrail records.',
  },
  evaluate(ev) {
    const ct = cloudtrailOf(ev);
    if (ct.activations.length === 0) return { status: 'not_applicable', reason: `no break-glass activation in the CloudTrail logs of the period (${ct.eventsInPeriod} events read)` };
    const reviews = optionalOf(ev, 'reviews')?.records ?? [];
    const findings: Finding[] = ct.activations.map((a) => {
      if (a.rotation.status === 'rotated') {
        const r = a.rotation.evidence[0];
        return { status: 'pass', subject: a.id, message: `${activationLabel(a)}: ${r.kind} (${r.eventName}, event ${r.eventId}) ${minutes(r.delaySeconds)} after the last use`, location: activationLocation(a) };
      }
      const stated = reviewsFor(a, reviews).flatMap((r) => r.credentialsRotated.filter((c) => c.when >= a.start).map((c) => `${c.what} at ${c.when} (review ${r.id})`));
      if (stated.length) {
        return { status: 'manual', subject: a.id, message: `${activationLabel(a)}: rotation stated only in a review — ${stated.join('; ')} — with no rotation event in CloudTrail; verify it manually`, location: activationLocation(a) };
      }
      const deadline = a.rotation.deadline ? ` before the next use at ${a.rotation.deadline}` : '';
      return { status: 'fail', subject: a.id, message: `${activationLabel(a)}: no credential rotation found after the last use${deadline}`, location: activationLocation(a) };
    });
    const notRotated = findings.filter((f) => f.status !== 'pass');
    return {
      reason: notRotated.length ? `${notRotated.length} of ${findings.length} activation(s) without rotation evidence in CloudTrail: ${notRotated.map((f) => f.message).join('; ')}` : `credentials were rotated after all ${findings.length} activation(s)`,
      findings,
    };
  },
});
