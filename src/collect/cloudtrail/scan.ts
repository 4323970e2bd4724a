// Fast scan of one CloudTrail log file: finds record boundaries in the raw text and parses only records that can match.

import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { toSlimRecord } from '../../detections/detector.js';
import type { DropReason, SkipReason } from '../../model/coverage.js';
import { DEFAULT_MAX_FILE_BYTES } from '../input-files.js';
import { EVENT_TIME_FORMS, normaliseEventTime } from './event-time.js';

/** What a scan looks for; plain data so it can be sent to a worker thread. */
export interface ScanPlan {
  /** Records with one of these eventNames are always parsed. */
  eventNames: string[];
  /** Records whose raw text contains one of these substrings are parsed (root marker, break-glass names, filter hints). */
  needles: string[];
  /** Parse every record (a filter or pattern gave no usable substring). */
  parseAll: boolean;
  /** Reduce candidates to slim records here (no filter needs the whole events). */
  slim?: boolean;
  /** Period bounds as `YYYY-MM-DDTHH:MM:SS` (start inclusive, end exclusive). */
  start: string;
  end: string;
  /** Largest file accepted, before and after decompression (config `limits.maxFileBytes`). */
  maxFileBytes?: number;
}

export interface ScanProblem {
  reason: string;
  offset?: number;
  /** The file was not read completely, and why (coverage). */
  skip?: SkipReason;
  /** `count` records of the file were not used, and why (coverage). Neither set: a note only. */
  drop?: DropReason;
  count?: number;
}

export interface FileScan {
  /** The bytes were gzip. */
  gzip: boolean;
  sha256: string;
  size: number;
  records: number;
  eventsInPeriod: number;
  firstTime?: string;
  lastTime?: string;
  /** Days (YYYY-MM-DD) with at least one event in the period. */
  days: string[];
  /** Parsed records in the period that may match a detection or filter. */
  candidates: Record<string, unknown>[];
  /** The same, already slimmed, when the plan asks for it. */
  slim: { t: string; id: string; json: string }[];
  problems: ScanProblem[];
}

/** A gzip member starts with these two bytes, whatever the file is called. */
export function isGzip(raw: Uint8Array): boolean {
  return raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
}

/**
 * Decompresses a gzip file (anything else is returned as is), at most `maxBytes` of output: a decompression
 * bomb stops there. A stream cut short (an interrupted download loses the trailer) is reported as truncated,
 * and what it holds up to the cut is still returned, so that a failure logged in it is still found.
 */
export function decompress(raw: Buffer, maxBytes = DEFAULT_MAX_FILE_BYTES): { text?: Buffer; problem?: ScanProblem } {
  if (!isGzip(raw)) return { text: raw };
  try {
    return { text: gunzipSync(raw, { maxOutputLength: maxBytes }) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e.code === 'ERR_OUT_OF_RANGE' || e instanceof RangeError)
      return { problem: { reason: `gzip: uncompressed size exceeds ${maxBytes} bytes (config limits.maxFileBytes): not read`, skip: 'too-large' } };
    const problem: ScanProblem = { reason: `gzip: ${e.message} (truncated or corrupt file)`, skip: 'truncated' };
    try {
      const partial = gunzipSync(raw, { maxOutputLength: maxBytes, finishFlush: zlibConstants.Z_SYNC_FLUSH });
      return partial.length ? { text: partial, problem } : { problem };
    } catch {
      return { problem };
    }
  }
}

export function inPeriodText(t: string, plan: Pick<ScanPlan, 'start' | 'end'>): boolean {
  const s = t.slice(0, 19);
  return s >= plan.start && s < plan.end;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;

const F_NONE = 0;
const F_NAME = 1;
const F_TIME = 2;
const F_ID = 3;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Depth of the array (or top level) whose direct object children are events. */
function containerDepth(b: Buffer, at: number): number | ScanProblem {
  const c = b[at];
  if (c === OPEN_ARR) return 1;
  if (c === OPEN_OBJ) {
    const head = b.toString('latin1', at, Math.min(b.length, at + 64));
    if (/^\{\s*"Records"\s*:\s*\[/.test(head)) return 2;
    if (/^\{\s*"Records"\s*:/.test(head)) return { reason: 'wrong shape: "Records" is not a list (expected {"Records": [ … ]})', offset: at, skip: 'wrong-shape' };
    return 0;
  }
  return { reason: `not JSON: expected '{' or '[' at byte ${at}, found ${JSON.stringify(String.fromCharCode(c))}`, offset: at, skip: 'not-parseable' };
}

/** Characters of text held as one string at a time. */
const WINDOW = 64 * 1024;

export const missingReason = (n: number) => `${n} record(s) without an eventTime were not evaluated`;
export const badTimeReason = (n: number, first: string) => `${n} record(s) with an eventTime in no accepted form were not evaluated (first: ${first}; expected ${EVENT_TIME_FORMS})`;
export const badNameReason = (n: number) => `${n} record(s) without a string eventName were not evaluated`;
export const duplicateKeyReason = (n: number) => `${n} record(s) with eventName, eventTime or eventID given twice were not evaluated (which one counts is ambiguous)`;
export const nonObjectReason = (n: number) => `${n} item(s) of the records list are not objects (expected one JSON object per event)`;
export const noIdReason = (n: number) => `${n} record(s) without an eventID: identified by a hash of their content`;

/** Scans the decompressed text of one file. */
export function scanText(b: Buffer, plan: ScanPlan, into: FileScan): void {
  const n = b.length;
  let i = 0;
  if (n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < n && isWs(b[i])) i++;
  if (i >= n) {
    into.problems.push({ reason: 'empty file: no JSON content', skip: 'truncated' });
    return;
  }
  const cd = containerDepth(b, i);
  if (typeof cd !== 'number') {
    into.problems.push(cd);
    return;
  }
  const names = new Set(plan.eventNames);
  // All needles in one regular expression: one pass over the text instead of one per needle.
  const needleTexts = plan.needles.map((x) => Buffer.from(x, 'utf8').toString('latin1'));
  const needle = needleTexts.length ? new RegExp(needleTexts.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : undefined;
  const overlap = Math.max(0, ...needleTexts.map((x) => x.length - 1));
  /** Absolute offsets of needle hits, increasing; `hp` is the first one not before the current record. */
  const hits: number[] = [];
  let hp = 0;

  // The text is read through latin1 windows (one character per byte, so offsets are byte offsets): V8's
  // string builtins cost much less per call than Buffer's, and small windows are cheap young-generation
  // strings where a whole-file string is a large object that the garbage collector has to sweep.
  let w = '';
  let base = 0;
  let wEnd = 0;
  const load = (at: number, size = WINDOW) => {
    base = at;
    w = b.toString('latin1', at, Math.min(n, at + size));
    wEnd = base + w.length;
    if (!needle) return;
    needle.lastIndex = 0;
    for (let m = needle.exec(w); m; m = needle.exec(w)) {
      const h = base + m.index;
      if (hits.length === 0 || h > hits[hits.length - 1]) hits.push(h);
    }
  };
  load(i);

  const days = new Set<string>(into.days);
  const recDepth = cd + 1;
  let depth = 0;
  let recStart = -1;
  let expectKey = false;
  let field = F_NONE;
  let name: string | undefined;
  let time: string | undefined;
  let hasId = false;
  /** Keys of the record seen (bit per field) and seen twice. */
  let seen = 0;
  let twice = false;
  let timeIsNumber = false;
  let missing = 0;
  let firstMissing = -1;
  let badTime = 0;
  let firstBadTime: { at: number; value: string } | undefined;
  let badName = 0;
  let firstBadName = -1;
  let dupKeys = 0;
  let firstDup = -1;
  /** At the start of an item of the records list: an object is a record, anything else is counted. */
  let itemStart = false;
  let nonObject = 0;
  let firstNonObject = -1;
  /** Just after a record, inside the list: only a comma or the list's end may follow. */
  let afterItem = false;
  /** The records list has closed: only its document's closing brace and whitespace may follow. */
  let listClosed = false;
  let noId = 0;
  let badJson = 0;
  let firstBad: ScanProblem | undefined;

  while (i < n) {
    // Step back by the longest needle so that a needle across the old window's end is found in the new one.
    if (i >= wEnd) load(Math.max(0, i - overlap));
    const c = w.charCodeAt(i - base);
    if ((afterItem || listClosed) && !isWs(c)) {
      const ok = afterItem ? depth === cd && (c === COMMA || c === CLOSE_ARR) : cd === 2 && depth === 1 && c === CLOSE_OBJ;
      afterItem = false;
      if (!ok) {
        into.problems.push({ reason: `not JSON: unexpected ${JSON.stringify(String.fromCharCode(c))} at byte ${i} ${listClosed ? 'after the records list' : 'between records'}; records after it were not read`, offset: i, skip: 'not-parseable' });
        depth = -1;
        break;
      }
    }
    if (itemStart && depth === cd && !isWs(c)) {
      itemStart = false;
      if (c !== OPEN_OBJ && c !== CLOSE_ARR) {
        nonObject++;
        if (firstNonObject < 0) firstNonObject = i;
      }
    }
    if (c === QUOTE) {
      // Jump to the closing quote; a quote preceded by an odd run of backslashes is escaped.
      let j = i + 1;
      for (;;) {
        const rel = w.indexOf('"', j - base);
        if (rel < 0) {
          if (wEnd >= n) {
            j = -1;
            break;
          }
          // A string running past the window: reload from its opening quote, larger if need be.
          load(i, Math.max(WINDOW, 2 * (wEnd - i)));
          continue;
        }
        j = base + rel;
        let k = j - 1;
        while (w.charCodeAt(k - base) === BACKSLASH) k--;
        if (((j - 1 - k) & 1) === 0) break;
        j++;
      }
      if (j < 0) {
        into.problems.push({ reason: `truncated JSON: unterminated string starting at byte ${i}`, offset: i, skip: 'truncated' });
        depth = -1;
        break;
      }
      if (depth === recDepth) {
        if (expectKey) {
          const len = j - i - 1;
          const at = i + 1 - base;
          field =
            len === 9 && w.startsWith('eventName', at)
              ? F_NAME
              : len === 9 && w.startsWith('eventTime', at)
                ? F_TIME
                : len === 7 && w.startsWith('eventID', at)
                  ? F_ID
                  : F_NONE;
          if (field !== F_NONE) {
            if (seen & (1 << field)) twice = true;
            seen |= 1 << field;
          }
          expectKey = false;
        } else if (field !== F_NONE) {
          if (field === F_NAME) name = w.slice(i + 1 - base, j - base);
          else if (field === F_TIME) time = w.slice(i + 1 - base, j - base);
          else hasId = true;
          field = F_NONE;
        }
      } else if (depth === 0 && cd === 0) {
        into.problems.push({ reason: `not JSON: unexpected string at byte ${i} outside any record`, offset: i, skip: 'not-parseable' });
        depth = -1;
        break;
      }
      i = j + 1;
      continue;
    }
    if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (depth === cd && c === OPEN_OBJ) {
        recStart = i;
        expectKey = true;
        field = F_NONE;
        name = time = undefined;
        hasId = false;
        seen = 0;
        twice = false;
        timeIsNumber = false;
      } else if (depth === recDepth) field = F_NONE;
      depth++;
      if (depth === cd && cd > 0) itemStart = true;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      depth--;
      if (depth < 0) {
        into.problems.push({ reason: `not JSON: unbalanced '${String.fromCharCode(c)}' at byte ${i}`, offset: i, skip: 'not-parseable' });
        break;
      }
      if (cd > 0 && depth === cd - 1 && c === CLOSE_ARR) listClosed = true;
      if (depth === cd && cd > 0 && c === CLOSE_OBJ) afterItem = true;
      if (depth === cd && recStart >= 0 && c === CLOSE_OBJ) {
        // One complete record [recStart, i].
        const end = i + 1;
        into.records++;
        const t = time === undefined ? undefined : normaliseEventTime(timeIsNumber ? Number(time) : time);
        if (twice) {
          dupKeys++;
          if (firstDup < 0) firstDup = recStart;
        } else if (!(seen & (1 << F_TIME))) {
          missing++;
          if (firstMissing < 0) firstMissing = recStart;
        } else if (t === undefined) {
          badTime++;
          firstBadTime ??= { at: recStart, value: time === undefined ? 'not a string or number' : JSON.stringify(time.slice(0, 40)) };
        } else if (name === undefined) {
          badName++;
          if (firstBadName < 0) firstBadName = recStart;
        } else {
          if (!hasId) noId++;
          if (inPeriodText(t, plan)) {
            into.eventsInPeriod++;
            if (into.firstTime === undefined || t < into.firstTime) into.firstTime = t;
            if (into.lastTime === undefined || t > into.lastTime) into.lastTime = t;
            days.add(t.slice(0, 10));
            let candidate = plan.parseAll || names.has(name);
            if (!candidate) {
              while (hp < hits.length && hits[hp] < recStart) hp++;
              candidate = hp < hits.length && hits[hp] < end;
            }
            if (candidate) {
              try {
                const full = JSON.parse(b.toString('utf8', recStart, end));
                // Every later step compares times as text: they all see the one UTC form.
                if (t !== time) full.eventTime = t;
                if (plan.slim) into.slim.push(toSlimRecord(full));
                else into.candidates.push(full);
              } catch (err) {
                badJson++;
                firstBad ??= { reason: `record at byte ${recStart}: ${(err as Error).message}`, offset: recStart };
              }
            }
          }
        }
        recStart = -1;
      }
    } else if (c === COMMA) {
      if (depth === recDepth) {
        expectKey = true;
        field = F_NONE;
      } else if (depth === cd && cd > 0) itemStart = true;
    } else if (field === F_TIME && depth === recDepth && !expectKey && (c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      // A number as eventTime (epoch milliseconds in some exports): read the whole token.
      let j = i + 1;
      while (j < wEnd && !isWs(w.charCodeAt(j - base)) && w.charCodeAt(j - base) !== COMMA && w.charCodeAt(j - base) !== CLOSE_OBJ) j++;
      if (j >= wEnd && wEnd < n) {
        load(i);
        continue;
      }
      time = w.slice(i - base, j - base);
      timeIsNumber = true;
      field = F_NONE;
      i = j;
      continue;
    } else if (depth === 0 && cd === 0 && !isWs(c)) {
      into.problems.push({ reason: `not JSON: unexpected byte ${JSON.stringify(String.fromCharCode(c))} at byte ${i} outside any record`, offset: i, skip: 'not-parseable' });
      break;
    }
    i++;
  }
  if (depth > 0) into.problems.push({ reason: `truncated JSON: ${depth} unclosed bracket(s) at end of file; complete records before it were scanned`, offset: n, skip: 'truncated' });
  if (missing > 0) into.problems.push({ reason: missingReason(missing), offset: firstMissing, drop: 'no-event-time', count: missing });
  if (badTime > 0 && firstBadTime) into.problems.push({ reason: badTimeReason(badTime, firstBadTime.value), offset: firstBadTime.at, drop: 'bad-event-time', count: badTime });
  if (badName > 0) into.problems.push({ reason: badNameReason(badName), offset: firstBadName, drop: 'wrong-types', count: badName });
  if (nonObject > 0) into.problems.push({ reason: nonObjectReason(nonObject), offset: firstNonObject, drop: 'wrong-types', count: nonObject });
  if (dupKeys > 0) into.problems.push({ reason: duplicateKeyReason(dupKeys), offset: firstDup, drop: 'duplicate-key', count: dupKeys });
  if (noId > 0) into.problems.push({ reason: noIdReason(noId) });
  if (badJson > 0 && firstBad) into.problems.push({ ...firstBad, reason: `${badJson} record(s) are not valid JSON; first: ${firstBad.reason}`, drop: 'invalid-json', count: badJson });
  into.days = [...days].sort();
}

/** CloudTrail writes UTF-8: other bytes were damaged (records are still read, with U+FFFD in their place). */
export const NOT_UTF8: ScanProblem = { reason: 'not valid UTF-8: some bytes were damaged (records read with U+FFFD in their place)', skip: 'bad-encoding' };

export function emptyScan(raw: Uint8Array): FileScan {
  return {
    gzip: isGzip(raw),
    sha256: createHash('sha256').update(raw).digest('hex'),
    size: raw.length,
    records: 0,
    eventsInPeriod: 0,
    days: [],
    candidates: [],
    slim: [],
    problems: [],
  };
}

/** Hash, decompress and scan the raw bytes of one log file. */
export function scanLogFile(raw: Buffer, plan: ScanPlan): FileScan {
  const out = emptyScan(raw);
  const { text, problem } = decompress(raw, plan.maxFileBytes);
  if (problem) out.problems.push(problem);
  if (text && !isUtf8(text)) out.problems.push(NOT_UTF8);
  if (text) scanText(text, plan, out);
  return out;
}
