// Dates of process records: explicit ISO 8601 forms only (never guessed), calendar days in a time zone, business days.

import type { BusinessCalendar } from './process.js';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `{ value }` or `{ error }` saying what was expected: callers record the error against the field. */
export type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** An instant with an explicit offset (Z or ±hh:mm) → ISO UTC string without milliseconds. */
export function parseInstant(raw: string): Parsed<string> {
  const m = INSTANT.exec(raw);
  if (!m) {
    if (LOCAL_INSTANT.test(raw)) return { error: `"${raw}" has no time zone: add Z or an offset such as +02:00 (a local time is not guessed)` };
    if (DAY.test(raw)) return { error: `"${raw}" is a date without a time: an instant (e.g. ${raw}T09:30:00Z) is expected here` };
    return { error: `"${raw}" is not an ISO 8601 instant such as 2026-08-03T09:30:00Z or 2026-08-03T11:30:00+02:00` };
  }
  const [, y, mo, d, h, mi, s] = m;
  if (!validDay(+y, +mo, +d) || +h > 23 || +mi > 59 || (s !== undefined && +s > 59)) return { error: `"${raw}" is not a real date and time` };
  const off = m[8].toUpperCase();
  if (off !== 'Z' && Math.abs(Number(off.replace(':', '').slice(0, 3))) > 14) return { error: `"${raw}" has an impossible offset ${off}` };
  const t = new Date(raw.replace(' ', 'T'));
  if (Number.isNaN(t.getTime())) return { error: `"${raw}" is not a valid instant` };
  return { value: t.toISOString().replace(/\.000Z$/, 'Z') };
}

/** A calendar day: YYYY-MM-DD as written, or an instant with an offset, turned into its day in `timeZone`. */
export function parseDay(raw: string, timeZone: string): Parsed<string> {
  const m = DAY.exec(raw);
  if (m) return validDay(+m[1], +m[2], +m[3]) ? { value: raw } : { error: `"${raw}" is not a real date` };
  if (INSTANT.test(raw)) {
    const i = parseInstant(raw);
    return i.error !== undefined ? i : { value: localDay(i.value, timeZone) };
  }
  if (LOCAL_INSTANT.test(raw)) return { error: `"${raw}" has no time zone: write the date alone (YYYY-MM-DD) or an instant with Z or an offset` };
  return { error: `"${raw}" is not a date in the form YYYY-MM-DD (or an ISO 8601 instant with an offset)` };
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDay(instant: string | Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(typeof instant === 'string' ? new Date(instant) : instant);
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** ISO 8601 duration (PT4M30S, PT1H) or a number of seconds. */
export function parseDurationSeconds(raw: string | number): Parsed<number> {
  if (typeof raw === 'number') return raw >= 0 && Number.isFinite(raw) ? { value: raw } : { error: `${raw} is not a non-negative number of seconds` };
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(raw);
  if (!m || raw === 'PT') return { error: `"${raw}" is not an ISO 8601 duration such as PT4M30S (or a number of seconds)` };
  return { value: Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) };
}

function addDays(day: string, n: number): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

export function isBusinessDay(day: string, cal: BusinessCalendar): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6 && !cal.holidays.includes(day);
}

/** The n-th business day after `day` (the activation day itself is day 0). */
export function addBusinessDays(day: string, n: number, cal: BusinessCalendar): string {
  let d = day;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isBusinessDay(d, cal)) left--;
  }
  return d;
}

/** Business days strictly after `from` up to and including `to` (0 when `to` ≤ `from`). */
export function businessDaysBetween(from: string, to: string, cal: BusinessCalendar): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isBusinessDay(d, cal)) n++;
  return n;
}

export interface ReviewTiming {
  activationDay: string;
  deadline: string;
  businessDays: number;
  onTime: boolean;
  /** The review is dated before the activation it reviews. */
  beforeActivation: boolean;
}

/** The 5-business-day rule: the review's day is at most the 5th business day after the activation's day. */
export function reviewTiming(activationInstant: string, reviewDay: string, cal: BusinessCalendar, limit = 5): ReviewTiming {
  const activationDay = localDay(activationInstant, cal.timeZone);
  const deadline = addBusinessDays(activationDay, limit, cal);
  return {
    activationDay,
    deadline,
    businessDays: businessDaysBetween(activationDay, reviewDay, cal),
    onTime: reviewDay >= activationDay && reviewDay <= deadline,
    beforeActivation: reviewDay < activationDay,
  };
}

/** Whole days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
