// Shared reading of live AWS evidence for the live-only checks: the live state, the activations of the period
// (from the log archive when configured, else LookupEvents) and the limits of what live history can show.

import type { AwsLiveEvidence, LookedUpActivation } from '../model/aws.js';
import type { Activation } from '../model/cloudtrail.js';
import type { SourceLocation } from '../model/location.js';
import { isUnknown } from '../model/infra.js';
import { inPeriod } from '../model/period.js';
import { need, type EvidenceSet } from './define-check.js';
import { cloudtrailOf } from './cloudtrail.js';
import { activationLabel, activationLocation } from './process.js';

/** LookupEvents keeps the last 90 days of management events. */
export const LOOKUP_DAYS = 90;
/** CloudWatch keeps an alarm's history for 30 days. */
export const ALARM_HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

export function liveOf(ev: EvidenceSet): AwsLiveEvidence {
  return need(ev.live ?? { state: 'not-configured', reason: 'not configured (config key `aws.enabled`)' }, 'live AWS state');
}

/** One break-glass activation as the live checks need it, whichever source found it. */
export interface ActivationRef {
  id: string;
  label: string;
  /** The account it happened in, when known. */
  account?: string;
  /** The root user's activation (else a break-glass role, user or permission set). */
  root: boolean;
  start: string;
  /** The last event of the activation (LookupEvents: the sign-in or assumption itself; the session end is not logged there). */
  end: string;
  firstEventId: string;
  location: SourceLocation;
  /** From the log archive: the rotations found after it. */
  rotation?: Activation['rotation'];
}

export interface ActivationsRead {
  activations: ActivationRef[];
  /** Where they come from, for messages. */
  source: string;
  /** What could not be seen (a failed LookupEvents, a part of the period older than LookupEvents keeps). */
  gaps: { message: string; location?: SourceLocation }[];
}

/**
 * The activations of the period: the log archive's when `cloudtrail.logs` is configured (it rebuilds whole
 * sessions), else the sign-ins and role assumptions LookupEvents returned in each account and region.
 */
export function activationsOf(ev: EvidenceSet, live: AwsLiveEvidence): ActivationsRead {
  if (ev.cloudtrail.state !== 'not-configured') {
    const ct = cloudtrailOf(ev);
    return {
      source: 'the CloudTrail logs',
      gaps: [],
      activations: ct.activations.map((a) => ({ id: a.id, label: activationLabel(a), account: a.principal.accountId, root: a.principal.kind === 'root', start: a.start, end: a.end, firstEventId: a.firstEventId, location: activationLocation(a), rotation: a.rotation })),
    };
  }
  const gaps: ActivationsRead['gaps'] = [];
  const found: LookedUpActivation[] = [];
  for (const s of live.scopes.filter((x) => x.enabled)) {
    if (isUnknown(s.activations)) gaps.push({ message: `activations in ${s.account}/${s.region} unknown: ${s.activations.unknown}`, location: s.activations.location });
    else found.push(...s.activations);
  }
  const collected = new Date(live.criteria.collectedAt);
  const oldest = new Date(collected.getTime() - LOOKUP_DAYS * DAY_MS);
  if (ev.period.start < oldest) gaps.push({ message: `LookupEvents keeps ${LOOKUP_DAYS} days: activations before ${oldest.toISOString()} (the period starts ${ev.period.start.toISOString()}) cannot be seen without a log archive (config key cloudtrail.logs)` });
  return {
    source: 'LookupEvents',
    gaps,
    activations: found
      .filter((a) => inPeriod(ev.period, new Date(a.eventTime)))
      .map((a) => ({ id: a.eventId, label: `activation ${a.eventTime} by ${a.principal} (${a.eventName})`, account: a.account, root: /:root$/.test(a.principal), start: a.eventTime, end: a.eventTime, firstEventId: a.eventId, location: { api: 'cloudtrail:LookupEvents', account: a.account, region: a.region, pointer: `eventID ${a.eventId}` } })),
  };
}

export const minutesBetween = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / 60_000) * 10) / 10;
