// Unknown propagation: what cannot be known statically (registry modules, variables without default) is never pass or fail.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableTest } from '../filter-pattern/table.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import type { Status } from '../../src/model/status.js';
import { tempTree } from '../support/evidence.js';
import { BREAK_GLASS, CHAIN_FIXTURES, IAC_CHECKS, runIacChecks } from './helpers.js';

const REGISTRY = 'module "audit" {\n  source  = "cloudposse/cloudtrail/aws"\n  version = "0.24.0"\n}\n';
const TRAIL = (attrs: string) => `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "logs"\n${attrs}}\n`;

interface Case {
  name: string;
  files: Record<string, string>;
  /** Statuses every IaC check must have (unless listed in `except`). */
  allowed: Status[];
  except?: Record<string, Status>;
  /** Text every non-pass reason must contain. */
  mentions: RegExp;
}

const cases: Case[] = [
  {
    name: 'everything in a registry module: every check is unknown and names the module',
    files: { 'main.tf': REGISTRY },
    allowed: ['unknown'],
    mentions: /module\.audit|trail's bucket cannot be identified|no break-glass identities/,
  },
  {
    name: 'a trail whose every setting comes from variables without default',
    files: { 'main.tf': 'variable "multi" {}\nvariable "validation" {}\nvariable "logging" {}\nvariable "group" {}\n' + TRAIL('  is_multi_region_trail = var.multi\n  enable_log_file_validation = var.validation\n  enable_logging = var.logging\n  include_global_service_events = true\n  cloud_watch_logs_group_arn = var.group\n') },
    allowed: ['unknown'],
    mentions: /cannot be known statically|not defined in the sources read|cannot be identified|no public-access block|no break-glass identities/,
    // The bucket "logs" is not defined in the sources: its public access cannot be judged (unknown). No metric filter at all is a proven failure.
    except: { 'waf-sov-070.tf.aws.cloudwatch-alarm-root-login': 'fail', 'waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes': 'fail' },
  },
  {
    name: 'a known trail next to a registry module: known defects still fail',
    files: { 'main.tf': REGISTRY + TRAIL('  is_multi_region_trail = false\n') },
    allowed: ['unknown', 'fail'],
    except: { 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions': 'fail', 'waf-sov-070.tf.aws.cloudtrail-logging-enabled': 'pass' },
    mentions: /./,
  },
];

tableTest('unknown propagation', cases, async (c) => {
  const dir = tempTree(c.files);
  const results = runIacChecks(await collectTerraform({ paths: [dir], baseDir: dir }));
  assert.equal(results.length, IAC_CHECKS.length);
  for (const r of results) {
    const expected = c.except?.[r.id];
    if (expected) assert.equal(r.status, expected, `${r.id}: ${r.reason}`);
    else assert.ok(c.allowed.includes(r.status), `${r.id} is ${r.status}: ${r.reason}`);
    if (r.status === 'unknown') {
      assert.match(r.reason, c.mentions, r.id);
      assert.ok(r.findings.some((f) => f.location?.file) || r.id.endsWith('object-lock') || /cannot be identified|no break-glass identities/.test(r.reason), `${r.id}: an unknown points at a source location`);
    }
  }
});

// Unknown is a value, not a verdict for the whole unit: only what reads the unknown value changes.

async function verdicts(edit?: (dir: string) => void): Promise<Record<string, Status>> {
  const dir = mkdtempSync(join(tmpdir(), 'ep-unk-'));
  try {
    cpSync(join(CHAIN_FIXTURES, 'complete'), dir, { recursive: true });
    edit?.(dir);
    const results = runIacChecks(await collectTerraform({ paths: [dir], baseDir: dir }), BREAK_GLASS);
    return Object.fromEntries(results.map((r) => [r.id, r.status]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface RefCase {
  name: string;
  edit: (dir: string) => void;
  /** Checks whose verdict changes, and to what; every other check keeps the verdict it has without the edit. */
  changed: Record<string, Status>;
}
const refCases: RefCase[] = [
  {
    name: 'an undeclared resource in a tag no check reads',
    edit: (d) => writeFileSync(join(d, 'extra.tf'), 'resource "aws_sns_topic" "ops" {\n  name = "ops"\n  tags = { owner = aws_iam_role.not_here.arn }\n}\n'),
    changed: {},
  },
  {
    name: 'an undeclared variable, a data source and remote state read by nothing the checks need',
    edit: (d) => writeFileSync(join(d, 'extra.tf'), 'data "terraform_remote_state" "net" {\n  backend = "s3"\n}\nresource "aws_sns_topic" "ops" {\n  name = "${var.undeclared}-${data.terraform_remote_state.net.outputs.vpc_id}"\n}\n'),
    changed: {},
  },
  {
    name: "an undeclared reference in the trail's bucket: only the bucket checks become unknown",
    edit: (d) => {
      const f = join(d, 'main.tf');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/s3_bucket_name(\s*)= [^\n]+/, 's3_bucket_name$1= aws_s3_bucket.defined_in_another_stack.id'));
    },
    changed: { 'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public': 'unknown', 'waf-sov-070.tf.aws.cloudtrail-bucket-object-lock': 'unknown' },
  },
];

tableTest('an unknown value changes only the checks that read it', refCases, async (c) => {
  const before = await verdicts();
  const after = await verdicts(c.edit);
  assert.deepEqual(after, { ...before, ...c.changed });
  assert.ok(!Object.values(after).includes('error'), JSON.stringify(after));
});
