// Checks and their results: metadata is data, evaluation is a pure function of the evidence.

import type { Status, Severity } from './status.js';
import type { SourceLocation } from './location.js';
import type { EvidenceKind } from './evidence.js';
import type { CoverageGap } from './coverage.js';

export interface CheckMeta {
  /** Dotted id, e.g. `waf-sov-070.tf.aws.cloudtrail-enabled-all-regions`; equals the file name. */
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /** Evidence kinds the check reads; when none of them was collected the result is `unknown`. */
  evidence: EvidenceKind[];
  remediation: string;
}

/** One verdict on one resource, record or aspect. */
export interface Finding {
  status: Status;
  message: string;
  /** Terraform address, logical id, ARN, activation id … */
  subject?: string;
  location?: SourceLocation;
  /**
   * A stable key of the defect this finding reports (`alarm-actions:<alarm>`, `unreadable:<file>` …): checks
   * that report the same defect use the same key, so it is shown once.
   */
  defect?: string;
  /** Set by the engine when an earlier check already reports this defect: that check's id. */
  reportedBy?: string;
}

export interface CheckResult {
  id: string;
  title: string;
  severity: Severity;
  status: Status;
  /** One sentence: why this status. */
  reason: string;
  locations: SourceLocation[];
  findings: Finding[];
  /** Evidence item ids the check read (links into the evidence index). */
  evidenceRefs: string[];
  remediation: string;
  /** Why the evidence the check reads is missing, when the result is `unknown` (or `error`) for that reason. */
  evidenceMissing?: 'not-configured' | 'unavailable' | 'empty' | 'incomplete';
  /**
   * Sources the check reads that were not covered completely (set by the engine, whatever the status): a
   * `pass` or `not_applicable` on such evidence becomes `unknown` or `error`; a `fail` found in it stands.
   */
  incompleteEvidence?: IncompleteEvidence[];
  /**
   * The verdict on each source, when the check reads infrastructure and live AWS state was configured: the IaC
   * verdict and one per live account (each judged alone). The result's status is the worst of them, so a live
   * scope that is `unknown` keeps the result from `pass` whatever IaC says; `decisive` marks the sources whose
   * verdict the result is.
   */
  sources?: SourceVerdict[];
  /** Set when a risk acceptance covers a failing result; the status stays as evaluated. */
  accepted?: { by: string; until: string; ticket?: string; justification: string; id?: string; residualRisk?: string };
}

/** A check's verdict on one source of infrastructure evidence. */
export interface SourceVerdict {
  source: 'iac' | 'aws-live';
  /** Live: the account judged (with the organisation trail that records it, when another read account owns it). */
  account?: string;
  /** Live: the regions read in that account; each finding's location names its own region. */
  regions?: string[];
  status: Status;
  reason: string;
  /** This source's verdict is the result's (the worst one). */
  decisive: boolean;
}

/** One source a check reads that was not read completely: counts, and the first objects with why. */
export interface IncompleteEvidence {
  kind: EvidenceKind;
  source: string;
  /** Objects skipped and records dropped. */
  skipped: number;
  dropped: number;
  /** Some skipped object is present but broken (truncated, not gzip, wrong shape …): the check says `error`. */
  broken: boolean;
  /** The first gaps (skipped objects first), objects named; `omitted` more are in the report's coverage section. */
  gaps: CoverageGap[];
  omitted: number;
}
