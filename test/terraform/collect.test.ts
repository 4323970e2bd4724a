// collectTerraform on real folders: seed examples, modules, count/for_each, tfvars, exposure rules, determinism.

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { isUnknown, type Alarm, type Bucket, type InfraSnapshot, type PublicAccessBlock, type Trail } from '../../src/model/infra.js';
import { entity, fieldOf, tempTree } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'terraform');

async function one(paths: string[], baseDir: string, varFiles?: string[]): Promise<InfraSnapshot> {
  const [s] = await collectTerraform({ paths, baseDir, varFiles });
  return s;
}

async function tree(files: Record<string, string>): Promise<InfraSnapshot> {
  const t = tempTree(files);
  try {
    return await one(['.'], t.dir);
  } finally {
    t.cleanup();
  }
}

describe('seed 000 compliant examples', () => {
  it('normalises every resource with its address as id', async () => {
    const s = await one(['seed-compliant'], fixtures);
    assert.deepEqual(s.problems, []);
    assert.equal(s.root, 'seed-compliant');
    assert.deepEqual(
      s.entities.map((e) => `${e.type} ${e.id}`),
      [
        'trail aws_cloudtrail.sovereign',
        'log-group aws_cloudwatch_log_group.cloudtrail',
        'log-group aws_cloudwatch_log_group.ct',
        'metric-filter aws_cloudwatch_log_metric_filter.iam_changes',
        'metric-filter aws_cloudwatch_log_metric_filter.root_usage',
        'alarm aws_cloudwatch_metric_alarm.iam_changes',
        'alarm aws_cloudwatch_metric_alarm.root_usage',
        'iam-role aws_iam_role.cloudtrail_cw',
        'bucket aws_s3_bucket.cloudtrail',
        'public-access-block aws_s3_bucket_public_access_block.cloudtrail',
        'sns-topic aws_sns_topic.security_alerts',
        'sns-subscription aws_sns_topic_subscription.security_oncall',
      ],
    );
    assert.deepEqual(
      s.files.map((f) => f.path),
      ['seed-compliant/alarms.tf', 'seed-compliant/cloudtrail.tf', 'seed-compliant/s3.tf', 'seed-compliant/supporting.tf'],
    );
    assert.ok(s.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.size > 0));
  });

  const trailCases: { field: string; value: unknown; line: number; defaulted?: boolean }[] = [
    { field: 'name', value: 'sovereign-audit-trail', line: 2 },
    { field: 'bucket', value: { ref: 'aws_s3_bucket.cloudtrail' }, line: 3 },
    { field: 'multiRegion', value: true, line: 4 },
    { field: 'logFileValidation', value: true, line: 5 },
    { field: 'globalServiceEvents', value: true, line: 6 },
    { field: 'logGroup', value: { ref: 'aws_cloudwatch_log_group.ct' }, line: 7 },
    { field: 'logging', value: true, line: 1, defaulted: true },
    { field: 'managementEvents', value: true, line: 1, defaulted: true },
  ];
  for (const c of trailCases) {
    it(`trail ${c.field} = ${JSON.stringify(c.value)} at cloudtrail.tf:${c.line}`, async () => {
      const s = await one(['seed-compliant'], fixtures);
      const f = fieldOf(entity(s, 'aws_cloudtrail.sovereign'), c.field);
      assert.deepEqual(f.value, c.value);
      assert.equal(f.at.file, 'seed-compliant/cloudtrail.tf');
      assert.equal(f.at.line, c.line);
      assert.equal(f.defaulted, c.defaulted);
    });
  }

  it('resolves the alarm metric through the filter and the actions to the SNS topic', async () => {
    const s = await one(['seed-compliant'], fixtures);
    const iam = entity(s, 'aws_cloudwatch_metric_alarm.iam_changes') as Alarm;
    assert.equal(iam.metricName.value, 'IAMPolicyChangeCount');
    assert.deepEqual(iam.actions.value, [{ ref: 'aws_sns_topic.security_alerts' }]);
    assert.deepEqual(iam.actionsEnabled, { value: true, at: iam.at, defaulted: true });
    const filter = entity(s, 'aws_cloudwatch_log_metric_filter.root_usage');
    assert.deepEqual(fieldOf(filter, 'logGroup').value, { ref: 'aws_cloudwatch_log_group.cloudtrail' });
    assert.deepEqual(fieldOf(filter, 'metrics').value, [{ name: 'RootAccountUsageCount', namespace: 'CloudTrailMetrics' }]);
    assert.deepEqual([fieldOf(filter, 'pattern').at.file, fieldOf(filter, 'pattern').at.line], ['seed-compliant/alarms.tf', 4]);
  });
});

describe('seed 000 non-compliant examples', () => {
  it('gives the provider defaults at the resource, and the literal bucket name', async () => {
    const s = await one(['seed-noncompliant'], fixtures);
    const t = entity(s, 'aws_cloudtrail.trail') as Trail;
    assert.deepEqual([t.at.file, t.at.line, t.at.column, t.at.endLine], ['seed-noncompliant/cloudtrail.tf', 1, 1, 6]);
    assert.deepEqual(t.multiRegion, { value: false, at: t.at, defaulted: true });
    assert.deepEqual(t.logFileValidation, { value: false, at: t.at, defaulted: true });
    assert.deepEqual(t.logGroup, { value: null, at: t.at, defaulted: true });
    assert.deepEqual(t.bucket.value, { name: 'my-logs' });
  });
  it('public access block: one flag set, three defaulted to false', async () => {
    const s = await one(['seed-noncompliant'], fixtures);
    const p = entity(s, 'aws_s3_bucket_public_access_block.cloudtrail') as PublicAccessBlock;
    assert.deepEqual([p.blockPublicAcls.value, p.blockPublicAcls.at.line, p.blockPublicAcls.defaulted], [true, 3, undefined]);
    for (const f of [p.blockPublicPolicy, p.ignorePublicAcls, p.restrictPublicBuckets]) assert.deepEqual(f, { value: false, at: p.at, defaulted: true });
    assert.deepEqual(p.bucket?.value, { ref: 'aws_s3_bucket.cloudtrail' });
  });
});

describe('modules, for_each and tfvars', () => {
  it('addresses resources inside modules, nested modules and for_each module instances', async () => {
    const s = await one(['modules'], fixtures);
    assert.deepEqual(s.entities.map((e) => e.id).sort(), [
      'module.alarm["iam-changes"].aws_cloudwatch_log_metric_filter.this',
      'module.alarm["iam-changes"].aws_cloudwatch_metric_alarm.this',
      'module.alarm["root-usage"].aws_cloudwatch_log_metric_filter.this',
      'module.alarm["root-usage"].aws_cloudwatch_metric_alarm.this',
      'module.audit.aws_cloudtrail.this',
      'module.audit.aws_cloudwatch_log_group.trail',
      'module.audit.aws_s3_bucket.logs',
      'module.audit.aws_s3_bucket_public_access_block.logs',
      'module.audit.module.notify.aws_sns_topic.this',
      'module.audit.module.notify.aws_sns_topic_subscription.email',
    ]);
  });
  it('follows references through module inputs and outputs', async () => {
    const s = await one(['modules'], fixtures);
    const alarm = entity(s, 'module.alarm["root-usage"].aws_cloudwatch_metric_alarm.this') as Alarm;
    assert.deepEqual(alarm.actions.value, [{ ref: 'module.audit.module.notify.aws_sns_topic.this' }]);
    assert.equal(alarm.metricName.value, 'RootUsageCount');
    const filter = entity(s, 'module.alarm["root-usage"].aws_cloudwatch_log_metric_filter.this');
    assert.deepEqual(fieldOf(filter, 'logGroup').value, { ref: 'module.audit.aws_cloudwatch_log_group.trail' });
    // a <<- heredoc in a local, passed through each.value, trimmed in the module
    assert.equal(fieldOf(filter, 'pattern').value, '{$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent}');
    assert.equal(fieldOf(filter, 'pattern').at.file, 'modules/modules/alarm/main.tf');
  });
  it('applies terraform.tfvars, then *.auto.tfvars, then explicit var files', async () => {
    const s = await one(['modules'], fixtures);
    const trail = entity(s, 'module.audit.aws_cloudtrail.this') as Trail;
    assert.equal(trail.name.value, 'acme-trail'); // prefix from terraform.tfvars
    assert.equal(trail.multiRegion.value, true); // prod.auto.tfvars overrides terraform.tfvars
    assert.equal((entity(s, 'module.audit.aws_s3_bucket.logs') as Bucket).name.value, 'acme-cloudtrail-logs');
    const override = tempTree({ 'off.tfvars': 'multi_region = false\nprefix = "beta"\n' });
    try {
      const s2 = await one(['modules'], fixtures, [join(override.dir, 'off.tfvars')]);
      const t2 = entity(s2, 'module.audit.aws_cloudtrail.this') as Trail;
      assert.deepEqual([t2.name.value, t2.multiRegion.value], ['beta-trail', false]);
    } finally {
      override.cleanup();
    }
  });
  it('a null module input keeps null, unless the variable is nullable = false', async () => {
    const s = await tree({
      'main.tf': 'module "m" {\n  source = "./m"\n  a = null\n  b = null\n}\n',
      'm/main.tf':
        'variable "a" {\n  default = "da"\n}\nvariable "b" {\n  default = "db"\n  nullable = false\n}\nresource "aws_sns_topic" "a" {\n  name = var.a\n}\nresource "aws_sns_topic" "b" {\n  name = var.b\n}\n',
    });
    // null for a string attribute means "not set": the topic name is then generated by Terraform
    assert.match((fieldOf(entity(s, 'module.m.aws_sns_topic.a'), 'name').value as { unknown: string }).unknown, /generates it/);
    assert.equal(fieldOf(entity(s, 'module.m.aws_sns_topic.b'), 'name').value, 'db');
  });
  it('count on a module: instances module.m[0], module.m[1] and indexed outputs', async () => {
    const s = await tree({
      'main.tf': 'module "m" {\n  source = "./m"\n  count  = 2\n  name   = "g${count.index}"\n}\nresource "aws_cloudwatch_log_metric_filter" "f" {\n  name = "f"\n  pattern = ""\n  log_group_name = module.m[1].group\n}\n',
      'm/main.tf': 'variable "name" {}\nresource "aws_cloudwatch_log_group" "g" {\n  name = var.name\n}\noutput "group" {\n  value = aws_cloudwatch_log_group.g.name\n}\n',
    });
    assert.deepEqual(s.problems, []);
    assert.equal(fieldOf(entity(s, 'module.m[1].aws_cloudwatch_log_group.g'), 'name').value, 'g1');
    assert.deepEqual(fieldOf(entity(s, 'aws_cloudwatch_log_metric_filter.f'), 'logGroup').value, { ref: 'module.m[1].aws_cloudwatch_log_group.g' });
  });
  it('reports a registry module as not evaluated, without guessing its resources', async () => {
    const s = await one(['modules'], fixtures);
    const p = s.problems.find((x) => x.message.includes('module.shared'));
    assert.ok(p);
    assert.match(p.message, /"terraform-aws-modules\/s3-bucket\/aws" is not downloaded: run `terraform init`/);
    assert.equal(p.opaque, true);
    assert.deepEqual([p.location?.file, p.location?.line], ['modules/main.tf', 21]);
    assert.ok(!s.entities.some((e) => e.id.startsWith('module.shared')));
  });
  it('hashes tfvars files but never offers their bytes for copying (they may hold secrets)', async () => {
    const s = await one(['modules'], fixtures);
    const tfvars = s.files.filter((f) => f.path.includes('.tfvars'));
    assert.deepEqual(tfvars.map((f) => f.path), ['modules/terraform.tfvars', 'modules/prod.auto.tfvars']);
    assert.ok(tfvars.every((f) => f.absPath === undefined && f.sha256.length === 64));
  });
});

describe('count and for_each on resources', () => {
  const files = {
    'main.tf': `
locals {
  groups = { audit = "/aws/audit", app = "/aws/app" }
}
variable "n" { default = 2 }
resource "aws_cloudwatch_log_group" "g" {
  for_each = local.groups
  name     = each.value
}
resource "aws_s3_bucket" "b" {
  count  = var.n
  bucket = "logs-\${count.index}"
}
resource "aws_cloudtrail" "t" {
  for_each       = toset(["eu", "us"])
  name           = "trail-\${each.key}"
  s3_bucket_name = aws_s3_bucket.b[1].id
  cloud_watch_logs_group_arn = "\${aws_cloudwatch_log_group.g["audit"].arn}:*"
}
`,
    'terraform.tfvars.json': '{ "n": 3 }',
  };
  it('expands instances with [index] and ["key"] addresses', async () => {
    const s = await tree(files);
    assert.deepEqual(s.problems, []);
    assert.deepEqual(
      s.entities.map((e) => e.id),
      [
        'aws_cloudtrail.t["eu"]',
        'aws_cloudtrail.t["us"]',
        'aws_cloudwatch_log_group.g["app"]',
        'aws_cloudwatch_log_group.g["audit"]',
        'aws_s3_bucket.b[0]',
        'aws_s3_bucket.b[1]',
        'aws_s3_bucket.b[2]',
      ],
    );
    assert.equal((entity(s, 'aws_s3_bucket.b[2]') as Bucket).name.value, 'logs-2');
    const t = entity(s, 'aws_cloudtrail.t["us"]') as Trail;
    assert.equal(t.name.value, 'trail-us');
    assert.deepEqual(t.bucket.value, { ref: 'aws_s3_bucket.b[1]' });
    assert.deepEqual(t.logGroup.value, { ref: 'aws_cloudwatch_log_group.g["audit"]' });
  });
  it('indexes by count.index and each.key of the referencing instance', async () => {
    const s = await tree({
      'main.tf': `
resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "logs-\${count.index}"
}
resource "aws_s3_bucket_public_access_block" "b" {
  count             = 2
  bucket            = aws_s3_bucket.b[count.index].id
  block_public_acls = count.index == 1
}
resource "aws_cloudwatch_log_group" "g" {
  for_each = toset(["a", "b"])
  name     = "/g/\${each.key}"
}
resource "aws_cloudwatch_log_metric_filter" "f" {
  for_each       = aws_cloudwatch_log_group.g
  name           = "f-\${each.key}"
  pattern        = ""
  log_group_name = aws_cloudwatch_log_group.g[each.key].name
}
`,
    });
    assert.deepEqual(s.problems, []);
    const pab1 = entity(s, 'aws_s3_bucket_public_access_block.b[1]') as PublicAccessBlock;
    assert.deepEqual([pab1.bucket?.value, pab1.blockPublicAcls.value], [{ ref: 'aws_s3_bucket.b[1]' }, true]);
    assert.deepEqual(fieldOf(entity(s, 'aws_cloudwatch_log_metric_filter.f["b"]'), 'logGroup').value, { ref: 'aws_cloudwatch_log_group.g["b"]' });
  });
  it('optional() attributes of an object-typed variable take their defaults', async () => {
    const s = await tree({
      'main.tf':
        'variable "trail" {\n  type = object({\n    name = string\n    multi_region = optional(bool, true)\n    tags = optional(map(string))\n  })\n}\nresource "aws_cloudtrail" "t" {\n  name = var.trail.name\n  s3_bucket_name = "b"\n  is_multi_region_trail = var.trail.multi_region\n  tags = var.trail.tags\n}\n',
      'terraform.tfvars': 'trail = { name = "org" }\n',
    });
    const t = entity(s, 'aws_cloudtrail.t') as Trail;
    assert.deepEqual([t.name.value, t.multiRegion.value], ['org', true]);
  });
  it('an unknown count gives one instance that may not exist, not none', async () => {
    const s = await tree({ 'main.tf': 'variable "n" {}\nresource "aws_s3_bucket" "b" {\n  count  = var.n\n  bucket = "x"\n}\n' });
    assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b[0]']);
    const e = s.entities[0];
    assert.match(e.conditional?.unknown ?? '', /count is not known statically \(variable "n" has no default/);
    assert.deepEqual([e.conditional?.location?.file, e.conditional?.location?.line], ['main.tf', 3]);
    assert.equal(fieldOf(e, 'name').value, 'x');
    const p = s.problems.find((x) => x.message.includes('aws_s3_bucket.b'));
    assert.ok(p);
    assert.match(p.message, /count is not known statically.*may not exist/);
  });
  it('an unknown for_each gives one instance with an unknown key; the whole collection is unknown', async () => {
    const s = await tree({
      'main.tf':
        'variable "names" {}\nresource "aws_sns_topic" "t" {\n  for_each = var.names\n  name = each.key\n}\nresource "aws_cloudwatch_metric_alarm" "a" {\n  alarm_name = "a"\n  alarm_actions = [aws_sns_topic.t["x"].arn]\n  ok_actions = values(aws_sns_topic.t)[*].arn\n}\n',
    });
    const t = entity(s, 'aws_sns_topic.t[?]');
    assert.ok(t.conditional);
    assert.ok(isUnknown(fieldOf(t, 'name').value));
    assert.deepEqual(fieldOf(entity(s, 'aws_cloudwatch_metric_alarm.a'), 'actions').value, [{ ref: 'aws_sns_topic.t[?]' }]);
  });
});

describe('unknown values carry a reason and a location', () => {
  const cases: { name: string; tf: string; id: string; field: string; reason: RegExp; line: number }[] = [
    {
      name: 'variable without default',
      tf: 'variable "multi" { type = bool }\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n  is_multi_region_trail = var.multi\n}\n',
      id: 'aws_cloudtrail.t',
      field: 'multiRegion',
      reason: /variable "multi" has no default/,
      line: 1,
    },
    {
      name: 'data source attribute',
      tf: 'data "aws_s3_bucket" "x" { bucket = "b" }\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = data.aws_s3_bucket.x.id\n}\n',
      id: 'aws_cloudtrail.t',
      field: 'bucket',
      reason: /data source data\.aws_s3_bucket\.x/,
      line: 4,
    },
    {
      name: 'unknown function',
      tf: 'resource "aws_sns_topic" "t" {\n  name = "alerts-${uuid()}"\n}\n',
      id: 'aws_sns_topic.t',
      field: 'name',
      reason: /function uuid\(\)/,
      line: 2,
    },
    {
      name: 'bucket name chosen by AWS',
      tf: 'resource "aws_s3_bucket" "b" {\n  bucket_prefix = "logs-"\n}\n',
      id: 'aws_s3_bucket.b',
      field: 'name',
      reason: /AWS chooses the name/,
      line: 1,
    },
    {
      name: 'event selectors from a dynamic block over an unknown collection',
      tf: 'variable "selectors" {}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n  dynamic "event_selector" {\n    for_each = var.selectors\n    content {}\n  }\n}\n',
      id: 'aws_cloudtrail.t',
      field: 'managementEvents',
      reason: /dynamic "event_selector" blocks: for_each is not known statically \(variable "selectors" has no default/,
      line: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const s = await tree({ 'main.tf': c.tf });
      const f = fieldOf(entity(s, c.id), c.field);
      const v = f.value as { unknown?: string; location?: { line?: number; file?: string } };
      assert.ok(v && typeof v.unknown === 'string', `expected unknown, got ${JSON.stringify(f.value)}`);
      assert.match(v.unknown!, c.reason);
      assert.deepEqual([v.location?.file, v.location?.line], ['main.tf', c.line]);
    });
  }
});

describe('trail management events', () => {
  const cases: { name: string; selectors: string; want: boolean }[] = [
    { name: 'basic selector, defaults', selectors: 'event_selector {\n  read_write_type = "All"\n}', want: true },
    { name: 'basic selector excluding management events', selectors: 'event_selector {\n  include_management_events = false\n}', want: false },
    { name: 'read-only management events miss writes', selectors: 'event_selector {\n  read_write_type = "ReadOnly"\n}', want: false },
    {
      name: 'advanced selector on Management',
      selectors: 'advanced_event_selector {\n  field_selector {\n    field = "eventCategory"\n    equals = ["Management"]\n  }\n}',
      want: true,
    },
    {
      name: 'dynamic selectors expanded from a known list (iterator.value)',
      selectors:
        'dynamic "event_selector" {\n  for_each = [{ mgmt = false }, { mgmt = false }]\n  iterator = sel\n  content {\n    include_management_events = sel.value.mgmt\n  }\n}',
      want: false,
    },
    {
      name: 'dynamic selectors next to a static one',
      selectors: 'event_selector {\n  include_management_events = false\n}\ndynamic "event_selector" {\n  for_each = { a = "All" }\n  content {\n    read_write_type = event_selector.value\n  }\n}',
      want: true,
    },
    {
      name: 'advanced selector on Data only',
      selectors: 'advanced_event_selector {\n  field_selector {\n    field = "eventCategory"\n    equals = ["Data"]\n  }\n}',
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const s = await tree({ 'main.tf': `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n${c.selectors}\n}\n` });
      assert.equal((entity(s, 'aws_cloudtrail.t') as Trail).managementEvents.value, c.want);
    });
  }
});

describe('trail bucket exposure', () => {
  const bucket = 'resource "aws_s3_bucket" "b" {\n  bucket = "trail-logs"\n}\n';
  const policy = (statement: string) =>
    `resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({ Version = "2012-10-17", Statement = [${statement}] })\n}\n`;
  const cases: { name: string; tf: string; field: 'publicByPolicy' | 'publicByAcl' | 'objectLock'; want: boolean | 'unknown'; line?: number }[] = [
    { name: 'no policy: not public, by default', tf: '', field: 'publicByPolicy', want: false },
    { name: 'Allow to Principal "*"', tf: policy('{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }'), field: 'publicByPolicy', want: true, line: 6 },
    { name: 'Allow to {AWS = "*"}', tf: policy('{ Effect = "Allow", Principal = { AWS = "*" }, Action = "s3:*", Resource = "*" }'), field: 'publicByPolicy', want: true },
    {
      name: 'Allow to "*" restricted by aws:SourceArn',
      tf: policy('{ Effect = "Allow", Principal = "*", Action = "s3:PutObject", Resource = "*", Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:cloudtrail:eu-central-1:111122223333:trail/t" } } }'),
      field: 'publicByPolicy',
      want: false,
    },
    {
      name: 'Allow to "*" with only aws:SecureTransport is still public',
      tf: policy('{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "true" } } }'),
      field: 'publicByPolicy',
      want: true,
    },
    {
      name: 'a negated condition does not restrict',
      tf: policy('{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = { StringNotEquals = { "aws:SourceAccount" = "111122223333" } } }'),
      field: 'publicByPolicy',
      want: true,
    },
    {
      name: 'aws:SourceIp 0.0.0.0/0 does not restrict',
      tf: policy('{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = { IpAddress = { "aws:SourceIp" = ["0.0.0.0/0"] } } }'),
      field: 'publicByPolicy',
      want: true,
    },
    {
      name: 'aws:SourceIp of one network restricts',
      tf: policy('{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*", Condition = { IpAddress = { "aws:SourceIp" = "198.51.100.0/24" } } }'),
      field: 'publicByPolicy',
      want: false,
    },
    { name: 'Deny to "*" is not public', tf: policy('{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "*" }'), field: 'publicByPolicy', want: false },
    {
      name: 'policy document from a data source is unknown',
      tf: 'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = data.aws_iam_policy_document.x.json\n}\n',
      field: 'publicByPolicy',
      want: 'unknown',
    },
    {
      name: 'policy on a bucket named literally',
      tf: 'resource "aws_s3_bucket_policy" "p" {\n  bucket = "trail-logs"\n  policy = <<-EOT\n    {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:GetObject", "Resource": "*"}]}\n    EOT\n}\n',
      field: 'publicByPolicy',
      want: true,
    },
    { name: 'policy on another bucket', tf: policy('{ Effect = "Allow", Principal = "*", Action = "s3:*", Resource = "*" }').replace('aws_s3_bucket.b.id', '"other"'), field: 'publicByPolicy', want: false },
    { name: 'acl public-read', tf: 'resource "aws_s3_bucket_acl" "a" {\n  bucket = aws_s3_bucket.b.id\n  acl    = "public-read"\n}\n', field: 'publicByAcl', want: true, line: 6 },
    { name: 'acl private', tf: 'resource "aws_s3_bucket_acl" "a" {\n  bucket = aws_s3_bucket.b.id\n  acl    = "private"\n}\n', field: 'publicByAcl', want: false },
    {
      name: 'acl grant to AllUsers',
      tf: 'resource "aws_s3_bucket_acl" "a" {\n  bucket = aws_s3_bucket.b.id\n  access_control_policy {\n    grant {\n      grantee {\n        type = "Group"\n        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"\n      }\n      permission = "READ"\n    }\n    owner { id = "x" }\n  }\n}\n',
      field: 'publicByAcl',
      want: true,
    },
    { name: 'no object lock by default', tf: '', field: 'objectLock', want: false },
    {
      name: 'policy read with file() relative to the root module',
      tf: 'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = file("${path.module}/policies/public.json")\n}\n',
      field: 'publicByPolicy',
      want: true,
      line: 6,
    },
    {
      name: 'policy rendered with templatefile()',
      tf: 'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = templatefile("policies/tpl.json", { principal = "*", bucket = aws_s3_bucket.b.bucket })\n}\n',
      field: 'publicByPolicy',
      want: true,
    },
    {
      name: 'templatefile() with a directive is unknown',
      tf: 'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = templatefile("policies/loop.json", { ids = ["a"] })\n}\n',
      field: 'publicByPolicy',
      want: 'unknown',
    },
    {
      name: 'file() of a missing file is unknown',
      tf: 'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = file("nope.json")\n}\n',
      field: 'publicByPolicy',
      want: 'unknown',
    },
    {
      name: 'object lock configuration resource',
      tf: 'resource "aws_s3_bucket_object_lock_configuration" "l" {\n  bucket = aws_s3_bucket.b.id\n  rule {\n    default_retention {\n      mode = "COMPLIANCE"\n      days = 365\n    }\n  }\n}\n',
      field: 'objectLock',
      want: true,
      line: 4,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const s = await tree({
        'main.tf': bucket + c.tf,
        'policies/public.json': '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}',
        'policies/tpl.json': '{"Statement": [{"Effect": "Allow", "Principal": "${principal}", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"}]}',
        'policies/loop.json': '{"Statement": [%{ for id in ids }{"Sid": "${id}"}%{ endfor }]}',
      });
      const f = fieldOf(entity(s, 'aws_s3_bucket.b'), c.field);
      if (c.want === 'unknown') assert.ok(typeof (f.value as { unknown?: string }).unknown === 'string', JSON.stringify(f.value));
      else assert.equal(f.value, c.want);
      if (c.line) assert.equal(f.at.line, c.line);
    });
  }
  it('legacy inline grant to AllUsers on the bucket', async () => {
    const s = await tree({
      'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  grant {\n    type        = "Group"\n    permissions = ["READ"]\n    uri         = "http://acs.amazonaws.com/groups/global/AllUsers"\n  }\n}\n',
    });
    const b = entity(s, 'aws_s3_bucket.b') as Bucket;
    assert.deepEqual([b.publicByAcl?.value, b.publicByAcl?.at.line], [true, 6]);
  });
  it('files read with file() are hashed but not offered for copying', async () => {
    const s = await tree({ 'main.tf': bucket + 'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.b.id\n  policy = file("p.json")\n}\n', 'p.json': '{"Statement": []}' });
    const f = s.files.find((x) => x.path === 'p.json');
    assert.ok(f && f.absPath === undefined && f.sha256.length === 64);
  });
  it('object_lock_enabled on the bucket itself', async () => {
    const s = await tree({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  object_lock_enabled = true\n}\n' });
    assert.deepEqual([(entity(s, 'aws_s3_bucket.b') as Bucket).objectLock?.value, (entity(s, 'aws_s3_bucket.b') as Bucket).objectLock?.at.line], [true, 3]);
  });
  it('account-level public access block', async () => {
    const s = await tree({ 'main.tf': 'resource "aws_s3_account_public_access_block" "a" {\n  block_public_acls = true\n  block_public_policy = true\n}\n' });
    const p = entity(s, 'aws_s3_account_public_access_block.a') as PublicAccessBlock;
    assert.deepEqual([p.scope, p.bucket, p.blockPublicPolicy.value, p.restrictPublicBuckets.value], ['account', undefined, true, false]);
  });
});

describe('alarms', () => {
  it('metric math alarms have no single metric; disabled actions are kept', async () => {
    const s = await tree({
      'main.tf': 'resource "aws_cloudwatch_metric_alarm" "m" {\n  alarm_name = "m"\n  actions_enabled = false\n  alarm_actions = ["arn:aws:sns:eu-central-1:111122223333:alerts"]\n  metric_query {\n    id = "e1"\n    expression = "m1 * 2"\n  }\n}\n',
    });
    const a = entity(s, 'aws_cloudwatch_metric_alarm.m') as Alarm;
    assert.deepEqual([a.metricName.value, a.namespace.value, a.actionsEnabled.value], [null, null, false]);
    assert.deepEqual(a.actions.value, [{ name: 'arn:aws:sns:eu-central-1:111122223333:alerts' }]);
  });
});

describe('Terraform file conventions', () => {
  it('override files replace attributes and nested blocks of what they override', async () => {
    const s = await tree({
      'main.tf': 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n  is_multi_region_trail = false\n  event_selector {\n    include_management_events = false\n  }\n}\n',
      'main_override.tf': 'resource "aws_cloudtrail" "t" {\n  is_multi_region_trail = true\n  event_selector {\n    read_write_type = "All"\n  }\n}\n',
    });
    const t = entity(s, 'aws_cloudtrail.t') as Trail;
    assert.deepEqual([t.multiRegion.value, t.multiRegion.at.file, t.multiRegion.at.line], [true, 'main_override.tf', 2]);
    assert.equal(t.managementEvents.value, true);
    assert.deepEqual([t.name.value, t.at.file], ['t', 'main.tf']);
  });
  it('an override of something undeclared is reported', async () => {
    const s = await tree({ 'main.tf': '', 'override.tf': 'resource "aws_s3_bucket" "ghost" {\n  bucket = "x"\n}\n' });
    assert.ok(s.problems.some((p) => /overrides resource "aws_s3_bucket\.ghost", which is not declared/.test(p.message)));
  });
  it('meta-arguments (provider, depends_on, lifecycle) are not read as references', async () => {
    const s = await tree({
      'main.tf': 'provider "aws" {\n  alias = "west"\n  region = "eu-west-1"\n}\nresource "aws_s3_bucket" "b" {\n  provider = aws.west\n  bucket = "x"\n  depends_on = [aws_sns_topic.t]\n  lifecycle {\n    prevent_destroy = true\n  }\n}\nresource "aws_sns_topic" "t" {\n  name = "t"\n}\nresource "aws_cloudtrail" "c" {\n  name = "c"\n  s3_bucket_name = aws_s3_bucket.b.id\n}\n',
    });
    assert.deepEqual(s.problems, []);
    assert.deepEqual((entity(s, 'aws_cloudtrail.c') as Trail).bucket.value, { ref: 'aws_s3_bucket.b' });
  });
  it('.tf.json (Terraform JSON syntax, CDKTF output) is read like .tf: templates, nested blocks, variables, locals, count', async () => {
    const json = {
      '//': 'synthesised',
      variable: { multi: { type: 'bool', default: true } },
      locals: { prefix: 'org' },
      resource: {
        aws_cloudtrail: { t: { name: '${local.prefix}-trail', s3_bucket_name: '${aws_s3_bucket.b[0].id}', is_multi_region_trail: '${var.multi}', tags: { team: 'sec' } } },
        aws_s3_bucket: { b: { count: 1, bucket: 'org-logs' } },
        aws_cloudwatch_log_metric_filter: { f: { name: 'f', pattern: '{ $.userIdentity.type = "Root" }', log_group_name: 'g', metric_transformation: { name: 'M', namespace: 'N', value: '1' } } },
      },
    };
    const s = await tree({ 'main.tf': 'resource "aws_sns_topic" "x" {\n  name = "x"\n}\n', 'cdk.tf.json': JSON.stringify(json, null, 2) });
    assert.deepEqual(s.problems, []);
    const t = entity(s, 'aws_cloudtrail.t') as Trail;
    assert.deepEqual([t.name.value, t.multiRegion.value, t.bucket.value, t.at.file], ['org-trail', true, { ref: 'aws_s3_bucket.b[0]' }, 'cdk.tf.json']);
    assert.deepEqual(fieldOf(entity(s, 'aws_cloudwatch_log_metric_filter.f'), 'metrics').value, [{ name: 'M', namespace: 'N' }]);
    assert.equal(fieldOf(entity(s, 'aws_cloudwatch_log_metric_filter.f'), 'pattern').value, '{ $.userIdentity.type = "Root" }');
  });
  it('a .tf.json file that is not valid JSON is a syntax error for that file only', async () => {
    const s = await tree({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n', 'extra.tf.json': '{"resource": {' });
    const p = s.problems.find((x) => x.message.includes('extra.tf.json'));
    assert.ok(p);
    assert.match(p.message, /syntax error in extra\.tf\.json:1:\d+: invalid JSON/);
    assert.deepEqual([p.level, p.skip], ['error', 'not-parseable']);
    assert.deepEqual(s.entities.map((e) => e.id), ['aws_s3_bucket.b']);
  });
  it('a string naming two resources is not a reference to either', async () => {
    const s = await tree({
      'main.tf': 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\nresource "aws_s3_bucket" "b" {\n  bucket_prefix = "b"\n}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "${aws_s3_bucket.a.bucket}-${aws_s3_bucket.b.id}"\n}\n',
    });
    const t = entity(s, 'aws_cloudtrail.t') as Trail;
    assert.match((t.bucket.value as { unknown: string }).unknown, /aws_s3_bucket\.a\.bucket and aws_s3_bucket\.b\.id/);
  });
});

describe('secrets', () => {
  it('a sensitive variable is never read, so its value cannot reach an entity', async () => {
    const s = await tree({
      'main.tf': 'variable "topic" {\n  type = string\n  sensitive = true\n}\nresource "aws_sns_topic" "t" {\n  name = var.topic\n}\n',
      'terraform.tfvars': 'topic = "s3cr3t-value"\n',
    });
    assert.ok(!JSON.stringify(s).includes('s3cr3t-value'));
    const name = fieldOf(entity(s, 'aws_sns_topic.t'), 'name').value as { unknown: string };
    assert.match(name.unknown, /variable "topic" is sensitive/);
  });
  it('a sensitive module output passes its link, never its value', async () => {
    const s = await tree({
      'main.tf': 'module "m" {\n  source = "./m"\n}\nresource "aws_sns_topic" "t" {\n  name = module.m.secret\n}\nresource "aws_sns_topic_subscription" "s" {\n  topic_arn = module.m.topic\n  protocol = "email"\n}\n',
      'm/main.tf': 'resource "aws_sns_topic" "x" {\n  name = "x"\n}\noutput "secret" {\n  value = "s3cr3t-out"\n  sensitive = true\n}\noutput "topic" {\n  value = aws_sns_topic.x.arn\n  sensitive = true\n}\n',
    });
    assert.ok(!JSON.stringify(s.entities).includes('s3cr3t-out'));
    assert.match((fieldOf(entity(s, 'aws_sns_topic.t'), 'name').value as { unknown: string }).unknown, /output "secret" of module\.m is sensitive/);
    assert.deepEqual(fieldOf(entity(s, 'aws_sns_topic_subscription.s'), 'topic').value, { ref: 'module.m.aws_sns_topic.x' });
  });
  it('a sensitive attribute in a plan is not read', async () => {
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_sns_topic.t', mode: 'managed', type: 'aws_sns_topic', name: 't', values: { name: 's3cr3t-name' }, sensitive_values: { name: true } },
          ],
        },
      },
      configuration: { root_module: { resources: [{ address: 'aws_sns_topic.t', mode: 'managed', type: 'aws_sns_topic', name: 't', expressions: { name: { references: ['var.t'] } } }] } },
    };
    const t = tempTree({ 'plan.json': JSON.stringify(plan) });
    try {
      const [s] = await collectTerraform({ paths: [], planJson: ['plan.json'], baseDir: t.dir });
      assert.ok(!JSON.stringify(s).includes('s3cr3t'));
      assert.match((fieldOf(entity(s, 'aws_sns_topic.t'), 'name').value as { unknown: string }).unknown, /is sensitive/);
    } finally {
      t.cleanup();
    }
  });
});

describe('determinism', () => {
  it('the same inputs give identical snapshots', async () => {
    const a = await collectTerraform({ paths: ['modules', 'seed-compliant'], baseDir: fixtures });
    const b = await collectTerraform({ paths: ['modules', 'seed-compliant'], baseDir: fixtures });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
  });
});
