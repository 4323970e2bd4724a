// The Security Lake engine (`cloudtrail.engine: securitylake`): the detections' SQL in Security Lake's OCSF columns
// (CloudTrail management events, source version 2: API Activity), run through Athena like the athena engine; the OCSF
// rows are turned back into CloudTrail records (the fields detection reads) and aggregated by the scanner's code.

import type { CloudTrailEvidence, SecurityLakeEngineConfig } from '../../model/cloudtrail.js';
import type { Period } from '../../model/period.js';
import { OCSF_COLUMNS, OCSF_JSON, securityLakeDialect, sqlString } from '../../detections/sql.js';
import { athenaTableName } from '../athena/ddl.js';
import { runAthenaQuery, type AthenaRunOptions } from './athena.js';
import { collectWithSql, type SqlStore } from './sql-engine.js';
import type { CollectCloudTrailOptions } from './index.js';

const ONE_DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10).replace(/-/g, '');

/** Security Lake partitions by `eventday` (yyyyMMdd), `accountid` and `region`: the period's days, and the accounts. */
export function securityLakeBound(period: Period, accounts: string[] = []): string {
  const days = `eventday BETWEEN ${sqlString(day(period.start.getTime()))} AND ${sqlString(day(period.end.getTime() - ONE_DAY))}`;
  return accounts.length ? `${days} AND accountid IN (${accounts.map(sqlString).join(', ')})` : days;
}

/** Scalar fields read back from OCSF columns, and the record's JSON documents and unmapped fields. */
const SCALARS = Object.keys(OCSF_COLUMNS);
const JSONS = ['requestParameters', 'responseElements'];

function setPath(o: Record<string, unknown>, path: string, v: unknown): void {
  const steps = path.split('.');
  let at = o;
  for (const s of steps.slice(0, -1)) at = (at[s] ??= {}) as Record<string, unknown>;
  at[steps[steps.length - 1]] = v;
}

function json(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An OCSF row back into a CloudTrail record: mapped columns to their CloudTrail paths, `unmapped` keys as written. */
export function ocsfRecord(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SCALARS) {
    const v = row[f];
    if (v === null || v === undefined || v === '') continue;
    setPath(out, f, String(v));
  }
  // OCSF's time is a timestamp: its ISO text has milliseconds, CloudTrail's has none when they are zero.
  if (typeof out.eventTime === 'string') out.eventTime = out.eventTime.replace(/\.000Z$/, 'Z');
  for (const f of JSONS) {
    const v = json(row[f]);
    if (v !== undefined && v !== null) out[f] = v;
  }
  const unmapped = (json(row.unmapped) ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(unmapped)) {
    if (v === null || v === undefined) continue;
    if (k === 'additionalEventData' || k === 'serviceEventDetails' || k === 'resources') out[k] = json(v);
    else if (k === 'readOnly') out.readOnly = String(v) === 'true';
    else setPath(out, k, String(v));
  }
  // OCSF keeps the issuer's ARN; CloudTrail also names the role (the last part of the ARN).
  const issuer = (out.userIdentity as { sessionContext?: { sessionIssuer?: { arn?: string; userName?: string } } } | undefined)?.sessionContext?.sessionIssuer;
  if (issuer?.arn && !issuer.userName) issuer.userName = issuer.arn.split('/').pop();
  return out;
}

export function securityLakeStore(o: AthenaRunOptions & { lake: SecurityLakeEngineConfig }): SqlStore {
  athenaTableName(`${o.lake.database}.${o.lake.table}`);
  const table = `"${o.lake.database}"."${o.lake.table}"`;
  const columns = [...SCALARS.map((f) => `${OCSF_COLUMNS[f]} AS "${f}"`), ...JSONS.map((f) => `${OCSF_JSON[f]} AS "${f}"`), 'json_format(CAST(unmapped AS JSON)) AS "unmapped"'];
  return {
    engine: 'securitylake',
    dialect: securityLakeDialect,
    roots: [`securitylake:${o.config.workgroup}/${o.lake.database}.${o.lake.table}`],
    from: table,
    fileColumn: '"$path"',
    recordColumns: columns.join(', '),
    rawText: `concat_ws(chr(10), ${[...SCALARS.map((f) => `COALESCE(${OCSF_COLUMNS[f]}, '')`), ...JSONS.map((f) => `COALESCE(${OCSF_JSON[f]}, '')`), `COALESCE(json_format(CAST(unmapped AS JSON)), '')`].join(', ')})`,
    bound: (period) => securityLakeBound(period, o.lake.accounts),
    toRecord: ocsfRecord,
    query: (sql, label) => runAthenaQuery(sql, label, o),
    async close() {},
  };
}

export async function collectCloudTrailSecurityLake(
  opts: Pick<CollectCloudTrailOptions, 'breakGlass' | 'period' | 'trailBuckets' | 'filters' | 'now'> & { athena: AthenaRunOptions & { lake: SecurityLakeEngineConfig } },
): Promise<CloudTrailEvidence> {
  return collectWithSql(securityLakeStore(opts.athena), { breakGlass: opts.breakGlass, period: opts.period, trailBuckets: opts.trailBuckets, filters: opts.filters, now: opts.now });
}
