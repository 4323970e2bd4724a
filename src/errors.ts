// The one error module: library code throws these; only the CLI turns them into exit codes.

/** Exit codes, documented in the README: 0 written/ok, 1 gate failed or verify found a problem, 2 usage/config/input error. */
export const EXIT = { OK: 0, GATE: 1, USAGE: 2 } as const;

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'INPUT_NOT_FOUND'
  | 'USAGE'
  | 'SIGNING'
  | 'PACK_INVALID'
  | 'OUTPUT';

/** A user-facing error: a message that names the file / path / field, and a hint on what to do. */
export class EvidencePackError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** Individual problems when several were found at once (config validation). */
  readonly details: string[];
  constructor(code: ErrorCode, message: string, opts: { hint?: string; details?: string[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'EvidencePackError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details ?? [];
  }
}

export function isEvidencePackError(e: unknown): e is EvidencePackError {
  return e instanceof EvidencePackError;
}

/** Message of any thrown value, for recording as an `error` finding. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
