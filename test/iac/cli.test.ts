// `evidence-pack iac` through a real process: exit codes 0/1/2, the three formats, file lists from pre-commit, help; iac.sarif in the pack.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, cli, type CliResult } from '../support/cli.js';
import { git, makeRepo } from '../support/git.js';
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

test('pre-commit file lists: .tf files stand for their root module, templates and plans are recognised', () => {
  const r = cli(['iac', '--format', 'json', 'samples/iac-equivalence/terraform/main.tf', 'samples/iac-equivalence/terraform/locals.tf', 'samples/iac-equivalence/terraform/terraform.tfvars', 'samples/iac-equivalence/plan/plan.json', 'samples/iac-equivalence/cloudformation/trail.yaml'], { cwd: REPO });
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  // terraform.tfvars is loaded by its root module by itself: it stands for that root, not for an extra var file.
  assert.deepEqual(j.inputs, {
    terraform: [],
    roots: ['samples/iac-equivalence/terraform'],
    planJson: ['samples/iac-equivalence/plan/plan.json'],
    varFiles: [],
    cloudformation: ['samples/iac-equivalence/cloudformation/trail.yaml'],
    ignored: [],
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
  { name: 'a folder with no IaC in it', args: ['iac', 'docs'], stderr: /^error: docs: no Terraform \(\.tf\), `terraform show -json` output or CloudFormation template in this folder or below it\n/ },
  { name: 'an unknown format', args: ['iac', COMPLETE, '--format', 'xml'], stderr: /--format: expected one of text, json, sarif, got "xml"/ },
  // A var file Terraform does not load by itself needs a root given alongside (terraform.tfvars stands for its root).
  { name: 'only a var file', args: ['iac', join(tempTree({ 'prod.tfvars': 'x = 1\n' }), 'prod.tfvars')], stderr: /no Terraform folder, plan JSON or CloudFormation template among the paths given/ },
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

// Whole repositories and pre-commit hooks.
const REPO_FILES: Record<string, string> = {
  'README.md': '# infra\n',
  '.github/workflows/ci.yaml': 'on: push\njobs: {}\n',
  'infra/logging/main.tf':
    'resource "aws_cloudtrail" "org" {\n  name = "org"\n  s3_bucket_name = aws_s3_bucket.logs.id\n  is_multi_region_trail = true\n  enable_log_file_validation = true\n  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"\n}\nresource "aws_s3_bucket" "logs" {\n  bucket = "org-trail-logs"\n}\nresource "aws_cloudwatch_log_group" "trail" {\n  name = "org-trail"\n}\nmodule "block" {\n  source = "../../modules/block"\n  bucket = aws_s3_bucket.logs.id\n}\n',
  'modules/block/main.tf':
    'variable "bucket" {}\nresource "aws_s3_bucket_public_access_block" "this" {\n  bucket = var.bucket\n  block_public_acls = true\n  block_public_policy = true\n  ignore_public_acls = true\n  restrict_public_buckets = true\n}\n',
  // The alarms live in another root and meet the trail's log group by name.
  'infra/alarms/main.tf':
    'resource "aws_cloudwatch_log_metric_filter" "root" {\n  name = "root"\n  log_group_name = "org-trail"\n  pattern = "{ $.userIdentity.type = \\"Root\\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \\"AwsServiceEvent\\" }"\n  metric_transformation {\n    name = "RootUsage"\n    namespace = "CIS"\n    value = "1"\n  }\n}\nresource "aws_cloudwatch_metric_alarm" "root" {\n  alarm_name = "root"\n  metric_name = "RootUsage"\n  namespace = "CIS"\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n  evaluation_periods = 1\n  period = 300\n  statistic = "Sum"\n  threshold = 1\n  alarm_actions = ["arn:aws:sns:eu-west-1:111122223333:security"]\n}\nresource "aws_sns_topic" "security" {\n  name = "security"\n}\nresource "aws_sns_topic_subscription" "oncall" {\n  topic_arn = aws_sns_topic.security.arn\n  protocol = "email"\n  endpoint = "oncall@example.org"\n}\n',
  'infra/alarms/.terraform/modules/junk/main.tf': 'resource "aws_cloudtrail" "junk" {\n  name = "junk"\n}\n',
  'vendor/thing/main.tf': 'resource "aws_cloudtrail" "vendored" {\n  name = "v"\n}\n',
};

test('`iac .` at a repository root finds every root module and reads them together; findings name their root', () => {
  const repo = makeRepo([{ date: '2026-07-01T10:00:00Z', message: 'infra', files: REPO_FILES }]);
  const r = cli(['iac', '.', '--format', 'json'], { cwd: repo });
  const j = JSON.parse(r.stdout);
  // modules/block is used only as a local module; .terraform and vendor are skipped.
  assert.deepEqual(j.roots, ['infra/alarms', 'infra/logging']);
  const byId = Object.fromEntries(j.checks.map((c: { id: string; status: string; reason: string }) => [c.id, c]));
  assert.equal(byId['waf-sov-070.tf.aws.cloudtrail-enabled-all-regions'].status, 'pass');
  assert.equal(byId['waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public'].status, 'pass', byId['waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public'].reason);
  assert.equal(byId['waf-sov-070.tf.aws.cloudwatch-alarm-root-login'].status, 'pass');
  assert.match(byId['waf-sov-070.tf.aws.alarm-chain-root-usage'].reason, /infra\/logging#aws_cloudtrail\.org → infra\/alarms#aws_cloudwatch_log_metric_filter\.root → infra\/alarms#aws_cloudwatch_metric_alarm\.root → infra\/alarms#aws_sns_topic\.security → infra\/alarms#aws_sns_topic_subscription\.oncall/);
  assert.match(byId['waf-sov-070.tf.aws.cloudtrail-bucket-object-lock'].reason, /^infra\/logging#aws_s3_bucket\.logs: Object Lock is not enabled/);
  assert.equal(r.code, 1, r.stderr);
});

test('a folder is searched for `terraform show -json` documents too: a folder of plans is checked, other JSON is not read', () => {
  const plan = readFileSync(join(REPO, 'samples/iac-equivalence/plan/plan.json'), 'utf8');
  const dir = tempTree({ 'prod/tfplan.json': plan, 'package.json': '{"name": "x", "format_version": "1.0"}\n', 'settings.json': '{"values": {}}\n' });
  const r = cli(['iac', '.', '--format', 'json'], { cwd: dir });
  const j = JSON.parse(r.stdout);
  assert.deepEqual([j.inputs.terraform, j.inputs.planJson, j.inputs.cloudformation], [[], ['prod/tfplan.json'], []]);
  assert.equal(j.checks.find((c: { id: string }) => c.id === 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions').status, 'pass');
});

/** Runs the documented pre-commit recipe in `repo` and returns the CLI's result. */
function preCommit(repo: string): CliResult {
  const r = spawnSync('sh', ['-c', `git diff --cached --name-only -z --diff-filter=d | xargs -0 ${CLI.map((a) => `'${a}'`).join(' ')} iac`], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('the pre-commit recipe: nothing staged, or only files that are not IaC, is a clean exit 0', () => {
  const repo = makeRepo([{ date: '2026-07-01T10:00:00Z', message: 'infra', files: REPO_FILES }]);
  let r = preCommit(repo);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'evidence-pack iac · nothing to check: no paths given\n', '']);
  writeFileSync(join(repo, '.github/workflows/ci.yaml'), 'on: [push, pull_request]\njobs: {}\n');
  git(repo, ['add', '-A']);
  r = preCommit(repo);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'evidence-pack iac · nothing to check: the file given is not Terraform, a plan or a CloudFormation template\n', '']);
});

test('the pre-commit recipe: a staged local module checks the roots that use it', () => {
  const repo = makeRepo([{ date: '2026-07-01T10:00:00Z', message: 'infra', files: REPO_FILES }]);
  writeFileSync(join(repo, 'modules/block/main.tf'), REPO_FILES['modules/block/main.tf'].replace('restrict_public_buckets = true', 'restrict_public_buckets = false'));
  writeFileSync(join(repo, 'README.md'), '# changed\n');
  git(repo, ['add', '-A']);
  const r = preCommit(repo);
  // xargs exits 123 when the command it runs exits 1: the hook fails either way.
  assert.equal(r.code, 123, r.stdout + r.stderr);
  assert.match(r.stdout, /^evidence-pack iac · 1 Terraform root \(\d+ files; 1 file not IaC, ignored\)/);
  assert.match(r.stdout, /FAIL {4}waf-sov-070\.tf\.aws\.cloudtrail-s3-bucket-not-public[^\n]*\n[^\n]*restrict_public_buckets = false/);
  assert.match(r.stdout, /at modules\/block\/main\.tf:7:3/);
});
