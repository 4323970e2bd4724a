// Shared reading of process evidence for the process checks: sources, activation ↔ record links, rejected-record notes.

import type { Collected } from '../model/evidence.js';
import type { Activation, CloudTrailEvidence } from '../model/cloudtrail.js';
import type { SourceLocation } from '../model/location.js';
import type { ApprovalRecord, BusinessCalendar, RecordSet, ReviewRecord, TicketRecord } from '../model/process.js';
import { need, type EvidenceSet } from './define-check.js';
import { inPeriod } from '../model/period.js';

// One reading of CloudTrail evidence for every check: no logs in the period is `unknown`, never "nothing found".
export { cloudtrailOf } from './cloudtrail.js';

export const DEFAULT_CALENDAR: BusinessCalendar = { timeZone: 'UTC', holidays: [] };

const NOT_CONFIGURED = (key: string): Collected<never> => ({ state: 'not-configured', reason: `not configured (config key \`${key}\`)` });

type ProcessKey = 'reviews' | 'drills' | 'secretStore' | 'tickets' | 'approvals';
type ValueOf<K extends ProcessKey> = NonNullable<EvidenceSet[K]> extends Collected<infer T> ? T : never;

/** A process source, or `unknown` (via need) naming the config key when it was not collected. */
export function processOf<K extends ProcessKey>(ev: EvidenceSet, key: K, what: string): ValueOf<K> {
  return need((ev[key] ?? NOT_CONFIGURED(key)) as Collected<ValueOf<K>>, what);
}

/** The source when collected, else undefined (for evidence that is optional to a check). */
export function optionalOf<K extends ProcessKey>(ev: EvidenceSet, key: K): ValueOf<K> | undefined {
  const s = ev[key] as Collected<ValueOf<K>> | undefined;
  return s?.state === 'collected' ? s.value : undefined;
}

export function calendarOf(ev: EvidenceSet): BusinessCalendar {
  return ev.calendar ?? DEFAULT_CALENDAR;
}

/** "; 2 record(s) rejected …" so that a check never reads as complete when input was dropped. */
export function rejectedNote(set: RecordSet<unknown> | undefined, what: string): string {
  return set && set.rejected ? `; ${set.rejected} ${what} record(s) failed validation and were not used (see problems)` : '';
}

export function activationLabel(a: Activation): string {
  const p = a.principal;
  // A root session is the use of whoever called sts:AssumeRoot, in the member account.
  if (p.kind === 'root-session') return `activation ${a.start} by ${p.assumedBy ?? 'an unknown caller'} (root session in ${p.accountId ?? 'an unknown account'}${p.taskPolicy ? `, ${p.taskPolicy}` : ''})`;
  return `activation ${a.start} by ${p.arn}`;
}

export function activationLocation(a: Activation): SourceLocation {
  return { api: 'cloudtrail', pointer: `eventID ${a.firstEventId}` };
}

const overlaps = (a: string[], b: Set<string>) => a.some((id) => b.has(id));

export function reviewsFor(a: Activation, reviews: ReviewRecord[]): ReviewRecord[] {
  const ids = new Set(a.eventIds);
  return reviews.filter((r) => overlaps(r.eventIds, ids));
}

/** Tickets for an activation: from the export by event ID, or referenced by a review of the activation. */
export function ticketsFor(a: Activation, reviews: ReviewRecord[], tickets: TicketRecord[] | undefined): { exported: TicketRecord[]; referenced: string[] } {
  const ids = new Set(a.eventIds);
  const referenced = [...new Set(reviewsFor(a, reviews).flatMap((r) => r.tickets))];
  const exported = (tickets ?? []).filter((t) => overlaps(t.eventIds, ids) || referenced.includes(t.id));
  return { exported, referenced };
}

export function approvalsFor(a: Activation, approvals: ApprovalRecord[], ticketIds: string[]): ApprovalRecord[] {
  const ids = new Set(a.eventIds);
  return approvals.filter((p) => overlaps(p.eventIds, ids) || (p.ticket !== undefined && ticketIds.includes(p.ticket)));
}

/** Every event ID the CloudTrail evidence knows of (activations and detections). */
export function knownEventIds(ct: CloudTrailEvidence): Set<string> {
  const ids = new Set<string>();
  for (const a of ct.activations) for (const id of a.eventIds) ids.add(id);
  for (const list of [ct.rootActivity, ct.roleAssumptions, ct.consoleSignIns, ct.tamperingEvents, ct.iamPolicyChanges, ct.outsideCidrEvents, ct.accessKeyEvents]) {
    for (const e of list) ids.add(e.eventId);
  }
  return ids;
}

/** Reviews about the period: a declared activation instant inside it, or a link to one of its activations. */
export function reviewsInPeriod(ev: EvidenceSet, reviews: ReviewRecord[], ct?: CloudTrailEvidence): ReviewRecord[] {
  const ids = ct ? new Set(ct.activations.flatMap((a) => a.eventIds)) : new Set<string>();
  return reviews.filter((r) => overlaps(r.eventIds, ids) || r.activatedAt.some((t) => inPeriod(ev.period, new Date(t))));
}

export const minutes = (seconds: number) => `${Math.round((seconds / 60) * 10) / 10} min`;
