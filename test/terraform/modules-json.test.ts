// Registry and git modules as `terraform init` leaves them: .terraform/modules/modules.json and the downloaded folders.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { moduleProvider } from '../../src/collect/terraform/modules-json.js';
import { tableTest } from '../filter-pattern/table.js';
import { isUnknown, type InfraSnapshot, type Trail } from '../../src/model/infra.js';
import { entity, fieldOf, tempTree } from './helpers.js';

/** modules.json as Terraform writes it: the root entry, then one per module call, keyed by call path. */
const manifest = (entries: { Key: string; Source: string; Version?: string; Dir: string }[]) => JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, ...entries] });

const ROOT = `module "audit" {
  source  = "acme/audit-trail/aws"
  version = "~> 2.0"
  name    = "org-audit"
  regions = "all"
}
output "trail" {
  value = module.audit.trail_arn
}
`;
// The downloaded module: a trail whose setting comes from an input, a nested local module and a nested registry module.
const AUDIT = {
  '.terraform/modules/audit/variables.tf': 'variable "name" {}\nvariable "regions" { default = "one" }\n',
  '.terraform/modules/audit/main.tf': `resource "aws_cloudtrail" "this" {
  name                  = var.name
  s3_bucket_name        = module.store.bucket_id
  is_multi_region_trail = var.regions == "all"
}
module "store" {
  source = "./modules/store"
  name   = "\${var.name}-logs"
}
module "label" {
  source  = "acme/label/null"
  version = "0.1.0"
}
output "trail_arn" {
  value = aws_cloudtrail.this.arn
}
`,
  '.terraform/modules/audit/modules/store/main.tf': 'variable "name" {}\nresource "aws_s3_bucket" "this" {\n  bucket = var.name\n}\noutput "bucket_id" {\n  value = aws_s3_bucket.this.id\n}\n',
  '.terraform/modules/audit.label/main.tf': 'output "id" {\n  value = "x"\n}\n',
};
const AUDIT_ENTRIES = [
  { Key: 'audit', Source: 'registry.terraform.io/acme/audit-trail/aws', Version: '2.1.0', Dir: '.terraform/modules/audit' },
  { Key: 'audit.store', Source: './modules/store', Dir: '.terraform/modules/audit/modules/store' },
  { Key: 'audit.label', Source: 'registry.terraform.io/acme/label/null', Version: '0.1.0', Dir: '.terraform/modules/audit.label' },
];

async function collect(files: Record<string, string>): Promise<InfraSnapshot> {
  const t = tempTree(files);
  try {
    const [s] = await collectTerraform({ paths: [t.dir], baseDir: t.dir });
    return s;
  } finally {
    t.cleanup();
  }
}

describe('modules downloaded by terraform init', () => {
  it('evaluates a registry module from its folder, with its inputs, nested local and registry modules', async () => {
    const s = await collect({ 'main.tf': ROOT, ...AUDIT, '.terraform/modules/modules.json': manifest(AUDIT_ENTRIES) });
    assert.deepEqual(s.problems, []);
    const trail = entity(s, 'module.audit.aws_cloudtrail.this') as Trail;
    assert.equal(trail.name.value, 'org-audit');
    assert.equal(trail.multiRegion.value, true);
    assert.deepEqual(trail.bucket.value, { ref: 'module.audit.module.store.aws_s3_bucket.this' });
    assert.equal(fieldOf(entity(s, 'module.audit.module.store.aws_s3_bucket.this'), 'name').value, 'org-audit-logs');
    assert.equal(trail.at.file, '.terraform/modules/audit/main.tf');
  });

  it('without .terraform/modules the module is opaque and the reason says to run terraform init', async () => {
    const s = await collect({ 'main.tf': ROOT });
    assert.deepEqual(s.entities, []);
    const p = s.problems.find((x) => x.opaque);
    assert.ok(p, JSON.stringify(s.problems));
    assert.match(p.message, /module\.audit: module source "acme\/audit-trail\/aws" is not downloaded: run `terraform init` \(or `tofu init`\)/);
    assert.deepEqual([p.location?.file, p.location?.line], ['main.tf', 1]);
  });

  const opaque: { name: string; files: Record<string, string>; reason: RegExp }[] = [
    { name: 'the call is not in the manifest', files: { 'main.tf': ROOT, ...AUDIT, '.terraform/modules/modules.json': manifest([]) }, reason: /is not listed in \.terraform\/modules\/modules\.json: run `terraform init` again/ },
    {
      name: 'the source changed since terraform init',
      files: { 'main.tf': ROOT.replace('acme/audit-trail/aws', 'acme/other-trail/aws'), ...AUDIT, '.terraform/modules/modules.json': manifest(AUDIT_ENTRIES) },
      reason: /differs from the source recorded in \.terraform\/modules\/modules\.json \("registry\.terraform\.io\/acme\/audit-trail\/aws"\): run `terraform init` again/,
    },
    {
      name: 'the downloaded folder is gone',
      files: { 'main.tf': ROOT, '.terraform/modules/modules.json': manifest(AUDIT_ENTRIES) },
      reason: /was downloaded to \.terraform\/modules\/audit, which no longer exists/,
    },
    {
      name: 'a manifest entry pointing outside .terraform/modules is not followed',
      files: { 'main.tf': ROOT, ...AUDIT, 'elsewhere/main.tf': 'resource "aws_cloudtrail" "evil" {\n  name = "e"\n}\n', '.terraform/modules/modules.json': manifest([{ ...AUDIT_ENTRIES[0], Dir: 'elsewhere' }]) },
      reason: /is not listed in/,
    },
    { name: 'an unreadable manifest', files: { 'main.tf': ROOT, ...AUDIT, '.terraform/modules/modules.json': '{"Modules": [' }, reason: /is not downloaded: run `terraform init`/ },
  ];
  for (const c of opaque) {
    it(`stays opaque when ${c.name}`, async () => {
      const s = await collect(c.files);
      assert.ok(!s.entities.some((e) => e.type === 'trail'), 'no trail is guessed');
      const p = s.problems.find((x) => x.opaque);
      assert.ok(p, JSON.stringify(s.problems));
      assert.match(p.message, c.reason);
    });
  }

  it('git sources and GitHub shorthands match what Terraform records', async () => {
    const root = ROOT.replace('source  = "acme/audit-trail/aws"\n  version = "~> 2.0"', 'source = "github.com/acme/terraform-aws-audit?ref=v2.1.0"');
    const entries = [{ ...AUDIT_ENTRIES[0], Source: 'git::https://github.com/acme/terraform-aws-audit.git?ref=v2.1.0' }, ...AUDIT_ENTRIES.slice(1)];
    const s = await collect({ 'main.tf': root, ...AUDIT, '.terraform/modules/modules.json': manifest(entries) });
    assert.ok(s.entities.some((e) => e.id === 'module.audit.aws_cloudtrail.this'), JSON.stringify(s.problems));
  });

  it('count and for_each on a downloaded module give addressed instances', async () => {
    const root = 'module "audit" {\n  source   = "acme/audit-trail/aws"\n  for_each = { eu = "all", us = "one" }\n  name     = "t-${each.key}"\n  regions  = each.value\n}\n';
    const s = await collect({ 'main.tf': root, ...AUDIT, '.terraform/modules/modules.json': manifest(AUDIT_ENTRIES) });
    assert.equal((entity(s, 'module.audit["eu"].aws_cloudtrail.this') as Trail).multiRegion.value, true);
    assert.equal((entity(s, 'module.audit["us"].aws_cloudtrail.this') as Trail).multiRegion.value, false);
  });

  it('a module created only under an unknown condition gives resources that may not exist', async () => {
    const root = 'variable "enabled" {}\nmodule "audit" {\n  source  = "acme/audit-trail/aws"\n  count   = var.enabled ? 1 : 0\n  name    = "t"\n}\n';
    const s = await collect({ 'main.tf': root, ...AUDIT, '.terraform/modules/modules.json': manifest(AUDIT_ENTRIES) });
    const trail = entity(s, 'module.audit[0].aws_cloudtrail.this') as Trail;
    assert.match(trail.conditional?.unknown ?? '', /count is not known statically/);
    assert.ok(!isUnknown(trail.name.value));
  });
});

// The provider a remote module is published for decides whether a module that was not downloaded may hold AWS
// resources: a label module for `null` cannot, so it does not make an absence unknown.
const providers: { name: string; source: string; provider: string | undefined }[] = [
  { name: 'registry address', source: 'cloudposse/label/null', provider: 'null' },
  { name: 'registry address with a host and a sub-folder', source: 'registry.terraform.io/terraform-aws-modules/cloudwatch/aws//modules/cis-alarms', provider: 'aws' },
  { name: 'private registry host', source: 'app.terraform.io/acme/naming/random', provider: 'random' },
  { name: 'GitHub shorthand with a ref', source: 'github.com/cloudposse/terraform-null-label?ref=0.25.0', provider: 'null' },
  { name: 'git URL with .git and a sub-folder', source: 'git::https://github.com/acme/terraform-aws-audit.git//modules/trail?ref=v1', provider: 'aws' },
  { name: 'git over ssh', source: 'git@github.com:acme/terraform-tls-keys.git', provider: 'tls' },
  { name: 'a repository not named by the rule', source: 'git::https://example.com/infra/audit.git', provider: undefined },
  { name: 'a GitHub shorthand is not a registry address', source: 'github.com/acme/audit', provider: undefined },
  { name: 'an S3 archive', source: 's3::https://s3-eu-west-1.amazonaws.com/acme-modules/audit.zip', provider: undefined },
];
tableTest('the provider a module is published for', providers, (c) => assert.equal(moduleProvider(c.source), c.provider));

describe('a module for a utility provider that was not downloaded', () => {
  it('is no gap: an absence stays proven, its outputs stay unknown', async () => {
    const root = 'module "label" {\n  source  = "cloudposse/label/null"\n  version = "0.25.0"\n}\nresource "aws_cloudtrail" "t" {\n  count = module.label.enabled ? 1 : 0\n  name  = module.label.id\n  s3_bucket_name = "logs"\n}\n';
    const s = await collect({ 'main.tf': root });
    assert.ok(!s.problems.some((p) => p.opaque), JSON.stringify(s.problems));
    assert.match(s.problems.map((p) => p.message).join('\n'), /module\.label: module source "cloudposse\/label\/null" is not downloaded: run `terraform init`.*; its outputs are not evaluated \(a module for the "null" provider defines no AWS resources\)/);
    const trail = entity(s, 'aws_cloudtrail.t[0]') as Trail;
    assert.ok(isUnknown(trail.name.value));
    assert.match(trail.conditional?.unknown ?? '', /module\.label comes from "cloudposse\/label\/null"/);
  });
});
