// Shared reading of CloudTrail evidence for the log checks: no logs in the period is `unknown`, never "nothing found".

import type { SourceLocation } from '../model/location.js';
import type { CloudTrailEvidence, EventRef } from '../model/cloudtrail.js';
import { EvidenceNotCollected, need, type EvidenceSet } from './define-check.js';

export function cloudtrailOf(ev: EvidenceSet): CloudTrailEvidence {
  const ct = need(ev.cloudtrail, 'CloudTrail logs (the activations of the period)');
  if (ct.noLogs) throw new EvidenceNotCollected(`no CloudTrail events in the period: ${ct.noLogsReason ?? 'no log files for the period were found'}`, 'empty');
  return ct;
}

export function eventLocation(e: EventRef): SourceLocation {
  return { file: e.file, pointer: `eventID ${e.eventId}` };
}

export function describeEvent(e: EventRef): string {
  return `${e.eventName} by ${e.actor} at ${e.eventTime}${e.sourceIp ? ` from ${e.sourceIp}` : ''} (eventID ${e.eventId})`;
}
