// The equivalence test, Security Lake's part: the golden fixture and the real third-party logs, converted to Security
// Lake's OCSF table by a test helper, give through the Security Lake SQL (run on DuckDB behind Athena's API on the
// SDK's wire) the evidence the built-in scanner finds in the logs themselves.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { collectCloudTrailSecurityLake, securityLakeBound } from '../../src/collect/cloudtrail/securitylake.js';
import type { BreakGlassConfig, CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import type { Period } from '../../src/model/period.js';
import { emptyState, emulatorOnly } from '../support/aws-world.js';
import { trinoMacros } from '../support/athena.js';
import { loadOcsfTable, ocsfMacros } from '../support/ocsf.js';
import { definitionEvents, GOLDEN_BREAK_GLASS, GOLDEN_PERIOD, recordsOfFile, scenarios, thirdPartyFiles } from '../support/golden.js';
import { fixedClock, period } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'securitylake-'));
let instance: DuckDBInstance;
let db: DuckDBConnection;
const LAKE = { database: 'amazon_security_lake_glue_db_eu_west_1', table: 'amazon_security_lake_table_eu_west_1_cloud_trail_mgmt_2_0' };
const THIRD_PARTY_BG: BreakGlassConfig = { users: ['christophe'], roles: ['arn:aws:iam::*:role/stratus-red-team-*'], permissionSets: [], allowedCidrs: ['203.0.113.0/24'], rootIsBreakGlass: true, secrets: [] };

before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await trinoMacros(db);
  await ocsfMacros(db);
  await db.run(`CREATE SCHEMA ${LAKE.database}`);
});
after(() => {
  db?.closeSync();
  instance?.closeSync();
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
async function dataset(files: Record<string, unknown>[][]): Promise<string> {
  const dir = join(tmp, `set-${n++}`);
  mkdirSync(dir);
  const rows: { record: Record<string, unknown>; path: string }[] = [];
  files.forEach((records, i) => {
    const path = join(dir, `f${String(i).padStart(3, '0')}.json.gz`);
    writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
    for (const record of records) rows.push({ record, path });
  });
  await db.run(`DROP TABLE IF EXISTS ${LAKE.database}.${LAKE.table}`);
  await loadOcsfTable(db, `${LAKE.database}.${LAKE.table}`, dir, rows);
  return dir;
}

async function viaSecurityLake(breakGlass: BreakGlassConfig, p: Period, trailBuckets?: string[]) {
  const state = emptyState();
  state.athena.run = async (sql) => {
    const r = await db.runAndReadAll(sql);
    return { columns: r.columnNames(), rows: r.getRowsJson().map((row) => row.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)))) };
  };
  const { wire, clients } = emulatorOnly(state);
  try {
    return await collectCloudTrailSecurityLake({ breakGlass, period: p, trailBuckets, now: fixedClock, athena: { client: clients('athena', 'eu-west-1'), config: { workgroup: 'primary', database: LAKE.database, table: LAKE.table }, lake: LAKE, pollIntervalMs: 0 } });
  } finally {
    await wire.close();
  }
}

/** What the evidence says about the logs' content (object counts aside: OCSF rows have no records outside the period's days). */
function evidenceOf(e: CloudTrailEvidence) {
  return {
    counts: e.counts,
    activations: e.activations,
    rootActivity: e.rootActivity,
    roleAssumptions: e.roleAssumptions,
    consoleSignIns: e.consoleSignIns,
    tamperingEvents: e.tamperingEvents,
    iamPolicyChanges: e.iamPolicyChanges,
    outsideCidrEvents: e.outsideCidrEvents,
    accessKeyEvents: e.accessKeyEvents,
    eventsInPeriod: e.eventsInPeriod,
    population: e.populationRecord.sha256,
  };
}

describe('Security Lake (OCSF) yields the scanner’s evidence', () => {
  const cases: { name: string; files: () => Record<string, unknown>[][]; breakGlass: BreakGlassConfig; period: Period; trailBuckets?: string[] }[] = [
    { name: 'the identity scenarios of 2026', files: () => scenarios().map((s) => s.events), breakGlass: GOLDEN_BREAK_GLASS, period: GOLDEN_PERIOD },
    { name: 'every detection definition’s golden records', files: () => [definitionEvents()], breakGlass: GOLDEN_BREAK_GLASS, period: period('2010-01-01', '2030-12-31'), trailBuckets: ['org-trail-logs'] },
    { name: 'the real third-party logs', files: () => thirdPartyFiles().map(recordsOfFile), breakGlass: THIRD_PARTY_BG, period: period('2010-01-01', '2030-12-31'), trailBuckets: ['stratus-red-team-ctlr-bucket-zqfsvooxqj'] },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const dir = await dataset(c.files());
      const scan = await collectCloudTrail({ config: { logs: [dir] }, breakGlass: c.breakGlass, period: c.period, trailBuckets: c.trailBuckets, now: fixedClock, workers: 0 });
      const lake = await viaSecurityLake(c.breakGlass, c.period, c.trailBuckets);
      assert.ok(scan.activations.length + scan.tamperingEvents.length > 0, 'the case exercises something');
      assert.deepEqual(evidenceOf(lake), evidenceOf(scan));
      assert.equal(lake.populationRecord.parameters.engine, 'securitylake');
      for (const q of lake.populationRecord.queries ?? []) assert.match(q.sql, /eventday BETWEEN '\d{8}' AND '\d{8}'/);
    });

  it('partition bound: the period’s own days (Security Lake partitions by event day)', () => {
    assert.equal(securityLakeBound(period('2026-07-01', '2026-09-30'), ['111122223333']), `eventday BETWEEN '20260701' AND '20260930' AND accountid IN ('111122223333')`);
  });
});
