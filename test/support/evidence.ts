// Builds EvidenceSets for check tests from real inputs: Terraform written to a temp dir and collected.

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import { parsePeriod } from '../../src/config/period.js';
import type { Period } from '../../src/model/period.js';
import type { RunbookEvidence } from '../../src/model/runbook.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';

export const Q3_2026 = parsePeriod('2026-Q3') as Period;

export function baseEvidence(over: Partial<EvidenceSet> = {}): EvidenceSet {
  return {
    period: Q3_2026,
    breakGlass: { roles: [], users: [], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: true, secrets: [] },
    breakGlassDeclared: false,
    runbook: { state: 'not-configured', reason: 'not configured (config key `runbook`)' },
    iac: { state: 'not-configured', reason: 'not configured (config key `terraform / cloudformation`)' },
    cloudtrail: { state: 'not-configured', reason: 'not configured (config key `cloudtrail.logs`)' },
    integrity: { state: 'not-configured', reason: 'not configured (config key `cloudtrail.digests`)' },
    replay: { state: 'not-configured', reason: 'not configured (config key `cloudtrail.logs`)' },
    evidenceRefs: {},
    ...over,
  } as EvidenceSet;
}

/** Writes the files into a fresh temp folder and returns its path. */
export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ep-test-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** Evidence with the given Terraform files collected by the real Terraform collector. */
export function terraform(files: Record<string, string>): () => Promise<EvidenceSet> {
  return async () => {
    const dir = tempTree(files);
    const snapshots = await collectTerraform({ paths: [dir], baseDir: dir });
    return baseEvidence({ iac: { state: 'collected', value: snapshots } });
  };
}

/** Evidence with a Terraform folder on disk (fixtures) collected. */
export function terraformDir(dir: string): () => Promise<EvidenceSet> {
  const abs = resolve(dir);
  return async () => baseEvidence({ iac: { state: 'collected', value: await collectTerraform({ paths: [abs], baseDir: abs }) } });
}

export function runbook(over: Partial<RunbookEvidence>): () => EvidenceSet {
  const rb: RunbookEvidence = {
    displayPath: 'runbooks/break-glass.md',
    absPath: '/x/runbooks/break-glass.md',
    state: 'ok',
    existsInWorkingCopy: true,
    dirty: false,
    revisions: [],
    laterRevisions: [],
    tags: [],
    sections: [],
    ...over,
  };
  return () => baseEvidence({ runbook: { state: 'collected', value: rb } });
}
