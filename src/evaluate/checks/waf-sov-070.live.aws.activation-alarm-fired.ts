// Live: for every break-glass activation of the period, an alarm that watches that kind of activation (its metric filter detects it) and notifies entered ALARM within the stated delay (DescribeAlarmHistory).

import type { Finding } from '../../model/check.js';
import type { AwsScope } from '../../model/aws.js';
import { entitiesOf, isUnknown, type Alarm } from '../../model/infra.js';
import { worstOf } from '../../model/status.js';
import { assessFilter, type Detection } from '../../detections/filter-pattern/index.js';
import { defineCheck } from '../define-check.js';
import { detection } from '../alarms.js';
import { breakGlassDetection } from '../chain.js';
import { activationsOf, ALARM_HISTORY_DAYS, liveOf, minutesBetween, type ActivationRef } from '../live.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.live.aws.activation-alarm-fired',
    title: 'Every break-glass activation actually raised an alarm (live alarm history)',
    description:
      'For each break-glass activation of the period (from the CloudTrail logs when configured, else LookupEvents), an alarm of the same account that watches it must have entered ALARM (DescribeAlarmHistory, StateUpdate to ALARM) within aws.alarmWithinMinutes (default 15) of the activation start. An alarm watches an activation when it has actions enabled and at least one action, and its metric is fed by a metric filter of the same account and region that detects that kind of activation (mappings/detections: root-usage for the root user, break-glass-role-assumption with the declared identities otherwise; at least the required cases): an unrelated alarm firing by chance proves nothing (seed 000: real-time alerts on root and emergency admin activity; maturity level 3). An activation with no such transition fails and is named with the alarms that should have fired. CloudWatch keeps alarm history for 30 days: an older activation with no transition found is unknown, as is one in an account whose alarms or history could not be read.',
    severity: 'critical',
    evidence: ['aws-alarm-history', 'aws-alarms', 'aws-activations', 'cloudtrail-logs'],
    remediation:
      'Make every break-glass activation page someone: a metric filter on the trail’s log group for root usage and the break-glass identities, an alarm on its metric with actions enabled and an SNS action, and a subscription that is confirmed. Run the evidence pack within 30 days of each activation (or keep alarm state changes with EventBridge) so the alarm history still shows it.',
  },
  evaluate(ev) {
    const live = liveOf(ev);
    const { activations, source, gaps } = activationsOf(ev, live);
    const within = live.criteria.alarmWithinMinutes;
    const gapFindings: Finding[] = gaps.map((g) => ({ status: 'unknown', message: g.message, location: g.location }));
    if (activations.length === 0) {
      if (gapFindings.length) return { status: 'unknown', reason: `no break-glass activation found in ${source}, but ${gaps.map((g) => g.message).join('; ')}`, findings: gapFindings };
      return { status: 'not_applicable', reason: `no break-glass activation in the period (${source})` };
    }
    const collected = Date.parse(live.criteria.collectedAt);
    const watches = watchers(ev.breakGlass);
    const read = new Set(live.accounts.map((a) => a.account));
    const findings: Finding[] = [...gapFindings];
    for (const a of activations) findings.push(judge(a));

    function judge(a: ActivationRef): Finding {
      const scopes = live.scopes.filter((s) => s.enabled && (a.account === undefined || s.account === a.account));
      if (a.account !== undefined && !read.has(a.account)) return { status: 'unknown', subject: a.id, message: `${a.label}: account ${a.account} was not read (add it to aws.accounts), so its alarms cannot be checked`, location: a.location };
      const watch = a.root ? watches.root : watches.identity;
      const notifying = scopes.flatMap((s) => watch.alarms(s).map((e) => ({ scope: s, name: e.name.value as string })));
      // Times compared as instants: the logs write 10:00:00Z, the SDK 10:00:00.000Z.
      const start = Date.parse(a.start);
      const deadline = new Date(start + within * 60_000).toISOString();
      const fired = scopes
        .flatMap((s) => (isUnknown(s.alarmFirings) ? [] : s.alarmFirings.filter((f) => notifying.some((n) => n.scope === s && n.name === f.alarmName)).map((f) => ({ ...f, region: s.region }))))
        .filter((f) => Date.parse(f.at) >= start && Date.parse(f.at) <= start + within * 60_000)
        .sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || x.alarmName.localeCompare(y.alarmName));
      if (fired.length) {
        const f = fired[0];
        return { status: 'pass', subject: a.id, message: `${a.label}: alarm ${f.alarmName} (${f.region}) entered ALARM ${minutesBetween(a.start, f.at)} min after it`, location: { api: 'monitoring:DescribeAlarmHistory', account: a.account, region: f.region, pointer: f.alarmName } };
      }
      const unread = scopes.flatMap((s) => (isUnknown(s.alarmFirings) ? [`${s.account}/${s.region}: ${s.alarmFirings.unknown}`] : []));
      if (unread.length) return { status: 'unknown', subject: a.id, message: `${a.label}: no alarm transition found where the history was read, and it could not be read in ${unread.join('; ')}`, location: a.location };
      if (collected - Date.parse(a.start) > ALARM_HISTORY_DAYS * 86_400_000) return { status: 'unknown', subject: a.id, message: `${a.label}: no alarm transition found, but the activation is older than the ${ALARM_HISTORY_DAYS} days CloudWatch keeps alarm history at collection (${live.criteria.collectedAt})`, location: a.location };
      const names = [...new Set(notifying.map((n) => n.name))].sort();
      const should = names.length
        ? `none of the alarms that notify on ${watch.what} (${names.join(', ')}) entered ALARM`
        : `no alarm of the account notifies on ${watch.what} (a metric filter that detects it, an alarm on its metric with actions enabled and an action)${watch.why ? `: ${watch.why}` : ''}`;
      return { status: 'fail', subject: a.id, message: `${a.label} (event ${a.firstEventId}): ${should} within ${within} min (by ${deadline})`, location: a.location };
    }

    const status = worstOf(findings.map((f) => f.status));
    const failed = findings.filter((f) => f.status === 'fail');
    const reason =
      status === 'pass'
        ? `all ${activations.length} activation(s) in ${source} raised an alarm that notifies within ${within} min`
        : failed.length
          ? `${failed.length} of ${activations.length} activation(s) raised no alarm within ${within} min: ${failed.map((f) => f.message).join('; ')}`
          : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return { status, reason, findings };
  },
});

interface Watch {
  /** What the alarms are for, in words. */
  what: string;
  /** Why no alarm can watch this kind of activation, when that is known beforehand. */
  why?: string;
  /** The alarms of a scope that notify on this kind of activation. */
  alarms(scope: AwsScope): Alarm[];
}

/**
 * Which alarms watch root activations and which the break-glass identities': those that notify, on the metric of
 * a metric filter of the same scope whose pattern matches at least the detection's required cases.
 */
function watchers(bg: Parameters<typeof breakGlassDetection>[0]): { root: Watch; identity: Watch } {
  const on = (what: string, det: Detection | undefined, params: (Record<string, string> | undefined)[], why?: string): Watch => {
    const memo = new WeakMap<AwsScope, Alarm[]>();
    return {
      what,
      why,
      alarms(scope) {
        if (!det) return [];
        if (!memo.has(scope)) {
          const entities = [scope.snapshot];
          const metrics = entitiesOf(entities, 'metric-filter')
            .filter((f) => typeof f.pattern.value === 'string' && params.every((p) => ['complete', 'partial'].includes(assessFilter(f.pattern.value as string, det, p).verdict)))
            .flatMap((f) => (isUnknown(f.metrics.value) ? [] : f.metrics.value));
          memo.set(scope, entitiesOf(entities, 'alarm').filter((al) => notifies(al) && metrics.some((m) => m.name === al.metricName.value && m.namespace === al.namespace.value)));
        }
        return memo.get(scope)!;
      },
    };
  };
  const identity = breakGlassDetection(bg, detection('break-glass-role-assumption'));
  return {
    root: on('root usage', detection('root-usage'), [undefined]),
    identity: on('break-glass role assumption and sign-in', identity?.detection, identity?.params ?? [], identity ? undefined : 'no break-glass identity is declared (breakGlass.roles, breakGlass.users)'),
  };
}

/** The alarm would page someone: actions enabled and at least one alarm action. */
function notifies(a: Alarm): boolean {
  return a.actionsEnabled.value === true && Array.isArray(a.actions.value) && a.actions.value.length > 0 && typeof a.name.value === 'string';
}
