// Listing and reading input files safely: symlinks followed only inside the configured roots, special files never opened.

import { closeSync, constants, createReadStream, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { SkipReason } from '../model/coverage.js';

/** A failed read of an input, as a coverage skip: the errno decides the reason, the message names it. */
export function readFailure(err: unknown): { skip: SkipReason; reason: string } {
  if (err instanceof InputSkipped) return { skip: err.skip, reason: err.message };
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const skip: SkipReason =
    code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : code === 'ERR_FS_FILE_TOO_LARGE' || code === 'EFBIG' || code === 'ERR_STRING_TOO_LONG' ? 'too-large' : 'unreadable';
  return { skip, reason: `cannot read: ${code || (e instanceof Error ? e.message : String(err))}` };
}

/** Thrown by `readInputFile` for an input it refuses (special file, too large); carries the coverage reason. */
export class InputSkipped extends Error {
  constructor(
    readonly skip: SkipReason,
    message: string,
  ) {
    super(message);
  }
}

export type InputEntry =
  | { kind: 'file'; path: string; size: number }
  | { kind: 'dir'; path: string; real: string }
  | { kind: 'skip'; path: string; skip: SkipReason; reason: string };

function kindOf(st: import('node:fs').Stats): string {
  return st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : 'not a regular file';
}

/**
 * The folders evidence may come from (the config folder and every configured path, resolved through symlinks).
 * A symlink is followed when its target lies inside one of them, and reported when it does not.
 */
export class InputRoots {
  private readonly roots: string[];

  constructor(roots: string[]) {
    this.roots = [...new Set(roots.map((r) => realOrResolved(r)))];
  }

  contains(real: string): boolean {
    return this.roots.some((r) => {
      const rel = relative(r, real);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    });
  }

  /**
   * What `path` is: a regular file or folder to read (a symlink resolved inside the roots), or why it is skipped.
   * `named` is true for a path the configuration names itself: it is trusted as a root even when it is a symlink.
   */
  classify(path: string, named = false): InputEntry {
    let st;
    try {
      st = lstatSync(path);
    } catch (err) {
      return { kind: 'skip', path, ...readFailure(err) };
    }
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(path);
      } catch (err) {
        const f = readFailure(err);
        return { kind: 'skip', path, skip: f.skip === 'not-found' ? 'not-found' : 'unreadable', reason: `symlink cannot be resolved (${f.reason.replace('cannot read: ', '')})` };
      }
      if (!named && !this.contains(real)) return { kind: 'skip', path, skip: 'symlink-outside-roots', reason: 'symlink to a target outside the configured evidence folders: not followed' };
      try {
        st = statSync(real);
      } catch (err) {
        return { kind: 'skip', path, ...readFailure(err) };
      }
      if (st.isDirectory()) return { kind: 'dir', path, real };
      if (st.isFile()) return { kind: 'file', path, size: st.size };
      return { kind: 'skip', path, skip: 'special-file', reason: `symlink to ${kindOf(st)}: not read` };
    }
    if (st.isDirectory()) return { kind: 'dir', path, real: realOrResolved(path) };
    if (st.isFile()) return { kind: 'file', path, size: st.size };
    return { kind: 'skip', path, skip: 'special-file', reason: `${kindOf(st)}: not read` };
  }

  /**
   * Lists `start` (a file or a folder, named by the config): files whose name `accept`s, in folders `descend`
   * allows, sorted. Symlinks outside the roots, special files and unreadable folders are returned as skipped,
   * when their name would have been accepted (or they are folders); a folder reached twice is listed once.
   */
  walk(start: string, opts: { accept(name: string): boolean; descend?(path: string, name: string): boolean }): { files: { path: string; size: number }[]; skipped: Extract<InputEntry, { kind: 'skip' }>[] } {
    const files: { path: string; size: number }[] = [];
    const skipped: Extract<InputEntry, { kind: 'skip' }>[] = [];
    const seen = new Set<string>();
    const top = this.classify(start, true);
    if (top.kind === 'skip') return { files, skipped: [top] };
    if (top.kind === 'file') return { files: [{ path: start, size: top.size }], skipped };
    const visit = (dir: string, real: string) => {
      if (seen.has(real)) return;
      seen.add(real);
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch (err) {
        const f = readFailure(err);
        skipped.push({ kind: 'skip', path: dir, skip: f.skip, reason: f.reason.replace('cannot read', 'cannot list folder') });
        return;
      }
      for (const name of names) {
        const p = join(dir, name);
        const e = this.classify(p);
        if (e.kind === 'dir') {
          if (!opts.descend || opts.descend(p, name)) visit(p, e.real);
        } else if (e.kind === 'file') {
          if (opts.accept(name)) files.push({ path: p, size: e.size });
        } else if (opts.accept(name) || isDirLink(p)) skipped.push(e);
      }
    };
    visit(start, top.real);
    return { files, skipped };
  }
}

function isDirLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink() && statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * Reads a listed file whole. Opened non-blocking so that a FIFO swapped in after listing cannot hang the run,
 * then checked to be a regular file of at most `maxBytes` before a byte is read.
 */
export function readInputFile(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputSkipped('special-file', `${kindOf(st)}: not read`);
    if (st.size > maxBytes) throw new InputSkipped('too-large', `${st.size} bytes, more than the limit of ${maxBytes} bytes (config limits.maxFileBytes)`);
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    // A file that shrank while it was read is short: say so rather than pass on a partial read as complete.
    if (off < st.size) throw new InputSkipped('truncated', `file shrank while it was read (${off} of ${st.size} bytes)`);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** A listed file as a stream, opened like `readInputFile` (non-blocking, and refused unless a regular file). */
export function openInputStream(path: string): Readable {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputSkipped('special-file', `${kindOf(st)}: not read`);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return createReadStream('', { fd });
}

export { DEFAULT_MAX_FILE_BYTES } from '../model/coverage.js';
