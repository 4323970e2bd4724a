import check from '../../src/evaluate/checks/waf-sov-070.tf.aws.cloudwatch-alarm-root-login.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence, terraform, terraformDir } from '../support/evidence.js';

const SEED_PATTERN = '{$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent}';
const filter = (pattern: string) =>
  `resource "aws_cloudwatch_log_metric_filter" "root" {\n  name = "root"\n  pattern = ${JSON.stringify(pattern)}\n  log_group_name = "trail"\n  metric_transformation {\n    name = "RootUsage"\n    namespace = "Sec"\n    value = "1"\n  }\n}\n`;
const alarm = (extra: string, metric = 'RootUsage', ns = 'Sec') =>
  `resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\nresource "aws_cloudwatch_metric_alarm" "root" {\n  alarm_name = "root"\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n  evaluation_periods = 1\n  metric_name = "${metric}"\n  namespace = "${ns}"\n  period = 60\n  statistic = "Sum"\n  threshold = 1\n${extra}}\n`;
const ACTIONS = '  alarm_actions = [aws_sns_topic.alerts.arn]\n';

checkTable(check, {
  pass: [
    { name: "seed 000's compliant example", evidence: terraformDir('test/fixtures/terraform/seed-compliant'), reason: /detects root account usage/ },
    { name: 'CIS pattern reordered and quoted', evidence: terraform({ 'a.tf': filter('{ $.eventType != "AwsServiceEvent" && $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }') + alarm(ACTIONS) }) },
  ],
  fail: [
    { name: "seed 000's non-compliant example (no filter)", evidence: terraformDir('test/fixtures/terraform/seed-noncompliant'), reason: /no CloudWatch Logs metric filter/ },
    { name: 'filter without any alarm', evidence: terraform({ 'a.tf': filter(SEED_PATTERN) }), reason: /no alarm watches its metric Sec\/RootUsage/, locations: [/^a\.tf:\d+/] },
    { name: 'alarm on another metric', evidence: terraform({ 'a.tf': filter(SEED_PATTERN) + alarm(ACTIONS, 'Other') }), reason: /no alarm watches/ },
    { name: 'alarm on the metric in another namespace', evidence: terraform({ 'a.tf': filter(SEED_PATTERN) + alarm(ACTIONS, 'RootUsage', 'Other') }), reason: /no alarm watches/ },
    { name: 'alarm without actions', evidence: terraform({ 'a.tf': filter(SEED_PATTERN) + alarm('') }), reason: /has no alarm_actions/ },
    { name: 'alarm actions disabled', evidence: terraform({ 'a.tf': filter(SEED_PATTERN) + alarm(ACTIONS + '  actions_enabled = false\n') }), reason: /actions are disabled/ },
    { name: '|| instead of && over-matches', evidence: terraform({ 'a.tf': filter('{$.userIdentity.type = Root || $.userIdentity.invokedBy NOT EXISTS || $.eventType != AwsServiceEvent}') + alarm(ACTIONS) }), reason: /no metric filter detects root account usage \(closest/ },
    { name: 'filter ignores service events but not invokedBy', evidence: terraform({ 'a.tf': filter('{$.userIdentity.type = Root && $.eventType != AwsServiceEvent}') + alarm(ACTIONS) }), reason: /also matches/ },
  ],
  unknown: [
    { name: 'IaC not configured', evidence: () => baseEvidence(), reason: /not collected/ },
    { name: 'pattern from a variable without default', evidence: terraform({ 'a.tf': 'variable "p" {}\n' + filter('x').replace('pattern = "x"', 'pattern = var.p') + alarm(ACTIONS) }), reason: /cannot be known statically/ },
  ],
  error: [
    { name: 'the only filter has an invalid pattern', evidence: terraform({ 'a.tf': filter('{$.userIdentity.type = }') + alarm(ACTIONS) }), reason: /invalid/ },
  ],
});
