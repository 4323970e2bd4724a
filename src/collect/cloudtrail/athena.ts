// The Athena engine (`cloudtrail.engine: athena`): the detections' SQL over the CloudTrail table `evidence-pack
// athena-ddl` prints (AWS's documented table, partition projection), run with StartQueryExecution, polled with
// GetQueryExecution until it ends, read with GetQueryResults page by page. Every query names the period's days (and
// the organization's accounts, when configured), so Athena reads only those partitions.

import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type GetQueryExecutionCommandOutput, type GetQueryResultsCommandOutput, type StartQueryExecutionCommandOutput } from '@aws-sdk/client-athena';
import type { AthenaEngineConfig, CloudTrailEvidence } from '../../model/cloudtrail.js';
import type { Period } from '../../model/period.js';
import { athenaDialect, sqlString } from '../../detections/sql.js';
import { athenaTableName } from '../athena/ddl.js';
import { AwsCaller, type Sender } from '../aws/calls.js';
import { collectWithSql, type SqlStore } from './sql-engine.js';
import type { CollectCloudTrailOptions } from './index.js';

export class AthenaQueryError extends Error {
  readonly code = 'ATHENA_QUERY';
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

const ONE_DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10).replace(/-/g, '/');

/** The partitions of the period: its days, one either side (files delivered after midnight), and the accounts. */
export function athenaBound(period: Period, accounts: string[] = []): string {
  const days = `"timestamp" BETWEEN ${sqlString(day(period.start.getTime() - ONE_DAY))} AND ${sqlString(day(period.end.getTime()))}`;
  return accounts.length ? `${days} AND "account" IN (${accounts.map(sqlString).join(', ')})` : days;
}

/** The record's columns; structs as JSON text (Trino: CAST(row AS JSON)), the JSON columns as they are. */
const RECORD_COLUMNS = [
  'eventid', 'eventtime', 'eventname', 'eventsource', 'eventtype', 'awsregion', 'sourceipaddress', 'useragent', 'errorcode', 'errormessage', 'readonly', 'recipientaccountid',
  'requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails',
];
const STRUCT_COLUMNS = ['useridentity', 'resources'];
const JSON_COLUMNS = ['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails'];

/** Athena's lower-case field names → CloudTrail's, for the fields detection reads. */
const CAMEL: Record<string, string> = Object.fromEntries(
  [
    'eventID', 'eventTime', 'eventName', 'eventSource', 'eventType', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage', 'readOnly', 'recipientAccountId',
    'requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'userIdentity', 'resources',
    'type', 'principalId', 'arn', 'accountId', 'invokedBy', 'accessKeyId', 'userName', 'sessionContext', 'attributes', 'mfaAuthenticated', 'creationDate',
    'sessionIssuer', 'sourceIdentity', 'webIdFederationData', 'federatedProvider', 'assumedRoot', 'onBehalfOf', 'userId', 'identityStoreArn', 'ec2RoleDelivery',
  ].map((k) => [k.toLowerCase(), k]),
);

function camel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camel);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [CAMEL[k] ?? k, camel(x)]));
}

/** A row of the Athena table back into a CloudTrail record (nulls dropped, JSON text parsed). */
export function athenaRecord(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of [...RECORD_COLUMNS, ...STRUCT_COLUMNS]) {
    const v = row[c];
    if (v === null || v === undefined || v === '') continue;
    const key = CAMEL[c] ?? c;
    if (STRUCT_COLUMNS.includes(c)) out[key] = camel(JSON.parse(String(v)));
    else if (JSON_COLUMNS.includes(c)) {
      // The record's own JSON text, keys as CloudTrail wrote them.
      try {
        out[key] = JSON.parse(String(v));
      } catch {
        out[key] = String(v);
      }
    } else if (c === 'readonly') out[key] = String(v) === 'true';
    else out[key] = String(v);
  }
  // Resources: CloudTrail writes ARN in capitals; the table's field is `arn`.
  if (Array.isArray(out.resources)) out.resources = (out.resources as Record<string, unknown>[]).map(({ arn, ...r }) => ({ ...r, ...(arn !== undefined && { ARN: arn }) }));
  return out;
}

export interface AthenaRunOptions {
  client: Sender;
  caller?: AwsCaller;
  where?: { account: string; region: string };
  config: AthenaEngineConfig;
  /** Polls while the query is QUEUED / RUNNING, and the wait between them. */
  maxPolls?: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs one statement to its end; rows as column → string (NULL: absent), plus the query id and bytes scanned. */
export async function runAthenaQuery(sql: string, label: string, o: AthenaRunOptions): Promise<{ rows: Record<string, unknown>[]; queryId: string; scannedBytes?: number }> {
  const caller = o.caller ?? new AwsCaller({ maxAttempts: 3, maxPages: 100_000 });
  const where = { ...(o.where ?? { account: 'caller', region: o.config.region ?? 'default' }), target: label };
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await caller.call<StartQueryExecutionCommandOutput>(
    'athena:StartQueryExecution',
    where,
    o.client,
    new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: o.config.workgroup,
      QueryExecutionContext: { Database: o.config.database, ...(o.config.catalog && { Catalog: o.config.catalog }) },
      ...(o.config.outputLocation && { ResultConfiguration: { OutputLocation: o.config.outputLocation } }),
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new AthenaQueryError(`StartQueryExecution for ${label} returned no QueryExecutionId`);
  let scannedBytes: number | undefined;
  for (let polls = 0; ; polls++) {
    const ex = await caller.call<GetQueryExecutionCommandOutput>('athena:GetQueryExecution', where, o.client, new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = ex.QueryExecution?.Status?.State;
    scannedBytes = ex.QueryExecution?.Statistics?.DataScannedInBytes;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = ex.QueryExecution?.Status?.StateChangeReason ?? ex.QueryExecution?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
      throw new AthenaQueryError(`Athena query ${label} (${id}) ended ${state}: ${reason}`, state === 'FAILED' ? 'check the table (evidence-pack athena-ddl) and the workgroup' : undefined);
    }
    if (polls >= (o.maxPolls ?? 600)) throw new AthenaQueryError(`Athena query ${label} (${id}) still ${state ?? 'unknown'} after ${polls} polls`, 'raise cloudtrail.athena.maxPolls or narrow the period');
    await sleep(o.pollIntervalMs ?? 1000);
  }
  const rows: Record<string, unknown>[] = [];
  let columns: string[] | undefined;
  let token: string | undefined;
  let first = true;
  do {
    const page = await caller.call<GetQueryResultsCommandOutput>('athena:GetQueryResults', where, o.client, new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }));
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Label ?? c.Name ?? '');
    const data = page.ResultSet?.Rows ?? [];
    // The first row of a SELECT's first page repeats the column names.
    for (const [i, r] of data.entries()) {
      if (first && i === 0) continue;
      rows.push(Object.fromEntries(columns.map((c, j) => [c, r.Data?.[j]?.VarCharValue ?? null])));
    }
    first = false;
    token = page.NextToken;
  } while (token);
  return { rows, queryId: id, ...(scannedBytes !== undefined && { scannedBytes }) };
}

export function athenaStore(o: AthenaRunOptions): SqlStore {
  // Validated as the DDL's name; queried with Trino's quotes (backticks are Hive DDL only).
  athenaTableName(`${o.config.database}.${o.config.table}`);
  const table = `"${o.config.database}"."${o.config.table}"`;
  return {
    engine: 'athena',
    dialect: athenaDialect,
    roots: [`athena:${o.config.workgroup}/${o.config.database}.${o.config.table}`],
    from: table,
    fileColumn: '"$path"',
    recordColumns: [...RECORD_COLUMNS, ...STRUCT_COLUMNS.map((c) => `json_format(CAST(${c} AS JSON)) AS ${c}`)].join(', '),
    // Every column a filter substring or a copy of a record can differ in, as one text.
    rawText: `concat_ws(chr(10), ${[...RECORD_COLUMNS.map((c) => `COALESCE(${c}, '')`), ...STRUCT_COLUMNS.map((c) => `COALESCE(json_format(CAST(${c} AS JSON)), '')`)].join(', ')})`,
    bound: (period) => athenaBound(period, o.config.accounts),
    toRecord: athenaRecord,
    query: (sql, label) => runAthenaQuery(sql, label, o),
    async close() {},
  };
}

/** CloudTrail evidence from the Athena table; a failed or cancelled query fails the collection, naming it. */
export async function collectCloudTrailAthena(opts: Pick<CollectCloudTrailOptions, 'breakGlass' | 'period' | 'trailBuckets' | 'filters' | 'now'> & { athena: AthenaRunOptions }): Promise<CloudTrailEvidence> {
  return collectWithSql(athenaStore(opts.athena), { breakGlass: opts.breakGlass, period: opts.period, trailBuckets: opts.trailBuckets, filters: opts.filters, now: opts.now });
}
