// Public API of the CloudTrail log collector: read the period's logs (local or S3) and return CloudTrailEvidence.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BreakGlassConfig, CloudTrailConfig, CloudTrailEvidence, CloudTrailFileProblem, FilterCount } from '../../model/cloudtrail.js';
import type { Period } from '../../model/period.js';
import { aggregate, type EventFilter, type ScannedFile, type SlimRecord } from './aggregate.js';
import { Detector, toSlimRecord } from '../../detections/detector.js';
import { ScanPool } from './pool.js';
import { referenceScanLogFile } from './reference.js';
import type { ScanPlan } from './scan.js';
import { type LogUnit, listLocal, listS3, readS3Object } from './sources.js';
import { DEFAULT_MAX_FILE_BYTES, InputRoots } from '../input-files.js';

export type { EventFilter } from './aggregate.js';
export { ACTIVATION_GAP_SECONDS, canonicalJson } from './aggregate.js';
export { CloudTrailConfigError, type CtEvent } from '../../detections/detector.js';

export interface CollectProgress {
  files: number;
  bytes: number;
  totalFiles?: number;
}

export interface CollectCloudTrailOptions {
  config: CloudTrailConfig;
  breakGlass: BreakGlassConfig;
  period: Period;
  /** Names of the buckets the trails deliver to: policy / public-access-block changes on them are tampering. */
  trailBuckets?: string[];
  /** Required for s3:// sources; tests pass one pointed at a loopback server. */
  s3?: S3Client;
  /** Counted over every event of the period (metric-filter replay). */
  filters?: EventFilter[];
  onProgress?: (p: CollectProgress) => void;
  /** Scan threads; default: one per core (at most 4). 0 scans on the calling thread. */
  workers?: number;
  /** `reference` parses every record with JSON.parse (slow; for comparison in tests). */
  scanner?: 'fast' | 'reference';
  /** Clock for `populationRecord.extractedAt`. */
  now?: () => Date;
  /** Folders symlinks may lead into (default: the log roots themselves). */
  inputRoots?: InputRoots;
  /** Largest log file or object accepted, before and after decompression (config `limits.maxFileBytes`). */
  maxFileBytes?: number;
}

/** What to parse: what every record a detection selects contains (mappings/detections), and the filters' substrings. */
export function buildScanPlan(opts: Pick<CollectCloudTrailOptions, 'period' | 'filters' | 'maxFileBytes'>, detector: Detector): ScanPlan {
  const { names, needles, parseAll } = detector.scanGuard();
  const filterNeedles = (opts.filters ?? []).flatMap((f) => f.needles ?? []);
  const filterParseAll = (opts.filters ?? []).some((f) => !f.needles?.length);
  return {
    eventNames: names,
    needles: [...new Set([...needles, ...filterNeedles])].sort(),
    parseAll: parseAll || filterParseAll,
    slim: (opts.filters ?? []).length === 0,
    start: opts.period.start.toISOString().slice(0, 19),
    end: opts.period.end.toISOString().slice(0, 19),
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
}

/**
 * Candidate events wait for aggregation on disk, not in memory: a quarter of a busy account has hundreds of
 * thousands of them, and only their sort keys need to stay in memory. The file holds slim events only (no
 * session tokens), is private to the user, and is deleted when the collection ends.
 */
class SpillFile {
  private readonly dir = mkdtempSync(join(tmpdir(), 'evidence-pack-ct-'));
  private readonly fd = openSync(join(this.dir, 'events.jsonl'), 'w+', 0o600);
  private size = 0;

  append(jsons: string[]): { off: number; len: number }[] {
    const bufs = jsons.map((j) => Buffer.from(j, 'utf8'));
    const out = bufs.map((b) => {
      const at = { off: this.size, len: b.length };
      this.size += b.length;
      return at;
    });
    if (bufs.length) writeSync(this.fd, Buffer.concat(bufs), 0, undefined, out[0].off);
    return out;
  }

  read(r: { off: number; len: number }): string {
    const b = Buffer.allocUnsafe(r.len);
    readSync(this.fd, b, 0, r.len, r.off);
    return b.toString('utf8');
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the filters on each whole event as it arrives, then keeps only its slim form. */
class FilterTally {
  private readonly seen: Set<string>[];
  private readonly errors = new Map<number, string>();
  readonly matched = new Set<string>();

  constructor(private readonly filters: EventFilter[]) {
    this.seen = filters.map(() => new Set());
  }

  add(full: Record<string, unknown>): { t: string; id: string; json: string } {
    const rec = toSlimRecord(full);
    this.filters.forEach((f, i) => {
      if (this.errors.has(i)) return;
      try {
        if (!f.matches(full)) return;
      } catch (err) {
        this.errors.set(i, (err as Error).message);
        return;
      }
      // Same rule as for detections: an identical copy of an event counts once.
      this.seen[i].add(`${rec.id}\n${rec.json}`);
      this.matched.add(rec.id);
    });
    return rec;
  }

  counts(): FilterCount[] {
    return this.filters.map((f, i) => ({ id: f.id, matches: this.seen[i].size, ...(this.errors.has(i) && { error: this.errors.get(i) }) }));
  }
}

/** Reads every configured log source of the period and reports detections, activations and problems. */
export async function collectCloudTrail(opts: CollectCloudTrailOptions): Promise<CloudTrailEvidence> {
  const detector = new Detector(opts.breakGlass, opts.trailBuckets);
  const plan = buildScanPlan(opts, detector);
  const problems: CloudTrailFileProblem[] = [];
  const units: LogUnit[] = [];
  const roots = opts.inputRoots ?? new InputRoots(opts.config.logs.filter((r) => !r.startsWith('s3://')));
  for (const root of opts.config.logs) {
    if (root.startsWith('s3://')) {
      if (!opts.s3) problems.push({ path: root, reason: 'an S3 source is configured but no S3 client (AWS access) is available', skip: 'unavailable' });
      else units.push(...(await listS3(opts.s3, root, opts.period, problems)));
    } else units.push(...(await listLocal(root, opts.period, problems, roots)));
  }
  // The same file reachable from two configured roots is read once.
  const unique = [...new Map(units.map((u) => [u.path, u])).values()];

  const reference = opts.scanner === 'reference';
  const size = reference ? 0 : (opts.workers ?? Math.min(4, availableParallelism()));
  const pool = new ScanPool(unique.length > 1 ? size : 0, plan, reference ? referenceScanLogFile : undefined);
  const files: ScannedFile[] = [];
  const tally = new FilterTally(opts.filters ?? []);
  const spill = new SpillFile();
  let done = 0;
  let bytes = 0;
  const finish = (f: ScannedFile) => {
    // CloudTrail writes every log file gzip-compressed: a `.gz` that is not gzip is not what it claims to be.
    if (f.scan && !f.scan.gzip && /\.gz$/i.test(f.source.path)) f.scan.problems.unshift({ reason: 'named .gz but not gzip-compressed: not a log file as CloudTrail delivers it', skip: 'not-gzip' });
    // Whole events stay only as long as it takes to run the filters on them.
    if (f.scan) {
      // Workers slim the events themselves when no filter needs them whole.
      const slim = [...f.scan.slim, ...f.scan.candidates.map((full) => tally.add(full))];
      const at = spill.append(slim.map((x) => x.json));
      f.events = slim.map((x, i): SlimRecord => ({ t: x.t, id: x.id, ...at[i] }));
      f.scan.candidates = [];
      f.scan.slim = [];
    }
    files.push(f);
    done++;
    bytes += f.scan?.size ?? 0;
    opts.onProgress?.({ files: done, bytes, totalFiles: unique.length });
  };
  try {
    const running = new Set<Promise<void>>();
    // Enough in flight to keep every worker busy while S3 downloads overlap, without piling objects up in memory.
    const limit = Math.max(2, pool.size * 3);
    for (const u of unique) {
      const job = (async () => {
        if (u.kind === 'file') {
          const r = await pool.scan({ path: u.path });
          finish({ source: { path: u.path }, scan: r.scan, readProblem: r.readProblem });
          return;
        }
        const obj = await readS3Object(opts.s3!, u.bucket, u.key, plan.maxFileBytes);
        const source = { path: u.path, ...(obj.etag && { etag: obj.etag }), ...(obj.versionId && { versionId: obj.versionId }) };
        if (!obj.bytes) return finish({ source, readProblem: obj.problem });
        const r = await pool.scan({ bytes: obj.bytes });
        finish({ source, scan: r.scan, readProblem: r.readProblem });
      })();
      const tracked = job.finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= limit) await Promise.race(running);
    }
    await Promise.all(running);
  } catch (err) {
    spill.close();
    throw err;
  } finally {
    await pool.close();
  }

  try {
    return aggregate({
      roots: opts.config.logs,
      period: opts.period,
      breakGlass: opts.breakGlass,
      detector,
      files,
      filterCounts: tally.counts(),
      filterMatched: tally.matched,
      filtersWithoutNeedles: (opts.filters ?? []).some((f) => !f.needles?.length),
      extraProblems: problems,
      extractedAt: (opts.now ?? (() => new Date()))(),
      readRecord: (r) => spill.read(r),
    });
  } finally {
    spill.close();
  }
}
