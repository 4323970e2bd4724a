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

/** Files read at once: enough to hide file-system latency, few enough to bound open handles and memory. */
const READ_CONCURRENCY = 16;

/** One step of the walk, in path order: a file to read or a skip to report. */
type Entry = { read: string } | { problem: EvidenceProblem };

/**
 * Lists the template files of one configured path: the file itself, or every *.yaml, *.yml, *.json and
 * *.template below the folder (CDK's cdk.out/*.template.json included), in a stable order.
 * `seen` holds real paths already read through another configured path.
 */
export async function findTemplateFiles(input: string, baseDir: string, seen: Set<string>): Promise<FoundFiles> {
  const entries: Entry[] = [];
  const skip = (abs: string, message: string, level: 'error' | 'warning' = 'warning') =>
    entries.push({ problem: { level, message, location: { file: relPath(baseDir, abs) } } });
  await walkInput(input, baseDir, skip, (path) => entries.push({ read: path }));

  // Read in parallel, then take results in walk order so output and de-duplication stay deterministic.
  const results = await mapLimit(entries, READ_CONCURRENCY, (e) => ('read' in e ? readTemplateFile(e.read, baseDir) : Promise.resolve(e.problem)));
  const files: TemplateFile[] = [];
  const problems: EvidenceProblem[] = [];
  for (const r of results) {
    if ('level' in r) problems.push(r);
    else if (!seen.has(r.realPath)) {
      seen.add(r.realPath);
      files.push(r);
    }
  }
  return { files, problems };
}

async function walkInput(
  input: string,
  baseDir: string,
  skip: (abs: string, message: string, level?: 'error' | 'warning') => void,
  found: (path: string) => void,
): Promise<void> {
  const abs = resolve(baseDir, input);
  let info;
  try {
    info = await lstat(abs);
  } catch {
    skip(abs, `path not found: ${input} (expected a CloudFormation template or a folder of templates)`, 'error');
    return;
  }
  if (info.isSymbolicLink()) {
    const target = await realpath(abs).catch(() => undefined);
    if (target === undefined) return skip(abs, 'skipped: symbolic link to a missing target');
    const baseReal = await realpath(baseDir).catch(() => resolve(baseDir));
    if (!inside(baseReal, target)) return skip(abs, `skipped: symbolic link leaves the base folder (points to ${relPath(baseDir, target)})`);
    info = await stat(abs);
  }
  if (info.isFile()) return found(abs);
  if (!info.isDirectory()) return skip(abs, 'skipped: not a regular file or folder');

  const root = await realpath(abs);
  const visited = new Set<string>([root]);
  const walk = async (dir: string): Promise<void> => {
    let dirents;
    try {
      dirents = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      return skip(dir, `unreadable folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'error');
    }
    for (const d of dirents) {
      const p = join(dir, d.name);
      let isDir = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        const target = await realpath(p).catch(() => undefined);
        if (target === undefined) {
          skip(p, 'skipped: symbolic link to a missing target');
          continue;
        }
        if (!inside(root, target)) {
          skip(p, `skipped: symbolic link leaves the configured folder ${relPath(baseDir, abs)} (points to ${relPath(baseDir, target)})`);
          continue;
        }
        const st = await stat(p).catch(() => undefined);
        isDir = st?.isDirectory() ?? false;
        isFile = st?.isFile() ?? false;
        if (isDir) {
          if (visited.has(target)) continue;
          visited.add(target);
        }
      }
      if (isDir) {
        if (SKIPPED_DIRS.has(d.name)) skip(p, `skipped folder ${d.name}: dependencies or version-control data, not templates`);
        else await walk(p);
      } else if (isFile && TEMPLATE_EXTENSIONS.has(extname(d.name).toLowerCase())) {
        found(p);
      }
    }
  };
  await walk(abs);
}

/** Reads one file, or says why it was not read. */
async function readTemplateFile(filePath: string, baseDir: string): Promise<TemplateFile | EvidenceProblem> {
  const problem = (message: string, level: 'error' | 'warning' = 'warning'): EvidenceProblem => ({ level, message, location: { file: relPath(baseDir, filePath) } });
  let real: string;
  let bytes: Buffer;
  try {
    real = await realpath(filePath);
    const size = (await stat(real)).size;
    if (size > MAX_TEMPLATE_BYTES) return problem(`skipped: ${size} bytes is over the ${MAX_TEMPLATE_BYTES}-byte limit for a template`);
    bytes = await readFile(real);
  } catch (e) {
    return problem(`unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'error');
  }
  const text = decodeText(bytes);
  if (text === undefined) return problem('skipped: binary file (NUL bytes or invalid UTF-8), not a template');
  return { path: relPath(baseDir, filePath), absPath: filePath, realPath: real, bytes, text, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
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
