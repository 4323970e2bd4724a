// The Report: the one model every renderer (JSON, HTML, PDF, SARIF, OSCAL) reads.

import type { Status } from './status.js';
import type { CheckResult } from './check.js';
import type { EvidenceItem, PopulationRecord } from './evidence.js';
import type { RiskAcceptanceEntry } from './process.js';
import type { DriftReport } from './aws.js';
import type { SourceCoverage } from './coverage.js';

export type CriterionStatus = 'met' | 'not_met' | 'unknown';

export interface MaturityCriterion {
  id: string;
  level: number;
  /** The criterion as seed 000 states it. */
  text: string;
  status: CriterionStatus;
  reason: string;
  /** Checks whose results demonstrate the criterion. */
  checks: string[];
}

export interface MaturityLevel {
  level: number;
  name: string;
  /** met when every criterion is met; unknown when none fails but some are unknown. */
  status: CriterionStatus;
  criteria: MaturityCriterion[];
}

export interface Maturity {
  /** Highest level whose criteria, and all lower levels' criteria, are met (0 = none). */
  level: number;
  levelName: string;
  levels: MaturityLevel[];
  /** Flat list of all criteria (report.json contract). */
  criteria: MaturityCriterion[];
  /** The single next step towards level + 1, or null at level 5. */
  nextStep: { level: number; criterion: string; action: string } | null;
}

export interface RequirementResult {
  id: string;
  text: string;
  status: Status;
  reason: string;
  checks: string[];
}

export interface FrameworkControlResult {
  /** The official id in the framework's catalogue (for a versioned catalogue, that version's id). */
  id: string;
  title: string;
  /** Worst of its requirements, checks and counted supporting checks; `manual` at best when part must be verified by hand. */
  status: Status;
  reason: string;
  /** Requirements of the evaluated control this framework control is mapped to. */
  requirements: string[];
  /** Every check behind the control: its requirements' checks, its own and the counted supporting checks. */
  checks: string[];
  /** Maturity criteria supporting the control, with their state (they do not decide its status). */
  criteria: { id: string; level: number; status: CriterionStatus }[];
  /** Evidence item ids read by those checks. */
  evidence: string[];
  /** What an auditor must verify by hand. */
  manual?: string;
  note?: string;
  /** Seed statements corresponding to this control, as citations ("WAF-SOV-070 states C5:2020 IAM-03 …"). */
  seed?: string[];
  /** Of a versioned catalogue: the item's id in every version ("v1.4.0–v5.0.0: 4.3; v6.0.0–v7.0.0: 5.3"). */
  idsByVersion?: string;
}

/** What seed 000 states for a framework, kept as a statement and set beside the catalogue ids it corresponds to. */
export interface SeedStatementResult {
  /** The id as the seed writes it (possibly not a catalogue id). */
  id: string;
  text: string;
  /** "WAF-SOV-070 states C5:2020 IAM-03 “Privileged access management”". */
  citation: string;
  /** Whether the id is in the framework's catalogue. */
  inCatalogue: boolean;
  correspondsTo: string[];
  note?: string;
}

export interface FrameworkResult {
  id: string;
  name: string;
  version: string;
  /** `draft`: not adopted; its ids cannot be cross-checked against an adopted catalogue. */
  status: 'final' | 'draft';
  statusNote?: string;
  /** Where an auditor checks the ids. */
  source: { publisher: string; document: string; eli?: string; url?: string };
  /** `own-words`: control titles are our summaries, the official text not being free to copy. */
  titles: 'official' | 'own-words';
  /** The catalogue lists only the criteria relevant here (`scope` says which). */
  partial: boolean;
  scope?: string;
  controls: FrameworkControlResult[];
  seed?: { source: string; statements: SeedStatementResult[] };
}

export interface RelatedControlResult {
  id: string;
  title: string;
  source: string;
  severity: string;
  status: Status;
  reason: string;
  checks: string[];
  /** Framework name → control ids, as the seeds map them (e.g. NIST SP 800-53 Rev. 5, ISO/IEC 27017:2015). */
  frameworks: Record<string, string[]>;
}

export interface ControlInfo {
  id: string;
  title: string;
  description: string;
  source: string;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'evidence-pack'; version: string };
  organisation: string;
  period: { label: string; from: string; to: string };
  /** ISO timestamp; from SOURCE_DATE_EPOCH when set, so packs are reproducible. */
  generatedAt: string;
  control: ControlInfo;
  summary: {
    level: number;
    checks: Record<Status, number>;
    requirements: Record<Status, number>;
    /** Checks whose non-passing result an active risk acceptance covers: counted here, not under their status. */
    accepted?: number;
  };
  maturity: Maturity;
  requirements: RequirementResult[];
  checks: CheckResult[];
  frameworks: FrameworkResult[];
  /** The risk-acceptance register (config key `riskAcceptances`): each entry with its approver and state. */
  riskAcceptances?: RiskAcceptanceEntry[];
  /** aws-ir-01 … 07 (seed 003) and CIS root-usage monitoring (seed 004). */
  relatedControls: RelatedControlResult[];
  evidence: EvidenceItem[];
  populations: PopulationRecord[];
  /** Per-source detail sections; each renderer shows what is present. */
  sections: {
    runbook?: unknown;
    activations?: unknown[];
    [name: string]: unknown;
  };
  /** IaC vs live AWS state (present when both were collected): controls and resources where they disagree. */
  drift?: DriftReport;
  /** Per source: what was asked to be read, read completely, skipped and dropped, and why (docs/coverage.md). */
  coverage: SourceCoverage[];
  /** Collection problems across all sources (file, reason). */
  problems: { source: string; level: 'error' | 'warning'; message: string; location?: string }[];
  /** Filled by the pack step: signed or not, signer subject. */
  signature?: { signed: boolean; signer?: string };
}
