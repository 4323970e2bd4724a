// Per-framework CSV: one row per framework control, RFC 4180 as GRC tools and spreadsheets import it, no formula injection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { assess } from '../../src/index.js';
import { FRAMEWORK_CSV_COLUMNS, frameworkExports, renderFrameworkCsv } from '../../src/render/framework-exports.js';
import type { FrameworkResult } from '../../src/model/report.js';
import { tableTest } from '../filter-pattern/table.js';

const report = (await assess('samples/level4-helvetia-health/evidence-pack.yaml', { sourceDateEpoch: 1_790_000_000, frameworks: ['all'] })).report;
const rows = (csv: string) => parse(csv, { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];

test('each framework: a header and one row per control, with status, supporting checks and evidence ids', () => {
  for (const fw of report.frameworks.filter((f) => f.controls.length)) {
    const csv = renderFrameworkCsv(fw);
    assert.ok(csv.startsWith('\uFEFFframework_id,'), 'UTF-8 byte-order mark, then the header');
    assert.ok(csv.endsWith('\r\n') && !/[^\r]\n/.test(csv.replace(/"[^"]*"/g, '')), 'CRLF records');
    const parsed = rows(csv);
    assert.deepEqual(Object.keys(parsed[0]!), [...FRAMEWORK_CSV_COLUMNS]);
    assert.equal(parsed.length, fw.controls.length, fw.id);
    for (const [i, c] of fw.controls.entries()) {
      const r = parsed[i]!;
      assert.deepEqual([r.framework_id, r.control_id, r.control_title, r.status], [fw.id, c.id, c.title, c.status]);
      assert.deepEqual(r.checks ? r.checks.split('; ') : [], c.checks);
      assert.deepEqual(r.evidence_ids ? r.evidence_ids.split('; ') : [], c.evidence);
      assert.deepEqual(r.requirements ? r.requirements.split('; ') : [], c.requirements);
      assert.equal(r.maturity_criteria, c.criteria.map((m) => `${m.id} (${m.status})`).join('; '));
      assert.equal(r.manual_verification, c.manual ?? '');
    }
  }
});

test('the pack holds a CSV and an OSCAL export per framework with controls (a draft scheme has none)', () => {
  const files = frameworkExports(report).map((f) => f.path);
  const withControls = report.frameworks.filter((f) => f.controls.length).map((f) => f.id);
  assert.deepEqual(files, withControls.flatMap((id) => [`frameworks/${id}.csv`, `frameworks/${id}.oscal.json`]));
  assert.ok(!files.some((p) => p.includes('eucs')), 'EUCS (draft, no criteria) has no export');
});

const hostile = (cell: string): FrameworkResult => ({
  ...report.frameworks[0]!,
  controls: [{ ...report.frameworks[0]!.controls[0]!, reason: cell, evidence: [cell, 'plain'] }],
});

tableTest(
  'cells a spreadsheet would run as a formula are neutralised; the rest round-trips unchanged',
  [
    { name: 'equals sign', cell: '=HYPERLINK("http://x","y")', want: `'=HYPERLINK("http://x","y")` },
    { name: 'plus', cell: '+1+cmd|/C calc', want: `'+1+cmd|/C calc` },
    { name: 'minus', cell: '-2+3', want: `'-2+3` },
    { name: 'at sign', cell: '@SUM(A1)', want: `'@SUM(A1)` },
    { name: 'leading tab', cell: '\t=1', want: `'\t=1` },
    { name: 'comma, quote and line break', cell: 'a, "b"\nc', want: 'a, "b"\nc' },
    { name: 'an equals sign not at the start', cell: 'x=1', want: 'x=1' },
  ],
  (c) => {
    const [r] = rows(renderFrameworkCsv(hostile(c.cell)));
    assert.equal(r!.reason, c.want);
    assert.deepEqual(r!.evidence_ids!.split('; '), [c.want, 'plain']);
  },
);
