// Unknown propagation: what cannot be known statically (registry modules, variables without default) is never pass or fail.

import assert from 'node:assert/strict';
import { tableTest } from '../filter-pattern/table.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import type { Status } from '../../src/model/status.js';
import { tempTree } from '../support/evidence.js';
import { IAC_CHECKS, runIacChecks } from './helpers.js';

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
    // A bucket with no public-access block at all is a proven failure; nothing unknown would change it.
    except: { 'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public': 'fail', 'waf-sov-070.tf.aws.cloudwatch-alarm-root-login': 'fail', 'waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes': 'fail' },
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
