// Process evidence: post-incident reviews, drills, secret-store configuration, change tickets, approvals, risk acceptances.

import type { EvidenceProblem } from './evidence.js';
import type { SourceLocation } from './location.js';
import type { SourceCoverage } from './coverage.js';

/** The `calendar:` block: which days are business days for the 5-business-day review rule. */
export interface BusinessCalendar {
  /** IANA time zone in which instants are turned into calendar days (default UTC). */
  timeZone: string;
  /** Non-business days besides Saturday and Sunday, YYYY-MM-DD. */
  holidays: string[];
}

/** A file of process records that was read (its pack copy is redacted when it held secret values). */
export interface ProcessFile {
  /** Path relative to the config folder. */
  path: string;
  absPath: string;
  /** sha256 of the original bytes (what the organisation supplied). */
  sha256: string;
  size: number;
  /** Values that look like secrets: never copied; the pack keeps a redacted copy. */
  secrets: SecretValueFinding[];
}

export interface SecretValueFinding {
  /** JSON-path-like pointer to the field, e.g. `credentials[0].password`; never the value itself. */
  field: string;
  /** Why it looks like a secret: the detector that matched (e.g. "AWS access key id", "key named password"). */
  detector: string;
  location: SourceLocation;
}

/** Common to every record read from a file. */
export interface RecordBase {
  id: string;
  /** The record in its file: path, line of its first key, pointer (index in a list). */
  at: SourceLocation;
}

export interface RotatedCredential {
  what: string;
  /** ISO instant (UTC). */
  when: string;
}

export interface ReviewRecord extends RecordBase {
  /** Incident reference. */
  incident?: string;
  /** Change/incident ticket references. */
  tickets: string[];
  /** Activation instants the review declares (ISO, UTC). */
  activatedAt: string[];
  /** Linked CloudTrail event IDs. */
  eventIds: string[];
  /** The review's date as a calendar day (YYYY-MM-DD) in the calendar's time zone. */
  reviewDate: string;
  /** As written in the record (a date, or an instant with an offset). */
  reviewDateRaw: string;
  reviewers: string[];
  trigger: string;
  justification: string;
  actionsTaken: string[];
  credentialsRotated: RotatedCredential[];
  decommissioningConfirmed: boolean;
  lessonsLearned: string;
}

export type EnvironmentClass = 'production' | 'non-production' | 'unclassified';

export interface AuditArtefact {
  /** As written, relative to the record's file. */
  path: string;
  /** Relative to the config folder. */
  displayPath: string;
  exists: boolean;
  sha256?: string;
  size?: number;
}

export interface DrillRecord extends RecordBase {
  /** Calendar day of the drill (YYYY-MM-DD). */
  date: string;
  environment: string;
  /** From `environmentClass` when given, else from the environment name (see docs/process-evidence.md). */
  environmentClass: EnvironmentClass;
  scenario: string;
  participants: string[];
  /** Seconds from request to working break-glass access; absent when not measured. */
  timeToActivateSeconds?: number;
  stepsFailed: string[];
  followUps: string[];
  auditArtefact?: AuditArtefact;
}

export interface SecretStoreCredential {
  name: string;
  /** `standing`: a long-lived password or key exists; `just-in-time`: issued per activation. */
  type: 'standing' | 'just-in-time';
}

export interface SecretStoreConfig {
  at: SourceLocation;
  store: { name: string; kind: string; dedicated: boolean; sharedWith?: string };
  independentAudit?: { auditor: string; date: string; report?: string };
  rotation: { afterUse: boolean; mode: 'automatic' | 'manual'; mechanism?: string };
  dualControl: { required: boolean; custodians: string[] };
  readers: string[];
  credentials: SecretStoreCredential[];
}

export interface TicketRecord extends RecordBase {
  /** ISO instant (UTC). */
  created: string;
  /** Activation references: CloudTrail event IDs of the activation. */
  eventIds: string[];
  type?: string;
  createdBy?: string;
  status?: string;
}

export interface ApprovalRecord extends RecordBase {
  /** Ticket the request was raised under. */
  ticket?: string;
  eventIds: string[];
  requester: string;
  /** ISO instant (UTC) the access was requested. */
  requestedAt: string;
  approvals: { approver: string; at: string }[];
}

export interface RiskAcceptance extends RecordBase {
  /** Check id, or requirement id (e.g. WAF-SOV-070.R7) whose checks it covers. */
  target: string;
  justification: string;
  approver: string;
  ticket?: string;
  /** Last day the acceptance applies (YYYY-MM-DD, inclusive). */
  expires: string;
  residualRisk: 'low' | 'medium' | 'high' | 'critical';
}

/** One collected source of process records: records that passed validation and every rejected one. */
export interface RecordSet<T> {
  records: T[];
  files: ProcessFile[];
  /** Records failing their schema or date rules (file, line, field), and unreadable files. */
  problems: EvidenceProblem[];
  /** Records rejected (counted, so checks can say that evidence was dropped). */
  rejected: number;
  /** Files listed, read, skipped and records dropped (the engine's coverage rule reads it). */
  coverage: SourceCoverage;
}

/** A risk-acceptance register entry as the report shows it. */
export interface RiskAcceptanceEntry {
  id: string;
  target: string;
  approver: string;
  ticket?: string;
  justification: string;
  expires: string;
  residualRisk: string;
  /** `active` while the period end is on or before `expires`; `expired` stops applying and is flagged. */
  state: 'active' | 'expired';
  /** Checks whose non-passing result it covers (only when active). */
  appliesTo: string[];
  location: string;
}
