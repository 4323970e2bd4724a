// Terminal output: colours only on a TTY without NO_COLOR; progress on stderr only on a TTY; errors one line each.

import { EvidencePackError, isEvidencePackError } from '../errors.js';

export interface Out {
  color: boolean;
  quiet: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export function makeOut(opts: { quiet?: boolean } = {}): Out {
  const color = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return { color, quiet: Boolean(opts.quiet), stdout: process.stdout, stderr: process.stderr };
}

const CODES: Record<string, string> = { red: '31', green: '32', yellow: '33', magenta: '35', blue: '34', dim: '2', bold: '1' };
export function paint(out: Out, colour: keyof typeof CODES, s: string): string {
  return out.color ? `\x1b[${CODES[colour]}m${s}\x1b[0m` : s;
}

export const STATUS_COLOUR: Record<string, keyof typeof CODES> = { pass: 'green', fail: 'red', unknown: 'yellow', error: 'magenta', manual: 'blue', not_applicable: 'dim' };

/** A progress line on stderr, shown only when stderr is a terminal (never in pipes or CI logs). */
export function progress(out: Out): ((message: string) => void) | undefined {
  if (out.quiet || !process.stderr.isTTY) return undefined;
  return (message) => out.stderr.write(`\r\x1b[2K${paint(out, 'dim', `… ${message}`)}`);
}

export function clearProgress(out: Out): void {
  if (!out.quiet && process.stderr.isTTY) out.stderr.write('\r\x1b[2K');
}

/**
 * A reader that goes away (`evidence-pack --help | head -1`, `verify pack | true`) closes the pipe: writing then
 * fails with EPIPE, reported as an 'error' event that would otherwise crash with a stack trace. The command goes
 * on and ends with its own exit code; what it still writes is dropped.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();
export function endQuietlyOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const s of streams) {
    if (guarded.has(s)) continue;
    guarded.add(s);
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || e.code === 'ERR_STREAM_WRITE_AFTER_END') return;
      throw e;
    });
  }
}

/** Prints a user error as `error: …` lines with a hint; returns the exit code. */
export function reportError(out: Out, e: unknown): number {
  clearProgress(out);
  if (isEvidencePackError(e)) {
    out.stderr.write(`${paint(out, 'red', 'error:')} ${e.message}\n`);
    for (const d of e.details) out.stderr.write(`  - ${d}\n`);
    if (e.hint) out.stderr.write(`${paint(out, 'dim', 'hint:')} ${e.hint}\n`);
    return 2;
  }
  // An unexpected failure is a bug: say so plainly, keep the stack for the bug report.
  out.stderr.write(`${paint(out, 'red', 'internal error:')} ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.EVIDENCE_PACK_DEBUG) out.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  else out.stderr.write(`${paint(out, 'dim', 'hint:')} this is a bug in evidence-pack; rerun with EVIDENCE_PACK_DEBUG=1 and report the output\n`);
  return 3;
}

export { EvidencePackError };
