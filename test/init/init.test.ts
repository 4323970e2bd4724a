// `init` on real temporary repositories: what it detects, that the written config loads and runs, and that it never overwrites silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cli } from '../support/cli.js';
import { makeRepo } from '../support/git.js';
import { loadConfig } from '../../src/config/load.js';
import { CONFIG_SCHEMA_URL, detectRepository, renderInitConfig } from '../../src/cli/commands/init.js';

const TF = 'resource "aws_cloudtrail" "main" {\n  name = "org"\n  is_multi_region_trail = true\n}\n';
const CFN = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: {IsLogging: true, S3BucketName: b}\n';

function platformRepo(): string {
  return makeRepo([
    {
      date: '2026-05-04T09:00:00Z',
      message: 'platform',
      files: {
        'infra/main.tf': TF,
        'infra/modules/net/vpc.tf': '# vpc\n',
        'docs/runbooks/break-glass.md': '# Break-glass runbook\n',
        'runbooks/db-restore.md': '# Restore\n',
        'cfn/trail.yaml': CFN,
        'cfn/not-a-template.yaml': 'key: value\n',
        'cdk.out/Stack.template.json': '{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}',
        'node_modules/pkg/ignored.tf': TF,
        '.terraform/modules/ignored.tf': TF,
        'README.md': '# platform\n',
      },
    },
  ]);
}

test('detects git, Terraform folders, CloudFormation / cdk.out and the break-glass runbook; skips dependency folders', async () => {
  const d = await detectRepository(platformRepo());
  assert.ok(d.git);
  assert.deepEqual(d.terraform, ['infra/', 'infra/modules/net/']);
  assert.deepEqual(d.cloudformation, ['cdk.out/', 'cfn/trail.yaml']);
  assert.deepEqual(d.runbooks, ['docs/runbooks/break-glass.md', 'runbooks/db-restore.md'], 'a break-glass name first, then runbooks/*.md');
});

test('the written config carries the $schema line, loads with loadConfig, and `run` works on it', () => {
  const repo = platformRepo();
  const r = cli(['init', '--dir', repo]);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(repo, 'evidence-pack.yaml'), 'utf8');
  assert.equal(text.split('\n')[0], `# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
  assert.match(text, /^# .*/m, 'commented');
  const cfg = loadConfig(join(repo, 'evidence-pack.yaml'));
  assert.equal(cfg.runbook?.path, 'docs/runbooks/break-glass.md');
  assert.deepEqual(cfg.terraform?.paths.map((p) => p.replace(repo, '').replace(/\/$/, '')), ['/infra', '/infra/modules/net']);
  assert.equal(cfg.cloudformation?.paths.length, 2);
  assert.match(r.stdout, /runbook: docs\/runbooks\/break-glass\.md/);
  const run = cli(['run', join(repo, 'evidence-pack.yaml'), '--out', join(mkdtempSync(join(tmpdir(), 'ep-init-out-')), 'pack'), '--json']);
  assert.equal(run.code, 0, run.stderr);
  const checks = JSON.parse(run.stdout).checks;
  assert.ok(checks.pass + checks.fail > 0, 'the detected sources were evaluated');
});

test('refuses to overwrite without --force (exit 2, one-line error with a hint); --force replaces it', () => {
  const repo = platformRepo();
  assert.equal(cli(['init', '--dir', repo]).code, 0);
  writeFileSync(join(repo, 'evidence-pack.yaml'), 'organisation: Mine\nperiod: 2026\n');
  const again = cli(['init', '--dir', repo]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^error: .*evidence-pack\.yaml already exists; not overwriting it\nhint: pass --force/);
  assert.equal(readFileSync(join(repo, 'evidence-pack.yaml'), 'utf8'), 'organisation: Mine\nperiod: 2026\n');
  assert.equal(cli(['init', '--dir', repo, '--force']).code, 0);
  assert.match(readFileSync(join(repo, 'evidence-pack.yaml'), 'utf8'), /yaml-language-server/);
});

test('a folder with nothing to detect (no git) still gets a config that loads, with every source commented out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ep-init-empty-'));
  const r = cli(['init', '--dir', dir], { env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
  assert.equal(r.code, 0, r.stderr);
  const cfg = loadConfig(join(dir, 'evidence-pack.yaml'));
  assert.equal(cfg.runbook, undefined);
  assert.equal(cfg.terraform, undefined);
  assert.match(r.stdout, /git repository: no/);
});

test('awkward folder and file names are quoted so the YAML still loads', () => {
  const names = ['it\'s: "odd" # not a comment', 'dir with spaces', 'ünïcödé', '- dash', '{braces}'];
  for (const name of names) {
    const root = join(mkdtempSync(join(tmpdir(), 'ep-init-q-')), name);
    const tfDir = join(root, name);
    mkdirSync(tfDir, { recursive: true });
    writeFileSync(join(tfDir, 'main.tf'), TF);
    const file = join(root, 'evidence-pack.yaml');
    const text = renderInitConfig({ root, git: null, terraform: [`${name}/`], cloudformation: [], runbooks: [`${name}/break-glass.md`] }, new Date('2026-11-23T00:00:00Z'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    const cfg = loadConfig(file);
    assert.equal(cfg.organisation, name, name);
    assert.equal(cfg.runbook?.path, `${name}/break-glass.md`);
    assert.equal(cfg.period.label, '2026-Q4');
  }
});
