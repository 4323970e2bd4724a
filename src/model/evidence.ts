// Evidence: what collectors return — typed data with provenance and a sha256 of the raw bytes.

import type { SourceLocation } from './location.js';
import type { SkipReason } from './coverage.js';

export type EvidenceKind =
  | 'runbook'
  | 'iac'
  | 'cloudtrail-logs'
  | 'cloudtrail-digests'
  | 'aws-live'
  // Live AWS evidence by area: the coverage of each (which calls failed) is what a check reading it depends on.
  | 'aws-trails'
  | 'aws-buckets'
  | 'aws-alarms'
  | 'aws-alarm-history'
  | 'aws-identities'
  | 'aws-secrets'
  | 'aws-activations'
  | 'reviews'
  | 'drills'
  | 'secret-store'
  | 'tickets'
  | 'approvals'
  | 'risk-acceptances'
  | 'break-glass-identities'
  | 'config';

/** One collected item, as listed in the pack's evidence index. */
export interface EvidenceItem {
  /** Stable id, unique in a report, e.g. "runbook" or "iac:infra/main.tf". */
  id: string;
  kind: EvidenceKind;
  /** Human-readable origin: a path, a git revision, an API call. */
  source: string;
  /** sha256 (hex) of the raw bytes this item was derived from; absent when nothing could be read. */
  sha256?: string;
  size?: number;
  collectedAt: string;
  /** When the raw bytes are copied into the pack: path inside the pack. */
  packPath?: string;
  /** Absolute path of the original bytes, used by the pack writer; never serialised. */
  rawPath?: string;
  /** Collection problems for this item (unreadable, parse error, skipped and why). */
  problems?: EvidenceProblem[];
}

export interface EvidenceProblem {
  level: 'error' | 'warning';
  message: string;
  location?: SourceLocation;
  /** Set when the problem is an object not read (completely): why, as the coverage record names it. */
  skip?: SkipReason;
  /** Set when the problem is a part not evaluated that may define resources (a module not downloaded, a CloudFormation macro). */
  opaque?: boolean;
}

/**
 * How a population listed in the pack was produced (for the auditor's completeness and accuracy tests):
 * source system, selection, parameters, extraction time, record count, hash of the records.
 */
export interface PopulationRecord {
  population: string;
  sourceSystem: string;
  selection: string;
  parameters: Record<string, string>;
  extractedAt: string;
  recordCount: number;
  sha256: string;
  /** The queries a SQL engine ran to select the population (CloudTrail engines other than the built-in scanner). */
  queries?: EngineQuery[];
}

/** One query of a SQL engine, as run: provenance of a population selected by SQL. */
export interface EngineQuery {
  engine: string;
  /** What the query reads, e.g. `records`, `objects`, `count:role-assumptions`. */
  label: string;
  sql: string;
  /** The engine's id of the execution (Athena QueryExecutionId), where it has one. */
  queryId?: string;
  /** Bytes the engine scanned (Athena DataScannedInBytes), where it reports them. */
  scannedBytes?: number;
  rows: number;
}

/** Result of a collector that may not have run: "not collected" is never the same as "found nothing". */
export type Collected<T> =
  | { state: 'collected'; value: T }
  | { state: 'not-configured'; reason: string }
  | { state: 'unavailable'; reason: string; location?: SourceLocation };
