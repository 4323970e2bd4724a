// Reference scan of one log file: JSON.parse of everything, no pre-filter. Slow; tests compare the fast scan with it.

import { isUtf8 } from 'node:buffer';
import { NOT_UTF8, badNameReason, nonObjectReason, badTimeReason, decompress, emptyScan, type FileScan, inPeriodText, missingReason, noIdReason, type ScanPlan } from './scan.js';
import { normaliseEventTime } from './event-time.js';

function recordsOf(text: string, out: FileScan): unknown[] | undefined {
  try {
    const doc: unknown = JSON.parse(text);
    if (Array.isArray(doc)) return doc;
    if (doc && typeof doc === 'object') {
      if (!('Records' in doc)) return [doc];
      const recs = (doc as { Records?: unknown }).Records;
      if (Array.isArray(recs)) return recs;
      out.problems.push({ reason: 'wrong shape: "Records" is not a list (expected {"Records": [ … ]})', skip: 'wrong-shape' });
      return undefined;
    }
    out.problems.push({ reason: 'not a CloudTrail log: top-level value is neither an object nor an array', skip: 'wrong-shape' });
    return undefined;
  } catch {
    // One event per line.
    const recs: unknown[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      try {
        recs.push(JSON.parse(lines[i]));
      } catch (err) {
        out.problems.push({ reason: `line ${i + 1}: ${(err as Error).message}`, skip: 'not-parseable' });
      }
    }
    return recs;
  }
}

/** Same output as scanLogFile for well-formed input; every record in the period becomes a candidate. */
export function referenceScanLogFile(raw: Buffer, plan: ScanPlan): FileScan {
  const out = emptyScan(raw);
  const { text, problem } = decompress(raw, plan.maxFileBytes);
  if (problem) out.problems.push(problem);
  if (!text) return out;
  if (!isUtf8(text)) out.problems.push(NOT_UTF8);
  const recs = recordsOf(text.toString('utf8').replace(/^\uFEFF/, ''), out) ?? [];
  const days = new Set<string>();
  let missing = 0;
  let badTime = 0;
  let firstBadTime = '';
  let badName = 0;
  let noId = 0;
  let nonObject = 0;
  for (const r of recs) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      nonObject++;
      continue;
    }
    out.records++;
    const e = r as Record<string, unknown>;
    if (!('eventTime' in e)) {
      missing++;
      continue;
    }
    const t = normaliseEventTime(e.eventTime);
    if (t === undefined) {
      if (badTime++ === 0) firstBadTime = typeof e.eventTime === 'string' ? JSON.stringify(e.eventTime.slice(0, 40)) : 'not a string or number';
      continue;
    }
    if (typeof e.eventName !== 'string') {
      badName++;
      continue;
    }
    if (t !== e.eventTime) e.eventTime = t;
    if (typeof e.eventID !== 'string') noId++;
    if (!inPeriodText(t, plan)) continue;
    out.eventsInPeriod++;
    if (out.firstTime === undefined || t < out.firstTime) out.firstTime = t;
    if (out.lastTime === undefined || t > out.lastTime) out.lastTime = t;
    days.add(t.slice(0, 10));
    out.candidates.push(e);
  }
  if (missing > 0) out.problems.push({ reason: missingReason(missing), drop: 'no-event-time', count: missing });
  if (nonObject > 0) out.problems.push({ reason: nonObjectReason(nonObject), drop: 'wrong-types', count: nonObject });
  if (badTime > 0) out.problems.push({ reason: badTimeReason(badTime, firstBadTime), drop: 'bad-event-time', count: badTime });
  if (badName > 0) out.problems.push({ reason: badNameReason(badName), drop: 'wrong-types', count: badName });
  if (noId > 0) out.problems.push({ reason: noIdReason(noId) });
  out.days = [...days].sort();
  return out;
}
