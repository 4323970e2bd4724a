// A small pool of scan workers; results come back by task id. Falls back to the calling thread when size is 0.

import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FileScan, scanLogFile, type ScanPlan } from './scan.js';
import { DEFAULT_MAX_FILE_BYTES, readFailure, readInputFile } from '../input-files.js';
import type { SkipReason } from '../../model/coverage.js';

/** Why a file could not be read at all. */
export interface ReadProblem {
  reason: string;
  skip: SkipReason;
}

export interface ScanTask {
  id: number;
  path?: string;
  bytes?: Uint8Array;
}
export interface ScanReply {
  id: number;
  scan?: FileScan;
  readProblem?: ReadProblem;
}

type Scanner = (raw: Buffer, plan: ScanPlan) => FileScan;

export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { task: ScanTask; resolve: (r: ScanReply) => void }[] = [];
  private readonly pending = new Map<number, (r: ScanReply) => void>();
  private nextId = 0;
  private failure?: Error;
  private closing = false;

  constructor(
    size: number,
    private readonly plan: ScanPlan,
    private readonly inline: Scanner = scanLogFile,
  ) {
    // Under tsx the sources are .ts; once built they are .js.
    const ts = fileURLToPath(import.meta.url).endsWith('.ts');
    const entry = new URL(`./scan-worker${ts ? '.ts' : '.js'}`, import.meta.url);
    const url = ts ? new URL('./tsx-worker.mjs', import.meta.url) : entry;
    for (let i = 0; i < size; i++) {
      // A small young generation: every file leaves short-lived windows and buffers behind, and with V8's default
      // (sized for the machine's memory) two workers alone held over 100 MB of such garbage on a 5 GB archive.
      const w = new Worker(url, { workerData: { plan, entry: entry.href }, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      w.on('message', (r: ScanReply) => {
        const resolve = this.pending.get(r.id);
        this.pending.delete(r.id);
        this.release(w);
        resolve?.(r);
      });
      const fail = (err: Error) => {
        this.failure ??= err;
        for (const [id, resolve] of this.pending) resolve({ id, readProblem: { reason: `scan worker failed: ${err.message}`, skip: 'unreadable' } });
        this.pending.clear();
        // Whatever is still queued runs on this thread.
        for (const { task, resolve } of this.queue.splice(0)) void this.scanInline(task.id, task.path ? { path: task.path } : { bytes: Buffer.from(task.bytes!) }).then(resolve);
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!this.closing) fail(new Error(`scan worker exited with code ${code}`));
      });
      this.workers.push(w);
      // Two slots per worker: the next file is already queued in the worker while the main thread handles a reply.
      this.idle.push(w, w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Tasks queued or running; callers keep this bounded so S3 downloads do not pile up in memory. */
  get inFlight(): number {
    return this.queue.length + this.pending.size;
  }

  scan(source: { path: string } | { bytes: Buffer }): Promise<ScanReply> {
    const id = this.nextId++;
    if (this.workers.length === 0 || this.failure) return this.scanInline(id, source);
    const task: ScanTask =
      'bytes' in source ? { id, bytes: new Uint8Array(source.bytes.buffer, source.bytes.byteOffset, source.bytes.length) } : { id, path: source.path };
    return new Promise((resolve) => {
      this.queue.push({ task, resolve });
      this.dispatch();
    });
  }

  private async scanInline(id: number, source: { path: string } | { bytes: Buffer }): Promise<ScanReply> {
    try {
      const raw = 'bytes' in source ? source.bytes : readInputFile(source.path, this.plan.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
      return { id, scan: this.inline(raw, this.plan) };
    } catch (err) {
      return { id, readProblem: readFailure(err) };
    }
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.dispatch();
  }

  private dispatch(): void {
    while (!this.failure && this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const { task, resolve } = this.queue.shift()!;
      this.pending.set(task.id, resolve);
      const transfer = task.bytes && task.bytes.byteOffset === 0 && task.bytes.byteLength === task.bytes.buffer.byteLength ? [task.bytes.buffer as ArrayBuffer] : [];
      w.postMessage(task, transfer);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
