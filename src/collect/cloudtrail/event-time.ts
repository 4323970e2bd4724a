// CloudTrail event times in every form CloudTrail and its exports write, turned into one comparable UTC form.
//
// Hand-written rather than Date.parse: Date.parse accepts forms CloudTrail never writes (and reads a time
// without a zone as local time), and rejects none of the impossible dates it rolls over (2026-02-30).

/**
 * Forms accepted (UTC unless an offset says otherwise):
 * - `2026-09-09T13:13:00Z`, with a fraction (`…:00.123Z`, up to nanoseconds) — CloudTrail log files;
 * - an offset instead of `Z`: `+02:00`, `+0200`, `-05:00`;
 * - a space instead of `T`, with or without zone: `2026-09-09 13:13:00`, `2026-09-09 13:13:00.000` —
 *   CloudTrail Lake query results and Athena exports (whose times are UTC);
 * - epoch milliseconds, as a JSON number or a string of 12–13 digits (Security Lake and log-pipeline exports).
 * Anything else is not a time: the record is dropped and counted against coverage.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** The first and last epoch ms accepted (1990 … 2200): outside it a number is not a plausible event time. */
const MIN_MS = Date.UTC(1990, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(y: number, m: number): number {
  return m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[m - 1];
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const num2 = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/** `YYYY-MM-DDTHH:MM:SSZ`, a real date and time — the form of every CloudTrail log file, checked without a regex. */
function isCanonical(t: string): boolean {
  if (t.length !== 20 || t.charCodeAt(19) !== 90 || t.charCodeAt(10) !== 84) return false;
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return false;
  for (const i of DIGITS) {
    const d = digit(t, i);
    if (d < 0 || d > 9) return false;
  }
  const y = num2(t, 0) * 100 + num2(t, 2);
  const mo = num2(t, 5);
  const d = num2(t, 8);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && num2(t, 11) <= 23 && num2(t, 14) <= 59 && num2(t, 17) <= 59;
}
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function fromMs(ms: number): string | undefined {
  if (!Number.isInteger(ms) || ms < MIN_MS || ms >= MAX_MS) return undefined;
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff]Z` for an accepted event time, else undefined. A time already in that form with
 * `Z` is returned unchanged (byte for byte), so that canonical logs give identical output.
 */
export function normaliseEventTime(raw: unknown): string | undefined {
  if (typeof raw === 'number') return fromMs(raw);
  if (typeof raw !== 'string') return undefined;
  // Millions of records per run take this path: no regex, no allocation.
  if (isCanonical(raw)) return raw;
  if (/^\d{12,13}$/.test(raw)) return fromMs(Number(raw));
  const m = ISO.exec(raw);
  if (!m) return undefined;
  const [, y, mo, d, sep, h, mi, s, frac, zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > daysIn(+y, +mo) || +h > 23 || +mi > 59 || +s > 59) return undefined;
  // A `T` form without a zone is ambiguous (local time to ISO 8601); only the export's space form is UTC by convention.
  if (zone === undefined && sep !== ' ') return undefined;
  if (sep === 'T' && zone === 'Z') return raw;
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 14 || om > 59) return undefined;
    offsetMin = (digits[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - offsetMin * 60_000;
  const iso = new Date(ms).toISOString().slice(0, 19);
  const f = (frac ?? '').replace(/0+$/, '');
  return `${iso}${f ? `.${f}` : ''}Z`;
}

/** Why a value is not an accepted event time (for the dropped-record detail). */
export const EVENT_TIME_FORMS = 'ISO 8601 with Z or an offset (2026-09-09T13:13:00Z, …+02:00), the export form 2026-09-09 13:13:00 (UTC), or epoch milliseconds';
