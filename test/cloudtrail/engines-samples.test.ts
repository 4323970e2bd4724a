// Acceptance: with `cloudtrail.engine: duckdb`, and with `engine: athena` (Athena answered on the SDK's wire, its SQL run
// on DuckDB over the sample's logs loaded into the `athena-ddl` table), the level-4 and level-5 samples give the same
// activations, checks and maturity level as with the built-in scanner.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadConfig } from '../../src/config/load.js';
import { collectAll } from '../../src/collect/index.js';
import { listLocal } from '../../src/collect/cloudtrail/sources.js';
import { athenaDdl, parseTrailLocation } from '../../src/collect/athena/ddl.js';
import { runChecks } from '../../src/evaluate/engine.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { buildReport } from '../../src/map/report.js';
import { generatedAtFrom, getMappings } from '../../src/index.js';
import type { CloudTrailEngine } from '../../src/model/cloudtrail.js';
import { emptyState, emulatorOnly } from '../support/aws-world.js';
import { loadAthenaTable, parseDdl, trinoMacros } from '../support/athena.js';

const AT = generatedAtFrom(1_790_000_000);
const tmp = mkdtempSync(join(tmpdir(), 'engines-samples-'));
let instance: DuckDBInstance;
let db: DuckDBConnection;
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

/** The sample's log files in an Athena table, each in its layout partition, "$path" the file the scanner reads. */
async function athenaTableOf(logs: string[], table: string): Promise<void> {
  const rows: Parameters<typeof loadAthenaTable>[4] = [];
  for (const root of logs)
    for (const { path } of await listLocal(root, { label: 'all', from: '2000-01-01', to: '2100-01-01', start: new Date('2000-01-01'), end: new Date('2100-01-01') }, [])) {
      const m = /AWSLogs\/(\d{12})\/CloudTrail\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(path);
      assert.ok(m, `${path} is in the CloudTrail layout`);
      const raw = readFileSync(path);
      const doc = JSON.parse((raw[0] === 0x1f ? gunzipSync(raw) : raw).toString('utf8')) as { Records: Record<string, unknown>[] };
      for (const record of doc.Records) rows.push({ record, path, partitions: { account: m[1], region: m[2], timestamp: `${m[3]}/${m[4]}/${m[5]}` } });
    }
  await loadAthenaTable(db, parseDdl(athenaDdl(parseTrailLocation('s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/'))), `security.${table}`, tmp, rows);
}

async function assessWith(sample: string, engine: CloudTrailEngine) {
  const config = loadConfig(`samples/${sample}/evidence-pack.yaml`);
  config.cloudtrail!.engine = engine;
  let emulator: ReturnType<typeof emulatorOnly> | undefined;
  if (engine === 'athena') {
    const table = sample.replace(/\W/g, '_');
    await athenaTableOf(config.cloudtrail!.logs, table);
    config.cloudtrail!.athena = { workgroup: 'primary', database: 'security', table, region: 'eu-west-1' };
    const state = emptyState();
    state.athena.run = async (sql) => {
      const r = await db.runAndReadAll(sql);
      return { columns: r.columnNames(), rows: r.getRowsJson().map((row) => row.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)))) };
    };
    emulator = emulatorOnly(state);
  }
  const collected = await collectAll(config, { collectedAt: AT, aws: emulator?.clients }).finally(() => emulator?.wire.close());
  const report = buildReport(config, collected, runChecks(CHECKS, collected.evidence), getMappings(), AT);
  const ct = collected.evidence.cloudtrail;
  assert.equal(ct.state, 'collected', JSON.stringify(ct));
  return { report, cloudtrail: ct.state === 'collected' ? ct.value : undefined };
}

describe('samples: the SQL engines give what the scanner gives', () => {
  for (const sample of ['level4-helvetia-health', 'level5-aurora-sovereign'])
    for (const engine of ['duckdb', 'athena'] as const)
      it(`${sample} with ${engine}`, async () => {
        const scan = await assessWith(sample, 'scan');
        const other = await assessWith(sample, engine);
        assert.ok(scan.cloudtrail!.activations.length > 0, 'the sample has activations');
        assert.deepEqual(other.cloudtrail!.activations, scan.cloudtrail!.activations);
        assert.deepEqual(
          other.report.checks.map((c) => [c.id, c.status, c.reason]),
          scan.report.checks.map((c) => [c.id, c.status, c.reason]),
        );
        assert.equal(other.report.maturity.level, scan.report.maturity.level);
        assert.equal(other.cloudtrail!.populationRecord.parameters.engine, engine);
      });
});
