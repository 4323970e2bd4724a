// Shared alarm logic: a metric filter that detects what a detection set demands, wired to an alarm with actions.

import type { Finding } from '../model/check.js';
import { isUnknown, type MetricFilter } from '../model/infra.js';
import { assessFilter, describeAssessment, loadDetections, type Detection, type FilterAssessment } from '../detections/filter-pattern/index.js';
import { alarmFindings } from '../detections/alarms.js';
import { unlessOpaque, type Infra } from './infra.js';

export { alarmActionsGap, type AlarmActionsGap } from '../detections/alarms.js';
import type { CheckOutcome } from './define-check.js';

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
  const findings: Finding[] = [...infra.unreadable];
  const detecting: { filter: MetricFilter; assessment: FilterAssessment }[] = [];
  let closest: { id: string; a: FilterAssessment } | undefined;
  const assessed = new Map<string, FilterAssessment>();
  for (const f of filters) {
    const pattern = f.pattern.value;
    if (isUnknown(pattern)) {
      findings.push({ status: 'unknown', subject: f.id, message: `${f.id}: filter pattern cannot be known statically (${pattern.unknown})`, location: f.pattern.at });
      continue;
    }
    // Modules repeat the same pattern many times: assess each distinct pattern once.
    let a = assessed.get(pattern);
    if (!a) assessed.set(pattern, (a = assessFilter(pattern, det, req.params)));
    if (a.verdict === 'complete' || (a.verdict === 'partial' && req.acceptPartial)) detecting.push({ filter: f, assessment: a });
    else if (a.verdict === 'invalid') findings.push({ status: 'error', subject: f.id, message: `${f.id}: pattern ${describeAssessment(a)}`, location: f.pattern.at });
    else {
      findings.push({ status: 'not_applicable', subject: f.id, message: `${f.id}: does not detect ${req.what}: ${describeAssessment(a)}`, location: f.pattern.at });
      if (!closest || a.misses.length + a.overMatches.length < closest.a.misses.length + closest.a.overMatches.length) closest = { id: f.id, a };
    }
  }
  if (detecting.length === 0) {
    const unknownOrError = findings.filter((f) => f.status === 'unknown' || f.status === 'error');
    return unlessOpaque(infra, {
      status: unknownOrError.length ? (unknownOrError.some((f) => f.status === 'error') ? 'error' : 'unknown') : 'fail',
      reason:
        filters.length === 0
          ? `no CloudWatch Logs metric filter is defined in ${infra.roots}, so ${req.what} raises no alarm`
          : unknownOrError.length
            ? `no metric filter is known to detect ${req.what}: ${unknownOrError.map((f) => f.message).join('; ')}`
            : `no metric filter detects ${req.what}${closest ? ` (closest: ${closest.id}, ${brief(closest.a)})` : ''}`,
      findings,
      locations: findings.filter((f) => f.location).map((f) => f.location!),
    });
  }
  let best: CheckOutcome | undefined;
  for (const { filter, assessment } of detecting) {
    const { ok, findings: af } = alarmFindings(filter, alarms);
    findings.push(...af);
    const note = assessment.verdict === 'partial' ? ` (covers the required events; ${brief(assessment)})` : '';
    if (ok.length) {
      best = { status: 'pass', reason: `${filter.id} detects ${req.what}${note} and alarm ${ok.map((a) => a.id).join(', ')} notifies`, locations: [filter.at, ...ok.map((a) => a.at)] };
      break;
    }
  }
  if (best) return { ...best, findings };
  const problems = findings.filter((f) => f.status === 'fail' || f.status === 'unknown' || f.status === 'error');
  const status = problems.some((f) => f.status === 'fail') ? 'fail' : problems.some((f) => f.status === 'error') ? 'error' : 'unknown';
  return unlessOpaque(infra, { status, reason: `${req.what} is detected by ${detecting.map((d) => d.filter.id).join(', ')} but no alarm notifies: ${problems.map((f) => f.message).join('; ')}`, findings });
}
