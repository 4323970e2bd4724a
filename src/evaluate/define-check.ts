// defineCheck(): a check is metadata (data) plus a pure evaluate function of the collected evidence.

import type { CheckMeta, Finding } from '../model/check.js';
import type { Status } from '../model/status.js';
import type { SourceLocation } from '../model/location.js';
import type { Collected, EvidenceKind } from '../model/evidence.js';
import type { SourceCoverage } from '../model/coverage.js';
import type { Period } from '../model/period.js';
import type { InfraSnapshot } from '../model/infra.js';
import type { RunbookEvidence } from '../model/runbook.js';
import type { CloudTrailEvidence, FilterReplay } from '../model/cloudtrail.js';
import type { IntegrityResult } from '../model/cloudtrail-integrity.js';
import type { AwsLiveEvidence } from '../model/aws.js';
import type { BreakGlassConfig } from '../config/load.js';
import type { ApprovalRecord, BusinessCalendar, DrillRecord, ProcessFile, RecordSet, ReviewRecord, SecretStoreConfig, TicketRecord } from '../model/process.js';

/** Everything the checks may read. Each source says whether it was collected; nothing is implied. */
export interface EvidenceSet {
  period: Period;
  breakGlass: BreakGlassConfig;
  breakGlassDeclared: boolean;
  runbook: Collected<RunbookEvidence>;
  /** Terraform, plan JSON and CloudFormation/CDK snapshots. */
  iac: Collected<InfraSnapshot[]>;
  /** Live AWS state (config `aws.enabled`); absent = not configured. Its snapshots are read by the same checks as IaC. */
  live?: Collected<AwsLiveEvidence>;
  /** CloudTrail logs of the period: detections and break-glass activations. */
  cloudtrail: Collected<CloudTrailEvidence>;
  /** IaC metric filters replayed over the period's CloudTrail events. */
  replay: Collected<FilterReplay>;
  /** CloudTrail digest validation (log file integrity). */
  integrity: Collected<IntegrityResult>;
  /** Process evidence (absent = not configured): reviews, drills, secret store, tickets, approvals. */
  calendar?: BusinessCalendar;
  reviews?: Collected<RecordSet<ReviewRecord>>;
  drills?: Collected<RecordSet<DrillRecord>>;
  secretStore?: Collected<RecordSet<SecretStoreConfig>>;
  tickets?: Collected<RecordSet<TicketRecord>>;
  approvals?: Collected<RecordSet<ApprovalRecord>>;
  /** Every process file read (with the secret-looking values found in it), across all process sources. */
  processFiles?: ProcessFile[];
  /** What each source was asked to read and what it read completely; the engine's rule reads it (absent = nothing recorded). */
  coverage?: SourceCoverage[];
  /** Evidence item ids per source, so results can link to the evidence index. */
  evidenceRefs: Partial<Record<EvidenceKind, string[]>>;
}

export interface CheckOutcome {
  /** Defaults to the worst status of the findings. */
  status?: Status;
  reason: string;
  findings?: Finding[];
  locations?: SourceLocation[];
}

export interface CheckDefinition {
  meta: CheckMeta;
  evaluate(evidence: EvidenceSet): CheckOutcome;
}

/** Thrown by `need()` inside a check when a source it reads was not collected: the result is `unknown`. */
export class EvidenceNotCollected extends Error {
  constructor(message: string, readonly state: 'not-configured' | 'unavailable' | 'empty' = 'empty') {
    super(message);
  }
}

export function defineCheck(def: CheckDefinition): CheckDefinition {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(def.meta.id)) throw new Error(`check id "${def.meta.id}" is not a dotted lower-case id`);
  return def;
}

/** Unwraps a collected source, or stops the check with `unknown` naming why the evidence is missing. */
export function need<T>(source: Collected<T>, what: string): T {
  if (source.state === 'collected') return source.value;
  throw new EvidenceNotCollected(`${what} not collected: ${source.reason}`, source.state);
}
