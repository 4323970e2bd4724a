// JUnit export: parsed with fast-xml-parser, one testcase per check, statuses mapped as docs/exports.md says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cli } from '../support/cli.js';
import { assess } from '../../src/index.js';
import { renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/model/report.js';
import type { Status } from '../../src/model/status.js';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(xml).testsuites.testsuite;
let cached: Promise<Report> | undefined;
const sample = () => (cached ??= assess('samples/level4-helvetia-health/evidence-pack.yaml', { sourceDateEpoch: 1_790_000_000 }).then((a) => a.report));

test('one testcase per check, in report order, and the counts match', async () => {
  const report = await sample();
  const xml = renderJunit(report);
  assert.equal(XMLValidator.validate(xml), true);
  const suite = parse(xml);
  assert.deepEqual(suite.testcase.map((t: { name: string }) => t.name), report.checks.map((c) => c.id));
  const count = (...s: Status[]) => report.checks.filter((c) => s.includes(c.status)).length;
  assert.equal(Number(suite.tests), report.checks.length);
  assert.equal(Number(suite.failures), count('fail', 'unknown'));
  assert.equal(Number(suite.errors), count('error'));
  assert.equal(Number(suite.skipped), count('manual', 'not_applicable'));
});

test('each status maps to its JUnit outcome; unknown is a failure, never a pass or a skip', async () => {
  const base = (await sample()).checks[0];
  const statuses: Status[] = ['pass', 'fail', 'unknown', 'error', 'manual', 'not_applicable'];
  const report = { ...(await sample()), checks: statuses.map((s) => ({ ...base, id: `x.${s}`, status: s, reason: `because ${s} <&> "quoted"` })) };
  const cases = Object.fromEntries(parse(renderJunit(report)).testcase.map((t: { name: string }) => [t.name, t]));
  const table: [Status, string | null, string | null][] = [
    ['pass', null, null],
    ['fail', 'failure', 'fail'],
    ['unknown', 'failure', 'unknown'],
    ['error', 'error', 'error'],
    ['manual', 'skipped', null],
    ['not_applicable', 'skipped', null],
  ];
  for (const [status, element, type] of table) {
    const t = cases[`x.${status}`];
    const outcomes = ['failure', 'error', 'skipped'].filter((k) => k in t);
    assert.deepEqual(outcomes, element ? [element] : [], status);
    if (element) assert.equal(t[element].message, `${status}: because ${status} <&> "quoted"`, 'message round-trips through escaping');
    if (type) assert.equal(t[element!].type, type);
  }
});

test('control characters and markup in evidence text cannot break the XML', async () => {
  const report = await sample();
  const evil = { ...report, organisation: 'A]]></testsuite>\u0000\u001b[31m', checks: report.checks.map((c) => ({ ...c, reason: '<![CDATA[ x ]]>\u0007 & </failure>' })) };
  const xml = renderJunit(evil);
  assert.equal(XMLValidator.validate(xml), true);
  assert.equal(parse(xml).testcase.length, report.checks.length);
});

test('`run --format junit`: JUnit on stdout, the same bytes as junit.xml in the pack, one testcase per check; job summary appended', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ep-junit-'));
  const r = cli(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', join(dir, 'pack'), '--format', 'junit', '--fail-on', 'fail'], { env: { GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
  assert.equal(r.code, 1, 'the sample has failing checks: the gate trips');
  assert.equal(r.stdout, readFileSync(join(dir, 'pack', 'junit.xml'), 'utf8'));
  const report = JSON.parse(readFileSync(join(dir, 'pack', 'report.json'), 'utf8'));
  assert.equal(parse(r.stdout).testcase.length, report.checks.length);
  assert.match(readFileSync(join(dir, 'summary.md'), 'utf8'), /Gate `--fail-on fail`: \*\*failed\*\*/);
});
