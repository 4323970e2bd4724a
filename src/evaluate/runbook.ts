// Shared reading of runbook evidence for the runbook checks.

import type { SourceLocation } from '../model/location.js';
import type { RunbookEvidence } from '../model/runbook.js';
import { need, type EvidenceSet } from './define-check.js';

export function runbookOf(ev: EvidenceSet): RunbookEvidence {
  return need(ev.runbook, 'break-glass runbook');
}

export function runbookLocation(rb: RunbookEvidence, line?: number): SourceLocation {
  return { file: rb.displayPath, line, pointer: rb.inForce ? `git ${rb.inForce.sha.slice(0, 12)}` : undefined };
}
