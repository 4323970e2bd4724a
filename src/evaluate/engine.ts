// Runs every check over the evidence; a check that throws becomes `error`, missing evidence `unknown` — never `pass`.

import type { CheckResult } from '../model/check.js';
import { worstOf } from '../model/status.js';
import { messageOf } from '../errors.js';
import { EvidenceNotCollected, type CheckDefinition, type EvidenceSet } from './define-check.js';

export function runCheck(check: CheckDefinition, evidence: EvidenceSet): CheckResult {
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
