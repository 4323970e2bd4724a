// No one stopped, deleted or weakened CloudTrail logging, or opened its bucket, during the period.

import { defineCheck } from '../define-check.js';
import { cloudtrailOf, describeEvent, eventLocation } from '../cloudtrail.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.logs.no-logging-tampering',
    title: 'CloudTrail logging was not tampered with during the period',
    description:
      'No StopLogging, DeleteTrail, UpdateTrail or PutEventSelectors call, and no change to the trail bucket’s policy or public-access block, appears in the period’s CloudTrail logs (seed 000 threat "CloudTrail disabled during maintenance").',
    severity: 'critical',
    evidence: ['cloudtrail-logs'],
    remediation: 'Investigate each event listed; restrict cloudtrail:StopLogging/DeleteTrail/UpdateTrail with an SCP and alarm on CloudTrail configuration changes.',
  },
  evaluate(ev) {
    const ct = cloudtrailOf(ev);
    const findings = ct.tamperingEvents.map((e) => ({
      status: e.errorCode ? ('pass' as const) : ('fail' as const),
      subject: e.eventId,
      message: e.errorCode ? `attempt refused (${e.errorCode}): ${describeEvent(e)}` : `${describeEvent(e)}${e.target ? ` on ${e.target}` : ''}`,
      location: eventLocation(e),
    }));
    const done = findings.filter((f) => f.status === 'fail');
    if (done.length) return { status: 'fail', reason: `${done.length} logging-tampering event(s): ${done.map((f) => f.message).join('; ')}`, findings };
    const attempts = findings.length ? `; ${findings.length} refused attempt(s) listed` : '';
    return { status: 'pass', reason: `no logging tampering in ${ct.eventsInPeriod} events of the period${attempts}`, findings };
  },
});
