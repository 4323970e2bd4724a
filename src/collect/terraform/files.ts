// Safe reading of IaC source files: size, binary and symlink-escape rules, hashing, relative paths.

import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { InfraSnapshot } from '../../model/infra.js';
import type { SkipReason } from '../../model/coverage.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface SourceFile {
  abs: string;
  rel: string;
  text: string;
}

/** Paths in locations are relative to the config folder, with forward slashes on every platform. */
export function relPath(baseDir: string, abs: string): string {
  const r = relative(baseDir, abs);
  return (r === '' ? '.' : r).split(sep).join('/');
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[a-zA-Z]:/.test(r));
}

/** Collects what was read and why anything was skipped; one per snapshot. */
export class FileReader {
  readonly files: InfraSnapshot['files'] = [];
  readonly problems: EvidenceProblem[] = [];
  private readonly root: string;
  private readonly realRoot: string;
  private readonly cache = new Map<string, SourceFile>();

  constructor(
    readonly baseDir: string,
    root: string,
  ) {
    const isDir = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
    this.root = isDir(root) ? root : dirname(root);
    let real = root;
    try {
      real = realpathSync(root);
    } catch {
      // a missing root is reported by the caller
    }
    this.realRoot = isDir(real) ? real : dirname(real);
  }

  private readonly realDirs = new Map<string, string>();
  private realDir(dir: string): string {
    let r = this.realDirs.get(dir);
    if (r === undefined) this.realDirs.set(dir, (r = realpathSync(dir)));
    return r;
  }

  rel(abs: string): string {
    return relPath(this.baseDir, abs);
  }

  /**
   * Reads a text file, or records why it was skipped and returns undefined. `offerBytes: false` hashes the
   * file for the evidence index without offering its bytes for copying (it may hold secrets). `evidence: true`
   * marks a file whose content is evidence (.tf, .tfvars, plans): one that is present but broken (binary) is
   * an error, one that is not read (too large, outside the root) leaves an `unread` gap.
   */
  read(abs: string, opts: { offerBytes?: boolean; evidence?: boolean } = {}): SourceFile | undefined {
    const cached = this.cache.get(abs);
    if (cached) return cached;
    const rel = this.rel(abs);
    const skip = (why: string, reason: SkipReason): undefined => {
      if (opts.evidence && reason === 'bad-encoding') this.problems.push({ level: 'error', message: `${rel} cannot be read: ${why}`, location: { file: rel }, skip: reason });
      else this.problems.push({ level: 'warning', message: `skipped ${rel}: ${why}`, location: { file: rel }, ...(opts.evidence ? { skip: reason } : {}) });
      return undefined;
    };
    let st;
    try {
      st = lstatSync(abs);
      let target: string;
      try {
        // The file itself or a folder on its way may be the link; folders are resolved once each.
        target = st.isSymbolicLink() ? realpathSync(abs) : join(this.realDir(dirname(abs)), basename(abs));
      } catch {
        return skip('broken symbolic link', 'not-found');
      }
      if (inside(this.root, abs) && !inside(this.realRoot, target)) return skip(`symbolic link leaves the configured root (points to ${this.rel(target)})`, 'symlink-outside-roots');
      if (st.isSymbolicLink()) st = statSync(target);
    } catch (e) {
      return skip(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'unreadable');
    }
    if (!st.isFile()) return skip('not a regular file', 'special-file');
    if (st.size > MAX_FILE_BYTES) return skip(`larger than 10 MB (${st.size} bytes)`, 'too-large');
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (e) {
      return skip(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'unreadable');
    }
    if (bytes.includes(0)) return skip('binary file (contains NUL bytes)', 'bad-encoding');
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      return skip('binary file (not valid UTF-8)', 'bad-encoding');
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.files.push(opts.offerBytes === false ? { path: rel, sha256, size: bytes.length } : { path: rel, sha256, size: bytes.length, absPath: abs });
    const file = { abs, rel, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    this.cache.set(abs, file);
    return file;
  }

  /** Files of one module folder ending in `suffix` (Terraform does not recurse), sorted for deterministic output. */
  moduleFiles(dir: string, suffix = '.tf'): string[] {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      const rel = this.rel(dir);
      this.problems.push({ level: 'error', message: `cannot list ${rel} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, location: { file: rel }, skip: 'unreadable' });
      return [];
    }
    // A module's files are its .tf and .tf.json files (Terraform's native and JSON syntaxes).
    const wanted = (n: string) => n.endsWith(suffix) || (suffix === '.tf' && n.endsWith('.tf.json'));
    return names
      .filter((n) => wanted(n) && !n.startsWith('.'))
      .sort()
      .map((n) => join(dir, n));
  }
}
