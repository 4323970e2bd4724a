// One finding per defect: when several checks report the same defect (same key and status), the first reported check keeps it.

import type { CheckResult } from '../model/check.js';

const REPORTED = new Set(['fail', 'error', 'unknown']);

/**
 * Marks each finding whose defect an earlier, non-passing check already reports (`reportedBy`), in check
 * order, so terminal output and SARIF show the defect once while every check keeps its status and reason.
 * A passing check reports nothing, so it never hides a defect from a later one.
 */
export function markRepeatedDefects(results: CheckResult[]): CheckResult[] {
  const owner = new Map<string, string>();
  return results.map((r) => {
    if (!REPORTED.has(r.status)) return r;
    let changed = false;
    const findings = r.findings.map((f) => {
      if (!f.defect || !REPORTED.has(f.status)) return f;
      const key = `${f.status}\u0000${f.defect}`;
      const first = owner.get(key);
      if (first === undefined) {
        owner.set(key, r.id);
        return f;
      }
      if (first === r.id) return f;
      changed = true;
      return { ...f, reportedBy: first };
    });
    return changed ? { ...r, findings } : r;
  });
}
