// Coverage is evidence: per source, what was asked to be read, what was read completely, what was skipped or dropped and why.

import type { EvidenceKind } from './evidence.js';
import type { SourceLocation } from './location.js';

/**
 * Why an object (file, log object, digest, API call) was not read completely. The first group is input that
 * is present but broken (a check reading it says `error`); the second is input that could not be read at
 * all (a check reading it says `unknown`).
 */
export const BROKEN_REASONS = ['truncated', 'not-gzip', 'wrong-shape', 'not-parseable', 'bad-encoding', 'duplicate-key'] as const;
export const UNREAD_REASONS = ['not-found', 'unreadable', 'too-large', 'special-file', 'symlink-outside-roots', 'unavailable'] as const;
export type SkipReason = (typeof BROKEN_REASONS)[number] | (typeof UNREAD_REASONS)[number];

/** Why records inside an object that was read were not used. */
export const DROP_REASONS = ['no-event-time', 'bad-event-time', 'wrong-types', 'duplicate-key', 'invalid-json', 'schema', 'bad-date', 'time-zone'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface CoverageGap {
  /** The object: a path relative to the config folder, an s3:// URI, an API call; for records, file:line. */
  object: string;
  reason: SkipReason | DropReason;
  /** What was wrong, and what was expected where that helps. */
  detail: string;
  location?: SourceLocation;
  /** Records this entry stands for (dropped records are grouped per object and reason). */
  count?: number;
}

/** One source of evidence (one config key, or one kind of live call) as it was covered. */
export interface SourceCoverage {
  kind: EvidenceKind;
  /** Human-readable name of the source, e.g. "CloudTrail logs", "reviews". */
  source: string;
  /** What the configuration asked to read: roots, files, prefixes, API calls. */
  asked: string[];
  /** Objects found under what was asked (files, log objects, digests, API calls). */
  listed: number;
  /** Of those, objects read completely. */
  read: number;
  /** Objects not read, or not read completely, each with why. */
  skipped: CoverageGap[];
  /** Records inside objects that were read but not used, each with why. */
  dropped: CoverageGap[];
}

export function isComplete(c: SourceCoverage): boolean {
  return c.skipped.length === 0 && c.dropped.length === 0;
}

/** Number of records a gap list stands for. */
export function gapCount(gaps: CoverageGap[]): number {
  return gaps.reduce((n, g) => n + (g.count ?? 1), 0);
}


export function describeGap(g: CoverageGap): string {
  const n = g.count !== undefined && g.count !== 1 ? `${g.count} records ` : '';
  return `${g.object}: ${n}${g.reason} (${g.detail})`;
}

/**
 * What a collector calls as it reads: `list` what it found, then `read` each object it read completely, or
 * `skip` it with why; `drop` records it could not use. `result()` is the source's coverage.
 */
export class CoverageRecorder {
  private readonly c: SourceCoverage;

  constructor(kind: EvidenceKind, source: string, asked: string[]) {
    this.c = { kind, source, asked: [...asked], listed: 0, read: 0, skipped: [], dropped: [] };
  }

  list(n = 1): this {
    this.c.listed += n;
    return this;
  }

  read(n = 1): this {
    this.c.read += n;
    return this;
  }

  skip(object: string, reason: SkipReason, detail: string, location?: SourceLocation): this {
    this.c.skipped.push({ object, reason, detail, ...(location && { location }) });
    return this;
  }

  drop(object: string, reason: DropReason, detail: string, count = 1, location?: SourceLocation): this {
    if (count > 0) this.c.dropped.push({ object, reason, detail, ...(count !== 1 && { count }), ...(location && { location }) });
    return this;
  }

  result(): SourceCoverage {
    const order = (a: CoverageGap, b: CoverageGap) => (a.object < b.object ? -1 : a.object > b.object ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0);
    return { ...this.c, asked: [...this.c.asked], skipped: [...this.c.skipped].sort(order), dropped: [...this.c.dropped].sort(order) };
  }
}

/** The coverage of a population as its record's parameters: what was listed, read completely, skipped, dropped. */
export function coverageParameters(c: SourceCoverage): Record<string, string> {
  return { listed: String(c.listed), readCompletely: String(c.read), skipped: String(c.skipped.length), dropped: String(gapCount(c.dropped)), complete: String(isComplete(c)) };
}

/** Default for `limits.maxFileBytes`: the largest single evidence file or log object (after decompression). */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
