// Plan JSON input: the same entities as the equivalent .tf, with locations in the plan document.

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { isUnknown, type Alarm, type Trail } from '../../src/model/infra.js';
import { comparable, entity, tempTree } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'terraform');

describe('terraform show -json plans', () => {
  const equivalent: { name: string; tf: string; plan: string }[] = [
    { name: 'seed 000 compliant examples', tf: 'seed-compliant', plan: 'plan/seed-compliant.plan.json' },
    { name: 'module with an output feeding a counted alarm', tf: 'plan-modules', plan: 'plan/modules.plan.json' },
  ];
  for (const c of equivalent) {
    it(`${c.name}: the same entities from .tf and from the plan`, async () => {
      // Collected apart: read together, each snapshot's ids would carry its root (see 'several roots' below).
      const [fromTf] = await collectTerraform({ paths: [c.tf], baseDir: fixtures });
      const [fromPlan] = await collectTerraform({ paths: [], planJson: [c.plan], baseDir: fixtures });
      assert.deepEqual(fromTf.problems, []);
      assert.deepEqual(fromPlan.problems, []);
      assert.equal(fromPlan.origin, 'terraform-plan');
      assert.ok(fromPlan.entities.length >= 4);
      assert.deepEqual(comparable(fromPlan), comparable(fromTf));
    });
  }

  it('locates entities and values in the plan document', async () => {
    const [s] = await collectTerraform({ paths: [], planJson: ['plan/seed-compliant.plan.json'], baseDir: fixtures });
    const t = entity(s, 'aws_cloudtrail.sovereign') as Trail;
    assert.deepEqual([t.origin, t.at.file, t.at.line, t.at.pointer], ['terraform-plan', 'plan/seed-compliant.plan.json', 7, 'aws_cloudtrail.sovereign']);
    assert.deepEqual([t.multiRegion.value, t.multiRegion.at.line, t.multiRegion.defaulted], [true, 22, undefined]);
    // set by the provider, not by the configuration
    assert.deepEqual([t.logging.value, t.logging.defaulted], [true, true]);
    // computed in the plan, but the configuration says which resource it comes from
    assert.deepEqual(t.bucket.value, { ref: 'aws_s3_bucket.cloudtrail' });
  });

  it('follows references through module outputs and keeps instance keys', async () => {
    const [s] = await collectTerraform({ paths: [], planJson: ['plan/modules.plan.json'], baseDir: fixtures });
    const a = entity(s, 'aws_cloudwatch_metric_alarm.root[0]') as Alarm;
    assert.deepEqual(a.actions.value, [{ ref: 'module.trail.aws_sns_topic.alerts' }]);
    assert.equal(a.name.value, 'root-usage-0');
    const t = entity(s, 'module.trail.aws_cloudtrail.this') as Trail;
    assert.deepEqual(t.bucket.value, { ref: 'module.trail.aws_s3_bucket.logs' });
  });

  it('pairs literal and referenced alarm actions element by element', async () => {
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_sns_topic.t', mode: 'managed', type: 'aws_sns_topic', name: 't', values: { name: 't' } },
            {
              address: 'aws_cloudwatch_metric_alarm.a',
              mode: 'managed',
              type: 'aws_cloudwatch_metric_alarm',
              name: 'a',
              values: { alarm_name: 'a', metric_name: 'M', namespace: 'N', alarm_actions: ['arn:aws:sns:eu-central-1:111122223333:pager', null] },
            },
          ],
        },
      },
      resource_changes: [{ address: 'aws_cloudwatch_metric_alarm.a', change: { actions: ['create'], after_unknown: { alarm_actions: [false, true] } } }],
      configuration: {
        root_module: {
          resources: [
            { address: 'aws_sns_topic.t', mode: 'managed', type: 'aws_sns_topic', name: 't', expressions: { name: { constant_value: 't' } } },
            {
              address: 'aws_cloudwatch_metric_alarm.a',
              mode: 'managed',
              type: 'aws_cloudwatch_metric_alarm',
              name: 'a',
              expressions: { alarm_actions: { references: ['aws_sns_topic.t.arn', 'aws_sns_topic.t'] }, alarm_name: { constant_value: 'a' } },
            },
          ],
        },
      },
    };
    const t = tempTree({ 'plan.json': JSON.stringify(plan, null, 2) });
    try {
      const [s] = await collectTerraform({ paths: [], planJson: ['plan.json'], baseDir: t.dir });
      const a = entity(s, 'aws_cloudwatch_metric_alarm.a') as Alarm;
      assert.deepEqual(a.actions.value, [{ name: 'arn:aws:sns:eu-central-1:111122223333:pager' }, { ref: 'aws_sns_topic.t' }]);
    } finally {
      t.cleanup();
    }
  });

  it('hashes the plan but never offers its bytes for copying (plans hold sensitive values in clear text)', async () => {
    const [s] = await collectTerraform({ paths: [], planJson: ['plan/modules.plan.json'], baseDir: fixtures });
    assert.equal(s.files.length, 1);
    assert.equal(s.files[0].path, 'plan/modules.plan.json');
    assert.equal(s.files[0].absPath, undefined);
    assert.match(s.files[0].sha256, /^[0-9a-f]{64}$/);
  });

  // The same small configuration as Terraform 0.12–0.14 (format 0.1: no sensitive_values) and 0.15 (format 0.2) write it.
  const OLD_PLAN = (version: string) => ({
    format_version: version,
    terraform_version: version === '0.1' ? '0.12.31' : '0.15.5',
    planned_values: {
      root_module: {
        resources: [
          { address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't', provider_name: 'aws', schema_version: 0, values: { name: 't', is_multi_region_trail: true, enable_log_file_validation: false, include_global_service_events: true, s3_bucket_name: null } },
          { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', provider_name: 'aws', schema_version: 0, values: { bucket: 'trail-logs', acl: 'private' } },
        ],
      },
    },
    resource_changes: [{ address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't', change: { actions: ['create'], before: null, after: {}, after_unknown: { s3_bucket_name: true, arn: true } } }],
    configuration: {
      root_module: {
        resources: [
          { address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't', provider_config_key: 'aws', expressions: { name: { constant_value: 't' }, is_multi_region_trail: { constant_value: true }, enable_log_file_validation: { constant_value: false }, s3_bucket_name: { references: ['aws_s3_bucket.b'] } }, schema_version: 0 },
          { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', provider_config_key: 'aws', expressions: { bucket: { constant_value: 'trail-logs' } }, schema_version: 0 },
        ],
      },
    },
  });
  for (const version of ['0.1', '0.2']) {
    it(`reads format_version ${version} plans`, async () => {
      const t = tempTree({ 'plan.json': JSON.stringify(OLD_PLAN(version), null, 2) });
      try {
        const [s] = await collectTerraform({ paths: [], planJson: ['plan.json'], baseDir: t.dir });
        assert.deepEqual(s.problems, []);
        const trail = entity(s, 'aws_cloudtrail.t') as Trail;
        assert.deepEqual([trail.multiRegion.value, trail.logFileValidation.value, trail.globalServiceEvents.defaulted], [true, false, true]);
        assert.deepEqual(trail.bucket.value, { ref: 'aws_s3_bucket.b' });
      } finally {
        t.cleanup();
      }
    });
  }

  it('reads `terraform show -json` of a state: applied values, links by name and ARN, sensitive values never read', async () => {
    const state = {
      format_version: '1.0',
      terraform_version: '1.9.8',
      values: {
        root_module: {
          resources: [
            { address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't', values: { name: 't', is_multi_region_trail: true, enable_logging: true, s3_bucket_name: 'trail-logs', cloud_watch_logs_group_arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:trail:*' }, sensitive_values: {} },
            { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', values: { bucket: 'trail-logs', id: 'trail-logs' }, sensitive_values: {} },
            { address: 'data.aws_caller_identity.me', mode: 'data', type: 'aws_caller_identity', name: 'me', values: { account_id: '111122223333' } },
          ],
          child_modules: [
            {
              address: 'module.alerts',
              resources: [
                { address: 'module.alerts.aws_sns_topic.t', mode: 'managed', type: 'aws_sns_topic', name: 't', values: { name: 'security', arn: 'arn:aws:sns:eu-west-1:111122223333:security' }, sensitive_values: {} },
                // A subscription endpoint marked sensitive: never read, never copied.
                { address: 'module.alerts.aws_sns_topic_subscription.s', mode: 'managed', type: 'aws_sns_topic_subscription', name: 's', values: { topic_arn: 'arn:aws:sns:eu-west-1:111122223333:security', protocol: 'https', endpoint: 'https://hooks.example/SECRET-TOKEN' }, sensitive_values: { endpoint: true, protocol: true } },
              ],
            },
          ],
        },
      },
    };
    const t = tempTree({ 'state.json': JSON.stringify(state, null, 2) });
    try {
      const [s] = await collectTerraform({ paths: [], planJson: ['state.json'], baseDir: t.dir });
      assert.deepEqual(s.problems, [], 'a state has no configuration section, and that is expected');
      const trail = entity(s, 'aws_cloudtrail.t') as Trail;
      assert.deepEqual([trail.bucket.value, trail.logGroup.value, trail.multiRegion.value, trail.logFileValidation.value], [{ name: 'trail-logs' }, { name: 'arn:aws:logs:eu-west-1:111122223333:log-group:trail:*' }, true, false]);
      // Applied values are not provider defaults.
      assert.equal(trail.logging.defaulted, undefined);
      const sub = entity(s, 'module.alerts.aws_sns_topic_subscription.s');
      assert.ok(isUnknown((sub as { protocol: { value: unknown } }).protocol.value));
      assert.ok(!JSON.stringify(s).includes('SECRET-TOKEN'));
      assert.equal(s.files[0].absPath, undefined, 'the state file is hashed, its bytes never offered for copying');
    } finally {
      t.cleanup();
    }
  });
});
