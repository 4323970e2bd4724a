// Framework catalogues and mappings: every id is in its catalogue (and the check fails when one is not), the
// seed's statements are kept beside the criteria they correspond to, CIS ids follow each version, and how a
// framework control's status is decided.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getMappings } from '../../src/index.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { loadMappings, selectFrameworks, type FrameworkDef } from '../../src/map/mappings.js';
import { evaluateFrameworks, evaluateMaturity, evaluateRequirements } from '../../src/map/index.js';
import { isEvidencePackError } from '../../src/errors.js';
import type { CheckResult } from '../../src/model/check.js';
import type { Status } from '../../src/model/status.js';
import { MAPPINGS_DIR } from '../../src/paths.js';
import { tableTest } from '../filter-pattern/table.js';
import { SHARED_DIR } from '../support/shared.js';

const checkIds = new Set(CHECKS.map((c) => c.meta.id));
const m = getMappings();
const fw = (id: string) => m.frameworks.find((f) => f.id === id)!;
const ids = (id: string) => fw(id).controls.map((c) => c.id);

/** loadMappings over a copy of mappings/ with one file edited; the error's details, or [] when it loads. */
function loadEdited(file: string, edit: (text: string) => string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ep-mappings-'));
  try {
    cpSync(MAPPINGS_DIR, dir, { recursive: true });
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    assert.notEqual(after, before, `the edit of ${file} changed nothing`);
    writeFileSync(path, after);
    loadMappings(checkIds, dir);
    return [];
  } catch (e) {
    if (!isEvidencePackError(e)) throw e;
    return [e.message, ...e.details];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the shipped catalogues and mappings load: every id named is in its catalogue', () => {
  const loaded = loadMappings(checkIds);
  for (const f of loaded.frameworks) {
    const catalogueIds = new Set(f.catalogue.items.flatMap((i) => (i.ids ? Object.values(i.ids) : [i.id])));
    for (const c of f.controls) assert.ok(catalogueIds.has(c.id), `${f.id} ${c.id}`);
  }
});

tableTest(
  'the catalogue check fails when a mapping names an id not in its catalogue',
  [
    { name: 'a C5:2020 control named by the seed id IAM-03', file: 'frameworks/bsi-c5-2020.yaml', from: '  - id: IDM-06\n', to: '  - id: IAM-03\n', error: /control "IAM-03" is not in catalogue bsi-c5-2020/ },
    { name: 'a DORA RTS point that does not exist', file: 'frameworks/dora-rts.yaml', from: '  - id: Art. 21(e)(ii)\n', to: '  - id: Art. 21(e)(v)\n', error: /control "Art\. 21\(e\)\(v\)" is not in catalogue dora-rts/ },
    { name: 'a seed statement corresponding to a non-existent criterion', file: 'frameworks/bsi-c5-2020.yaml', from: 'correspondsTo: [IDM-06]', to: 'correspondsTo: [IDM-10]', error: /seed statement IAM-03 corresponds to "IDM-10", which is not in catalogue bsi-c5-2020/ },
    { name: 'a related control mapped to NIST AC-14 (not about emergency accounts)', file: 'related/aws-ir-and-cis.yaml', from: 'nist-800-53: [IR-4, AC-2(8), AC-6]', to: 'nist-800-53: [IR-4, AC-14, AC-6]', error: /related control aws-ir-01: "AC-14" is not in catalogue nist-800-53/ },
    { name: 'a related control naming an unknown catalogue', file: 'related/aws-ir-and-cis.yaml', from: 'iso-27017: [CLD.9.5.1]', to: 'iso-27018: [CLD.9.5.1]', error: /catalogue iso-27018 not found/ },
    { name: 'a CIS recommendation key the catalogue lacks', file: 'frameworks/cis-aws.yaml', from: '  - id: monitor-root-usage\n', to: '  - id: monitor-root-use\n', error: /control "monitor-root-use" is not in catalogue cis-aws/ },
    { name: 'a CIS id for a version the catalogue does not list', file: 'catalogues/cis-aws.yaml', from: '{ "7.0.0": "2.1.1" }', to: '{ "8.0.0": "2.1.1" }', error: /gives an id for version 8\.0\.0/ },
    { name: 'two CIS recommendations with one id in a version', file: 'catalogues/cis-aws.yaml', from: '"6.0.0": "5.2"', to: '"6.0.0": "5.3"', error: /id 5\.3 is given to two items in version 6\.0\.0/ },
    { name: 'a duplicate catalogue id', file: 'catalogues/nist-800-53.yaml', from: '  - id: AU-10\n', to: '  - id: AU-6\n', error: /duplicate id AU-6/ },
    { name: 'a mapping to a catalogue that does not exist', file: 'frameworks/nis2-ir.yaml', from: 'catalogue: nis2-ir', to: 'catalogue: nis2', error: /catalogue nis2 not found/ },
    { name: 'an unknown maturity criterion', file: 'frameworks/dora.yaml', from: 'criteria: [L3.post-incident-review]', to: 'criteria: [L3.post-incident-reviews]', error: /unknown maturity criterion L3\.post-incident-reviews/ },
    { name: 'an unknown check', file: 'frameworks/nist-800-53.yaml', from: '[waf-sov-070.tf.aws.alarm-chain-cloudtrail-config-changes]', to: '[waf-sov-070.tf.aws.alarm-chain-cloudtrail-changes]', error: /unknown check id waf-sov-070\.tf\.aws\.alarm-chain-cloudtrail-changes/ },
    { name: 'a seed statement outside the catalogue without a note saying why', file: 'frameworks/bsi-c5-2020.yaml', from: "      note: C5:2020 has no LOG- criteria; logging and monitoring are OPS-10…OPS-17.\n", to: '', error: /seed statement LOG-01 is not a catalogue id: say why in its note/ },
  ],
  (c) => {
    const problems = loadEdited(c.file, (t) => t.replace(c.from, c.to));
    assert.ok(problems.some((p) => c.error.test(p)), `expected ${c.error} in:\n${problems.join('\n')}`);
  },
);

// Id forms per catalogue: a typo ("IDM-6", "A.8.2.1", "Art 12(2)(a)") fails here even where the id is in no mapping yet.
const ID_FORM: Record<string, RegExp> = {
  'bsi-c5-2020': /^(IDM|OPS|SIM|BCM)-\d{2}$/,
  'bsi-c5-2026': /^(IAM|OPS)-\d{2}(\.\d{2}(B|AC|AS))?$/,
  dora: /^Art\. \d+\(\d+\)(\([a-z]\))?$/,
  'dora-rts': /^Art\. \d+(\(\d+\))?\([a-z]\)(\([iv]+\))?$/,
  'nis2-ir': /^\d+\.\d+\.\d+(\([a-z]\))?$/,
  'nist-800-53': /^[A-Z]{2}-\d+(\(\d+\))?$/,
  'iso-27001': /^A\.[5-8]\.\d+$/,
  'iso-27017': /^CLD\.\d+\.\d+\.\d+$/,
  soc2: /^CC\d\.\d$/,
  gdpr: /^Art\. \d+(\(\d+\))?(\([a-z]\))?$/,
  'cis-aws': /^\d\.\d{1,2}(\.\d)?$/,
};

test('every catalogue id has its framework’s form; every catalogue names its source and scope', () => {
  assert.deepEqual([...m.catalogues.keys()].sort(), [...Object.keys(ID_FORM), 'eucs'].sort());
  for (const [catId, cat] of m.catalogues) {
    assert.ok(cat.source.document.length > 10 && cat.publisher.length > 2, catId);
    assert.ok(!cat.partial || (cat.scope ?? '').length > 10, `${catId} says what its partial catalogue holds`);
    for (const item of cat.items) for (const id of item.ids ? Object.values(item.ids) : [item.id]) assert.match(id, ID_FORM[catId]!, `${catId} ${id}`);
  }
  const eucs = m.catalogues.get('eucs')!;
  assert.equal(eucs.status, 'draft');
  assert.match(`${eucs.name} ${eucs.statusNote}`, /draft.*March 2024/i);
});

test('the ids the issue names are in their catalogues (DORA, its RTS, NIS2, NIST, C5:2020, C5:2026, ISO 27001)', () => {
  const expect: Record<string, string[]> = {
    'bsi-c5-2020': ['IDM-06', ...[10, 11, 12, 13, 14, 15, 16, 17].map((n) => `OPS-${n}`), 'SIM-01', 'SIM-02', 'SIM-03', 'SIM-04', 'SIM-05', 'BCM-04'],
    'bsi-c5-2026': ['IAM-02.03B', 'IAM-03.02B', 'IAM-03.04B', 'IAM-05.01AC', 'IAM-06.04B', 'IAM-06.05B', 'IAM-06.06B', 'IAM-06.09B', 'OPS-13', 'OPS-14', 'OPS-15.02AC'],
    dora: ['Art. 9(4)(c)', 'Art. 9(4)(d)', 'Art. 10(1)'],
    'dora-rts': ['Art. 12(2)(a)', 'Art. 12(2)(c)(i)', 'Art. 12(2)(d)', 'Art. 12(2)(e)', 'Art. 12(2)(f)', 'Art. 21(e)(ii)', 'Art. 21(e)(iv)', 'Art. 21(f)(ii)', 'Art. 23(2)(b)'],
    'nis2-ir': ['3.2.3(e)', '3.2.3(k)', '3.2.4', '3.2.5', '3.2.6', '11.3.1', '11.3.3', '6.4.3'],
    'nist-800-53': ['AC-2(2)', 'AC-2(12)', 'AC-6(9)', 'AU-5', 'AU-6', 'AU-9(3)', 'AU-10', 'AU-11', 'SI-4(20)'],
    'iso-27001': ['A.8.2', 'A.8.5', 'A.8.15', 'A.8.16', 'A.8.17', 'A.5.15', 'A.5.18', 'A.5.24', 'A.5.25', 'A.5.26', 'A.5.27', 'A.5.28'],
  };
  for (const [f, want] of Object.entries(expect)) assert.deepEqual(want.filter((id) => !ids(f).includes(id)), [], `${f} maps every one`);
  assert.ok(!m.catalogues.get('nist-800-53')!.items.some((i) => i.id === 'AC-14'), 'AC-14 is not about emergency accounts');
});

test('C5:2020: criteria from the catalogue only; the seed’s IAM-03, LOG-01, BCM-02 kept as statements beside them', () => {
  const c5 = fw('bsi-c5-2020');
  assert.deepEqual(ids('bsi-c5-2020'), ['IDM-06', 'OPS-10', 'OPS-11', 'OPS-12', 'OPS-13', 'OPS-14', 'OPS-15', 'OPS-16', 'OPS-17', 'SIM-01', 'SIM-02', 'SIM-03', 'SIM-04', 'SIM-05', 'BCM-04']);
  assert.deepEqual(
    c5.seed!.statements.map((s) => [s.id, s.text, s.correspondsTo[0], s.correspondsTo.length]),
    [['IAM-03', 'Privileged access management', 'IDM-06', 1], ['LOG-01', 'Logging', 'OPS-10', 8], ['BCM-02', 'Incident management', 'SIM-01', 6]],
    'the seed’s text verbatim (seed 000, Regulatory Mapping)',
  );
  // Each statement quotes seed 000's Regulatory Mapping verbatim ("BSI C5:2020 … IAM-03 – Privileged access management; …").
  const seed = readFileSync(join(SHARED_DIR, 'seeds', readdirSync(join(SHARED_DIR, 'seeds')).find((f) => f.startsWith('000_'))!), 'utf8');
  const lines = seed.split('\n').map((l) => l.trim());
  const row = (name: string) => lines.slice(lines.indexOf(name, lines.indexOf('Regulatory Mapping')) + 1).find((l) => l !== '')!;
  for (const [f, name] of [['bsi-c5-2020', 'BSI C5:2020'], ['eucs', 'EUCS (ENISA)'], ['iso-27001', 'ISO 27001:2022'], ['soc2', 'SOC 2'], ['gdpr', 'GDPR']] as const) {
    assert.deepEqual(fw(f).seed!.statements.map((s) => `${s.id} – ${s.text}`), row(name).split('; '), f);
  }
});

test('CIS AWS Foundations: each version under its own ids', () => {
  // [version, root usage monitored, sign-in without MFA, IAM policy changes, trail in all regions, log validation, avoid root use, centralized root access]
  const table: [string, ...(string | undefined)[]][] = [
    ['1.4.0', '4.3', '4.2', '4.4', '3.1', '3.2', '1.7', undefined],
    ['1.5.0', '4.3', '4.2', '4.4', '3.1', '3.2', '1.7', undefined],
    ['2.0.0', '4.3', '4.2', '4.4', '3.1', '3.2', '1.7', undefined],
    ['3.0.0', '4.3', '4.2', '4.4', '3.1', '3.2', '1.7', undefined],
    ['4.0.1', '4.3', '4.2', '4.4', '3.1', '3.2', '1.7', undefined],
    ['5.0.0', '4.3', '4.2', '4.4', '3.1', '3.2', '1.6', undefined],
    ['6.0.0', '5.3', '5.2', '5.4', '4.1', '4.2', '2.6', undefined],
    ['7.0.0', '5.3', '5.2', '5.4', '4.1', '4.2', '2.7', '2.1.1'],
  ];
  const keys = ['monitor-root-usage', 'monitor-signin-without-mfa', 'monitor-iam-policy-changes', 'cloudtrail-all-regions', 'cloudtrail-log-file-validation', 'avoid-root-use', 'centralized-root-access'];
  for (const [version, ...want] of table) {
    const f = fw(`cis-aws-v${version}`);
    assert.equal(f.name, `CIS AWS Foundations Benchmark v${version}`);
    assert.deepEqual(keys.map((k) => f.controls.find((c) => c.key === k)?.id), want, version);
  }
  assert.deepEqual(m.frameworks.filter((f) => f.id.startsWith('cis-aws') && f.default).map((f) => f.id), ['cis-aws-v7.0.0'], 'only the latest by default');
  const root = fw('cis-aws-v7.0.0').controls.find((c) => c.key === 'monitor-root-usage')!;
  assert.equal(root.idsByVersion, 'v1.4.0–v5.0.0: 4.3; v6.0.0–v7.0.0: 5.3');
  assert.deepEqual(root.checks, ['waf-sov-070.tf.aws.cloudwatch-alarm-root-login', 'waf-sov-070.tf.aws.alarm-chain-root-usage']);
});

tableTest(
  'selecting frameworks',
  [
    { name: 'default: every framework, of CIS the latest version only', ids: undefined, want: m.frameworks.filter((f) => !f.id.startsWith('cis-aws-v') || f.id === 'cis-aws-v7.0.0').map((f) => f.id) },
    { name: 'one', ids: ['dora-rts'], want: ['dora-rts'] },
    { name: 'several, in catalogue order, case, spaces and repeats ignored', ids: ['NIS2-IR', ' dora', 'dora'], want: ['dora', 'nis2-ir'] },
    { name: 'an older CIS version', ids: ['cis-aws-v3.0.0'], want: ['cis-aws-v3.0.0'] },
    { name: 'all', ids: ['all'], want: m.frameworks.map((f) => f.id) },
    { name: 'an unknown id is a usage error naming it', ids: ['dora', 'bsi-c5'], error: /unknown framework "bsi-c5"/ },
    { name: 'nothing named is a usage error', ids: [' '], error: /no framework named/ },
  ],
  (c) => {
    if ('error' in c) {
      assert.throws(() => selectFrameworks(m.frameworks, c.ids), (e: unknown) => isEvidencePackError(e) && e.code === 'USAGE' && c.error!.test(e.message) && /known frameworks: .*dora-rts/.test(e.hint ?? ''));
    } else {
      assert.deepEqual(selectFrameworks(m.frameworks, c.ids).map((f) => f.id), c.want);
    }
  },
);

// A framework over the real WAF-SOV-070 requirements, with synthetic check results.
const result = (id: string, status: Status, extra: Partial<CheckResult> = {}): CheckResult => ({ id, title: id, severity: 'high', status, reason: `${id} says ${status}`, locations: [], findings: [], evidenceRefs: [`ev:${id}`], remediation: '', ...extra });
const R1_CHECKS = m.control.requirements.find((r) => r.id === 'WAF-SOV-070.R1')!.checks!;
const BG = 'waf-sov-070.process.break-glass-access-defined';
const HARDENED = 'waf-sov-070.tf.aws.break-glass-identity-hardened';
const MFA_LOGS = 'waf-sov-070.logs.break-glass-use-with-mfa';

function one(control: Partial<FrameworkDef['controls'][number]>, statuses: Record<string, Status | [Status, Partial<CheckResult>]>) {
  const results = [...checkIds].map((id) => {
    const s = statuses[id] ?? 'pass';
    return Array.isArray(s) ? result(id, s[0], s[1]) : result(id, s);
  });
  const f: FrameworkDef = { ...fw('dora-rts'), controls: [{ id: 'Art. 21(e)(ii)', key: 'Art. 21(e)(ii)', title: 't', ...control }] };
  const requirements = evaluateRequirements(m.control, results);
  return evaluateFrameworks([f], m.control, requirements, results, evaluateMaturity(m.control, results))[0]!.controls[0]!;
}

tableTest(
  'a framework control’s status',
  [
    { name: 'all pass', control: { requirements: ['WAF-SOV-070.R1'], checks: [BG] }, statuses: {}, status: 'pass' },
    { name: 'a requirement check fails', control: { requirements: ['WAF-SOV-070.R1'], checks: [BG] }, statuses: { [R1_CHECKS[0]!]: 'fail' }, status: 'fail', reason: /WAF-SOV-070\.R1 is fail/ },
    { name: 'an own check unknown', control: { requirements: ['WAF-SOV-070.R1'], checks: [BG] }, statuses: { [BG]: 'unknown' }, status: 'unknown', reason: /break-glass-access-defined is unknown/ },
    { name: 'manual caps a pass', control: { checks: [BG], manual: 'show the review' }, statuses: {}, status: 'manual', reason: /verify manually: show the review/ },
    { name: 'a fail outranks manual', control: { checks: [BG], manual: 'show the review' }, statuses: { [BG]: 'fail' }, status: 'fail' },
    { name: 'manual alone', control: { manual: 'show the review' }, statuses: {}, status: 'manual' },
    { name: 'a supporting check whose evidence is not configured is left out', control: { checks: [HARDENED], supporting: [MFA_LOGS] }, statuses: { [MFA_LOGS]: ['unknown', { evidenceMissing: 'not-configured' }] }, status: 'pass', leftOut: MFA_LOGS },
    { name: 'a supporting check on configured evidence counts', control: { checks: [HARDENED], supporting: [MFA_LOGS] }, statuses: { [MFA_LOGS]: 'fail' }, status: 'fail' },
    { name: 'maturity criteria are listed, never decide', control: { checks: [BG], criteria: ['L5.dual-approval'] }, statuses: { 'waf-sov-070.process.dual-approval-before-activation': 'fail' }, status: 'pass', criteria: ['L1.emergency-access (met)', 'L5.dual-approval (not_met)'] },
  ],
  (c) => {
    const r = one(c.control, c.statuses as Record<string, Status | [Status, Partial<CheckResult>]>);
    assert.equal(r.status, c.status, r.reason);
    if (c.reason) assert.match(r.reason, c.reason);
    if (c.leftOut) assert.ok(!r.checks.includes(c.leftOut) && !r.evidence.includes(`ev:${c.leftOut}`));
    if (c.criteria) assert.deepEqual(r.criteria.map((x) => `${x.id} (${x.status})`), c.criteria);
    assert.deepEqual(r.evidence, [...new Set(r.checks.map((id) => `ev:${id}`))].sort(), 'evidence of every check behind it');
  },
);

test('seed citations sit on the rows they correspond to', async () => {
  const { assess } = await import('../../src/index.js');
  const { report } = await assess('samples/acme-bank/evidence-pack.yaml', { sourceDateEpoch: 1_790_000_000, frameworks: ['bsi-c5-2020', 'eucs'] });
  const [c5, eucs] = report.frameworks;
  assert.deepEqual(c5!.controls.find((c) => c.id === 'IDM-06')!.seed, ['WAF-SOV-070 states C5:2020 IAM-03 “Privileged access management”']);
  assert.deepEqual(c5!.controls.find((c) => c.id === 'BCM-04')!.seed, ['WAF-SOV-070 states C5:2020 BCM-02 “Incident management”']);
  assert.ok(c5!.seed!.statements.every((s) => !s.inCatalogue));
  assert.equal(eucs!.status, 'draft');
  assert.deepEqual(eucs!.controls, []);
  assert.deepEqual(eucs!.seed!.statements.map((s) => s.citation), ['WAF-SOV-070 states EUCS IAM-03 “Emergency access”', 'WAF-SOV-070 states EUCS LOG-01 “Audit logging”']);
});
