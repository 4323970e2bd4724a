// Test helpers for IaC checks: an evidence set around collected snapshots, fixture trees with edits, check look-up.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InfraSnapshot } from '../../src/model/infra.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import type { BreakGlassConfig } from '../../src/config/load.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { runCheck } from '../../src/evaluate/engine.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { baseEvidence } from '../support/evidence.js';
import type { CheckResult } from '../../src/model/check.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CHAIN_FIXTURES = join(REPO, 'test/fixtures/chain');

export const BREAK_GLASS: BreakGlassConfig = {
  roles: ['arn:aws:iam::111122223333:role/BreakGlassAdmin'],
  users: ['break-glass-responder-01'],
  permissionSets: [],
  allowedCidrs: [],
  rootIsBreakGlass: false,
  secrets: [],
};

export function evidenceOf(snapshots: InfraSnapshot[], breakGlass: BreakGlassConfig = BREAK_GLASS): EvidenceSet {
  return baseEvidence({ breakGlass, breakGlassDeclared: true, iac: { state: 'collected', value: snapshots } });
}

export function check(id: string) {
  const c = CHECKS.find((x) => x.meta.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

export { IAC_CHECKS } from '../../src/iac.js';
import { IAC_CHECKS } from '../../src/iac.js';

export function runIacChecks(snapshots: InfraSnapshot[], breakGlass?: BreakGlassConfig): CheckResult[] {
  return IAC_CHECKS.map((c) => runCheck(c, evidenceOf(snapshots, breakGlass)));
}

/** A text edit of one fixture file: replace `from` (which must occur) with `to`. */
export interface Edit {
  file: string;
  from: string | RegExp;
  to: string;
}

/** Copies a fixture folder to a temp folder, applies the edits (each must change something), returns it. */
export function editedCopy(fixture: string, edits: Edit[]): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ep-iac-'));
  cpSync(fixture, dir, { recursive: true });
  for (const e of edits) {
    const p = join(dir, e.file);
    const before = readFileSync(p, 'utf8');
    const after = before.replace(e.from, e.to);
    if (after === before) throw new Error(`edit of ${e.file} changed nothing: ${String(e.from)}`);
    writeFileSync(p, after);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function collectTf(dir: string, extra: { varFiles?: string[] } = {}): Promise<InfraSnapshot[]> {
  return collectTerraform({ paths: [dir], varFiles: extra.varFiles, baseDir: dir });
}
