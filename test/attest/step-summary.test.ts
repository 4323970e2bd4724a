// GitHub job summary: level, counts, gates, non-passing checks; evidence text cannot inject markup or break the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStepSummary } from '../../src/render/step-summary.js';
import { sampleReport } from '../fixtures/report/events.js';

test('the summary states the level, the gates and one table row per non-passing check', () => {
  const report = sampleReport();
  const md = renderStepSummary(report, [{ gate: '--min-maturity 3', tripped: true }, { gate: '--fail-on fail', tripped: false }]);
  assert.match(md, new RegExp(`\\*\\*Maturity level ${report.maturity.level} of 5\\*\\*`));
  assert.match(md, /- Gate `--min-maturity 3`: \*\*failed\*\*/);
  assert.match(md, /- Gate `--fail-on fail`: passed/);
  const open = report.checks.filter((c) => c.status !== 'pass' && c.status !== 'not_applicable');
  assert.equal(md.split('\n').filter((l) => /^\| (fail|unknown|error|manual) \|/.test(l)).length, Math.min(open.length, 50));
});

test('pipes, newlines and HTML in evidence text stay inside their cell, escaped', () => {
  const report = sampleReport();
  const evil = { ...report, organisation: '<img src=x onerror=alert(1)>', checks: report.checks.map((c) => ({ ...c, status: 'fail' as const, reason: 'a | b\n| c | <script>x</script>' })) };
  const md = renderStepSummary(evil);
  assert.doesNotMatch(md, /<img|<script/);
  for (const row of md.split('\n').filter((l) => l.startsWith('| fail |'))) assert.equal(row.split(/(?<!\\)\|/).length, 5, row);
});

test('long lists are cut at maxRows with a pointer to report.json', () => {
  const report = sampleReport();
  const many = { ...report, checks: Array.from({ length: 60 }, (_, i) => ({ ...report.checks[0], id: `x.${i}`, status: 'unknown' as const })) };
  const md = renderStepSummary(many, [], { maxRows: 10 });
  assert.equal(md.split('\n').filter((l) => l.startsWith('| unknown |')).length, 10);
  assert.match(md, /…and 50 more in report\.json\./);
});
