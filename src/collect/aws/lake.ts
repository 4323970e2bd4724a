// CloudTrail Lake mode: runs the version-controlled detection queries in queries/*.sql with StartQuery / GetQueryResults.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueryResultsCommand, StartQueryCommand, type GetQueryResultsCommandOutput, type StartQueryCommandOutput } from '@aws-sdk/client-cloudtrail';
import { PACKAGE_ROOT } from '../../paths.js';
import type { Period } from '../../model/period.js';
import { AwsCaller, AwsCallError, type Sender } from './calls.js';

export const QUERIES_DIR = join(PACKAGE_ROOT, 'queries');

export interface LakeQuery {
  /** File name without `.sql`, e.g. `root-activity`. */
  id: string;
  path: string;
  /** The SQL with `{{eventDataStore}}`, `{{start}}`, `{{end}}`, `{{trailBuckets}}` placeholders. */
  template: string;
}

export function loadLakeQueries(dir = QUERIES_DIR): LakeQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ id: f.slice(0, -4), path: join(dir, f), template: readFileSync(join(dir, f), 'utf8') }));
}

export class LakeQueryError extends Error {
  readonly code = 'LAKE_QUERY';
  constructor(message: string, readonly query: string, readonly hint?: string) {
    super(message);
    this.name = 'LakeQueryError';
  }
}

/** Lake's timestamp literal: `YYYY-MM-DD HH:MM:SS` (UTC). */
function lakeTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The statement for one query. Only validated values are substituted: an event data store id or ARN, two
 * timestamps, and S3 bucket names (which cannot hold quotes); anything else is refused, never escaped.
 */
export function renderLakeQuery(q: LakeQuery, params: { eventDataStore: string; period: Pick<Period, 'start' | 'end'>; trailBuckets?: string[] }): string {
  if (!/^(arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/)?[A-Za-z0-9-]{1,64}$/.test(params.eventDataStore)) {
    throw new LakeQueryError(`cloudtrail.lake.eventDataStore: "${params.eventDataStore}" is not an event data store id or ARN`, q.id, 'use the id shown by `aws cloudtrail list-event-data-stores`');
  }
  const buckets = params.trailBuckets ?? [];
  for (const b of buckets) if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b)) throw new LakeQueryError(`trail bucket "${b}" is not an S3 bucket name`, q.id);
  // The data store id is the table name; its ARN form keeps only the id.
  const table = params.eventDataStore.split('/').pop()!;
  const values: Record<string, string> = {
    eventDataStore: table,
    start: lakeTime(params.period.start),
    end: lakeTime(params.period.end),
    trailBuckets: buckets.length ? buckets.map((b) => `'${b}'`).join(', ') : 'NULL',
  };
  return q.template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => {
    if (!(k in values)) throw new LakeQueryError(`${q.path}: unknown placeholder ${m}`, q.id);
    return values[k];
  });
}

export interface LakeRunOptions {
  caller: AwsCaller;
  client: Sender;
  where: { account: string; region: string };
  /** Rows per GetQueryResults page (1–1000). */
  pageSize?: number;
  /** Upper bound on rows read per query: more is an error, never a silent truncation. */
  maxRows?: number;
  /** Polls while the query is QUEUED / RUNNING, and the wait between them. */
  maxPolls?: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs one statement to completion and returns its rows as column → value objects (Lake returns strings). */
export async function runLakeQuery(statement: string, queryId: string, opts: LakeRunOptions): Promise<Record<string, string>[]> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxRows = opts.maxRows ?? 100_000;
  const started = await opts.caller.call<StartQueryCommandOutput>('cloudtrail:StartQuery', { ...opts.where, target: queryId }, opts.client, new StartQueryCommand({ QueryStatement: statement }));
  const id = started.QueryId;
  if (!id) throw new LakeQueryError(`StartQuery for ${queryId} returned no QueryId`, queryId);
  const rows: Record<string, string>[] = [];
  let token: string | undefined;
  let polls = 0;
  for (;;) {
    const out = await opts.caller.call<GetQueryResultsCommandOutput>('cloudtrail:GetQueryResults', { ...opts.where, target: queryId }, opts.client, new GetQueryResultsCommand({ QueryId: id, NextToken: token, MaxQueryResults: opts.pageSize ?? 1000 }));
    const status = out.QueryStatus;
    if (status === 'QUEUED' || status === 'RUNNING') {
      if (++polls > (opts.maxPolls ?? 120)) throw new LakeQueryError(`query ${queryId} (${id}) still ${status} after ${polls - 1} polls`, queryId, 'raise the poll limit or narrow the period');
      await sleep(opts.pollIntervalMs ?? 1000);
      continue;
    }
    if (status !== 'FINISHED') throw new LakeQueryError(`query ${queryId} (${id}) ended ${status}: ${out.ErrorMessage ?? 'no error message'}`, queryId);
    for (const row of out.QueryResultRows ?? []) rows.push(Object.assign({}, ...row));
    if (rows.length > maxRows) throw new LakeQueryError(`query ${queryId} returned more than ${maxRows} rows`, queryId, 'narrow the period or raise the row limit');
    token = out.NextToken;
    if (!token) return rows;
  }
}

export interface LakeResult {
  /** Query id → rows; a query that failed is absent here and listed in `failures`. */
  rows: Record<string, Record<string, string>[]>;
  failures: { query: string; message: string }[];
}

/** Runs every saved query; a failing query is reported and the others still run. */
export async function runLakeQueries(opts: LakeRunOptions & { eventDataStore: string; period: Pick<Period, 'start' | 'end'>; trailBuckets?: string[]; queries?: LakeQuery[] }): Promise<LakeResult> {
  const result: LakeResult = { rows: {}, failures: [] };
  for (const q of opts.queries ?? loadLakeQueries()) {
    try {
      result.rows[q.id] = await runLakeQuery(renderLakeQuery(q, opts), q.id, opts);
    } catch (e) {
      if (!(e instanceof AwsCallError || e instanceof LakeQueryError)) throw e;
      result.failures.push({ query: q.id, message: e.message });
    }
  }
  return result;
}
