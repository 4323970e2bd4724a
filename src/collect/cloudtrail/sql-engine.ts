// CloudTrail evidence from a SQL engine: the selections of mappings/detections compiled for the engine's dialect
// (src/detections/sql.ts), the rows rebuilt into records and aggregated by the same code as the built-in scanner's, so
// every engine yields the same activations, sign-ins, tampering and rotation evidence. Each query is recorded with its
// text, id, scanned bytes and row count in the population record.

import type { BreakGlassConfig, CloudTrailEngine, CloudTrailEvidence, CloudTrailFileProblem } from '../../model/cloudtrail.js';
import type { EngineQuery } from '../../model/evidence.js';
import type { Period } from '../../model/period.js';
import { Detector, toSlimRecord } from '../../detections/detector.js';
import { compilePredicate, sqlString, type SqlDialect } from '../../detections/sql.js';
import { aggregate, type EventFilter, type ScannedFile, type SlimRecord } from './aggregate.js';
import { missingReason, noIdReason } from './scan.js';

export interface SqlQueryResult {
  rows: Record<string, unknown>[];
  queryId?: string;
  scannedBytes?: number;
}

/** A table of CloudTrail records in some engine, and how to read it. */
export interface SqlStore {
  engine: Exclude<CloudTrailEngine, 'scan'>;
  dialect: SqlDialect;
  /** Where the records are, for the evidence's roots (e.g. `athena:primary/db.cloudtrail_logs`). */
  roots: string[];
  /** The relation to select from (a table, or a table function over files). */
  from: string;
  /** A VARCHAR expression naming the object a row was read from. */
  fileColumn: string;
  /** The select list that carries a whole record; toRecord() turns a row back into a CloudTrail record. */
  recordColumns: string;
  /**
   * A VARCHAR expression holding the record's text (or every field detection and replay read): the substrings of
   * metric-filter replay are looked for in it, and identical copies of a record (delivered twice) count once.
   */
  rawText: string;
  /** A condition on partitions that bounds the query to the period's days (the period's records all satisfy it). */
  bound(period: Period): string;
  toRecord(row: Record<string, unknown>): Record<string, unknown>;
  query(sql: string, label: string): Promise<SqlQueryResult>;
  /**
   * Reads the store once before the queries, keeping whole records only where `keep` (a condition in `dialect`, the
   * union of every selection and filter substring) holds; the queries then read that. For engines that read files.
   */
  prepare?(keep: (d: SqlDialect, rawText: string) => string, run: (sql: string, label: string) => Promise<unknown>): Promise<void>;
  /** A condition the records and count queries add (rows a prepared store kept whole). */
  kept?: string;
  /** Size and hash of an object, where the engine's objects can be read (local files). */
  describe?(file: string): Promise<{ sha256: string; size: number }>;
  close(): Promise<void>;
}

export interface CollectWithSqlOptions {
  breakGlass: BreakGlassConfig;
  period: Period;
  trailBuckets?: string[];
  filters?: EventFilter[];
  now?: () => Date;
  /** Problems found before querying (e.g. listing files). */
  problems?: CloudTrailFileProblem[];
}

/** `YYYY-MM-DDTHH:MM:SS` bounds, compared as text like the scanner does (inPeriodText). */
function periodCondition(d: SqlDialect, period: Period): string {
  const t = `substr(${d.column('eventTime')}, 1, 19)`;
  return `${t} >= ${sqlString(period.start.toISOString().slice(0, 19))} AND ${t} < ${sqlString(period.end.toISOString().slice(0, 19))}`;
}

const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v ?? 0));
const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

/** The condition selecting every record the row selections (or a filter's substrings) take; `undefined`: all of them. */
function rowsCondition(d: SqlDialect, rawText: string, detector: Detector, filters: EventFilter[], volumes: ('rows' | 'count')[]): string | undefined {
  // Metric-filter replay needs the whole records a filter can match: those holding one of its substrings, or all.
  if (filters.some((f) => !f.needles?.length)) return undefined;
  const rows = detector.definitions.filter((x) => volumes.includes(x.select.volume)).map((x) => `(${compilePredicate(x.select.where, d, detector.params)})`);
  for (const n of [...new Set(filters.flatMap((f) => f.needles ?? []))].sort()) rows.push(`strpos(${rawText}, ${sqlString(n)}) > 0`);
  return rows.join('\n  OR ');
}

/** The statements a store runs for a configuration. */
export function sqlPlan(store: Pick<SqlStore, 'dialect' | 'from' | 'fileColumn' | 'recordColumns' | 'rawText' | 'bound' | 'kept'>, detector: Detector, opts: Pick<CollectWithSqlOptions, 'period' | 'filters'>) {
  const d = store.dialect;
  const inPeriod = periodCondition(d, opts.period);
  const time = d.column('eventTime')!;
  const where = `${store.bound(opts.period)} AND ${inPeriod}${store.kept ? ` AND ${store.kept}` : ''}`;
  const rows = rowsCondition(d, store.rawText, detector, opts.filters ?? [], ['rows']);
  const eventId = d.column('eventID')!;
  const name = d.column('eventName')!;
  // The scanner's isIsoTime(): records without a string eventName or an ISO 8601 eventTime are not evaluated.
  const iso = `(length(${time}) >= 20 AND substr(${time}, 5, 1) = '-' AND substr(${time}, 8, 1) = '-' AND substr(${time}, 11, 1) = 'T' AND substr(${time}, 14, 1) = ':')`;
  return {
    stats: {
      label: 'objects',
      sql: `SELECT ${store.fileColumn} AS file, count(*) AS records, count(CASE WHEN ${inPeriod} THEN 1 END) AS in_period, count(CASE WHEN ${name} IS NULL OR ${time} IS NULL OR NOT ${iso} THEN 1 END) AS no_time, count(CASE WHEN ${name} IS NOT NULL AND ${time} IS NOT NULL AND ${iso} AND ${eventId} IS NULL THEN 1 END) AS no_id, min(CASE WHEN ${inPeriod} THEN ${time} END) AS first_time, max(CASE WHEN ${inPeriod} THEN ${time} END) AS last_time FROM ${store.from} WHERE ${store.bound(opts.period)} GROUP BY 1 ORDER BY 1`,
    },
    days: {
      label: 'days',
      sql: `SELECT DISTINCT ${store.fileColumn} AS file, substr(${d.column('eventTime')}, 1, 10) AS day FROM ${store.from} WHERE ${store.bound(opts.period)} AND ${inPeriod} ORDER BY 1, 2`,
    },
    records: {
      label: 'records',
      sql: `SELECT ${store.fileColumn} AS file, ${store.recordColumns} FROM ${store.from} WHERE ${where}${rows === undefined ? '' : ` AND (${rows})`}`,
    },
    counts: detector.definitions
      .filter((x) => x.select.volume === 'count')
      .map((x) => ({ evidence: x.select.evidence, label: `count:${x.id}`, sql: `SELECT count(DISTINCT ${store.rawText}) AS n FROM ${store.from} WHERE ${where} AND (${compilePredicate(x.select.where, d, detector.params)})` })),
  };
}

/** Collects CloudTrail evidence through a SQL store (DuckDB, Athena, Security Lake). */
export async function collectWithSql(store: SqlStore, opts: CollectWithSqlOptions): Promise<CloudTrailEvidence> {
  const detector = new Detector(opts.breakGlass, opts.trailBuckets);
  const plan = sqlPlan(store, detector, opts);
  const queries: EngineQuery[] = [];
  const run = async (q: { label: string; sql: string }) => {
    const r = await store.query(q.sql, q.label);
    queries.push({ engine: store.engine, label: q.label, sql: q.sql, ...(r.queryId && { queryId: r.queryId }), ...(r.scannedBytes !== undefined && { scannedBytes: r.scannedBytes }), rows: r.rows.length });
    return r.rows;
  };
  try {
    await store.prepare?.((d, rawText) => rowsCondition(d, rawText, detector, opts.filters ?? [], ['rows', 'count']) ?? 'TRUE', (sql, label) => run({ sql, label }));
    const stats = await run(plan.stats);
    const days = await run(plan.days);
    const rows = await run(plan.records);
    const counted = new Map<string, number>();
    for (const c of plan.counts) counted.set(c.evidence, num((await run(c))[0]?.n));

    const files = new Map<string, ScannedFile>();
    for (const s of stats) {
      const path = String(s.file);
      const described = store.describe ? await store.describe(path) : { sha256: '', size: 0 };
      files.set(path, {
        source: { path },
        scan: {
          gzip: /\.gz$/i.test(path),
          ...described,
          records: num(s.records),
          eventsInPeriod: num(s.in_period),
          ...(text(s.first_time) && { firstTime: text(s.first_time) }),
          ...(text(s.last_time) && { lastTime: text(s.last_time) }),
          days: [],
          candidates: [],
          slim: [],
          problems: [
            ...(num(s.no_time) > 0 ? [{ reason: missingReason(num(s.no_time)), drop: 'no-event-time' as const, count: num(s.no_time) }] : []),
            ...(num(s.no_id) > 0 ? [{ reason: noIdReason(num(s.no_id)) }] : []),
          ],
        },
        events: [],
      });
    }
    for (const d of days) {
      const scan = files.get(String(d.file))?.scan;
      if (scan) scan.days.push(String(d.day));
    }
    // Slim records, kept in memory by index: an engine returns only the selected records, not the archive.
    const kept: string[] = [];
    const filters = opts.filters ?? [];
    const matched = filters.map(() => new Set<string>());
    const matchedIds = new Set<string>();
    for (const row of rows) {
      const f = files.get(String(row.file));
      if (!f) continue;
      const full = store.toRecord(row);
      const rec = toSlimRecord(full);
      filters.forEach((flt, i) => {
        if (flt.matches(full)) {
          matched[i].add(`${rec.id}\n${rec.json}`);
          matchedIds.add(rec.id);
        }
      });
      f.events!.push({ t: rec.t, id: rec.id, off: kept.length, len: 0 } satisfies SlimRecord);
      kept.push(rec.json);
    }
    const evidence = aggregate({
      roots: store.roots,
      period: opts.period,
      breakGlass: opts.breakGlass,
      detector,
      files: [...files.values()],
      filterCounts: filters.map((f, i) => ({ id: f.id, matches: matched[i].size })),
      filterMatched: matchedIds,
      filtersWithoutNeedles: filters.some((f) => !f.needles?.length),
      extraProblems: opts.problems ?? [],
      extractedAt: (opts.now ?? (() => new Date()))(),
      readRecord: (r) => kept[r.off],
    });
    // Kinds the engine counts instead of fetching (every AssumeRole of an organisation).
    for (const [kind, n] of counted) evidence.counts[kind as keyof typeof evidence.counts] = n;
    evidence.populationRecord.sourceSystem = `AWS CloudTrail via ${store.engine}`;
    evidence.populationRecord.parameters.engine = store.engine;
    evidence.populationRecord.queries = queries;
    return evidence;
  } finally {
    await store.close();
  }
}
