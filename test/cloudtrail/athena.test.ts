// The Athena engine: the detections' Athena SQL runs (on DuckDB, over the table `athena-ddl` prints, loaded as Athena's
// JsonSerDe reads the logs) behind Athena's API answered on the SDK's wire (StartQueryExecution, GetQueryExecution
// polling, GetQueryResults paging, FAILED / CANCELLED); it yields the scanner's evidence, bounded by the period's partitions.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { athenaBound, collectCloudTrailAthena, AthenaQueryError } from '../../src/collect/cloudtrail/athena.js';
import { athenaDdl, parseTrailLocation } from '../../src/collect/athena/ddl.js';
import { AwsCaller } from '../../src/collect/aws/calls.js';
import type { AthenaEngineConfig, BreakGlassConfig, CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import type { Period } from '../../src/model/period.js';
import { emptyState, emulatorOnly, type EmulatedState } from '../support/aws-world.js';
import { loadAthenaTable, parseDdl, trinoMacros } from '../support/athena.js';
import { definitionEvents, GOLDEN_BREAK_GLASS, GOLDEN_PERIOD, recordsOfFile, scenarios, thirdPartyFiles } from '../support/golden.js';
import { fixedClock, period } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'athena-'));
let db: DuckDBConnection;
let instance: DuckDBInstance;
const ATHENA: AthenaEngineConfig = { workgroup: 'primary', database: 'security', table: 'cloudtrail_logs', region: 'eu-west-1' };
const THIRD_PARTY_BG: BreakGlassConfig = { users: ['christophe'], roles: ['arn:aws:iam::*:role/stratus-red-team-*'], permissionSets: [], allowedCidrs: ['203.0.113.0/24'], rootIsBreakGlass: true, secrets: [] };

before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await trinoMacros(db);
  await db.run('CREATE SCHEMA security');
});
after(() => {
  db?.closeSync();
  instance?.closeSync();
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
/**
 * Writes each list of records as a log file (for the scanner) and loads the same records into a fresh Athena table,
 * each file in the partition of its first record (account, region, day), "$path" the file.
 */
async function dataset(files: Record<string, unknown>[][]): Promise<string> {
  const dir = join(tmp, `set-${n++}`);
  mkdirSync(dir);
  const ddl = parseDdl(athenaDdl(parseTrailLocation('s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/')));
  const rows: Parameters<typeof loadAthenaTable>[4] = [];
  files.forEach((records, i) => {
    const path = join(dir, `f${String(i).padStart(3, '0')}.json.gz`);
    writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
    const first = records[0] ?? {};
    const partitions = { account: String(first.recipientAccountId ?? '111122223333'), region: String(first.awsRegion ?? 'us-east-1'), timestamp: String(first.eventTime ?? '2026-01-01').slice(0, 10).replace(/-/g, '/') };
    for (const record of records) rows.push({ record, path, partitions });
  });
  await db.run('DROP TABLE IF EXISTS security.cloudtrail_logs');
  await loadAthenaTable(db, ddl, 'security.cloudtrail_logs', dir, rows);
  return dir;
}

/** Athena's side: every statement runs on DuckDB; values come back as Athena's VARCHAR text. */
function athenaState(over: Partial<EmulatedState['athena']> = {}): EmulatedState {
  const state = emptyState();
  const seen: string[] = [];
  state.athena = {
    workgroups: ['primary'],
    run: async (sql) => {
      seen.push(sql);
      const r = await db.runAndReadAll(sql);
      const columns = r.columnNames();
      const rows = r.getRowsJson().map((row) => row.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v))));
      return { columns, rows };
    },
    ...over,
  };
  return state;
}

async function viaAthena(state: EmulatedState, breakGlass: BreakGlassConfig, p: Period, extra: { trailBuckets?: string[]; config?: Partial<AthenaEngineConfig>; caller?: AwsCaller } = {}) {
  const { wire, clients } = emulatorOnly(state);
  try {
    return await collectCloudTrailAthena({ breakGlass, period: p, trailBuckets: extra.trailBuckets, now: fixedClock, athena: { client: clients('athena', 'eu-west-1'), caller: extra.caller, config: { ...ATHENA, ...extra.config }, pollIntervalMs: 0 } });
  } finally {
    await wire.close();
  }
}

function evidenceOf(e: CloudTrailEvidence) {
  const { sources, populationRecord, fileProblems, roots, ...rest } = e;
  return {
    ...rest,
    sources: sources.map((s) => ({ path: s.path, records: s.records, eventsInPeriod: s.eventsInPeriod })),
    population: { recordCount: populationRecord.recordCount, sha256: populationRecord.sha256 },
    fileProblems: fileProblems.filter((p) => !p.reason.includes('appears on records with different content')),
  };
}

describe('Athena yields the scanner’s evidence', () => {
  const cases: { name: string; files: () => Record<string, unknown>[][]; breakGlass: BreakGlassConfig; period: Period; trailBuckets?: string[] }[] = [
    { name: 'the identity scenarios of 2026', files: () => scenarios().map((s) => s.events), breakGlass: GOLDEN_BREAK_GLASS, period: GOLDEN_PERIOD },
    { name: 'every detection definition’s golden records', files: () => [definitionEvents()], breakGlass: GOLDEN_BREAK_GLASS, period: period('2010-01-01', '2030-12-31'), trailBuckets: ['org-trail-logs'] },
    { name: 'the real third-party logs', files: () => thirdPartyFiles().map(recordsOfFile), breakGlass: THIRD_PARTY_BG, period: period('2010-01-01', '2030-12-31'), trailBuckets: ['stratus-red-team-ctlr-bucket-zqfsvooxqj'] },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const dir = await dataset(c.files());
      const scan = await collectCloudTrail({ config: { logs: [dir] }, breakGlass: c.breakGlass, period: c.period, trailBuckets: c.trailBuckets, now: fixedClock, workers: 0 });
      const athena = await viaAthena(athenaState(), c.breakGlass, c.period, { trailBuckets: c.trailBuckets });
      assert.ok(scan.activations.length + scan.tamperingEvents.length > 0, 'the case exercises something');
      assert.deepEqual(evidenceOf(athena), evidenceOf(scan));
      const queries = athena.populationRecord.queries ?? [];
      assert.deepEqual(queries.map((q) => q.label), ['objects', 'days', 'records', 'count:role-assumptions']);
      for (const q of queries) {
        assert.match(q.queryId ?? '', /^\d{8}-a7e0-/);
        assert.equal(q.scannedBytes, 1024);
        assert.match(q.sql, /"timestamp" BETWEEN '\d{4}\/\d{2}\/\d{2}' AND '\d{4}\/\d{2}\/\d{2}'/, 'bounded by the period’s partitions');
      }
      assert.equal(athena.populationRecord.parameters.engine, 'athena');
      assert.deepEqual(athena.roots, ['athena:primary/security.cloudtrail_logs']);
    });
});

describe('Athena’s query flow', () => {
  before(async () => {
    await dataset(scenarios().map((s) => s.events));
  });

  it('polls while QUEUED / RUNNING until the query SUCCEEDED', async () => {
    const caller = new AwsCaller({ maxAttempts: 1 });
    const ev = await viaAthena(athenaState({ states: ['QUEUED', 'RUNNING', 'RUNNING'] }), GOLDEN_BREAK_GLASS, GOLDEN_PERIOD, { caller });
    assert.ok(ev.activations.length > 0);
    const polls = caller.calls.filter((c) => c.api === 'athena:GetQueryExecution').length;
    assert.equal(polls, 4 * 4, 'each of the four queries polled through QUEUED, RUNNING, RUNNING to SUCCEEDED');
  });

  it('a result longer than a page is read to its end', async () => {
    const state = athenaState();
    const rows = Array.from({ length: 2500 }, (_, i) => [String(i)]);
    state.athena.run = async () => ({ columns: ['n'], rows });
    const { runAthenaQuery } = await import('../../src/collect/cloudtrail/athena.js');
    const { wire, clients } = emulatorOnly(state);
    const caller = new AwsCaller({ maxAttempts: 1 });
    const r = await runAthenaQuery('SELECT n', 'pages', { client: clients('athena', 'eu-west-1'), caller, config: ATHENA, pollIntervalMs: 0 });
    await wire.close();
    assert.deepEqual(r.rows.map((x) => x.n), rows.map((x) => x[0]));
    assert.equal(caller.calls.filter((c) => c.api === 'athena:GetQueryResults').length, 3);
  });

  const failures: { name: string; state: () => EmulatedState; message: RegExp }[] = [
    { name: 'a FAILED query names the query and Athena’s reason', state: () => athenaState({ run: async () => { throw new Error('TABLE_NOT_FOUND: line 1:200: Table awsdatacatalog.security.cloudtrail_logs does not exist'); } }), message: /Athena query objects \(\d{8}-a7e0-[^)]*\) ended FAILED: TABLE_NOT_FOUND/ },
    { name: 'a CANCELLED query is an error, never an empty result', state: () => athenaState({ finalState: 'CANCELLED' }), message: /ended CANCELLED/ },
    { name: 'an unknown workgroup is Athena’s InvalidRequestException', state: () => ({ ...athenaState(), athena: { ...athenaState().athena, workgroups: ['other'] } }), message: /InvalidRequestException: WorkGroup primary is not found/ },
  ];
  for (const f of failures)
    it(f.name, async () => {
      await assert.rejects(viaAthena(f.state(), GOLDEN_BREAK_GLASS, GOLDEN_PERIOD), (e: Error) => {
        assert.match(e.message, f.message);
        return true;
      });
    });

  it('a query still running after the poll limit is an error naming it', async () => {
    const state = athenaState({ states: Array(20).fill('RUNNING') });
    const { wire, clients } = emulatorOnly(state);
    const { runAthenaQuery } = await import('../../src/collect/cloudtrail/athena.js');
    await assert.rejects(runAthenaQuery('SELECT 1', 'slow', { client: clients('athena', 'eu-west-1'), config: ATHENA, pollIntervalMs: 0, maxPolls: 5 }), AthenaQueryError);
    await wire.close();
  });
});

describe('partition bounds', () => {
  const cases: { name: string; period: Period; accounts?: string[]; sql: string }[] = [
    { name: 'a quarter: the day before it to the day after', period: period('2026-07-01', '2026-09-30'), sql: `"timestamp" BETWEEN '2026/06/30' AND '2026/10/01'` },
    { name: 'with accounts: named, for an injected account partition', period: period('2026-07-01', '2026-07-01'), accounts: ['111122223333', '444455556666'], sql: `"timestamp" BETWEEN '2026/06/30' AND '2026/07/02' AND "account" IN ('111122223333', '444455556666')` },
  ];
  for (const c of cases) it(c.name, () => assert.equal(athenaBound(c.period, c.accounts), c.sql));
});
