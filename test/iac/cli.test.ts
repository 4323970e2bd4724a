// `evidence-pack iac` through a real process: exit codes 0/1/2, the three formats, file lists from pre-commit, help; iac.sarif in the pack.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../support/cli.js';
import { tempTree } from '../support/evidence.js';
import { CHAIN_FIXTURES, REPO } from './helpers.js';

const COMPLETE = join(CHAIN_FIXTURES, 'complete');
const config = (tfPath: string) =>
  join(
    tempTree({ 'evidence-pack.yaml': `organisation: T\nperiod: 2026-Q3\nterraform: {paths: [${tfPath}]}\nbreakGlass:\n  roles: ["arn:aws:iam::111122223333:role/BreakGlassAdmin"]\n  users: [break-glass-responder-01]\n` }),
    'evidence-pack.yaml',
  );

test('clean infrastructure: exit 0, every IaC check passes', () => {
  const r = cli(['iac', COMPLETE, '--config', config(COMPLETE)]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^evidence-pack iac · 1 Terraform root \(3 files\) · 12 checks: 12 pass\n$/);
});

test('findings: exit 1, each failing check with its reason and file:line', () => {
  const r = cli(['iac', 'test/fixtures/chain/seed-literal'], { cwd: REPO });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /FAIL {4}waf-sov-070\.tf\.aws\.alarm-chain-root-usage \(critical\)\n {8}first broken link: metric filter: no metric filter is defined on aws_cloudwatch_log_group\.ct/);
  assert.match(r.stdout, /at test\/fixtures\/chain\/seed-literal\/alarms\.tf:\d+:\d+/);
  // Without declared identities the break-glass chain is unknown: reported, and on its own it would not fail the hook.
  assert.match(r.stdout, /UNKNOWN waf-sov-070\.tf\.aws\.alarm-chain-break-glass-role-assumption/);
});

test('pre-commit file lists: .tf files stand for their folder, templates and plans are recognised', () => {
  const r = cli(['iac', '--format', 'json', 'samples/iac-equivalence/terraform/main.tf', 'samples/iac-equivalence/terraform/locals.tf', 'samples/iac-equivalence/terraform/terraform.tfvars', 'samples/iac-equivalence/plan/plan.json', 'samples/iac-equivalence/cloudformation/trail.yaml'], { cwd: REPO });
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.inputs, {
    terraform: ['samples/iac-equivalence/terraform'],
    planJson: ['samples/iac-equivalence/plan/plan.json'],
    varFiles: ['samples/iac-equivalence/terraform/terraform.tfvars'],
    cloudformation: ['samples/iac-equivalence/cloudformation/trail.yaml'],
  });
  const byId = Object.fromEntries(j.checks.map((c: { id: string; status: string }) => [c.id, c.status]));
  assert.equal(byId['waf-sov-070.tf.aws.alarm-chain-root-usage'], 'pass');
  assert.equal(byId['waf-sov-070.tf.aws.cloudtrail-bucket-object-lock'], 'fail');
  assert.equal(j.summary.pass + j.summary.fail + j.summary.unknown, j.checks.length);
});

test('--format sarif to a file: SARIF 2.1.0 with file URIs relative to the repository root', () => {
  const out = join(tempTree({}), 'iac.sarif');
  const r = cli(['iac', 'seed-literal', '--format', 'sarif', '--output', out], { cwd: CHAIN_FIXTURES });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const log = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(log.version, '2.1.0');
  const uris = new Set(log.runs[0].results.flatMap((x: { locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => (x.locations ?? []).map((l) => l.physicalLocation.artifactLocation.uri)));
  assert.ok([...uris].length > 0 && [...uris].every((u) => /^test\/fixtures\/chain\/seed-literal\/[a-z]+\.tf$/.test(u as string)), JSON.stringify([...uris]));
});

const usage: { name: string; args: string[]; stderr: RegExp }[] = [
  { name: 'a path that does not exist', args: ['iac', 'no/such/dir'], stderr: /^error: no\/such\/dir: no such file or folder\n/ },
  { name: 'a file of no IaC kind', args: ['iac', 'README.md'], stderr: /README\.md: not a Terraform \(\.tf, \.tfvars\), plan JSON or CloudFormation/ },
  { name: 'an unknown format', args: ['iac', COMPLETE, '--format', 'xml'], stderr: /--format: expected one of text, json, sarif, got "xml"/ },
  { name: 'only a var file', args: ['iac', 'samples/iac-equivalence/terraform/terraform.tfvars'], stderr: /no Terraform folder, plan JSON or CloudFormation template among the paths given/ },
  { name: 'no paths', args: ['iac'], stderr: /missing required argument 'paths'/ },
];
for (const u of usage) {
  test(`usage error (${u.name}): exit 2, one line naming the problem, no stack trace`, () => {
    const r = cli(u.args, { cwd: REPO });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, u.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}

test('--help shows examples and the exit codes', () => {
  const r = cli(['iac', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /\$ evidence-pack iac infra\/ --format sarif --output iac\.sarif/);
  assert.match(r.stdout, /Exit codes: 0 no failing check, 1 a check failed/);
});

test('run writes iac.sarif into the pack', () => {
  const cfg = config(COMPLETE);
  const dir = join(tempTree({}), 'pack');
  const r = cli(['run', cfg, '--out', dir, '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'iac.sarif')));
  const log = JSON.parse(readFileSync(join(dir, 'iac.sarif'), 'utf8'));
  assert.equal(log.runs[0].tool.driver.rules.length, 12);
  assert.deepEqual(log.runs[0].results, [], 'a clean configuration has no results');
});
