// Acceptance: with `cloudtrail.engine: duckdb` the level-4 and level-5 samples give the same activations, checks and
// maturity level as with the built-in scanner.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { collectAll } from '../../src/collect/index.js';
import { runChecks } from '../../src/evaluate/engine.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { buildReport } from '../../src/map/report.js';
import { generatedAtFrom, getMappings } from '../../src/index.js';
import type { CloudTrailEngine } from '../../src/model/cloudtrail.js';

const AT = generatedAtFrom(1_790_000_000);

async function assessWith(sample: string, engine: CloudTrailEngine) {
  const config = loadConfig(`samples/${sample}/evidence-pack.yaml`);
  config.cloudtrail!.engine = engine;
  const collected = await collectAll(config, { collectedAt: AT });
  const report = buildReport(config, collected, runChecks(CHECKS, collected.evidence), getMappings(), AT);
  const ct = collected.evidence.cloudtrail;
  assert.equal(ct.state, 'collected', JSON.stringify(ct));
  return { report, cloudtrail: ct.state === 'collected' ? ct.value : undefined };
}

describe('samples: the duckdb engine gives what the scanner gives', () => {
  for (const sample of ['level4-helvetia-health', 'level5-aurora-sovereign'])
    it(sample, async () => {
      const scan = await assessWith(sample, 'scan');
      const duckdb = await assessWith(sample, 'duckdb');
      assert.ok(scan.cloudtrail!.activations.length > 0, 'the sample has activations');
      assert.deepEqual(duckdb.cloudtrail!.activations, scan.cloudtrail!.activations);
      assert.deepEqual(
        duckdb.report.checks.map((c) => [c.id, c.status, c.reason]),
        scan.report.checks.map((c) => [c.id, c.status, c.reason]),
      );
      assert.equal(duckdb.report.maturity.level, scan.report.maturity.level);
      assert.equal(duckdb.cloudtrail!.populationRecord.parameters.engine, 'duckdb');
    });
});
