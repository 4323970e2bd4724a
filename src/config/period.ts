// Parses the config's `period` (quarter, month, year or {from, to}) into a Period; rejects impossible dates.

import type { Period } from '../model/period.js';

const DAY_MS = 86_400_000;

/** Parses YYYY-MM-DD as a UTC date; undefined when the date does not exist (2026-02-30). */
export function parseIsoDate(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toISOString().slice(0, 10) === s ? d : undefined;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function fromBounds(label: string, start: Date, endExclusive: Date): Period {
  return { label, from: isoDay(start), to: isoDay(new Date(endExclusive.getTime() - DAY_MS)), start, end: endExclusive };
}

/** Returns the period, or an error message saying what was expected. */
export function parsePeriod(value: unknown): Period | string {
  if (typeof value === 'string') {
    let m = /^(\d{4})-Q([1-4])$/.exec(value);
    if (m) {
      const y = +m[1], q = +m[2];
      return fromBounds(value, new Date(Date.UTC(y, (q - 1) * 3, 1)), new Date(Date.UTC(y, q * 3, 1)));
    }
    m = /^(\d{4})-(\d{2})$/.exec(value);
    if (m && +m[2] >= 1 && +m[2] <= 12) {
      const y = +m[1], mo = +m[2];
      return fromBounds(value, new Date(Date.UTC(y, mo - 1, 1)), new Date(Date.UTC(y, mo, 1)));
    }
    m = /^(\d{4})$/.exec(value);
    if (m) return fromBounds(value, new Date(Date.UTC(+m[1], 0, 1)), new Date(Date.UTC(+m[1] + 1, 0, 1)));
    return `expected a quarter (2026-Q3), a month (2026-07), a year (2026) or {from: YYYY-MM-DD, to: YYYY-MM-DD}, got "${value}"`;
  }
  if (value && typeof value === 'object') {
    const { from, to } = value as { from?: unknown; to?: unknown };
    const start = typeof from === 'string' ? parseIsoDate(from) : undefined;
    const last = typeof to === 'string' ? parseIsoDate(to) : undefined;
    if (!start) return `period.from: expected an existing date YYYY-MM-DD, got ${JSON.stringify(from)}`;
    if (!last) return `period.to: expected an existing date YYYY-MM-DD, got ${JSON.stringify(to)}`;
    if (last < start) return `period: "to" (${to}) is before "from" (${from})`;
    return fromBounds(`${from}..${to}`, start, new Date(last.getTime() + DAY_MS));
  }
  return `expected a quarter (2026-Q3), a month (2026-07), a year (2026) or {from: YYYY-MM-DD, to: YYYY-MM-DD}`;
}
