// Check statuses and how they combine: the single place that ranks them.

export const STATUSES = ['pass', 'fail', 'unknown', 'error', 'manual', 'not_applicable'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * Rank used when several results roll up into one (requirement, framework control, check over many
 * resources): the worst wins. `fail` outranks `error` because a demonstrated failure is the strongest
 * statement; `error`/`unknown`/`manual` all mean "not demonstrated" and outrank `pass`.
 */
const RANK: Record<Status, number> = { fail: 5, error: 4, unknown: 3, manual: 2, pass: 1, not_applicable: 0 };

export function worstOf(statuses: Iterable<Status>, empty: Status = 'unknown'): Status {
  let worst: Status | undefined;
  for (const s of statuses) if (worst === undefined || RANK[s] > RANK[worst]) worst = s;
  return worst ?? empty;
}

/** True when `status` is at least as bad as `threshold` (for --fail-on gates). */
export function isAtLeast(status: Status, threshold: Status): boolean {
  return RANK[status] >= RANK[threshold];
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
