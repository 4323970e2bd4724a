// The DuckDB engine (`cloudtrail.engine: duckdb`): DuckDB, embedded, reads the period's log files (the same listing as
// the scanner's) and runs the detections' SQL over them. @duckdb/node-api is loaded only when this engine is chosen.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { CloudTrailEvidence, CloudTrailFileProblem } from '../../model/cloudtrail.js';
import { EvidencePackError, messageOf } from '../../errors.js';
import { rawJsonDialect, sqlString, type SqlDialect } from '../../detections/sql.js';
import { loadSelections } from '../../detections/definitions.js';
import { fieldsOf } from '../../detections/predicate.js';
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

/** Every CloudTrail field a selection reads. */
function fieldsRead(): string[] {
  return [...new Set(loadSelections().flatMap((d) => [...fieldsOf(d.select.where)]))].sort();
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

/**
 * DuckDB over local log files, read once: every record's file, time, name and id, and its whole text only where some
 * selection (or filter substring) takes it; the queries then read that table, not the files again.
 */
export async function duckdbStore(files: string[], roots: string[], maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<SqlStore> {
  const { DuckDBInstance } = await loadDuckDb();
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: tmpdir(), preserve_insertion_order: 'false' });
  const db = await instance.connect();
  const raw = rawJsonDialect('raw');
  const kept: Record<string, string> = { eventTime: 't', eventName: 'n', eventID: 'id' };
  return {
    engine: 'duckdb',
    dialect: { name: 'duckdb', column: (field) => kept[field] ?? raw.column(field) },
    roots,
    from: 'records',
    fileColumn: 'file',
    recordColumns: 'raw AS rec',
    rawText: 'raw',
    kept: 'raw IS NOT NULL',
    bound: () => 'TRUE',
    async prepare(keep, run) {
      // Every field the selections read, extracted in one parse of the record (DuckDB's multi-path json_extract_string).
      const fields = [...new Set(['eventTime', 'eventName', 'eventID', ...fieldsRead()])];
      const at = new Map(fields.map((f, i) => [f, `v[${i + 1}]`]));
      const rec = rawJsonDialect('rec');
      const onePass: SqlDialect = { name: 'duckdb', column: (f) => at.get(f) ?? rec.column(f) };
      await run(
        `CREATE TEMP TABLE records AS SELECT file, v[1] AS t, v[2] AS n, v[3] AS id, CASE WHEN ${keep(onePass, 'CAST(rec AS VARCHAR)')} THEN CAST(rec AS VARCHAR) END AS raw ` +
          `FROM (SELECT file, rec, json_extract_string(rec, [${fields.map((f) => sqlString('$.' + f)).join(', ')}]) AS v FROM ${recordsOf(files, maxFileBytes)})`,
        'read',
      );
    },
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
  // DuckDB reads a path with *, ?, [ or { as a glob (other files, or none): such names are reported, never expanded.
  const globbed = (f: string) => /[*?[\]{}]/.test(f);
  for (const f of files.filter(globbed)) problems.push({ path: f, reason: 'its name holds a glob character (* ? [ ] { }) DuckDB would expand: not read by the duckdb engine (engine: scan reads it)', skip: 'unreadable' });
  const unique = [...new Set(files.filter((f) => !globbed(f)))].sort();
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

/** No file to read: DuckDB still answers, over an empty table, so the evidence says "no logs" the same way. */
async function emptyStore(roots: string[]): Promise<SqlStore> {
  const store = await duckdbStore([], roots);
  return {
    ...store,
    async prepare(_keep, run) {
      await run('CREATE TEMP TABLE records (file VARCHAR, t VARCHAR, n VARCHAR, id VARCHAR, raw VARCHAR)', 'read');
    },
  };
}
