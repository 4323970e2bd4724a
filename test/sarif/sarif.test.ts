// iac.sarif: valid against the official SARIF 2.1.0 schema, and what GitHub code scanning needs (ids, help, URIs, lines, fingerprints).

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { checkIac, firstIacFile, iacSarif, IAC_CHECKS } from '../../src/iac.js';
import { buildSarif, SRCROOT } from '../../src/render/sarif.js';
import { CHAIN_FIXTURES } from '../iac/helpers.js';
import { git, makeRepo } from '../support/git.js';
import { SCHEMAS_DIR } from '../support/shared.js';

const SCHEMA = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv04({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(SCHEMA);

function assertValid(log: unknown): void {
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
}

/** A real git repository with the seed-literal fixture under infra/ and a CloudFormation template under cfn/. */
function repoWithInfra(): string {
  const files: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
      else files[`${rel}${n}`] = readFileSync(p, 'utf8');
    }
  };
  walk(join(CHAIN_FIXTURES, 'seed-literal'), 'platform/infra/');
  files['platform/cfn/trail.yaml'] = readFileSync(new URL('../../samples/iac-equivalence/cloudformation/trail.yaml', import.meta.url), 'utf8');
  return makeRepo([{ date: '2026-07-01T10:00:00Z', message: 'infra', files }]);
}

interface Result {
  ruleId: string;
  kind: string;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; endLine?: number; startColumn?: number } } }[];
  partialFingerprints: Record<string, string>;
}
const resultsOf = (log: Record<string, unknown>) => (log as { runs: { results: Result[] }[] }).runs[0].results;
const rulesOf = (log: Record<string, unknown>) => (log as { runs: { tool: { driver: { rules: { id: string; help: { text: string; markdown: string }; properties: Record<string, unknown> }[] } } }[] }).runs[0].tool.driver.rules;

describe('SARIF 2.1.0', () => {
  it('validates against the official schema, with repository-relative URIs from a sub-folder', async () => {
    const repo = repoWithInfra();
    const cwd = join(repo, 'platform');
    const r = await checkIac(['infra', 'cfn'], { cwd });
    assert.equal(r.repoPrefix, 'platform');
    const log = JSON.parse(iacSarif(r.results, r.repoPrefix).toString('utf8'));
    assertValid(log);
    const results = resultsOf(log);
    assert.ok(results.length > 0);
    for (const res of results.filter((x) => x.locations)) {
      const loc = res.locations![0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, SRCROOT);
      assert.match(loc.artifactLocation.uri, /^platform\/(infra\/[a-z]+\.tf|cfn\/trail\.yaml)$/);
      assert.ok(loc.region!.startLine >= 1 && loc.region!.endLine! >= loc.region!.startLine, JSON.stringify(loc.region));
    }
    // The seed's ct/cloudtrail mix-up, located on the log group the filters are missing from, with start and end lines. (Checked alone:
    // the template's log group has the same name as ct, and log groups are matched by name across sources.)
    const alone = await checkIac(['infra'], { cwd });
    const chain = resultsOf(JSON.parse(iacSarif(alone.results, alone.repoPrefix).toString('utf8'))).find((x) => x.ruleId === 'waf-sov-070.tf.aws.alarm-chain-console-signin-without-mfa' && x.message.text.includes('aws_cloudwatch_log_group.ct'));
    assert.ok(chain, JSON.stringify(results.map((x) => x.message.text)));
    assert.equal(chain.kind, 'fail');
    assert.equal(chain.level, 'error');
    assert.equal(chain.locations![0].physicalLocation.artifactLocation.uri, 'platform/infra/supporting.tf');
  });

  it('has one rule per IaC check, ids equal to check ids, help as text and markdown, security-severity', async () => {
    const r = await checkIac([join(CHAIN_FIXTURES, 'complete')], { cwd: CHAIN_FIXTURES });
    const log = buildSarif({ results: r.results, rules: IAC_CHECKS.map((c) => c.meta), repoPrefix: '', toolVersion: '0.0.0' });
    assertValid(log);
    const rules = rulesOf(log);
    assert.deepEqual(rules.map((x) => x.id), IAC_CHECKS.map((c) => c.meta.id).sort());
    for (const rule of rules) {
      const meta = IAC_CHECKS.find((c) => c.meta.id === rule.id)!.meta;
      assert.ok(rule.help.text.includes(meta.remediation) && rule.help.markdown.includes(meta.remediation));
      const sev = Number(rule.properties['security-severity']);
      assert.ok(sev > 0 && sev <= 10);
      assert.equal(sev >= 9, meta.severity === 'critical', rule.id);
    }
    // Every ruleIndex points at its rule.
    for (const res of resultsOf(log) as (Result & { ruleIndex: number })[]) assert.equal(rules[res.ruleIndex].id, res.ruleId);
  });

  it('fingerprints survive moved lines; output is byte-identical for the same input', async () => {
    const repo = repoWithInfra();
    const cwd = join(repo, 'platform');
    const before = await checkIac(['infra'], { cwd });
    const a = iacSarif(before.results, before.repoPrefix);
    assert.deepEqual(a, iacSarif((await checkIac(['infra'], { cwd })).results, before.repoPrefix));
    const file = join(cwd, 'infra/supporting.tf');
    writeFileSync(file, '\n\n\n' + readFileSync(file, 'utf8'));
    git(repo, ['commit', '-qam', 'move lines']);
    const after = await checkIac(['infra'], { cwd });
    const b = iacSarif(after.results, after.repoPrefix);
    const fp = (buf: Buffer) => resultsOf(JSON.parse(buf.toString())).map((x) => [x.ruleId, x.partialFingerprints['evidencePackFinding/v1'], x.locations?.[0].physicalLocation.region?.startLine]);
    const [fa, fb] = [fp(a), fp(b)];
    assert.deepEqual(fa.map((x) => x.slice(0, 2)), fb.map((x) => x.slice(0, 2)), 'same fingerprints');
    const moved = fa.filter((x, i) => x[2] !== undefined && fb[i][2] !== x[2]);
    assert.ok(moved.length > 0 && moved.every((x) => fb.some((y) => y[1] === x[1] && y[2] === (x[2] as number) + 3)), 'supporting.tf results moved 3 lines down');
  });

  it('every result has a location (GitHub rejects results without one): repository-level findings point at the fallback file', async () => {
    const repo = makeRepo([{ date: '2026-07-01T10:00:00Z', message: 'only a bucket', files: { 'infra/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n' } }]);
    const r = await checkIac(['infra'], { cwd: repo });
    const log = JSON.parse(iacSarif(r.results, r.repoPrefix, firstIacFile(r.snapshots)).toString('utf8'));
    assertValid(log);
    const results = resultsOf(log);
    // One defect, one result: every trail check and chain says "no trail", the first failing check reports it.
    const noTrails = results.filter((x) => x.kind === 'fail' && /no CloudTrail trail is defined/.test(x.message.text));
    assert.deepEqual(noTrails.map((x) => x.ruleId), ['waf-sov-070.tf.aws.cloudtrail-logging-enabled']);
    const noTrail = noTrails[0];
    assert.deepEqual(noTrail.locations![0].physicalLocation, { artifactLocation: { uri: 'infra/main.tf', uriBaseId: SRCROOT }, region: { startLine: 1 } });
    assert.ok(results.every((x) => x.locations && x.locations.length === 1));
  });

  it('unknown results are reviews (level none); a file outside the repository keeps its path without a base', () => {
    const meta = IAC_CHECKS[0].meta;
    const log = buildSarif({
      results: [
        { id: meta.id, title: meta.title, severity: meta.severity, status: 'unknown', reason: 'r', locations: [], evidenceRefs: [], remediation: '', findings: [{ status: 'unknown', message: 'x cannot be known statically', location: { file: 'main.tf', line: 3, column: 5, endLine: 3, endColumn: 9 } }] },
      ],
      rules: [meta],
      repoPrefix: '',
      toolVersion: '0.0.0',
    });
    assertValid(log);
    const [res] = resultsOf(log);
    assert.deepEqual([res.kind, res.level], ['review', 'none']);
    assert.deepEqual(res.locations![0].physicalLocation.region, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 9 });
    const outside = buildSarif({ results: [{ ...(log as never as { x: never }), id: meta.id, title: '', severity: 'high', status: 'fail', reason: 'r', locations: [], evidenceRefs: [], remediation: '', findings: [{ status: 'fail', message: 'm', location: { file: '../elsewhere/main.tf', line: 1 } }] }], rules: [meta], repoPrefix: '', toolVersion: '0' });
    assertValid(outside);
    assert.deepEqual(resultsOf(outside)[0].locations![0].physicalLocation.artifactLocation, { uri: '../elsewhere/main.tf' });
  });
});
