// Shared alarm logic: a metric filter that detects what a detection set demands, wired to an alarm with actions.

import type { Finding } from '../model/check.js';
import type { SourceLocation } from '../model/location.js';
import { isUnknown, type Link, type LogGroup, type MetricFilter } from '../model/infra.js';
import { assessFilter, describeAssessment, loadDetections, type Detection, type FilterAssessment } from '../detections/filter-pattern/index.js';
import { alarmFindings, defects } from '../detections/alarms.js';
import { settle, type Infra } from './infra.js';
import type { CheckOutcome } from './define-check.js';

export { alarmActionsGap, alarmGapMessage, defects, type AlarmActionsGap } from '../detections/alarms.js';

let detections: Map<string, Detection> | undefined;
export function detection(id: string): Detection {
  detections ??= new Map(loadDetections().map((d) => [d.id, d]));
  const d = detections.get(id);
  if (!d) throw new Error(`detection "${id}" is not defined in mappings/detections/`);
  return d;
}

export interface AlarmRequirement {
  detectionId: string;
  /** What the alarm is for, in words: "root account usage". */
  what: string;
  /** Accept a `partial` verdict (the required tier met, the complete tier not). */
  acceptPartial?: boolean;
  params?: Record<string, string>;
}

/**
 * Where the fix for a missing metric filter goes: the log group the (first) trail delivers to when it is
 * defined in the sources, else the trail's log-group attribute, else the trail; with no trail, the first log
 * group defined. Undefined when there is none of these (the report then points at the first IaC file).
 */
export function missingFilterAnchor(infra: Infra): SourceLocation | undefined {
  const trails = infra.of('trail');
  const groups = infra.of('log-group');
  for (const t of trails) {
    const lg = t.logGroup.value;
    if (lg === null || isUnknown(lg)) continue;
    return logGroupEntity(lg, groups)?.at ?? t.logGroup.at;
  }
  return trails[0]?.at ?? groups[0]?.at;
}

/** The log group entity a trail's log-group link designates (by reference, or by the name in its ARN). */
export function logGroupEntity(link: Link, groups: LogGroup[]): LogGroup | undefined {
  if (link.ref !== undefined) return groups.find((g) => g.id === link.ref);
  if (link.name === undefined) return undefined;
  const name = logGroupNameFromArn(link.name);
  return groups.find((g) => g.name.value === name);
}

/** `/aws/cloudtrail/x` from `arn:aws:logs:eu-central-1:111122223333:log-group:/aws/cloudtrail/x:*`; other text as it is. */
export function logGroupNameFromArn(s: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(s);
  return m ? m[1] : s;
}

/** Short form of an assessment for a one-line reason: the first findings and how many more. */
function brief(a: FilterAssessment, max = 3): string {
  const all = [...a.misses, ...a.overMatches].map((f) => f.description);
  if (a.verdict === 'invalid' || all.length <= max) return describeAssessment(a);
  return `${a.verdict}: ${all.slice(0, max).join('; ')} and ${all.length - max} more`;
}

export function evaluateAlarm(infra: Infra, req: AlarmRequirement): CheckOutcome {
  const det = detection(req.detectionId);
  const filters = infra.of('metric-filter');
  const alarms = infra.of('alarm');
  const findings: Finding[] = [];
  const detecting: { filter: MetricFilter; assessment: FilterAssessment }[] = [];
  let closest: { id: string; a: FilterAssessment } | undefined;
  const assessed = new Map<string, FilterAssessment>();
  for (const f of filters) {
    const pattern = f.pattern.value;
    if (isUnknown(pattern)) {
      findings.push({ status: 'unknown', subject: f.id, message: `${f.id}: filter pattern cannot be known statically (${pattern.unknown})`, location: pattern.location ?? f.pattern.at });
      continue;
    }
    // Modules repeat the same pattern many times: assess each distinct pattern once.
    let a = assessed.get(pattern);
    if (!a) assessed.set(pattern, (a = assessFilter(pattern, det, req.params)));
    if (a.verdict === 'complete' || (a.verdict === 'partial' && req.acceptPartial)) detecting.push({ filter: f, assessment: a });
    else if (a.verdict === 'invalid') findings.push({ status: 'error', subject: f.id, message: `${f.id}: pattern ${describeAssessment(a)}`, location: f.pattern.at, defect: defects.pattern(f.id) });
    else {
      findings.push({ status: 'not_applicable', subject: f.id, message: `${f.id}: does not detect ${req.what}: ${describeAssessment(a)}`, location: f.pattern.at });
      if (!closest || a.misses.length + a.overMatches.length < closest.a.misses.length + closest.a.overMatches.length) closest = { id: f.id, a };
    }
  }
  if (detecting.length === 0) {
    const undecided = findings.filter((f) => f.status === 'unknown' || f.status === 'error');
    if (undecided.length) {
      const status = undecided.some((f) => f.status === 'error') ? 'error' : 'unknown';
      return settle(infra, { status, reason: `no metric filter is known to detect ${req.what}: ${undecided.map((f) => f.message).join('; ')}`, findings }, { absence: true });
    }
    const message =
      filters.length === 0
        ? `no CloudWatch Logs metric filter is defined in ${infra.roots}, so no alarm fires on ${req.what}`
        : `no metric filter detects ${req.what}${closest ? ` (closest: ${closest.id}, ${brief(closest.a)})` : ''}`;
    const missing: Finding = { status: 'fail', message, location: missingFilterAnchor(infra), defect: defects.filterMissing(req.detectionId) };
    return settle(infra, { status: 'fail', reason: message, findings: [...findings, missing] }, { absence: true });
  }
  let best: CheckOutcome | undefined;
  for (const { filter, assessment } of detecting) {
    const { ok, findings: af } = alarmFindings(filter, alarms);
    findings.push(...af);
    const note = assessment.verdict === 'partial' ? ` (covers the required events; ${brief(assessment)})` : '';
    if (ok.length && !best) best = { status: 'pass', reason: `${filter.id} detects ${req.what}${note} and alarm ${ok.map((a) => a.id).join(', ')} notifies`, locations: [filter.at, ...ok.map((a) => a.at)] };
  }
  if (best) return settle(infra, { ...best, findings }, { absence: true });
  const problems = findings.filter((f) => f.status === 'fail' || f.status === 'unknown' || f.status === 'error');
  const status = problems.some((f) => f.status === 'fail') && !problems.some((f) => f.status === 'unknown' || f.status === 'error') ? 'fail' : problems.some((f) => f.status === 'error') ? 'error' : problems.some((f) => f.status === 'unknown') ? 'unknown' : 'fail';
  return settle(infra, { status, reason: `${req.what} is detected by ${detecting.map((d) => d.filter.id).join(', ')} but no alarm is known to notify: ${problems.filter((f) => f.status === status).map((f) => f.message).join('; ')}`, findings }, { absence: true });
}
