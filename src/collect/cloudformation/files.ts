// Finds and reads template files under the configured paths; every file it does not read is reported with the reason.

import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { EvidenceProblem } from '../../model/evidence.js';

export const MAX_TEMPLATE_BYTES = 10 * 1024 * 1024;
const TEMPLATE_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);
/** Folders that hold dependencies or VCS data, never a stack's templates. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface TemplateFile {
  /** Relative to baseDir, with forward slashes. */
  path: string;
  absPath: string;
  realPath: string;
  bytes: Buffer;
  text: string;
  sha256: string;
}

export interface FoundFiles {
  files: TemplateFile[];
  problems: EvidenceProblem[];
}

export function relPath(baseDir: string, abs: string): string {
  const r = relative(baseDir, abs);
  return (r === '' ? '.' : r).split(sep).join('/');
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/**
 * Lists the template files of one configured path: the file itself, or every *.yaml, *.yml, *.json and
 * *.template below the folder (CDK's cdk.out/*.template.json included), in a stable order.
 * `seen` holds real paths already read through another configured path.
 */
export async function findTemplateFiles(input: string, baseDir: string, seen: Set<string>): Promise<FoundFiles> {
  const problems: EvidenceProblem[] = [];
  const files: TemplateFile[] = [];
  const skip = (abs: string, message: string, level: 'error' | 'warning' = 'warning') =>
    problems.push({ level, message, location: { file: relPath(baseDir, abs) } });

  const abs = resolve(baseDir, input);
  let info;
  try {
    info = await lstat(abs);
  } catch {
    skip(abs, `path not found: ${input} (expected a CloudFormation template or a folder of templates)`, 'error');
    return { files, problems };
  }
  const baseReal = await realpath(baseDir).catch(() => resolve(baseDir));

  const readOne = async (filePath: string): Promise<void> => {
    let real: string;
    let size: number;
    try {
      real = await realpath(filePath);
      size = (await stat(real)).size;
    } catch (e) {
      skip(filePath, `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'error');
      return;
    }
    if (seen.has(real)) return;
    if (size > MAX_TEMPLATE_BYTES) {
      skip(filePath, `skipped: ${size} bytes is over the ${MAX_TEMPLATE_BYTES}-byte limit for a template`);
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(real);
    } catch (e) {
      skip(filePath, `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'error');
      return;
    }
    const text = decodeText(bytes);
    if (text === undefined) {
      skip(filePath, 'skipped: binary file (NUL bytes or invalid UTF-8), not a template');
      return;
    }
    seen.add(real);
    files.push({ path: relPath(baseDir, filePath), absPath: filePath, realPath: real, bytes, text, sha256: createHash('sha256').update(bytes).digest('hex') });
  };

  if (info.isSymbolicLink()) {
    const target = await realpath(abs).catch(() => undefined);
    if (target === undefined) {
      skip(abs, 'skipped: symbolic link to a missing target');
      return { files, problems };
    }
    if (!inside(baseReal, target)) {
      skip(abs, `skipped: symbolic link leaves the base folder (points to ${relPath(baseDir, target)})`);
      return { files, problems };
    }
    info = await stat(abs);
  }
  if (info.isFile()) {
    await readOne(abs);
    return { files, problems };
  }
  if (!info.isDirectory()) {
    skip(abs, 'skipped: not a regular file or folder');
    return { files, problems };
  }

  const root = await realpath(abs);
  const visited = new Set<string>([root]);
  const walk = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (e) {
      skip(dir, `unreadable folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'error');
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      let st;
      try {
        st = await lstat(p);
      } catch (e) {
        // Removed or made unreadable while the folder was being walked.
        skip(p, `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'error');
        continue;
      }
      if (st.isSymbolicLink()) {
        const target = await realpath(p).catch(() => undefined);
        if (target === undefined) {
          skip(p, 'skipped: symbolic link to a missing target');
          continue;
        }
        if (!inside(root, target)) {
          skip(p, `skipped: symbolic link leaves the configured folder ${relPath(baseDir, abs)} (points to ${relPath(baseDir, target)})`);
          continue;
        }
        st = await stat(p);
        if (st.isDirectory()) {
          if (visited.has(target)) continue;
          visited.add(target);
        }
      }
      if (st.isDirectory()) {
        if (SKIPPED_DIRS.has(name)) {
          skip(p, `skipped folder ${name}: dependencies or version-control data, not templates`);
          continue;
        }
        await walk(p);
      } else if (st.isFile() && TEMPLATE_EXTENSIONS.has(extname(name).toLowerCase())) {
        await readOne(p);
      }
    }
  };
  await walk(abs);
  return { files, problems };
}

/** UTF-8 text without a BOM, or undefined for binary content. */
function decodeText(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}
