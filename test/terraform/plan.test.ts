// Plan JSON input: the same entities as the equivalent .tf, with locations in the plan document.

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import type { Alarm, Trail } from '../../src/model/infra.js';
import { comparable, entity, tempTree } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'terraform');

describe('terraform show -json plans', () => {
  const equivalent: { name: string; tf: string; plan: string }[] = [
    { name: 'seed 000 compliant examples', tf: 'seed-compliant', plan: 'plan/seed-compliant.plan.json' },
    { name: 'module with an output feeding a counted alarm', tf: 'plan-modules', plan: 'plan/modules.plan.json' },
  ];
  for (const c of equivalent) {
    it(`${c.name}: the same entities from .tf and from the plan`, async () => {
      const [fromTf, fromPlan] = await collectTerraform({ paths: [c.tf], planJson: [c.plan], baseDir: fixtures });
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
});
