// The alarm chain: each link has a fixture that breaks it and the failure names that link; unknowable links are unknown.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tableTest } from '../filter-pattern/table.js';
import { runCheck } from '../../src/evaluate/engine.js';
import { CHAIN_LINKS, type ChainLink } from '../../src/evaluate/chain.js';
import type { Status } from '../../src/model/status.js';
import { BREAK_GLASS, CHAIN_FIXTURES, check, collectTf, editedCopy, evidenceOf, type Edit } from './helpers.js';

const COMPLETE = join(CHAIN_FIXTURES, 'complete');
const ROOT_CHAIN = 'waf-sov-070.tf.aws.alarm-chain-root-usage';
const CHAIN_IDS = ['root-usage', 'iam-policy-changes', 'console-signin-without-mfa', 'cloudtrail-config-changes', 'break-glass-role-assumption'].map((d) => `waf-sov-070.tf.aws.alarm-chain-${d}`);

const ROOT_ALARM_ACTIONS = /(metric_name\s+= "RootUsage"[\s\S]*?)alarm_actions\s+= \[aws_sns_topic\.alerts\.arn\]/;
const ROOT_FILTER_GROUP = /(pattern\s+= "\{\$\.userIdentity\.type = Root[^\n]*\n\s+)log_group_name = aws_cloudwatch_log_group\.trail\.name/;

interface Case {
  name: string;
  edits: Edit[];
  status: Status;
  link: ChainLink;
  /** Text the reason must contain (the attribute or resource at fault). */
  mentions: string[];
}

const cases: Case[] = [
  { name: 'trail: single region', edits: [{ file: 'main.tf', from: 'is_multi_region_trail         = true', to: 'is_multi_region_trail = false' }], status: 'fail', link: 'trail', mentions: ['aws_cloudtrail.main', 'is_multi_region_trail = false'] },
  { name: 'trail: logging disabled', edits: [{ file: 'main.tf', from: 'name                          = "org-audit"', to: 'name = "org-audit"\n  enable_logging = false' }], status: 'fail', link: 'trail', mentions: ['logging is disabled', 'enable_logging = false'] },
  {
    name: 'trail: event selector leaves out management events',
    edits: [{ file: 'main.tf', from: 'name                          = "org-audit"', to: 'name = "org-audit"\n  event_selector {\n    read_write_type           = "All"\n    include_management_events = false\n  }' }],
    status: 'fail',
    link: 'trail',
    mentions: ['leave out management events'],
  },
  { name: 'log group: the trail delivers to none', edits: [{ file: 'main.tf', from: /\n\s+cloud_watch_logs_group_arn[^\n]*/, to: '' }], status: 'fail', link: 'log group', mentions: ['cloud_watch_logs_group_arn is not set'] },
  {
    name: 'metric filter: on another log group (seed ct/cloudtrail mix-up)',
    edits: [
      { file: 'main.tf', from: 'resource "aws_sns_topic" "alerts"', to: 'resource "aws_cloudwatch_log_group" "other" {\n  name = "/aws/other"\n}\n\nresource "aws_sns_topic" "alerts"' },
      { file: 'alarms.tf', from: ROOT_FILTER_GROUP, to: '$1log_group_name = aws_cloudwatch_log_group.other.name' },
    ],
    status: 'fail',
    link: 'metric filter',
    mentions: ['aws_cloudwatch_log_metric_filter.root_usage detects it but is on log group aws_cloudwatch_log_group.other'],
  },
  {
    name: 'metric filter: || in place of &&',
    edits: [{ file: 'alarms.tf', from: 'Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType', to: 'Root || $.userIdentity.invokedBy NOT EXISTS || $.eventType' }],
    status: 'fail',
    link: 'metric filter',
    mentions: ['no metric filter on aws_cloudwatch_log_group.trail (the log group aws_cloudtrail.main delivers to) detects root account usage'],
  },
  {
    name: 'metric filter: by literal log group name that differs',
    edits: [{ file: 'alarms.tf', from: ROOT_FILTER_GROUP, to: '$1log_group_name = "/aws/cloudtrail/org-audit-old"' }],
    status: 'fail',
    link: 'metric filter',
    mentions: ['is on log group /aws/cloudtrail/org-audit-old'],
  },
  {
    name: 'metric: the filter publishes no metric',
    edits: [{ file: 'alarms.tf', from: /(log_group_name = aws_cloudwatch_log_group\.trail\.name\n)\n\s+metric_transformation \{\n\s+name\s+= "RootUsage"[^}]*\}/, to: '$1' }],
    status: 'fail',
    link: 'metric',
    mentions: ['aws_cloudwatch_log_metric_filter.root_usage: publishes no metric'],
  },
  { name: 'alarm: watches another namespace', edits: [{ file: 'alarms.tf', from: /(metric_name\s+= "RootUsage"\n\s+)namespace\s+= "Security"/, to: '$1namespace = "CloudTrailMetrics"' }], status: 'fail', link: 'alarm', mentions: ['no alarm watches its metric Security/RootUsage'] },
  { name: 'alarm actions: none', edits: [{ file: 'alarms.tf', from: ROOT_ALARM_ACTIONS, to: '$1' }], status: 'fail', link: 'alarm actions', mentions: ['aws_cloudwatch_metric_alarm.root_usage', 'has no alarm_actions'] },
  { name: 'alarm actions: disabled', edits: [{ file: 'alarms.tf', from: ROOT_ALARM_ACTIONS, to: '$1alarm_actions = [aws_sns_topic.alerts.arn]\n  actions_enabled = false' }], status: 'fail', link: 'alarm actions', mentions: ['actions_enabled = false'] },
  { name: 'SNS topic: actions notify no topic', edits: [{ file: 'alarms.tf', from: ROOT_ALARM_ACTIONS, to: '$1alarm_actions = ["arn:aws:automate:eu-central-1:ec2:stop"]' }], status: 'fail', link: 'SNS topic', mentions: ['notify no SNS topic (arn:aws:automate:eu-central-1:ec2:stop)'] },
  {
    name: 'subscription: none for the alarm topic',
    edits: [{ file: 'main.tf', from: 'topic_arn = aws_sns_topic.alerts.arn', to: 'topic_arn = aws_sns_topic.audit.arn' }, { file: 'main.tf', from: 'resource "aws_sns_topic_subscription"', to: 'resource "aws_sns_topic" "audit" {\n  name = "audit"\n}\n\nresource "aws_sns_topic_subscription"' }],
    status: 'fail',
    link: 'subscription',
    mentions: ['aws_sns_topic.alerts', 'none for this topic'],
  },
  // Values that cannot be known statically: unknown with reason and location, never pass or fail.
  { name: 'unknown: topic ARN outside the sources', edits: [{ file: 'alarms.tf', from: ROOT_ALARM_ACTIONS, to: '$1alarm_actions = ["arn:aws:sns:eu-central-1:111122223333:elsewhere"]' }], status: 'unknown', link: 'SNS topic', mentions: ['not defined in the sources read'] },
  {
    name: 'unknown: pattern from a variable without default',
    edits: [{ file: 'alarms.tf', from: /pattern\s+= "\{\$\.userIdentity\.type = Root[^\n]*/, to: 'pattern = var.root_pattern' }, { file: 'main.tf', from: '# Alarm-chain fixture', to: 'variable "root_pattern" {\n  type = string\n}\n\n# Alarm-chain fixture' }],
    status: 'unknown',
    link: 'metric filter',
    mentions: ['aws_cloudwatch_log_metric_filter.root_usage: filter pattern cannot be known statically', 'root_pattern'],
  },
  {
    name: 'unknown: multi-region from a variable without default',
    edits: [{ file: 'main.tf', from: 'is_multi_region_trail         = true', to: 'is_multi_region_trail = var.multi_region' }, { file: 'main.tf', from: '# Alarm-chain fixture', to: 'variable "multi_region" {}\n\n# Alarm-chain fixture' }],
    status: 'unknown',
    link: 'trail',
    mentions: ['is_multi_region_trail cannot be known statically', 'multi_region'],
  },
  {
    name: 'unknown: alarm actions from a variable without default',
    edits: [{ file: 'alarms.tf', from: ROOT_ALARM_ACTIONS, to: '$1alarm_actions = var.actions' }, { file: 'main.tf', from: '# Alarm-chain fixture', to: 'variable "actions" {\n  type = list(string)\n}\n\n# Alarm-chain fixture' }],
    status: 'unknown',
    link: 'alarm actions',
    mentions: ['alarm_actions cannot be known statically'],
  },
  {
    name: 'unknown: chain broken, but a registry module is not evaluated',
    edits: [
      { file: 'main.tf', from: /\n\s+cloud_watch_logs_group_arn[^\n]*/, to: '' },
      { file: 'main.tf', from: '# Alarm-chain fixture', to: 'module "cis_alarms" {\n  source  = "terraform-aws-modules/cloudwatch/aws//modules/cis-alarms"\n  version = "5.6.0"\n}\n\n# Alarm-chain fixture' },
    ],
    status: 'unknown',
    link: 'log group',
    mentions: ['module.cis_alarms', 'not evaluated'],
  },
];

tableTest('alarm chain (root usage)', cases, async (c) => {
  const t = editedCopy(COMPLETE, c.edits);
  try {
    const r = runCheck(check(ROOT_CHAIN), evidenceOf(await collectTf(t.dir)));
    assert.equal(r.status, c.status, r.reason);
    if (c.status === 'fail') assert.match(r.reason, new RegExp(`^first broken link: ${c.link}: `));
    else assert.ok(r.findings.some((f) => f.message.startsWith(`link "${c.link}": `)), JSON.stringify(r.findings, null, 1));
    for (const m of c.mentions) assert.ok(r.reason.includes(m), `reason mentions "${m}": ${r.reason}`);
    // A verdict always points at a source line.
    assert.ok(r.locations.length > 0 && r.locations.every((l) => l.file && l.line), JSON.stringify(r.locations));
  } finally {
    t.cleanup();
  }
});

/** The CloudFormation collector's per-link fixtures (test/fixtures/cloudformation/alarm-chain), through the chain check. */
const CFN_LINK_FIXTURES: { name: string; status: Status; link?: ChainLink }[] = [
  { name: 'compliant.yaml', status: 'pass' },
  { name: 'broken-trail-single-region.yaml', status: 'fail', link: 'trail' },
  { name: 'broken-trail-no-management-events.yaml', status: 'fail', link: 'trail' },
  { name: 'broken-trail-no-log-group.yaml', status: 'fail', link: 'log group' },
  { name: 'broken-filter-other-log-group.yaml', status: 'fail', link: 'metric filter' },
  { name: 'broken-alarm-other-metric.yaml', status: 'fail', link: 'alarm' },
  { name: 'broken-alarm-no-actions.yaml', status: 'fail', link: 'alarm actions' },
  { name: 'broken-alarm-actions-disabled.yaml', status: 'fail', link: 'alarm actions' },
  { name: 'broken-alarm-action-not-topic.yaml', status: 'fail', link: 'SNS topic' },
  // No subscription anywhere in the sources: they may be made outside IaC, so unknown rather than fail or pass.
  { name: 'broken-topic-no-subscription.yaml', status: 'unknown', link: 'subscription' },
];

tableTest('alarm chain (root usage) on the CloudFormation link fixtures', CFN_LINK_FIXTURES, async (c) => {
  const { collectCloudFormation } = await import('../../src/collect/cloudformation/index.js');
  const dir = join(CHAIN_FIXTURES, '../cloudformation/alarm-chain');
  const r = runCheck(check(ROOT_CHAIN), evidenceOf(await collectCloudFormation({ paths: [c.name], baseDir: dir })));
  assert.equal(r.status, c.status, r.reason);
  if (c.status === 'fail') assert.match(r.reason, new RegExp(`^first broken link: ${c.link}: `));
  if (c.status === 'unknown') assert.match(r.reason, new RegExp(`cannot be decided: link "${c.link}"`));
  if (c.status === 'pass') assert.match(r.reason, /→ AlertsSubscription \(email\)$/);
});

describe('alarm chain', () => {
  it('every link has a failing fixture above', () => {
    const covered = new Set(cases.filter((c) => c.status === 'fail').map((c) => c.link));
    assert.deepEqual(CHAIN_LINKS.filter((l) => !covered.has(l)), []);
  });

  it('the complete fixture passes every chain check, naming the whole chain', async () => {
    const snapshots = await collectTf(COMPLETE);
    for (const id of CHAIN_IDS) {
      const r = runCheck(check(id), evidenceOf(snapshots));
      assert.equal(r.status, 'pass', `${id}: ${r.reason}`);
      assert.match(r.reason, /aws_cloudtrail\.main → aws_cloudwatch_log_metric_filter\.\w+ → aws_cloudwatch_metric_alarm\.\w+ → aws_sns_topic\.alerts → aws_sns_topic_subscription\.oncall \(email\)/);
    }
  });

  it("seed 000's own example (trail on log group ct, filters on cloudtrail): the chain checks fail while the seed's four checks keep their verdicts", async () => {
    const ev = evidenceOf(await collectTf(join(CHAIN_FIXTURES, 'seed-literal')));
    for (const id of ['cloudtrail-enabled-all-regions', 'cloudtrail-s3-bucket-not-public', 'cloudwatch-alarm-root-login', 'cloudwatch-alarm-iam-policy-changes']) {
      assert.equal(runCheck(check(`waf-sov-070.tf.aws.${id}`), ev).status, 'pass', id);
    }
    for (const [id, filter] of [['root-usage', 'root_usage'], ['iam-policy-changes', 'iam_changes']]) {
      const r = runCheck(check(`waf-sov-070.tf.aws.alarm-chain-${id}`), ev);
      assert.equal(r.status, 'fail');
      assert.equal(
        r.reason,
        `first broken link: metric filter: no metric filter is defined on aws_cloudwatch_log_group.ct, the log group aws_cloudtrail.sovereign delivers to; aws_cloudwatch_log_metric_filter.${filter} detects it but is on log group aws_cloudwatch_log_group.cloudtrail`,
      );
    }
  });

  it('break-glass: parameters come from breakGlass.roles/users; other identities break the filter, none declared is unknown', async () => {
    const snapshots = await collectTf(COMPLETE);
    const id = 'waf-sov-070.tf.aws.alarm-chain-break-glass-role-assumption';
    assert.equal(runCheck(check(id), evidenceOf(snapshots)).status, 'pass');
    const other = runCheck(check(id), evidenceOf(snapshots, { ...BREAK_GLASS, roles: ['arn:aws:iam::111122223333:role/Emergency'] }));
    assert.equal(other.status, 'fail');
    assert.ok(other.reason.includes('does not match an AssumeRole of the break-glass role'), other.reason);
    // Only a user declared: the role cases are dropped, the user's sign-in must still be matched.
    assert.equal(runCheck(check(id), evidenceOf(snapshots, { ...BREAK_GLASS, roles: [] })).status, 'pass');
    const wrongUser = runCheck(check(id), evidenceOf(snapshots, { ...BREAK_GLASS, roles: [], users: ['someone-else'] }));
    assert.equal(wrongUser.status, 'fail');
    const none = runCheck(check(id), evidenceOf(snapshots, { ...BREAK_GLASS, roles: [], users: [] }));
    assert.equal(none.status, 'unknown');
    assert.match(none.reason, /breakGlass\.roles and breakGlass\.users/);
  });

  it('a CloudFormation template breaks the same link by the same name', async () => {
    const { collectCloudFormation } = await import('../../src/collect/cloudformation/index.js');
    const t = editedCopy(join(CHAIN_FIXTURES, '../../../samples/iac-equivalence/cloudformation'), [
      { file: 'trail.yaml', from: /\n\s+CloudWatchLogsLogGroupArn:[^\n]*/, to: '' },
    ]);
    try {
      const snapshots = await collectCloudFormation({ paths: [t.dir], baseDir: t.dir });
      const r = runCheck(check(ROOT_CHAIN), evidenceOf(snapshots));
      assert.equal(r.status, 'fail');
      assert.match(r.reason, /^first broken link: log group: SovereignTrail: delivers to no CloudWatch Logs log group \(CloudWatchLogsLogGroupArn is not set\)/);
    } finally {
      t.cleanup();
    }
  });
});
