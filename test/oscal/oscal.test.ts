// OSCAL export: validates against NIST's official Assessment Results schema; UUIDs v4/v5, zoned timestamps, evidence hashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { assess } from '../../src/index.js';
import { buildOscal, controlToken, renderOscal } from '../../src/render/oscal.js';
import type { Report } from '../../src/model/report.js';
import { SCHEMAS_DIR } from '../support/shared.js';
import { join } from 'node:path';

// The schema declares draft-07, which is Ajv's default class (Ajv 2019/2020 are for the later drafts).
const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'oscal_assessment-results_schema.json'), 'utf8'));
assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const SAMPLES = [
  { name: 'acme-bank (level 2)', config: 'samples/acme-bank/evidence-pack.yaml' },
  { name: 'level4-helvetia-health (level 4, activations)', config: 'samples/level4-helvetia-health/evidence-pack.yaml' },
];
const reports = new Map<string, Promise<Report>>();
const reportOf = (config: string) => {
  if (!reports.has(config)) reports.set(config, assess(config, { sourceDateEpoch: 1_790_000_000, frameworks: ['all'] }).then((a) => a.report));
  return reports.get(config)!;
};

const UUID_V4_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP_KEYS = new Set(['last-modified', 'published', 'start', 'end', 'collected', 'expires', 'date-authorized']);

/** Every [json path, value] pair of a JSON document. */
function* walk(v: unknown, path = '$'): Generator<[string, string, unknown]> {
  if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* walk(x, `${path}[${i}]`);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { yield [`${path}.${k}`, k, x]; yield* walk(x, `${path}.${k}`); }
}

for (const s of SAMPLES) {
  test(`${s.name}: the export validates against the official OSCAL ${schema.$id.match(/\d+\.\d+\.\d+/)[0]} schema`, async () => {
    const doc = JSON.parse(renderOscal(await reportOf(s.config)));
    const ok = validate(doc);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  test(`${s.name}: every UUID is v4/v5, every reference resolves, every timestamp has a zone`, async () => {
    const doc = buildOscal(await reportOf(s.config));
    const uuids = new Set<string>();
    let stamps = 0;
    for (const [path, key, value] of walk(doc)) {
      if (key === 'uuid') {
        assert.match(String(value), UUID_V4_V5, path);
        assert.ok(!uuids.has(String(value)), `${path}: duplicate uuid ${value}`);
        uuids.add(String(value));
      }
      if (TIMESTAMP_KEYS.has(key)) {
        stamps++;
        assert.match(String(value), /T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, `${path}: ${value}`);
      }
    }
    assert.ok(stamps >= 3);
    for (const [path, key, value] of walk(doc)) {
      if (key.endsWith('-uuid') && key !== 'actor-uuid') assert.ok(uuids.has(String(value)), `${path} → ${value}`);
      if (key === 'href' && String(value).startsWith('#')) assert.ok(uuids.has(String(value).slice(1)), `${path} → ${value}`);
    }
  });
}

for (const s of SAMPLES) {
  test(`${s.name}: each framework's own export validates, holds that framework's findings and only the observations behind them`, async () => {
    const report = await reportOf(s.config);
    const whole = new Set(((buildOscal(report)['assessment-results'] as any).results[0].observations as any[]).map((o) => o.uuid));
    for (const fw of report.frameworks.filter((f) => f.controls.length)) {
      const doc: any = JSON.parse(renderOscal(report, fw.id));
      assert.ok(validate(doc), `${fw.id}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      const [result] = doc['assessment-results'].results;
      assert.deepEqual(result.findings.map((f: any) => f.props.find((p: any) => p.name === 'control-id').value), fw.controls.map((c) => c.id), fw.id);
      assert.ok(result.findings.every((f: any) => f.props.some((p: any) => p.name === 'framework' && p.value === fw.id)));
      const behind = new Set(fw.controls.flatMap((c) => c.checks));
      const observed = (result.observations ?? []).map((o: any) => o.props.find((p: any) => p.name === 'check-id').value);
      assert.deepEqual([...observed].sort(), report.checks.filter((c) => behind.has(c.id)).map((c) => c.id).sort(), `${fw.id}: observations`);
      // The same observation keeps its UUID in both documents; each document has its own.
      assert.ok(result.observations.every((o: any) => whole.has(o.uuid)));
      assert.notEqual(doc['assessment-results'].uuid, (buildOscal(report)['assessment-results'] as any).uuid);
    }
    assert.throws(() => buildOscal(report, 'no-such-framework'), /no framework no-such-framework/);
  });
}

test('observations link each check to its evidence with the sha256 of the collected bytes', async () => {
  const report = await reportOf(SAMPLES[0].config);
  const ar = buildOscal(report)['assessment-results'] as any;
  const [result] = ar.results;
  assert.equal(result.observations.length, report.checks.length, 'one observation per check');
  const resources = new Map(ar['back-matter'].resources.map((r: any) => [r.uuid, r]));
  const runbookCheck = result.observations.find((o: any) => o.props.some((p: any) => p.name === 'check-id' && p.value === 'waf-sov-070.process.runbook-versioned'));
  assert.ok(runbookCheck['relevant-evidence'].length > 0);
  const runbook = report.evidence.find((e) => e.id === 'runbook')!;
  const ev = runbookCheck['relevant-evidence'].find((e: any) => (resources.get(e.href.slice(1)) as any).props.some((p: any) => p.value === 'runbook'));
  assert.ok(ev, 'the runbook is linked');
  const res = resources.get(ev.href.slice(1)) as any;
  assert.deepEqual(res.rlinks[0], { href: runbook.packPath, hashes: [{ algorithm: 'SHA-256', value: runbook.sha256 }] });
});

test('findings carry the control ids of WAF-SOV-070 and of each framework; only pass is satisfied', async () => {
  const report = await reportOf(SAMPLES[0].config);
  const [result] = (buildOscal(report)['assessment-results'] as any).results;
  const targets = new Map(result.findings.map((f: any) => [f.target['target-id'], f]));
  for (const r of report.requirements) {
    const f: any = targets.get(r.id);
    assert.ok(f, r.id);
    assert.equal(f.target.status.state, r.status === 'pass' ? 'satisfied' : 'not-satisfied', `${r.id} is ${r.status}`);
  }
  for (const fw of report.frameworks) for (const c of fw.controls) assert.ok(targets.has(controlToken(fw.name, c.id)), `${fw.id} ${c.id}`);
  const selected = result['reviewed-controls']['control-selections'].flatMap((s: any) => s['include-controls'].map((c: any) => c['control-id']));
  assert.ok(selected.includes('WAF-SOV-070'));
  assert.ok(selected.includes('Art._32'), 'GDPR Art. 32 as a token');
  assert.ok(result.findings.some((f: any) => f.props.some((p: any) => p.name === 'mapped-control' && p.class === 'ac-2.8')), 'NIST AC-2(8) as in NIST’s catalogue');
  const unknown = result.findings.find((f: any) => f.props.some((p: any) => p.name === 'status' && p.value === 'unknown'));
  assert.deepEqual([unknown.target.status.state, unknown.target.status.reason], ['not-satisfied', 'other'], 'unknown never satisfies');
});

test('control ids become OSCAL tokens', () => {
  const table: [string, string, string][] = [
    ['NIST SP 800-53 rev5', 'AC-2(8)', 'ac-2.8'],
    ['NIST SP 800-53 rev5', 'IR-4', 'ir-4'],
    ['GDPR', 'Art. 32', 'Art._32'],
    ['ISO/IEC 27001:2022', 'A.5.26', 'A.5.26'],
    ['CIS', '4.3', '_4.3'],
    ['NIST SP 800-53 Rev. 5', 'AC-2(12)', 'ac-2.12'],
    ['DORA RTS', 'Art. 21(e)(ii)', 'Art._21_e_ii'],
    ['NIS2', '3.2.3(e)', '_3.2.3_e'],
    ['BSI C5:2026', 'IAM-02.03B', 'IAM-02.03B'],
  ];
  for (const [fw, id, token] of table) assert.equal(controlToken(fw, id), token, `${fw} ${id}`);
});

test('re-rendering the same report gives the same bytes and UUIDs; another period gives other UUIDs', async () => {
  const report = await reportOf(SAMPLES[0].config);
  assert.equal(renderOscal(report), renderOscal(structuredClone(report)));
  const other = renderOscal({ ...report, period: { ...report.period, label: '2026-Q4' } });
  const ids = (s: string) => new Set(s.match(/"uuid": "[^"]+"/g));
  const a = ids(renderOscal(report));
  assert.ok([...ids(other)].every((u) => !a.has(u)));
});

test('the validator used here rejects a timestamp without a zone and a non-v4/v5 UUID (the tests above can fail)', async () => {
  const doc: any = buildOscal(await reportOf(SAMPLES[0].config));
  const noZone = structuredClone(doc);
  noZone['assessment-results'].metadata['last-modified'] = '2026-09-21T14:13:20';
  assert.equal(validate(noZone), false);
  const v1 = structuredClone(doc);
  v1['assessment-results'].uuid = 'c232ab00-9414-11ec-b3c8-9f6bdeced846';
  assert.equal(validate(v1), false);
});
