// The DuckDB engine (`cloudtrail.engine: duckdb`): DuckDB, embedded, reads the period's log files (the same listing as
// the scanner's) and runs the detections' SQL over them. @duckdb/node-api is loaded only when this engine is chosen.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CloudTrailEvidence, CloudTrailFileProblem } from '../../model/cloudtrail.js';
import { EvidencePackError, messageOf } from '../../errors.js';
import { rawJsonDialect, sqlString } from '../../detections/sql.js';
import { DEFAULT_MAX_FILE_BYTES, InputRoots } from '../input-files.js';
import { listLocal } from './sources.js';
import { collectWithSql, type CollectWithSqlOptions, type SqlStore } from './sql-engine.js';
import type { CollectCloudTrailOptions } from './index.js';

type DuckDb = typeof import('@duckdb/node-api');

async function loadDuckDb(): Promise<DuckDb> {
  try {
    return await import('@duckdb/node-api');
  } catch (e) {
    throw new EvidencePackError('CONFIG_INVALID', `cloudtrail.engine duckdb: DuckDB cannot be loaded (${messageOf(e)})`, {
      hint: 'DuckDB ships platform binaries for Linux (x64, arm64), macOS and Windows; elsewhere use engine: scan',
    });
  }
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The relation of every record of `files`: one row per record, `file` and `rec` (JSON). */
function recordsOf(files: string[], maxFileBytes: number): string {
  return `(SELECT filename AS file, unnest(Records) AS rec FROM read_json([${files.map(sqlString).join(', ')}], columns = {Records: 'JSON[]'}, filename = true, maximum_object_size = ${maxFileBytes}))`;
}

export async function duckdbStore(files: string[], roots: string[], maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<SqlStore> {
  const { DuckDBInstance } = await loadDuckDb();
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  return {
    engine: 'duckdb',
    dialect: rawJsonDialect('rec'),
    roots,
    from: recordsOf(files, maxFileBytes),
    fileColumn: 'file',
    recordColumns: 'CAST(rec AS VARCHAR) AS rec',
    rawText: 'CAST(rec AS VARCHAR)',
    bound: () => 'TRUE',
    toRecord: (row) => JSON.parse(String(row.rec)) as Record<string, unknown>,
    async query(sql) {
      const r = await db.runAndReadAll(sql);
      return { rows: r.getRowObjectsJson() as Record<string, unknown>[] };
    },
    async describe(file) {
      return { sha256: await sha256Of(file), size: (await stat(file)).size };
    },
    async close() {
      db.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * CloudTrail evidence by DuckDB over local log files. A file DuckDB cannot read (damaged, not CloudTrail's
 * `{"Records": […]}` shape) is found by reading each file on its own, reported, and left out; the others are read.
 */
export async function collectCloudTrailDuckDb(opts: CollectCloudTrailOptions): Promise<CloudTrailEvidence> {
  const problems: CloudTrailFileProblem[] = [];
  const roots = opts.inputRoots ?? new InputRoots(opts.config.logs.filter((r) => !r.startsWith('s3://')));
  const files: string[] = [];
  for (const root of opts.config.logs) {
    if (root.startsWith('s3://')) problems.push({ path: root, reason: 'the duckdb engine reads local log files; s3:// sources need engine: scan (or athena)', skip: 'unavailable' });
    else files.push(...(await listLocal(root, opts.period, problems, roots)).map((u) => u.path));
  }
  const unique = [...new Set(files)].sort();
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const sqlOpts = (extra: CloudTrailFileProblem[]): CollectWithSqlOptions => ({
    breakGlass: opts.breakGlass,
    period: opts.period,
    trailBuckets: opts.trailBuckets,
    filters: opts.filters,
    now: opts.now,
    problems: [...problems, ...extra],
  });
  if (unique.length === 0) return collectWithSql(await emptyStore(opts.config.logs), sqlOpts([]));
  try {
    return await collectWithSql(await duckdbStore(unique, opts.config.logs, maxFileBytes), sqlOpts([]));
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    // Which files? Each is read on its own; the readable ones are queried again.
    const { DuckDBInstance } = await loadDuckDb();
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    const bad: CloudTrailFileProblem[] = [];
    const good: string[] = [];
    try {
      for (const f of unique) {
        try {
          await db.runAndReadAll(`SELECT count(*) FROM ${recordsOf([f], maxFileBytes)}`);
          good.push(f);
        } catch (err) {
          bad.push({ path: f, reason: `DuckDB cannot read it: ${messageOf(err).split('\n')[0]}`, skip: 'not-parseable' });
        }
      }
    } finally {
      db.closeSync();
      instance.closeSync();
    }
    if (bad.length === 0) throw e;
    return collectWithSql(good.length ? await duckdbStore(good, opts.config.logs, maxFileBytes) : await emptyStore(opts.config.logs), sqlOpts(bad));
  }
}

/** No file to read: DuckDB still answers, over an empty relation, so the evidence says "no logs" the same way. */
async function emptyStore(roots: string[]): Promise<SqlStore> {
  const store = await duckdbStore([], roots);
  return { ...store, from: `(SELECT CAST(NULL AS VARCHAR) AS file, CAST(NULL AS JSON) AS rec WHERE FALSE)` };
}
