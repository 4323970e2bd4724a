// Test helpers for pack tests: a trial key made once per process, temp folders and a realistic pack.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keygen, loadSigner, writePack, type Signer, type WritePackResult } from '../../src/pack/index.js';
import { sampleReport } from '../fixtures/report/events.js';

export async function tempDir(prefix = 'ep-pack-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

let cached: Promise<{ signer: Signer; keyPath: string; certPath: string }> | undefined;

/** One RSA-3072 trial key per test process (generation takes ~1 s). */
export function trialKey(): Promise<{ signer: Signer; keyPath: string; certPath: string }> {
  cached ??= (async () => {
    const { dir } = await tempDir('ep-key-');
    const k = await keygen(dir, { organisation: 'Acme Bank AG' });
    return { signer: await loadSigner({ key: k.keyPath, cert: k.certPath }), keyPath: k.keyPath, certPath: k.certPath };
  })();
  return cached;
}

export const EVIDENCE_FILES = [
  { path: 'evidence/iac/infra/cloudtrail.tf', bytes: Buffer.from('resource "aws_cloudtrail" "sovereign" {\n  is_multi_region_trail = true\n}\n') },
  { path: 'evidence/runbook/break-glass.md', bytes: Buffer.from('# Break-glass runbook\n\n## Trigger criteria\n…\n') },
  // Arbitrary binary bytes must survive untouched (no newline or encoding normalisation).
  { path: 'evidence/aws-live/111122223333.json.gz', bytes: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x80, 0xfe]) },
];

export async function writeSamplePack(outDir: string, signing?: Signer, extra: Partial<Parameters<typeof writePack>[0]> = {}): Promise<WritePackResult> {
  return writePack({
    outDir,
    report: sampleReport(),
    signing,
    sourceDateEpoch: 1_790_000_000,
    toolVersion: '0.1.0',
    inputs: [{ name: 'evidence-pack.yaml', sha256: 'c0ffee'.padEnd(64, '0') }],
    files: [...EVIDENCE_FILES, { path: 'report.html', bytes: async () => Buffer.from('<!doctype html><title>report</title>\n') }],
    ...extra,
  });
}
