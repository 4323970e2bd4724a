// Bad input never crashes the collector: each case is reported with file, position and reason; the rest is collected.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { isUnknown, type InfraSnapshot, type Trail } from '../../src/model/infra.js';
import { tempTree } from './helpers.js';

const bucket = (n: number) => `resource "aws_s3_bucket" "b${n}" {\n  bucket = "bucket-${n}"\n}\n`;

async function collect(files: Record<string, string | Buffer>, opts: { paths?: string[]; varFiles?: string[]; planJson?: string[]; before?: (dir: string) => void } = {}) {
  const t = tempTree(files);
  try {
    opts.before?.(t.dir);
    return await collectTerraform({ paths: opts.paths ?? ['.'], varFiles: opts.varFiles, planJson: opts.planJson, baseDir: t.dir });
  } finally {
    t.cleanup();
  }
}

function problem(s: InfraSnapshot, re: RegExp) {
  const p = s.problems.find((x) => re.test(x.message));
  assert.ok(p, `no problem matching ${re}; got ${JSON.stringify(s.problems.map((x) => x.message))}`);
  return p;
}

describe('syntax errors', () => {
  it('a syntax error in one of many files is reported with file:line:column; the other files are collected', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.tf`] = bucket(i);
    files['f3.tf'] = 'resource "aws_s3_bucket" "b3" {\n  bucket = "bucket-3"\n  acl = = "private"\n}\n';
    const [s] = await collect(files);
    const p = problem(s, /syntax error in f3\.tf:3:\d+/);
    assert.equal(p.level, 'error');
    assert.deepEqual([p.location?.file, p.location?.line], ['f3.tf', 3]);
    assert.ok((p.location?.column ?? 0) >= 1);
    assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b0', 'aws_s3_bucket.b1', 'aws_s3_bucket.b2', 'aws_s3_bucket.b4', 'aws_s3_bucket.b5']);
  });
  it('a broken tfvars file is reported and its values are not used', async () => {
    const [s] = await collect({ 'main.tf': 'variable "n" { default = "d" }\nresource "aws_sns_topic" "t" { name = var.n }\n', 'terraform.tfvars': 'n = "x\n' });
    problem(s, /syntax error in terraform\.tfvars:1:\d+/);
    assert.equal((s.entities[0] as { name: { value: unknown } }).name.value, 'd');
  });
  it('invalid JSON in a .tfvars.json file names line and column', async () => {
    const [s] = await collect({ 'main.tf': bucket(1), 'x.auto.tfvars.json': '{\n  "n": ,\n}' });
    const p = problem(s, /invalid JSON in x\.auto\.tfvars\.json:2:\d+/);
    assert.equal(p.location?.line, 2);
  });
});

describe('files that are skipped, with a reason', () => {
  it('binary file', async () => {
    const [s] = await collect({ 'main.tf': bucket(1), 'blob.tf': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]) });
    // Present but unreadable: an error (its resources are unknown), reported once for the file.
    const p = problem(s, /blob\.tf cannot be read: binary file/);
    assert.equal(p.level, 'error');
    assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b1']);
    assert.ok(!s.files.some((f) => f.path === 'blob.tf'));
  });
  it('invalid UTF-8 counts as binary', async () => {
    const [s] = await collect({ 'main.tf': bucket(1), 'latin1.tf': Buffer.from('# caf\xe9\n', 'latin1') });
    problem(s, /latin1\.tf cannot be read: binary file \(not valid UTF-8\)/);
  });
  it('file over 10 MB', async () => {
    const [s] = await collect({ 'main.tf': bucket(1), 'huge.tf': Buffer.alloc(10 * 1024 * 1024 + 1, 0x20) });
    // Not read at all: a gap that makes an absence unknown.
    assert.equal(problem(s, /skipped huge\.tf: larger than 10 MB \(10485761 bytes\)/).skip, 'too-large');
    assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b1']);
  });
  it('symbolic link leaving the configured root; a link inside the root is followed', async () => {
    const outside = tempTree({ 'evil.tf': bucket(9) });
    try {
      const [s] = await collect(
        // The link's target is not a .tf file itself, so that folder is not a root module of its own.
        { 'infra/main.tf': bucket(1), 'infra/shared/inner.hcl': bucket(2) },
        {
          paths: ['infra'],
          before: (dir) => {
            symlinkSync(join(outside.dir, 'evil.tf'), join(dir, 'infra', 'evil.tf'));
            symlinkSync(join(dir, 'infra', 'shared', 'inner.hcl'), join(dir, 'infra', 'inner.tf'));
          },
        },
      );
      const p = problem(s, /skipped infra\/evil\.tf: symbolic link leaves the configured root/);
      assert.equal(p.location?.file, 'infra/evil.tf');
      assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b1', 'aws_s3_bucket.b2']);
    } finally {
      outside.cleanup();
    }
  });
});

describe('symbolic links on the way to a file', () => {
  it('a module folder that is a link out of the root is not read', async () => {
    const outside = tempTree({ 'evil/main.tf': bucket(9) });
    try {
      const [s] = await collect(
        { 'infra/main.tf': `module "m" {\n  source = "./linked"\n}\n${bucket(1)}` },
        { paths: ['infra'], before: (dir) => symlinkSync(join(outside.dir, 'evil'), join(dir, 'infra', 'linked')) },
      );
      const p = problem(s, /skipped infra\/linked\/main\.tf: symbolic link leaves the configured root/);
      assert.ok(!p.message.includes(outside.dir), 'the target is named relative to the config folder, not as a local absolute path');
      assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b1']);
    } finally {
      outside.cleanup();
    }
  });
});

describe('modules', () => {
  it('cyclic module references are reported with the chain', async () => {
    const [s] = await collect({
      'main.tf': 'module "a" {\n  source = "./a"\n}\n',
      'a/main.tf': `module "b" {\n  source = "../b"\n}\n${bucket(1)}`,
      'b/main.tf': `module "a" {\n  source = "../a"\n}\n${bucket(2)}`,
    });
    const p = problem(s, /cyclic module reference \(a → b → a\)/);
    assert.equal(p.level, 'error');
    assert.deepEqual([p.location?.file, p.location?.line], ['b/main.tf', 1]);
    assert.deepEqual(s.entities.map((e) => e.id), ['module.a.aws_s3_bucket.b1', 'module.a.module.b.aws_s3_bucket.b2']);
  });
  it('a module that includes its own folder is a cycle', async () => {
    const [s] = await collect({ 'main.tf': `module "self" {\n  source = "./"\n}\n${bucket(1)}` });
    problem(s, /module\.self: cyclic module reference/);
    assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b1']);
  });
  it('a missing module folder is reported', async () => {
    const [s] = await collect({ 'main.tf': 'module "gone" {\n  source = "./modules/gone"\n}\n' });
    const p = problem(s, /module\.gone: module folder modules\/gone does not exist/);
    assert.equal(p.location?.line, 1);
  });
  it('an output of a registry module is unknown, not guessed', async () => {
    const [s] = await collect({
      'main.tf': 'module "logs" {\n  source = "git::https://example.com/logs.git"\n}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = module.logs.bucket_id\n}\n',
    });
    const trail = s.entities[0] as { bucket: { value: { unknown?: string } } };
    assert.match(trail.bucket.value.unknown ?? '', /git::https:\/\/example\.com\/logs\.git/);
  });
});

describe('paths and references that do not exist', () => {
  it('a missing root path is reported by name; other roots are still collected', async () => {
    const snaps = await collect({ 'ok/main.tf': bucket(1) }, { paths: ['nope', 'ok'] });
    assert.equal(snaps.length, 2);
    assert.deepEqual(snaps[0].problems.map((p) => p.message), ['Terraform path nope does not exist']);
    // Two roots read together: ids carry their root.
    assert.deepEqual(snaps[1].entities.map((e) => e.id), ['ok#aws_s3_bucket.b1']);
  });
  it('a folder without .tf files in it or below it is reported', async () => {
    const [s] = await collect({ 'infra/sub/README.md': 'none here\n' }, { paths: ['infra'] });
    problem(s, /Terraform path infra contains no \.tf files in it or its sub-folders/);
  });
  it('a missing var file is reported', async () => {
    const [s] = await collect({ 'main.tf': bucket(1) }, { varFiles: ['env/prod.tfvars'] });
    problem(s, /variable file env\/prod\.tfvars does not exist/);
  });
  it('undeclared variables and resources are reported where they are used', async () => {
    const [s] = await collect({ 'main.tf': 'resource "aws_cloudtrail" "t" {\n  name = var.nope\n  s3_bucket_name = aws_s3_bucket.gone.id\n}\n' });
    // An unknown value where it is used, not an error: checks that do not read it keep their verdicts.
    const v = problem(s, /var\.nope is not declared in the root module \.; what reads it is unknown/);
    const r = problem(s, /aws_s3_bucket\.gone is not declared in the root module \.; what reads it is unknown/);
    assert.deepEqual([v.level, v.location?.line, r.level, r.location?.line], ['warning', 2, 'warning', 3]);
    const t = s.entities[0] as Trail;
    assert.ok(isUnknown(t.name.value) && isUnknown(t.bucket.value));
  });
  it('a value for an undeclared variable is a warning', async () => {
    const [s] = await collect({ 'main.tf': bucket(1), 'terraform.tfvars': 'typo_name = "x"\n' });
    assert.equal(problem(s, /undeclared variable "typo_name"/).location?.file, 'terraform.tfvars');
  });
  it('a path given as a single .tf file is collected on its own', async () => {
    const [s] = await collect({ 'one.tf': bucket(1), 'two.tf': bucket(2) }, { paths: ['one.tf'] });
    assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b1']);
  });
});

describe('plan files', () => {
  const cases: { name: string; content?: string; re: RegExp }[] = [
    { name: 'missing plan file', re: /plan file plan\.json does not exist/ },
    { name: 'not JSON', content: '{\n  "planned_values": oops\n}', re: /invalid JSON in plan\.json:2:\d+/ },
    { name: 'neither plan nor state', content: '{"format_version":"1.0","terraform_version":"1.9.0"}', re: /this is not a plan or state document/ },
    { name: 'format 0.3 (no such version)', content: '{"format_version": "0.3", "planned_values": {"root_module": {}}}', re: /format_version 0\.3 is not supported \(expected 0\.1, 0\.2 or 1\.x\)/ },
    { name: 'an unrelated JSON document', content: '[1, 2]', re: /expected "planned_values\.root_module" .* or "values\.root_module"/ },
    { name: 'an unsupported major format version', content: '{"format_version": "2.0", "planned_values": {"root_module": {}}}', re: /format_version 2\.0 is not supported/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const files: Record<string, string> = { 'main.tf': bucket(1) };
      if (c.content !== undefined) files['plan.json'] = c.content;
      const snaps = await collect(files, { paths: [], planJson: ['plan.json'] });
      assert.equal(snaps.length, 1);
      assert.equal(snaps[0].origin, 'terraform-plan');
      assert.deepEqual(snaps[0].entities, []);
      assert.equal(problem(snaps[0], c.re).level, 'error');
    });
  }
});

describe('robustness', () => {
  it('every truncation of real configurations is collected or reported, never thrown', async () => {
    const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'terraform');
    const sources = ['seed-compliant/supporting.tf', 'seed-compliant/alarms.tf', 'modules/locals.tf', 'modules/modules/audit/main.tf'].map((f) => readFileSync(join(fixtures, f), 'utf8'));
    const t = tempTree({});
    try {
      let reported = 0;
      for (const src of sources) {
        for (let cut = 1; cut < src.length; cut += 7) {
          writeFileSync(join(t.dir, 'main.tf'), src.slice(0, cut));
          const [s] = await collectTerraform({ paths: ['.'], baseDir: t.dir });
          for (const p of s.problems) {
            assert.equal(p.location?.file?.startsWith('main.tf') || p.location?.file === '.', true, JSON.stringify(p));
            if (/syntax error/.test(p.message)) {
              assert.ok((p.location?.line ?? 0) >= 1 && (p.location?.column ?? 0) >= 1, JSON.stringify(p));
              reported++;
            }
          }
          assert.ok(!s.problems.some((p) => /internal error|could not be evaluated|parser failed/.test(p.message)), JSON.stringify(s.problems));
        }
      }
      assert.ok(reported > 50, `only ${reported} truncations reported as syntax errors`);
    } finally {
      t.cleanup();
    }
  });

  it('a deeply odd but valid configuration does not throw', async () => {
    const [s] = await collect({
      'main.tf': [
        'locals {\n  a = local.b\n  b = local.a\n}',
        'resource "aws_sns_topic" "t" {\n  name = local.a\n}',
        'resource "aws_s3_bucket" "x" {\n  for_each = "not-a-map"\n  bucket = "x"\n}',
        'resource "aws_cloudwatch_log_group" "g" {\n  name = [for x in 5 : x]\n}',
      ].join('\n'),
    });
    assert.match((s.entities.find((e) => e.id === 'aws_sns_topic.t') as { name: { value: { unknown: string } } }).name.value.unknown, /cycle/);
    problem(s, /for_each must be a map or a set of strings/);
    assert.match((s.entities.find((e) => e.id === 'aws_cloudwatch_log_group.g') as { name: { value: { unknown: string } } }).name.value.unknown, /cannot iterate/);
  });
  it('creates nothing in the folder it reads', async () => {
    const t = tempTree({ 'main.tf': bucket(1) });
    try {
      mkdirSync(join(t.dir, 'sub'));
      writeFileSync(join(t.dir, 'sub', 'x.txt'), 'x');
      const { readdirSync } = await import('node:fs');
      const before = readdirSync(t.dir).sort();
      await collectTerraform({ paths: ['.'], baseDir: t.dir });
      assert.deepEqual(readdirSync(t.dir).sort(), before);
    } finally {
      t.cleanup();
    }
  });
});
