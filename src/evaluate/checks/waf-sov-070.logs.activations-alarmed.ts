// Every break-glass activation would have raised an alarm: the IaC metric filters replayed over the period's logs.

import type { Finding } from '../../model/check.js';
import { defineCheck, need } from '../define-check.js';
import { cloudtrailOf } from '../cloudtrail.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.logs.activations-alarmed',
    title: 'Every break-glass activation would have raised an alarm',
    description:
      'The metric filters defined in IaC that feed an alarm with actions are replayed over the period’s CloudTrail events; each break-glass activation must contain at least one event such a filter matches. An activation no alarm would have caught is a finding (seed 000: real-time alerts on root and emergency admin activity).',
    severity: 'critical',
    evidence: ['cloudtrail-logs', 'iac'],
    remediation: 'Add a metric filter (root usage, break-glass role assumption, console sign-in of break-glass users) on the trail’s log group with an alarm that notifies, so that every activation pages someone.',
  },
  evaluate(ev) {
    const ct = cloudtrailOf(ev);
    const replay = need(ev.replay, 'metric-filter replay (IaC metric filters over the logs)');
    if (ct.activations.length === 0) return { status: 'not_applicable', reason: `no break-glass activation in the ${ct.eventsInPeriod} events of the period` };
    const alarmed = replay.filters.filter((f) => f.alarms.length);
    const byEvent = new Map<string, string[]>();
    for (const f of alarmed) for (const id of f.eventIds) byEvent.set(id, [...(byEvent.get(id) ?? []), ...f.alarms]);
    const findings: Finding[] = ct.activations.map((a) => {
      const alarms = [...new Set(a.eventIds.flatMap((id) => byEvent.get(id) ?? []))];
      const who = `${a.principal.arn} (${a.start})`;
      return alarms.length
        ? { status: 'pass', subject: a.id, message: `${who}: would have fired ${alarms.join(', ')}` }
        : { status: 'fail', subject: a.id, message: `${who}: no alarm would have fired (${a.apiCalls} call(s), first event ${a.firstEventId})` };
    });
    const missed = findings.filter((f) => f.status === 'fail');
    const counts = alarmed.map((f) => `${f.id} ${f.matches}×`).join(', ') || 'no alarmed metric filter';
    const skipped = replay.skipped.length ? `; not replayed: ${replay.skipped.map((s) => `${s.id} (${s.reason})`).join(', ')}` : '';
    if (missed.length) return { status: 'fail', reason: `${missed.length} of ${findings.length} activation(s) would have raised no alarm (${counts})${skipped}: ${missed.map((f) => f.message).join('; ')}`, findings };
    if (replay.skipped.length && !alarmed.length) return { status: 'unknown', reason: `no metric filter could be replayed${skipped}`, findings };
    return { status: 'pass', reason: `all ${findings.length} activation(s) would have raised an alarm (${counts})${skipped}`, findings };
  },
});
