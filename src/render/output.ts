// Writes an output folder atomically: build in a temporary sibling folder, then rename into place.

import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EvidencePackError, messageOf } from '../errors.js';

export interface OutputFile {
  path: string;
  bytes: Buffer | string;
}

/**
 * Writes `files` under `outDir`. Nothing appears at `outDir` until every file is written; an existing
 * folder there is replaced only at the final rename (moved aside first, removed after).
 */
export function writeFolderAtomically(outDir: string, files: OutputFile[]): string {
  const target = resolve(outDir);
  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new EvidencePackError('OUTPUT', `cannot create the output folder's parent ${parent}: ${messageOf(e)}`);
  }
  const tmp = mkdtempSync(join(parent, `.${basename(target)}.tmp-`));
  try {
    for (const f of files) {
      const p = join(tmp, f.path);
      if (!p.startsWith(tmp + '/')) throw new Error(`refusing to write outside the pack: ${f.path}`);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.bytes);
    }
    if (existsSync(target)) {
      const old = `${join(parent, `.${basename(target)}.old-`)}${process.pid}`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
    return target;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof EvidencePackError) throw e;
    throw new EvidencePackError('OUTPUT', `writing ${target} failed: ${messageOf(e)}`);
  }
}
