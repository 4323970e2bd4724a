// Would an alarm notify on a metric filter's matches: shared by metric-filter replay (collect) and the alarm checks (evaluate).

import type { Finding } from '../model/check.js';
import type { SourceLocation } from '../model/location.js';
import { attrName, ifCreated, isUnknown, onEntity, type Alarm, type MetricFilter } from '../model/infra.js';

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

/** The message for an alarm that would notify nobody, shared by the seed alarm checks and the chain. */
export function alarmGapMessage(al: Alarm, gap: AlarmActionsGap, metric: string): string {
  return {
    'actions-unknown': `${al.id}: its ${gap.attr} cannot be known statically (${gap.detail})`,
    'no-actions': `${al.id} watches ${metric} but has no ${gap.attr}: nobody is notified`,
    'enabled-unknown': `${al.id}: ${gap.attr} cannot be known statically (${gap.detail})`,
    disabled: `${al.id}: its actions are disabled (${gap.attr} = false): nobody is notified`,
  }[gap.kind];
}

/** Defect keys shared by the seed alarm checks and the alarm chains, so one defect is reported once. */
export const defects = {
  filterMissing: (detectionId: string) => `filter-missing:${detectionId}`,
  noAlarm: (filter: string, metric: string) => `no-alarm:${filter}:${metric}`,
  alarmActions: (alarm: string) => `alarm-actions:${alarm}`,
  pattern: (filter: string) => `filter-pattern:${filter}`,
};

/** Alarms on the filter's metric that would notify someone: actions present and not disabled. */
export function alarmFindings(filter: MetricFilter, alarms: Alarm[]): { ok: Alarm[]; findings: Finding[] } {
  const metrics = filter.metrics.value;
  if (isUnknown(metrics)) return { ok: [], findings: [{ status: 'unknown', subject: filter.id, message: `${filter.id}: its metric cannot be known statically (${metrics.unknown})`, location: metrics.location ?? filter.metrics.at }] };
  const findings: Finding[] = [];
  const ok: Alarm[] = [];
  const unknownAlarms = alarms.filter((a) => isUnknown(a.metricName.value) || isUnknown(a.namespace.value));
  for (const m of metrics) {
    const metric = `${m.namespace}/${m.name}`;
    const onMetric = alarms.filter((a) => a.metricName.value === m.name && a.namespace.value === m.namespace);
    if (onMetric.length === 0) {
      findings.push(
        unknownAlarms.length
          ? { status: 'unknown', subject: filter.id, message: `${filter.id}: no alarm is known to watch metric ${metric} (the metric of ${unknownAlarms.slice(0, 3).map((x) => x.id).join(', ')}${unknownAlarms.length > 3 ? ', …' : ''} cannot be known statically)`, location: unknownAlarms[0].metricName.at }
          : onEntity(filter, { status: 'fail', subject: filter.id, message: `${filter.id}: no alarm watches its metric ${metric}`, location: filter.metrics.at, defect: defects.noAlarm(filter.id, metric) }),
      );
      continue;
    }
    for (const a of onMetric) {
      const gap = alarmActionsGap(a);
      if (!gap) {
        const n = (a.actions.value as unknown[]).length;
        if (a.conditional || filter.conditional) findings.push({ status: 'unknown', subject: a.id, message: `${a.id}: alarms on ${metric} with ${n} action(s)${ifCreated(a.conditional ? a : filter)}`, location: a.at });
        else {
          ok.push(a);
          findings.push({ status: 'pass', subject: a.id, message: `${a.id}: alarms on ${metric} with ${n} action(s)`, location: a.at });
        }
      } else findings.push(onEntity(a, { status: gap.status, subject: a.id, message: alarmGapMessage(a, gap, metric), location: gap.location, defect: defects.alarmActions(a.id) }));
    }
  }
  return { ok, findings };
}

/** Metric filters with at least one alarm that would notify someone, and those alarms (for log replay). */
export function notifyingFilters(filters: MetricFilter[], alarms: Alarm[]): { filter: MetricFilter; alarms: Alarm[] }[] {
  return filters.map((filter) => ({ filter, alarms: alarmFindings(filter, alarms).ok }));
}
