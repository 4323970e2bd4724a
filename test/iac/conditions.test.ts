// Resources that may not be created (count / for_each not known statically) make a check unknown only when its
// verdict depends on whether they are created: the same verdict either way is that verdict.

import assert from 'node:assert/strict';
import { tableTest } from '../filter-pattern/table.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import type { Status } from '../../src/model/status.js';
import { tempTree } from '../support/evidence.js';
import { runIacChecks } from './helpers.js';

const REGIONS = 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions';
const BUCKET = 'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public';
const ROOT = 'waf-sov-070.tf.aws.cloudwatch-alarm-root-login';

const vars = (...names: string[]) => names.map((n) => `variable "${n}" {\n  type = bool\n}\n`).join('');
const trail = (name: string, count: string | undefined, compliant: boolean) =>
  `resource "aws_cloudtrail" "${name}" {\n${count ? `  count = ${count}\n` : ''}  name = "${name}"\n  s3_bucket_name = "logs-made-elsewhere"\n` +
  (compliant ? '  is_multi_region_trail = true\n  enable_log_file_validation = true\n  include_global_service_events = true\n' : '') +
  '}\n';
const ROOT_PATTERN = '{ ($.userIdentity.type = \\"Root\\") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != \\"AwsServiceEvent\\") }';
const rootAlarm = (count: string | undefined, actions: boolean) =>
  `resource "aws_cloudwatch_log_metric_filter" "root" {\n${count ? `  count = ${count}\n` : ''}  name = "root"\n  log_group_name = "trail"\n  pattern = "${ROOT_PATTERN}"\n  metric_transformation {\n    name = "RootUsage"\n    namespace = "CIS"\n    value = "1"\n  }\n}\n` +
  `resource "aws_cloudwatch_metric_alarm" "root" {\n${count ? `  count = ${count}\n` : ''}  alarm_name = "root"\n  metric_name = "RootUsage"\n  namespace = "CIS"\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n  evaluation_periods = 1\n  period = 300\n  statistic = "Sum"\n  threshold = 1\n${actions ? '  alarm_actions = ["arn:aws:sns:eu-central-1:111122223333:security"]\n' : ''}}\n`;

interface Case {
  name: string;
  /** main.tf of one root module, or the files of a tree of roots. */
  tf: string | Record<string, string>;
  expected: Record<string, Status>;
  /** Text the reason of every check decided over the conditions carries. */
  decided?: string[];
}

const cases: Case[] = [
  {
    name: 'a defective trail and an alarm without actions under count = var.create ? 1 : 0: they fail, created or not',
    tf: vars('create') + trail('t', 'var.create ? 1 : 0', false) + rootAlarm('var.create ? 1 : 0', false),
    expected: { [REGIONS]: 'fail', [ROOT]: 'fail', [BUCKET]: 'unknown' },
    decided: [REGIONS, ROOT],
  },
  {
    name: 'a compliant trail and alarm under the same condition: pass if created, fail if not, so unknown',
    tf: vars('create') + trail('t', 'var.create ? 1 : 0', true) + rootAlarm('var.create ? 1 : 0', true),
    expected: { [REGIONS]: 'unknown', [ROOT]: 'unknown', [BUCKET]: 'unknown' },
  },
  {
    name: 'a compliant conditional trail next to a compliant trail that surely exists: pass either way',
    tf: vars('extra') + trail('main', undefined, true) + trail('extra', 'var.extra ? 1 : 0', true),
    expected: { [REGIONS]: 'pass' },
  },
  {
    name: 'a defective conditional trail next to a compliant trail that surely exists: depends on the condition',
    tf: vars('extra') + trail('main', undefined, true) + trail('extra', 'var.extra ? 1 : 0', false),
    expected: { [REGIONS]: 'unknown' },
  },
  {
    name: 'two independent conditions, a defect under each: fail in every combination',
    tf: vars('a', 'b') + trail('ta', 'var.a ? 1 : 0', false) + trail('tb', 'var.b ? 1 : 0', false) + rootAlarm('var.b ? 1 : 0', false),
    expected: { [REGIONS]: 'fail', [ROOT]: 'fail' },
    decided: [REGIONS, ROOT],
  },
  {
    name: 'a defective trail under for_each over a variable without a value: fail, with or without instances',
    tf: 'variable "trails" {\n  type = map(string)\n}\n' + trail('t', undefined, false).replace('resource "aws_cloudtrail" "t" {\n', 'resource "aws_cloudtrail" "t" {\n  for_each = var.trails\n'),
    expected: { [REGIONS]: 'fail' },
    decided: [REGIONS],
  },
  {
    name: 'the same words in two root modules are two conditions: each root has its own var.create',
    tf: { 'a/main.tf': vars('create') + trail('t', 'var.create ? 1 : 0', true), 'b/main.tf': vars('create') + trail('t', 'var.create ? 1 : 0', false) },
    expected: { [REGIONS]: 'unknown' },
  },
  {
    name: 'more than five distinct conditions are not combined: the check stays unknown',
    tf: vars('c1', 'c2', 'c3', 'c4', 'c5', 'c6') + [1, 2, 3, 4, 5, 6].map((i) => trail(`t${i}`, `var.c${i} ? 1 : 0`, false)).join(''),
    expected: { [REGIONS]: 'unknown' },
  },
];

tableTest('verdicts over resources that may not be created', cases, async (c) => {
  const dir = tempTree(typeof c.tf === 'string' ? { 'main.tf': c.tf } : c.tf);
  const results = runIacChecks(await collectTerraform({ paths: [dir], baseDir: dir }));
  for (const [id, status] of Object.entries(c.expected)) {
    const r = results.find((x) => x.id === id)!;
    assert.equal(r.status, status, `${id}: ${r.reason}`);
    if (c.decided?.includes(id)) {
      assert.match(r.reason, /whether or not the resources whose count \/ for_each is not known are created \(.*variable "(create|a|b|trails)"/, id);
      assert.ok(r.findings.some((f) => f.status === 'fail' && f.location?.file), `${id}: the failure points at the resource to change`);
    }
  }
});
