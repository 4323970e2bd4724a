// defineCheck(): a check is metadata (data) plus a pure evaluate function of the collected evidence.

import type { CheckMeta, Finding } from '../model/check.js';
import type { Status } from '../model/status.js';
import type { SourceLocation } from '../model/location.js';
import type { Collected } from '../model/evidence.js';
import type { EvidenceSet } from '../model/evidence-set.js';

export type { EvidenceSet };

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
