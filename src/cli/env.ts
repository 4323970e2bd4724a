// Reads SOURCE_DATE_EPOCH (reproducible builds convention): seconds since the epoch, or undefined.

import { EvidencePackError } from '../errors.js';

export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new EvidencePackError('USAGE', `SOURCE_DATE_EPOCH must be a whole number of seconds, got "${v}"`);
  return Number(v);
}
