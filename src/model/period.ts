// The assessment period: evidence is judged as of its end (inclusive dates, UTC).

export interface Period {
  /** Label as written in the config, e.g. "2026-Q3" or "2026-07-01..2026-09-30". */
  label: string;
  /** First day, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day, YYYY-MM-DD (UTC), inclusive. */
  to: string;
  /** from 00:00:00Z, inclusive. */
  start: Date;
  /** The instant after the last day: (to + 1 day) 00:00:00Z, exclusive. */
  end: Date;
}

export function inPeriod(period: Period, when: Date): boolean {
  return when >= period.start && when < period.end;
}
