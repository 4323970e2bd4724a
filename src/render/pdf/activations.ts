// Reads report.sections.activations (the CloudTrail collector's Activation[]) and the event details in
// report.sections.cloudtrail into what the PDF shows, tolerating missing fields.

import { humanDuration, isRec, num, str, strings, type Rec } from '../read.js';

export interface EventView {
  id: string;
  time: string;
  source: string;
  name: string;
  principal: string;
  sourceIp: string;
  /** False when the report holds only the event id (the collector keeps details of detected events only). */
  detailed: boolean;
}

export interface ActivationView {
  id: string;
  principal: string;
  principalKind?: string;
  start?: string;
  end?: string;
  durationSeconds?: number;
  mfa: string;
  sourceIps: string[];
  apiCalls?: number;
  writeCalls?: number;
  failedCalls?: number;
  rotation: string;
  /** Time of the first rotation found, for the timeline. */
  rotationAt?: string;
  events: EventView[];
}

function eventView(ev: Rec, fallbackId = ''): EventView {
  return {
    id: str(ev, 'eventId', 'id') ?? fallbackId,
    time: str(ev, 'eventTime', 'time', 'at') ?? '',
    source: str(ev, 'eventSource', 'source') ?? '',
    name: str(ev, 'eventName', 'name') ?? '',
    principal: str(ev, 'actor', 'principal', 'userArn') ?? '',
    sourceIp: str(ev, 'sourceIp', 'sourceIPAddress') ?? '',
    detailed: true,
  };
}

/** Every event the CloudTrail section records in detail (sign-ins, role assumptions, root activity …), by event id. */
function eventIndex(cloudtrail: unknown): Map<string, Rec> {
  const index = new Map<string, Rec>();
  if (!isRec(cloudtrail)) return index;
  for (const value of Object.values(cloudtrail)) {
    if (!Array.isArray(value)) continue;
    for (const item of value) if (isRec(item) && typeof item.eventId === 'string' && !index.has(item.eventId)) index.set(item.eventId, item);
  }
  return index;
}

/** undefined when the report has no activations section (the collector did not run); [] when it ran and found none. */
export function readActivations(section: unknown, cloudtrail?: unknown): ActivationView[] | undefined {
  if (!Array.isArray(section)) return undefined;
  const index = eventIndex(cloudtrail);
  return section.map((raw, i) => {
    const o = isRec(raw) ? raw : {};
    const principal = isRec(o.principal) ? o.principal : {};
    const rotation = isRec(o.rotation) ? o.rotation : {};
    const explicit = Array.isArray(o.events) ? o.events.filter(isRec).map((e) => eventView(e)) : undefined;
    const events =
      explicit ??
      strings(o.eventIds).map((id) => {
        const known = index.get(id);
        return known ? eventView(known, id) : { id, time: '', source: '', name: '', principal: '', sourceIp: '', detailed: false };
      });
    // Time order; events known by id only go last, in the collector's order (a stable sort keeps it).
    const key = (e: EventView) => e.time || '\uffff';
    events.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const rotationStatus = str(rotation, 'status');
    return {
      id: str(o, 'id', 'activationId') ?? `#${i + 1}`,
      principal: str(principal, 'arn') ?? str(o, 'principal') ?? '(principal not recorded)',
      principalKind: str(principal, 'kind'),
      start: str(o, 'start', 'startedAt'),
      end: str(o, 'end', 'endedAt'),
      durationSeconds: num(o, 'durationSeconds'),
      mfa: o.mfaUsed === true ? 'yes' : o.mfaUsed === false ? 'NO' : 'not logged',
      sourceIps: strings(o.sourceIps),
      apiCalls: num(o, 'apiCalls'),
      writeCalls: num(o, 'writeCalls'),
      failedCalls: num(o, 'failedCalls'),
      rotation:
        rotationStatus === 'rotated'
          ? `rotated${num(rotation, 'delaySeconds') !== undefined ? ` after ${humanDuration(num(rotation, 'delaySeconds')!)}` : ''}`
          : rotationStatus === 'not-found'
            ? `NOT FOUND${str(rotation, 'deadline') ? ` (due by ${str(rotation, 'deadline')})` : ''}`
            : 'not evaluated',
      rotationAt: Array.isArray(rotation.evidence) && isRec(rotation.evidence[0]) ? str(rotation.evidence[0], 'eventTime') : undefined,
      events,
    };
  });
}

