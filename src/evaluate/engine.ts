// Runs every check over the evidence; a check that throws becomes `error`, missing evidence `unknown` — never `pass`.
// The one rule on coverage lives here: a check passes only on evidence that was read completely.

import type { CheckResult, Finding, IncompleteEvidence } from '../model/check.js';
import type { CheckMeta } from '../model/check.js';
import { worstOf } from '../model/status.js';
import { BROKEN_REASONS, describeGap, gapCount, isComplete } from '../model/coverage.js';
import { messageOf } from '../errors.js';
import { EvidenceNotCollected, type CheckDefinition, type EvidenceSet } from './define-check.js';

/** Gaps kept per source on a check result (the report's coverage section lists them all). */
const GAPS_PER_SOURCE = 10;
/** Objects named in a downgraded check's reason. */
const NAMED_IN_REASON = 3;

/** The sources of the kinds a check reads (its `meta.evidence`) that were not covered completely. */
export function incompleteEvidenceOf(meta: CheckMeta, evidence: EvidenceSet): IncompleteEvidence[] {
  return (evidence.coverage ?? [])
    .filter((c) => meta.evidence.includes(c.kind) && !isComplete(c))
    .map((c) => {
      const all = [...c.skipped, ...c.dropped];
      return {
        kind: c.kind,
        source: c.source,
        skipped: c.skipped.length,
        dropped: gapCount(c.dropped),
        broken: c.skipped.some((g) => (BROKEN_REASONS as readonly string[]).includes(g.reason)),
        gaps: all.slice(0, GAPS_PER_SOURCE),
        omitted: Math.max(0, all.length - GAPS_PER_SOURCE),
      };
    });
}

function summarise(incomplete: IncompleteEvidence[]): string {
  const parts = incomplete.map((s) => {
    const counts = [s.skipped && `${s.skipped} object(s) skipped`, s.dropped && `${s.dropped} record(s) dropped`].filter(Boolean).join(', ');
    const named = s.gaps.slice(0, NAMED_IN_REASON).map(describeGap).join('; ');
    const rest = s.gaps.length + s.omitted - NAMED_IN_REASON;
    const more = rest > 0 ? `; and ${rest} more` : '';
    return `${s.source}: ${counts} — ${named}${more}`;
  });
  return parts.join(' | ');
}

/**
 * The rule: `pass` (and `not_applicable`, which rests on having seen everything) needs every evidence kind the
 * check reads covered completely. Otherwise the result is `error` when an object is present but broken, else
 * `unknown`, naming the objects. A `fail` (or another non-passing status) found in what was read stands.
 */
export function applyCoverageRule(result: CheckResult, incomplete: IncompleteEvidence[]): CheckResult {
  if (incomplete.length === 0) return result;
  const withGaps = { ...result, incompleteEvidence: incomplete };
  if (result.status !== 'pass' && result.status !== 'not_applicable') return withGaps;
  const status = incomplete.some((s) => s.broken) ? 'error' : 'unknown';
  const gapFindings: Finding[] = incomplete.flatMap((s) =>
    s.gaps.map((g): Finding => ({ status, subject: g.object, message: `${s.source}: not read completely: ${describeGap(g)}`, location: g.location ?? { file: g.object } })),
  );
  return {
    ...withGaps,
    status,
    reason: `not demonstrated: the evidence this check reads was not read completely — ${summarise(incomplete)}. In what was read: ${result.reason}`,
    locations: gapFindings.map((f) => f.location!).slice(0, GAPS_PER_SOURCE),
    findings: [...gapFindings, ...result.findings],
    evidenceMissing: 'incomplete',
  };
}

export function runCheck(check: CheckDefinition, evidence: EvidenceSet): CheckResult {
  return applyCoverageRule(evaluateCheck(check, evidence), incompleteEvidenceOf(check.meta, evidence));
}

function evaluateCheck(check: CheckDefinition, evidence: EvidenceSet): CheckResult {
  const { meta } = check;
  const base = {
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    remediation: meta.remediation,
    evidenceRefs: meta.evidence.flatMap((k) => evidence.evidenceRefs[k] ?? []),
  };
  try {
    const out = check.evaluate(evidence);
    const findings = out.findings ?? [];
    if (out.status === undefined && findings.length === 0) {
      return { ...base, status: 'error', reason: 'check produced neither a status nor findings', locations: [], findings };
    }
    const status = out.status ?? worstOf(findings.map((f) => f.status));
    const locations = out.locations ?? findings.filter((f) => f.status === status && f.location).map((f) => f.location!);
    return { ...base, status, reason: out.reason, locations, findings };
  } catch (e) {
    if (e instanceof EvidenceNotCollected) return { ...base, status: 'unknown', reason: e.message, locations: [], findings: [], evidenceMissing: e.state };
    return { ...base, status: 'error', reason: `check failed to evaluate: ${messageOf(e)}`, locations: [], findings: [] };
  }
}

export function runChecks(checks: CheckDefinition[], evidence: EvidenceSet): CheckResult[] {
  return checks.map((c) => runCheck(c, evidence));
}
