// Expected verdicts of the four seed checks on each unit of test/fixtures/corpus (real-world Terraform shapes, own fixtures).
// Written from the documented semantics (docs/iac.md), before running the tool: a disagreement is a defect to fix in the
// evaluator (generally), never a row to edit to match the output.

import type { Status } from '../../src/model/status.js';

export const SEED_CHECKS = {
  regions: 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions',
  bucket: 'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public',
  root: 'waf-sov-070.tf.aws.cloudwatch-alarm-root-login',
  iam: 'waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes',
} as const;

export interface CorpusUnit {
  /** Folder under test/fixtures/corpus, checked as `evidence-pack iac <folder>` checks it. */
  unit: string;
  /** The real-world shape it stands for. */
  shape: string;
  expected: Record<keyof typeof SEED_CHECKS, Status>;
}

const all = (s: Status) => ({ regions: s, bucket: s, root: s, iam: s });

export const CORPUS: CorpusUnit[] = [
  { unit: 'inline-compliant', shape: 'trail, bucket with its block, CIS filters and alarms, all inline', expected: all('pass') },
  { unit: 'defaults-literal-bucket', shape: "the seed's non-compliant trail: provider defaults, a literal bucket made elsewhere", expected: { regions: 'fail', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'local-wrapper-count', shape: 'local wrapper modules, count = var.enabled ? 1 : 0 (default true), module outputs feeding cloud_watch_logs_group_arn and the bucket', expected: all('pass') },
  { unit: 'registry-trail-no-init', shape: 'trail from a registry module, not downloaded; alarms inline', expected: { regions: 'unknown', bucket: 'unknown', root: 'pass', iam: 'pass' } },
  { unit: 'registry-trail-init', shape: 'the same after terraform init (label module nested, count from module.this.enabled)', expected: all('pass') },
  { unit: 'registry-trail-init-default-region', shape: "after init, the caller leaves the module's single-region default", expected: { regions: 'fail', bucket: 'pass', root: 'pass', iam: 'pass' } },
  { unit: 'cis-module-standalone', shape: 'a CIS alarms module on its own: for_each over a map of controls, try() overrides, alarm_actions default []', expected: { regions: 'fail', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'cis-registry-init', shape: 'the CIS module from a registry sub-folder source (//modules/cis-alarms), downloaded, wired to a topic', expected: all('pass') },
  { unit: 'cis-registry-init-root-disabled', shape: 'the same with the root-usage control in disabled_controls', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'pass' } },
  { unit: 'cis-registry-no-init', shape: 'the CIS module not downloaded: the alarms may be in it', expected: { regions: 'pass', bucket: 'pass', root: 'unknown', iam: 'unknown' } },
  { unit: 'yaml-catalogue', shape: 'filters and alarms generated with for_each from yamldecode(file())', expected: all('pass') },
  { unit: 'count-lists', shape: 'parallel lists indexed by count.index; actions from distinct(compact(concat()))', expected: all('pass') },
  { unit: 'partial-alarms-remote-state', shape: 'a partial folder: alarms on a log group and topic read from another stack (terraform_remote_state)', expected: { regions: 'fail', bucket: 'unknown', root: 'pass', iam: 'pass' } },
  { unit: 'partial-trail-remote-bucket', shape: "a partial folder: a trail whose bucket is another stack's output", expected: { regions: 'pass', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'trail-vars-no-value', shape: 'trail settings from variables without a value', expected: { regions: 'unknown', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'trail-vars-tfvars', shape: 'the same with terraform.tfvars', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'undeclared-ref-in-tags', shape: 'one undeclared resource and variable, read by no check', expected: all('pass') },
  { unit: 'syntax-error', shape: 'a compliant configuration next to a file that does not parse', expected: all('error') },
  { unit: 'count-create-unknown', shape: 'count = var.create ? 1 : 0 with no value for create', expected: { regions: 'unknown', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'count-create-defective', shape: 'count = local.create ? 1 : 0 (create without a value) on a default trail and an alarm with alarm_actions = []: failing whether created or not', expected: { regions: 'fail', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'alarm-actions-shapes', shape: 'actions_enabled = false on one alarm; alarm_actions = [var.topic_arn] (no value) on the other', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'pass' } },
  { unit: 'alarm-actions-var-list', shape: 'alarm_actions = var.alarm_actions with no value', expected: { regions: 'pass', bucket: 'pass', root: 'unknown', iam: 'unknown' } },
  { unit: 'weak-filters', shape: 'root filter without the service-event exclusions, IAM filter with one event', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'seed-iam-four-events', shape: "the seed's own four IAM events", expected: all('pass') },
  { unit: 'public-policy', shape: 'a bucket policy allowing "*" next to a complete block', expected: { regions: 'pass', bucket: 'fail', root: 'pass', iam: 'pass' } },
  { unit: 'two-trails-one-single-region', shape: 'a second, data-events trail with defaults', expected: { regions: 'fail', bucket: 'pass', root: 'pass', iam: 'pass' } },
  { unit: 'account-level-block', shape: 'aws_s3_account_public_access_block instead of a bucket-level block', expected: all('pass') },
  { unit: 'block-flags-from-vars', shape: 'block flags from a variable whose default is true', expected: all('pass') },
  { unit: 'block-incomplete', shape: 'a block with restrict_public_buckets missing', expected: { regions: 'pass', bucket: 'fail', root: 'pass', iam: 'pass' } },
  { unit: 'alarm-metric-mismatch', shape: 'an alarm in another namespace; an alarm without metric_name', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'eventbridge-instead', shape: 'an EventBridge rule on root sign-in instead of a metric filter and alarm', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'git-bucket-module-init', shape: 'organisation trail; bucket from a git-sourced module, downloaded', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'git-bucket-module-no-init', shape: 'the same, not downloaded', expected: { regions: 'pass', bucket: 'unknown', root: 'unknown', iam: 'unknown' } },
  { unit: 'plan-format-0.1', shape: 'terraform show -json of a Terraform 0.12 plan (format_version 0.1)', expected: { regions: 'fail', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'state-json', shape: 'terraform show -json of a state: applied values, links by name and ARN', expected: { regions: 'pass', bucket: 'fail', root: 'pass', iam: 'fail' } },
  { unit: 'dynamic-selectors', shape: 'dynamic event_selector blocks; a topic from for_each = toset(var)', expected: all('pass') },
  { unit: 'override-file', shape: 'a *_override.tf file that makes the trail single-region', expected: { regions: 'fail', bucket: 'pass', root: 'pass', iam: 'pass' } },
  { unit: 'optional-object-vars', shape: 'an object variable with optional(bool, true) attributes, values in an .auto.tfvars', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'empty-module', shape: 'a module folder with variables and outputs only', expected: { regions: 'fail', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'account-id-bucket-name', shape: 'trail and bucket named by the same template of a local and the account id (a data source), written differently', expected: all('pass') },
  { unit: 'literal-bucket-defined', shape: 'the trail names its bucket by a literal that the unit defines', expected: all('pass') },
  { unit: 'logging-disabled', shape: 'enable_logging = false (not one of the three settings the seed check reads)', expected: all('pass') },
  { unit: 'nested-registry-init', shape: 'a landing-zone module calling the trail, label and CIS modules, all downloaded', expected: all('pass') },
  { unit: 'repo-split-roots', shape: 'a repository: trail and bucket in infra/logging, alarms in infra/alarms', expected: all('pass') },
  { unit: 'module-for-each-instances', shape: 'a local trail module instantiated with for_each, one instance single-region', expected: { regions: 'fail', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'baseline-root-switched-off', shape: 'per-alarm count = var.X_enabled ? 1 : 0, metric_name from the filter\'s [0].id; the caller turns root usage off', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'pass' } },
  { unit: 'baseline-defaults', shape: 'the same alarm module with its defaults', expected: all('pass') },
  { unit: 'baseline-module-alone', shape: 'the alarm module folder on its own (log group variable without a value)', expected: { regions: 'fail', bucket: 'unknown', root: 'pass', iam: 'pass' } },
  { unit: 'hcl1-style', shape: 'Terraform 0.11 style: quoted interpolations, "true" strings, legacy .0 index, type = "string"', expected: { regions: 'fail', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'conditional-actions-empty', shape: 'alarm_actions = var.topic != "" ? [var.topic] : [] with the default ""', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'conditional-actions-unknown', shape: 'the same condition on a variable without a value', expected: { regions: 'pass', bucket: 'pass', root: 'unknown', iam: 'unknown' } },
  { unit: 'for-each-empty-default', shape: 'trails from for_each over a map variable whose default is {}', expected: { regions: 'fail', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'heredoc-pattern-global-off', shape: 'a <<- heredoc filter pattern; include_global_service_events = false', expected: { regions: 'fail', bucket: 'pass', root: 'pass', iam: 'pass' } },
  { unit: 'label-not-downloaded', shape: 'count = module.label.enabled ? 1 : 0 with the label module (null provider) not downloaded: the compliant trail may not exist; no alarm anywhere', expected: { regions: 'unknown', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'label-trail-module-alone', shape: 'a trail module of a label-based family on its own, not initialised: module.this.enabled, single-region defaults, bucket from a variable without a value', expected: { regions: 'fail', bucket: 'unknown', root: 'fail', iam: 'fail' } },
  { unit: 'module-count-zero', shape: 'a trail module switched off with count = 0, alarms inline', expected: { regions: 'fail', bucket: 'unknown', root: 'pass', iam: 'pass' } },
  { unit: 'counted-bucket-by-index', shape: 'a counted bucket referenced as [0]; the trail names the same computed bucket name', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'module-for-each-alarms', shape: 'an alarm module called with for_each over a map; the alarm reads the filter\'s metric_transformation[0]', expected: all('pass') },
  { unit: 'alarm-metric-query', shape: 'alarms written as metric math (metric_query) over the filter\'s metric', expected: all('pass') },
  { unit: 's3-module-policy-output', shape: 'the trail bucket from a downloaded S3 module whose id output is try(policy[0].id, bucket[0].id, "")', expected: { regions: 'pass', bucket: 'pass', root: 'fail', iam: 'fail' } },
  { unit: 'cdktf-synth', shape: 'CDK for Terraform synth output (cdk.tf.json): JSON syntax, hashed names, // metadata', expected: { regions: 'pass', bucket: 'pass', root: 'pass', iam: 'fail' } },
];
