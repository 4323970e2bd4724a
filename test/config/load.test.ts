import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { parsePeriod } from '../../src/config/period.js';
import { EvidencePackError } from '../../src/errors.js';
import { tableTest } from '../filter-pattern/table.js';
import { tempTree } from '../support/evidence.js';

function configError(yaml: string, extra: Record<string, string> = {}): EvidencePackError {
  const dir = tempTree({ 'evidence-pack.yaml': yaml, ...extra });
  try {
    loadConfig(join(dir, 'evidence-pack.yaml'));
  } catch (e) {
    assert.ok(e instanceof EvidencePackError, String(e));
    return e;
  }
  assert.fail('expected a config error');
}

test('three mistakes are reported together, each with its path and line', () => {
  const e = configError('organisation: 42\nperiod: 2026-Q5\nrunbook: {path: rb.md}\nterraform: {paths: [infra/]}\nsurprise: true\n');
  assert.equal(e.code, 'CONFIG_INVALID');
  assert.match(e.message, /4 problems/);
  const d = e.details.join('\n');
  assert.match(d, /^organisation \(line 1\): must be string, got number 42$/m);
  assert.match(d, /^period \(line 2\): expected a quarter \(2026-Q3\).*got "2026-Q5"$/m);
  assert.match(d, /^terraform\.paths\[0\] \(line 4\): path does not exist: .*infra$/m);
  assert.match(d, /^surprise \(line 5\): unknown key "surprise" \(expected one of: organisation, period, runbook/m);
});

test('missing required keys and YAML syntax errors', () => {
  assert.match(configError('runbook: {path: x}\n').details.join('\n'), /organisation.*missing required key "organisation"[\s\S]*missing required key "period"/);
  const syntax = configError('organisation: [\n');
  assert.match(syntax.message, /not valid YAML/);
  assert.match(syntax.details[0], /^line \d+, column \d+/);
  assert.match(configError('- a\n- b\n').message, /expected a mapping/);
});

test('relative paths resolve against the config folder; defaults apply', () => {
  const dir = tempTree({ 'cfg/evidence-pack.yaml': 'organisation: Org\nperiod: 2026-Q3\nrunbook: {path: docs/rb.md}\nterraform: {paths: [../infra]}\n', 'infra/main.tf': '' });
  const c = loadConfig(join(dir, 'cfg/evidence-pack.yaml'));
  assert.equal(c.baseDir, join(dir, 'cfg'));
  assert.equal(c.runbook?.repo, join(dir, 'cfg'));
  assert.equal(c.runbook?.path, 'docs/rb.md');
  assert.deepEqual(c.terraform?.paths, [join(dir, 'infra')]);
  assert.equal(c.breakGlass.rootIsBreakGlass, true);
  assert.equal(c.breakGlassDeclared, false);
  assert.equal(c.period.from, '2026-07-01');
  assert.equal(c.period.to, '2026-09-30');
});

test('a missing config file is its own error', () => {
  assert.throws(() => loadConfig('/nonexistent/evidence-pack.yaml'), (e: unknown) => e instanceof EvidencePackError && e.code === 'CONFIG_NOT_FOUND');
});

tableTest(
  'period forms',
  [
    { name: 'quarter', input: '2026-Q3' as unknown, from: '2026-07-01', to: '2026-09-30' },
    { name: 'Q4 crosses into the next year', input: '2026-Q4', from: '2026-10-01', to: '2026-12-31' },
    { name: 'month', input: '2026-02', from: '2026-02-01', to: '2026-02-28' },
    { name: 'leap month', input: '2028-02', from: '2028-02-01', to: '2028-02-29' },
    { name: 'year', input: '2026', from: '2026-01-01', to: '2026-12-31' },
    { name: 'from/to', input: { from: '2026-07-15', to: '2026-08-14' }, from: '2026-07-15', to: '2026-08-14' },
    { name: 'quarter 5', input: '2026-Q5', error: /expected a quarter/ },
    { name: 'impossible date', input: { from: '2026-02-30', to: '2026-03-01' }, error: /period\.from: expected an existing date/ },
    { name: 'to before from', input: { from: '2026-09-01', to: '2026-08-01' }, error: /is before/ },
  ] as { name: string; input: unknown; from?: string; to?: string; error?: RegExp }[],
  (c) => {
    const p = parsePeriod(c.input);
    if (c.error) return assert.match(p as string, c.error);
    assert.equal(typeof p, 'object', String(p));
    const period = p as Exclude<typeof p, string>;
    assert.equal(period.from, c.from);
    assert.equal(period.to, c.to);
    assert.equal(period.end.getTime() - new Date(`${c.to}T00:00:00Z`).getTime(), 86_400_000, 'end is exclusive, the day after `to`');
  },
);

test('cloudtrail.engine: what each engine needs, said with the key and line', () => {
  const base = 'organisation: Org\nperiod: 2026-Q3\n';
  const cases: { name: string; yaml: string; files?: Record<string, string>; ok?: (c: ReturnType<typeof loadConfig>) => void; problem?: RegExp }[] = [
    { name: 'default: scan', yaml: 'cloudtrail: {logs: [ct/]}\n', files: { 'ct/x.json': '{}' }, ok: (c) => assert.equal(c.cloudtrail?.engine, 'scan') },
    { name: 'duckdb over the logs', yaml: 'cloudtrail: {engine: duckdb, logs: [ct/]}\n', files: { 'ct/x.json': '{}' }, ok: (c) => assert.equal(c.cloudtrail?.engine, 'duckdb') },
    {
      name: 'athena with its table: workgroup defaults to primary',
      yaml: 'cloudtrail:\n  engine: athena\n  athena: {database: security, table: cloudtrail_logs, region: eu-west-1}\n',
      ok: (c) => assert.deepEqual(c.cloudtrail?.athena, { database: 'security', table: 'cloudtrail_logs', region: 'eu-west-1', workgroup: 'primary' }),
    },
    { name: 'athena without its table', yaml: 'cloudtrail:\n  logs: [ct/]\n  engine: athena\n', files: { 'ct/x.json': '{}' }, problem: /^cloudtrail\.engine \(line 5\): engine athena reads the table named in cloudtrail\.athena/m },
    { name: 'a table without engine athena', yaml: 'cloudtrail:\n  logs: [ct/]\n  athena: {database: security, table: t}\n', files: { 'ct/x.json': '{}' }, problem: /^cloudtrail\.athena \(line 5\): the Athena settings are read with cloudtrail\.engine: athena or securitylake/m },
    { name: 'duckdb without logs', yaml: 'cloudtrail:\n  engine: duckdb\n  athena: {database: security, table: t}\n', problem: /engine duckdb reads cloudtrail\.logs/ },
    { name: 'an engine that does not exist', yaml: 'cloudtrail: {engine: spark, logs: [ct/]}\n', files: { 'ct/x.json': '{}' }, problem: /cloudtrail\.engine.*must be equal to one of the allowed values|cloudtrail\.engine.*scan, duckdb, athena/ },
    {
      name: 'securitylake with its table, Athena’s workgroup and region',
      yaml: 'cloudtrail:\n  engine: securitylake\n  securitylake: {database: amazon_security_lake_glue_db_eu_west_1, table: amazon_security_lake_table_eu_west_1_cloud_trail_mgmt_2_0}\n  athena: {region: eu-west-1}\n',
      ok: (c) => {
        assert.equal(c.cloudtrail?.securitylake?.database, 'amazon_security_lake_glue_db_eu_west_1');
        assert.equal(c.cloudtrail?.athena?.workgroup, 'primary');
      },
    },
    { name: 'securitylake without its table', yaml: 'cloudtrail:\n  engine: securitylake\n  athena: {region: eu-west-1}\n', problem: /engine securitylake reads the table named in cloudtrail\.securitylake/ },
    { name: 'a table name that would change the SQL', yaml: "cloudtrail:\n  engine: athena\n  athena: {database: security, table: 'x\"; DROP TABLE y'}\n", problem: /cloudtrail\.athena\.table/ },
  ];
  for (const c of cases) {
    if (c.ok) {
      const dir = tempTree({ 'evidence-pack.yaml': base + c.yaml, ...c.files });
      c.ok(loadConfig(join(dir, 'evidence-pack.yaml')));
    } else assert.match(configError(base + c.yaml, c.files).details.join('\n'), c.problem!, c.name);
  }
});
