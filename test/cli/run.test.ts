// The CLI end to end: the README's sample command, someone else's config, bad configs, gates, help, determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli } from '../support/cli.js';
import { tempTree } from '../support/evidence.js';

const out = () => join(mkdtempSync(join(tmpdir(), 'ep-out-')), 'pack');
const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));

test('the sample run writes report.json and report.html with the documented fields', () => {
  const dir = out();
  const r = cli(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'report.html')));
  const rep = readReport(dir);
  assert.equal(rep.organisation, 'Acme Bank AG');
  assert.deepEqual([rep.period.from, rep.period.to], ['2026-07-01', '2026-09-30']);
  assert.equal(rep.maturity.level, 2);
  assert.ok(rep.maturity.criteria.length >= 13);
  for (const c of rep.checks) {
    assert.ok(['pass', 'fail', 'unknown', 'error', 'manual', 'not_applicable'].includes(c.status));
    assert.equal(typeof c.reason, 'string');
    assert.ok(Array.isArray(c.locations));
  }
  assert.deepEqual(rep.frameworks.map((f: { id: string }) => f.id), ['bsi-c5-2020', 'bsi-c5-2026', 'cis-aws-v7.0.0', 'dora', 'dora-rts', 'eucs', 'gdpr', 'iso-27001', 'nis2-ir', 'nist-800-53', 'soc2']);
  for (const f of rep.frameworks.filter((f: { controls: unknown[] }) => f.controls.length)) {
    assert.ok(existsSync(join(dir, `frameworks/${f.id}.csv`)) && existsSync(join(dir, `frameworks/${f.id}.oscal.json`)), `${f.id} exports`);
  }
  assert.match(r.stdout, /^frameworks: bsi-c5-2020, .*soc2 \(CSV and OSCAL/m);
  for (const e of rep.evidence) assert.ok(e.kind && e.source && /^[0-9a-f]{64}$/.test(e.sha256), JSON.stringify(e));
  const runbook = rep.evidence.find((e: { kind: string }) => e.kind === 'runbook');
  assert.equal(readFileSync(join(dir, runbook.packPath)).length, runbook.size, 'the in-force runbook revision is kept in the pack');
  assert.match(r.stdout, /maturity level 2 of 5/);
  assert.match(r.stdout, /checks: \d+ pass, \d+ fail/);
  assert.match(r.stdout, /wrote .*report\.json/);
  assert.ok(!JSON.stringify(rep).includes(resolve('.')), 'no absolute paths of this machine in the report');
});

test("someone else's config on seed 000's compliant Terraform: the seed checks pass", () => {
  const cfg = tempTree({ 'evidence-pack.yaml': `organisation: Other Org\nperiod: {from: 2026-01-01, to: 2026-03-31}\nterraform: {paths: [${resolve('test/fixtures/terraform/seed-compliant')}]}\n` });
  const dir = out();
  const r = cli(['run', join(cfg, 'evidence-pack.yaml'), '--out', dir]);
  assert.equal(r.code, 0, r.stderr);
  const checks = Object.fromEntries(readReport(dir).checks.map((c: { id: string; status: string }) => [c.id, c.status]));
  for (const id of ['cloudtrail-enabled-all-regions', 'cloudtrail-s3-bucket-not-public', 'cloudwatch-alarm-root-login', 'cloudwatch-alarm-iam-policy-changes']) {
    assert.equal(checks[`waf-sov-070.tf.aws.${id}`], 'pass', id);
  }
  assert.equal(checks['waf-sov-070.process.runbook-versioned'], 'unknown', 'no runbook configured: unknown, never pass');
});

test("someone else's config on seed 000's non-compliant Terraform: the same checks fail with file:line", () => {
  const cfg = tempTree({ 'evidence-pack.yaml': `organisation: Other Org\nperiod: 2026-Q1\nterraform:\n  paths: [${resolve('test/fixtures/terraform/seed-noncompliant')}]\n` });
  const dir = out();
  const r = cli(['run', join(cfg, 'evidence-pack.yaml'), '--out', dir, '--fail-on', 'fail']);
  assert.equal(r.code, 1, 'pack written, gate tripped');
  assert.ok(existsSync(join(dir, 'report.json')));
  const checks = Object.fromEntries(readReport(dir).checks.map((c: { id: string }) => [c.id, c]));
  for (const id of ['cloudtrail-enabled-all-regions', 'cloudtrail-s3-bucket-not-public', 'cloudwatch-alarm-root-login', 'cloudwatch-alarm-iam-policy-changes']) {
    const c = checks[`waf-sov-070.tf.aws.${id}`];
    assert.equal(c.status, 'fail', id);
    if (id.startsWith('cloudtrail')) assert.ok(c.locations.some((l: { file: string; line: number }) => /\.tf$/.test(l.file) && l.line > 0), `${id} has file:line`);
  }
  assert.match(r.stdout, /FAIL +waf-sov-070\.tf\.aws\.cloudtrail-enabled-all-regions \(.*cloudtrail\.tf:1/);
});

test('a config with three mistakes: one error listing all three, exit 2, no stack trace, no output folder', () => {
  const cfg = tempTree({ 'evidence-pack.yaml': 'organisation: ""\nperiod: 2026-13\nterraform: {paths: [missing/]}\n' });
  const dir = out();
  const r = cli(['run', join(cfg, 'evidence-pack.yaml'), '--out', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error: .*3 problems in the configuration/);
  assert.match(r.stderr, /organisation \(line 1\)/);
  assert.match(r.stderr, /period \(line 2\)/);
  assert.match(r.stderr, /terraform\.paths\[0\] \(line 3\): path does not exist/);
  assert.match(r.stderr, /hint:/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(existsSync(dir), false);
  assert.deepEqual(readdirSync(join(dir, '..')), [], 'no temporary folder left behind');
});

test('usage errors exit 2', () => {
  assert.equal(cli(['run', 'samples/acme-bank/evidence-pack.yaml']).code, 2, 'missing --out');
  const bad = cli(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', out(), '--fail-on', 'sometimes']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-on: expected one of fail, error, unknown, none/);
  assert.equal(cli(['frobnicate']).code, 2);
  const nf = cli(['run', 'nope.yaml', '--out', out()]);
  assert.equal(nf.code, 2);
  assert.match(nf.stderr, /config file not found: nope\.yaml/);
});

test('--help teaches: every option with an example', () => {
  const top = cli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Examples:\n\s+\$ evidence-pack run/);
  assert.match(top.stdout, /Exit codes/);
  const run = cli(['run', '--help']);
  assert.equal(run.code, 0);
  for (const opt of ['--out', '--fail-on', '--json', '--quiet']) assert.ok(run.stdout.includes(opt), opt);
  assert.match(run.stdout, /Examples:/);
  assert.match(cli(['--version']).stdout, /^\d+\.\d+\.\d+/);
});

test('same inputs and SOURCE_DATE_EPOCH give byte-identical reports', () => {
  const a = out(), b = out();
  const env = { SOURCE_DATE_EPOCH: '1759276800' };
  assert.equal(cli(['run', 'samples/northwind-sovereign/evidence-pack.yaml', '--out', a, '-q'], { env }).code, 0);
  assert.equal(cli(['run', 'samples/northwind-sovereign/evidence-pack.yaml', '--out', b, '-q'], { env }).code, 0);
  for (const f of ['report.json', 'report.html']) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
  assert.equal(readReport(a).generatedAt, '2025-10-01T00:00:00Z');
});

test('--json prints machine-readable output and nothing else', () => {
  const r = cli(['run', 'samples/northwind-sovereign/evidence-pack.yaml', '--out', out(), '--json']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.stdout);
  assert.equal(j.level, 2);
  assert.equal(j.gate, 'passed');
});
