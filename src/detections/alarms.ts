// Would an alarm notify on a metric filter's matches: shared by metric-filter replay (collect) and the alarm checks (evaluate).

import type { Finding } from '../model/check.js';
import type { SourceLocation } from '../model/location.js';
import { attrName, isUnknown, type Alarm, type Link, type MetricFilter } from '../model/infra.js';

export interface AlarmActionsGap {
  kind: 'actions-unknown' | 'no-actions' | 'enabled-unknown' | 'disabled';
  status: 'fail' | 'unknown';
  /** The attribute concerned, as the source names it (alarm_actions, ActionsEnabled …). */
  attr: string;
  detail?: string;
  location: SourceLocation;
}

/** Why an alarm would notify nobody (no or unknown actions, actions disabled), or undefined when it notifies. */
export function alarmActionsGap(al: Alarm): AlarmActionsGap | undefined {
  const actions = al.actions.value;
  const enabled = al.actionsEnabled.value;
  const attr = attrName('actions', al.origin);
  if (isUnknown(actions)) return { kind: 'actions-unknown', status: 'unknown', attr, detail: actions.unknown, location: actions.location ?? al.actions.at };
  if (actions.length === 0) return { kind: 'no-actions', status: 'fail', attr, location: al.actions.at };
  const enabledAttr = attrName('actionsEnabled', al.origin);
  if (isUnknown(enabled)) return { kind: 'enabled-unknown', status: 'unknown', attr: enabledAttr, detail: enabled.unknown, location: enabled.location ?? al.actionsEnabled.at };
  if (enabled === false) return { kind: 'disabled', status: 'fail', attr: enabledAttr, location: al.actionsEnabled.at };
  return undefined;
}

/** Alarms on the filter's metric that would notify someone: actions present and not disabled. */
export function alarmFindings(filter: MetricFilter, alarms: Alarm[]): { ok: Alarm[]; findings: Finding[] } {
  const metrics = filter.metrics.value;
  if (isUnknown(metrics)) return { ok: [], findings: [{ status: 'unknown', subject: filter.id, message: `${filter.id}: its metric cannot be known statically (${metrics.unknown})`, location: filter.metrics.at }] };
  const findings: Finding[] = [];
  const ok: Alarm[] = [];
  for (const m of metrics) {
    const onMetric = alarms.filter((a) => a.metricName.value === m.name && a.namespace.value === m.namespace);
    const unknownAlarms = alarms.filter((a) => isUnknown(a.metricName.value) || isUnknown(a.namespace.value));
    if (onMetric.length === 0) {
      findings.push(
        unknownAlarms.length
          ? { status: 'unknown', subject: filter.id, message: `${filter.id}: no alarm is known to watch metric ${m.namespace}/${m.name} (${unknownAlarms.length} alarm(s) have a metric that cannot be known statically)`, location: filter.at }
          : { status: 'fail', subject: filter.id, message: `${filter.id}: no alarm watches its metric ${m.namespace}/${m.name}`, location: filter.metrics.at },
      );
      continue;
    }
    for (const a of onMetric) {
      const gap = alarmActionsGap(a);
      if (!gap) {
        ok.push(a);
        findings.push({ status: 'pass', subject: a.id, message: `${a.id}: alarms on ${m.namespace}/${m.name} with ${(a.actions.value as Link[]).length} action(s)`, location: a.at });
      } else {
        const message = {
          'actions-unknown': `${a.id}: its ${gap.attr} cannot be known statically (${gap.detail})`,
          'no-actions': `${a.id}: alarm on ${m.namespace}/${m.name} has no ${gap.attr}: nobody is notified`,
          'enabled-unknown': `${a.id}: ${gap.attr} cannot be known statically (${gap.detail})`,
          disabled: `${a.id}: alarm actions are disabled (${gap.attr} = false)`,
        }[gap.kind];
        findings.push({ status: gap.status, subject: a.id, message, location: gap.location });
      }
    }
  }
  return { ok, findings };
}

/** Metric filters with at least one alarm that would notify someone, and those alarms (for log replay). */
export function notifyingFilters(filters: MetricFilter[], alarms: Alarm[]): { filter: MetricFilter; alarms: Alarm[] }[] {
  return filters.map((filter) => ({ filter, alarms: alarmFindings(filter, alarms).ok }));
}
