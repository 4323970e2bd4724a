// Shared setup of the live-AWS tests: the period, the break-glass declaration, the collector's config, one collection.

import { collectAws } from '../../src/collect/aws/collect.js';
import { liveCoverage } from '../../src/collect/aws/index.js';
import type { InfraSnapshot } from '../../src/model/infra.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import type { AwsConfig, AwsLiveEvidence } from '../../src/model/aws.js';
import type { BreakGlassConfig } from '../../src/config/load.js';
import { period } from '../cloudtrail/helpers.js';
import { CALLER, HOME, OTHER, type World } from '../support/aws-world.js';
import type { AwsWire, WireOptions } from '../support/aws-wire.js';

export const QUARTER = period('2026-07-01', '2026-09-30');
export const NOW = () => new Date('2026-10-01T00:00:00Z');

export const breakGlass: BreakGlassConfig = {
  // A literal role of the caller's account (GetRole) and a glob over every account (ListRoles).
  roles: [`arn:aws:iam::${CALLER}:role/BreakGlassAudit`, 'arn:aws:iam::*:role/BreakGlass*'],
  users: ['breakglass-admin'],
  permissionSets: ['BreakGlass'],
  allowedCidrs: [],
  rootIsBreakGlass: true,
  secrets: ['break-glass/root-mfa'],
};

export function awsConfig(over: Partial<AwsConfig> = {}): AwsConfig {
  return { enabled: true, regions: [HOME, OTHER], accounts: [], concurrency: 2, maxAttempts: 3, ...over };
}

/** One collection through a fresh wire (its policy and faults); the wire is closed afterwards. */
export async function collectFrom(world: World, wireOpts: WireOptions = {}, config: Partial<AwsConfig> = {}, opts: { breakGlass?: BreakGlassConfig; lookupEvents?: boolean; now?: () => Date } = {}): Promise<{ live: AwsLiveEvidence; wire: AwsWire }> {
  const wire = world.wire(wireOpts);
  try {
    const live = await collectAws({ config: awsConfig(config), breakGlass: opts.breakGlass ?? breakGlass, period: QUARTER, clients: world.clients(wire), now: opts.now ?? NOW, lookupEvents: opts.lookupEvents ?? true });
    return { live, wire };
  } finally {
    await wire.close();
  }
}

/** Live-only evidence (with the live areas' coverage, as collectAll records it): the IaC checks read the live snapshots. */
export function liveEvidence(live: AwsLiveEvidence, bg: BreakGlassConfig = breakGlass): EvidenceSet {
  const nc = { state: 'not-configured' as const, reason: 'not configured' };
  return { period: QUARTER, breakGlass: bg, breakGlassDeclared: true, runbook: nc, iac: nc, live: { state: 'collected', value: live }, cloudtrail: nc, replay: nc, integrity: nc, coverage: liveCoverage({ state: 'collected', value: live }, ['test']), evidenceRefs: {} };
}

/** IaC and live evidence together, as collectAll gives them to the checks. */
export function bothEvidence(iac: InfraSnapshot[], live: AwsLiveEvidence, bg: BreakGlassConfig = breakGlass): EvidenceSet {
  return { ...liveEvidence(live, bg), iac: { state: 'collected', value: iac } };
}
