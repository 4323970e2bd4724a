// The evidence set: everything the checks may read, each source saying whether it was collected.

import type { Collected, EvidenceKind } from './evidence.js';
import type { SourceCoverage } from './coverage.js';
import type { Period } from './period.js';
import type { InfraSnapshot } from './infra.js';
import type { RunbookEvidence } from './runbook.js';
import type { CloudTrailEvidence, FilterReplay, ResolvedBreakGlassConfig } from './cloudtrail.js';
import type { IntegrityResult } from './cloudtrail-integrity.js';
import type { AwsLiveEvidence } from './aws.js';
import type { ApprovalRecord, BusinessCalendar, DrillRecord, ProcessFile, RecordSet, ReviewRecord, SecretStoreConfig, TicketRecord } from './process.js';

/** Everything the checks may read. Each source says whether it was collected; nothing is implied. */
export interface EvidenceSet {
  period: Period;
  breakGlass: ResolvedBreakGlassConfig;
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
