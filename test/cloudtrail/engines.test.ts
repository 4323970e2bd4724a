// Every engine yields the same evidence: the golden fixture (the identity scenarios of 2026, every definition's golden
// records) and the real third-party logs, through the built-in scanner and through DuckDB running the compiled SQL.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { collectCloudTrail, type CollectCloudTrailOptions } from '../../src/collect/cloudtrail/index.js';
import { collectCloudTrailDuckDb } from '../../src/collect/cloudtrail/duckdb.js';
import type { BreakGlassConfig, CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import type { Period } from '../../src/model/period.js';
import { definitionEvents, GOLDEN_BREAK_GLASS, GOLDEN_PERIOD, recordsOfFile, scenarios, thirdPartyFiles } from '../support/golden.js';
import { fixedClock, period } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'engines-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The evidence an engine yields, without what only says how it was read (hashes of files, queries). */
function evidenceOf(e: CloudTrailEvidence) {
  const { sources, populationRecord, fileProblems, ...rest } = e;
  return {
    ...rest,
    sources: sources.map((s) => ({ path: s.path, records: s.records, eventsInPeriod: s.eventsInPeriod })),
    population: { recordCount: populationRecord.recordCount, sha256: populationRecord.sha256 },
    // An eventID reused on different content is reported where the engine sees both records: the scanner parses a
    // superset of the selected records, SQL engines fetch the selected ones only (docs/engines.md).
    fileProblems: fileProblems.filter((p) => !p.reason.includes('appears on records with different content')),
  };
}

let n = 0;
/** Writes each list of records as one CloudTrail log file (gzip, as CloudTrail delivers them). */
function logFolder(files: Record<string, unknown>[][]): string {
  const dir = join(tmp, `set-${n++}`);
  mkdirSync(dir);
  files.forEach((records, i) => writeFileSync(join(dir, `f${String(i).padStart(3, '0')}.json.gz`), gzipSync(JSON.stringify({ Records: records }))));
  return dir;
}

async function both(dir: string, breakGlass: BreakGlassConfig, p: Period, extra: Partial<CollectCloudTrailOptions> = {}) {
  const opts: CollectCloudTrailOptions = { config: { logs: [dir] }, breakGlass, period: p, now: fixedClock, workers: 0, ...extra };
  return { scan: await collectCloudTrail(opts), duckdb: await collectCloudTrailDuckDb(opts) };
}

const THIRD_PARTY_BG: BreakGlassConfig = { users: ['christophe'], roles: ['arn:aws:iam::*:role/stratus-red-team-*'], permissionSets: [], allowedCidrs: ['203.0.113.0/24'], rootIsBreakGlass: true, secrets: [] };

describe('the scanner and DuckDB yield the same evidence', () => {
  const cases: { name: string; files: () => Record<string, unknown>[][]; breakGlass: BreakGlassConfig; period: Period; trailBuckets?: string[]; nonEmpty: (e: CloudTrailEvidence) => number }[] = [
    { name: 'the identity scenarios of 2026 (AssumeRoot, MFA case, failed and federated sign-ins, refused calls)', files: () => scenarios().map((s) => s.events), breakGlass: GOLDEN_BREAK_GLASS, period: GOLDEN_PERIOD, nonEmpty: (e) => e.activations.length },
    { name: 'every detection definition’s golden records', files: () => [definitionEvents()], breakGlass: GOLDEN_BREAK_GLASS, period: period('2010-01-01', '2030-12-31'), trailBuckets: ['org-trail-logs'], nonEmpty: (e) => e.tamperingEvents.length + e.iamPolicyChanges.length + e.accessKeyEvents.length },
    { name: 'the real third-party logs (awsdocs, invictus-ir, stratus-red-team)', files: () => thirdPartyFiles().map(recordsOfFile), breakGlass: THIRD_PARTY_BG, period: period('2010-01-01', '2030-12-31'), trailBuckets: ['stratus-red-team-ctlr-bucket-zqfsvooxqj'], nonEmpty: (e) => e.activations.length + e.rootActivity.length },
    { name: 'the real third-party logs, a period that cuts through them', files: () => thirdPartyFiles().map(recordsOfFile), breakGlass: THIRD_PARTY_BG, period: period('2023-07-10', '2023-07-10'), nonEmpty: (e) => e.eventsInPeriod },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const { scan, duckdb } = await both(logFolder(c.files()), c.breakGlass, c.period, { trailBuckets: c.trailBuckets });
      assert.ok(c.nonEmpty(scan) > 0, 'the case exercises something');
      assert.deepEqual(evidenceOf(duckdb), evidenceOf(scan));
      const reused = (e: CloudTrailEvidence) => e.fileProblems.filter((p) => p.reason.includes('appears on records with different content')).map((p) => p.reason);
      for (const r of reused(duckdb)) assert.ok(reused(scan).includes(r), r);
      assert.equal(duckdb.populationRecord.parameters.engine, 'duckdb');
      assert.ok(duckdb.populationRecord.queries?.some((q) => q.label === 'records' && q.rows > 0 && q.sql.includes('json_extract_string')));
    });

  it('metric-filter replay counts agree (filters with and without needles)', async () => {
    const filters = [
      { id: 'console', matches: (e: unknown) => (e as { eventName?: string }).eventName === 'ConsoleLogin', needles: ['ConsoleLogin'] },
      { id: 'any-error', matches: (e: unknown) => (e as { errorCode?: string }).errorCode !== undefined },
    ];
    const { scan, duckdb } = await both(logFolder(thirdPartyFiles().map(recordsOfFile)), THIRD_PARTY_BG, period('2010-01-01', '2030-12-31'), { filters });
    assert.ok(scan.filterCounts.every((f) => f.matches > 0));
    assert.deepEqual(duckdb.filterCounts, scan.filterCounts);
  });

  it('a damaged file is reported and left out; the others are still read', async () => {
    const dir = logFolder(scenarios().map((s) => s.events));
    writeFileSync(join(dir, 'zz-damaged.json.gz'), gzipSync('{"Records": [{"eventName": "ConsoleLogin", '));
    const { duckdb } = await both(dir, GOLDEN_BREAK_GLASS, GOLDEN_PERIOD);
    assert.ok(duckdb.fileProblems.some((p) => p.path.endsWith('zz-damaged.json.gz') && p.skip === 'not-parseable'), JSON.stringify(duckdb.fileProblems));
    assert.ok(duckdb.activations.length > 0);
  });

  it('a file whose name DuckDB would read as a glob is reported, not expanded into other files', async () => {
    const dir = logFolder(scenarios().map((s) => s.events));
    writeFileSync(join(dir, 'f*.json.gz'), gzipSync(JSON.stringify({ Records: [] })));
    const { duckdb, scan } = await both(dir, GOLDEN_BREAK_GLASS, GOLDEN_PERIOD);
    assert.ok(duckdb.fileProblems.some((p) => p.path.endsWith('f*.json.gz') && p.skip === 'unreadable'), JSON.stringify(duckdb.fileProblems));
    assert.deepEqual(duckdb.activations, scan.activations, 'the other files are read once each');
  });

  it('no log file at all: no logs, said the same way', async () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    const { scan, duckdb } = await both(dir, GOLDEN_BREAK_GLASS, GOLDEN_PERIOD);
    assert.equal(duckdb.noLogs, true);
    assert.equal(duckdb.noLogsReason, scan.noLogsReason);
  });
});
