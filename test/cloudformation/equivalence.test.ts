// The CloudFormation YAML and CDK samples describe seed 000's compliant infrastructure and normalise identically.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';
import { entitiesOf, isUnknown, type Entity, type InfraSnapshot, type Link } from '../../src/model/infra.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const YAML_SAMPLE = 'samples/iac-equivalence/cloudformation';
const CDK_SAMPLE = 'samples/iac-equivalence/cdk';

/** Names an entity by what it is, not by its logical id (which CDK hashes). */
function describeEntities(snapshot: InfraSnapshot): Map<string, string> {
  const byId = new Map(snapshot.entities.map((e) => [e.id, e]));
  const names = new Map<string, string>();
  const nameOf = (e: Entity): string => {
    switch (e.type) {
      case 'public-access-block':
        return `pab of ${nameOf(byId.get((e.bucket?.value as Link).ref!)!)}`;
      case 'sns-subscription':
        return `${e.protocol.value} subscription of ${nameOf(byId.get((e.topic.value as Link).ref!)!)}`;
      default:
        return `${e.type} ${JSON.stringify(isUnknown(e.name.value) ? { unknown: e.name.value.unknown } : e.name.value)}`;
    }
  };
  for (const e of snapshot.entities) names.set(e.id, nameOf(e));
  return names;
}

/** Every field value of every entity, with links replaced by the described target; ids, locations dropped. */
function canonical(snapshot: InfraSnapshot): Record<string, Record<string, unknown>> {
  const names = describeEntities(snapshot);
  const link = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(link);
    if (isUnknown(v)) return { unknown: v.unknown };
    if (typeof v === 'object' && v !== null && 'principals' in v) return { ...v, principals: link((v as { principals: unknown }).principals) };
    if (typeof v === 'object' && v !== null && 'ref' in v) return { ref: names.get((v as Link).ref!) ?? `dangling ${(v as Link).ref}` };
    return v;
  };
  const out: Record<string, Record<string, unknown>> = {};
  for (const e of snapshot.entities) {
    // resourceType is provenance (an inline Topic subscription vs AWS::SNS::Subscription), not meaning.
    const fields: Record<string, unknown> = { type: e.type };
    for (const [k, v] of Object.entries(e)) {
      if (typeof v === 'object' && v !== null && 'value' in v && 'at' in v) fields[k] = { value: link(v.value), defaulted: v.defaulted ?? false };
    }
    out[names.get(e.id)!] = fields;
  }
  return out;
}

async function collect(path: string) {
  const [snapshot] = await collectCloudFormation({ paths: [path], baseDir: repo });
  return snapshot;
}

describe('iac-equivalence samples', () => {
  it('CloudFormation YAML and CDK synth output normalise to the same entities', async () => {
    const [yaml, cdk] = await Promise.all([collect(YAML_SAMPLE), collect(CDK_SAMPLE)]);
    assert.deepEqual(canonical(cdk), canonical(yaml));
  });

  it('read without errors; only the cdk.out manifest is skipped, with its reason', async () => {
    const [yaml, cdk] = await Promise.all([collect(YAML_SAMPLE), collect(CDK_SAMPLE)]);
    assert.deepEqual(yaml.problems, []);
    assert.deepEqual(cdk.problems.map((p) => [p.level, p.location?.file, p.message]), [
      ['warning', `${CDK_SAMPLE}/cdk.out/manifest.json`, 'skipped: not a CloudFormation template (no Resources section)'],
    ]);
    assert.deepEqual(cdk.files.map((f) => f.path), [`${CDK_SAMPLE}/cdk.out/BreakGlassStack.template.json`]);
  });

  for (const sample of [YAML_SAMPLE, CDK_SAMPLE]) {
    it(`${sample} is seed 000's compliant infrastructure`, async () => {
      const s = await collect(sample);
      const [trail] = entitiesOf([s], 'trail');
      assert.equal(entitiesOf([s], 'trail').length, 1);
      assert.deepEqual(
        [trail.name.value, trail.multiRegion.value, trail.logFileValidation.value, trail.globalServiceEvents.value, trail.logging.value, trail.managementEvents.value],
        ['sovereign-audit-trail', true, true, true, true, true],
      );
      const bucket = entitiesOf([s], 'bucket').find((b) => b.id === (trail.bucket.value as Link).ref);
      assert.ok(bucket, 'the trail links to its bucket');
      assert.deepEqual([bucket.publicByPolicy?.value, bucket.publicByAcl?.value], [false, false]);
      const pab = entitiesOf([s], 'public-access-block').find((p) => (p.bucket?.value as Link).ref === bucket.id);
      assert.ok(pab, 'the trail bucket has a public-access block');
      assert.deepEqual([pab.blockPublicAcls.value, pab.blockPublicPolicy.value, pab.ignorePublicAcls.value, pab.restrictPublicBuckets.value], [true, true, true, true]);
      const logGroup = entitiesOf([s], 'log-group').find((g) => g.id === (trail.logGroup.value as Link).ref);
      assert.ok(logGroup, 'the trail delivers to a log group of the template');
      const topic = entitiesOf([s], 'sns-topic')[0];
      assert.equal(topic.name.value, 'security-alerts');
      assert.ok(entitiesOf([s], 'sns-subscription').some((x) => (x.topic.value as Link).ref === topic.id && x.protocol.value === 'email'));
      const chains = entitiesOf([s], 'metric-filter').map((f) => {
        assert.deepEqual(f.logGroup.value, { ref: logGroup.id });
        const metrics = f.metrics.value;
        assert.ok(!isUnknown(metrics));
        const alarm = entitiesOf([s], 'alarm').find((a) => a.metricName.value === metrics[0].name && a.namespace.value === metrics[0].namespace);
        assert.ok(alarm, `an alarm on ${metrics[0].name}`);
        assert.deepEqual([alarm.actions.value, alarm.actionsEnabled.value], [[{ ref: topic.id }], true]);
        return [f.name.value, metrics[0].name];
      });
      assert.deepEqual(chains, [
        ['root-account-usage', 'RootAccountUsageCount'],
        ['iam-policy-changes', 'IAMPolicyChangeCount'],
      ]);
    });
  }

  it('locates entities on the lines of the sample files', async () => {
    const [yaml, cdk] = await Promise.all([collect(YAML_SAMPLE), collect(CDK_SAMPLE)]);
    const yamlText = (await readFile(`${repo}/${YAML_SAMPLE}/trail.yaml`, 'utf8')).split('\n');
    const jsonText = (await readFile(`${repo}/${CDK_SAMPLE}/cdk.out/BreakGlassStack.template.json`, 'utf8')).split('\n');
    const lineOf = (lines: string[], text: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
    const [yTrail] = entitiesOf([yaml], 'trail');
    assert.deepEqual([yTrail.at.file, yTrail.at.line], [`${YAML_SAMPLE}/trail.yaml`, lineOf(yamlText, '  SovereignTrail:')]);
    assert.equal(yTrail.multiRegion.at.line, lineOf(yamlText, 'IsMultiRegionTrail: true'));
    const [cTrail] = entitiesOf([cdk], 'trail');
    assert.deepEqual([cTrail.at.line, cTrail.at.pointer], [lineOf(jsonText, '"Trail022F0CF2": {'), 'Resources.Trail022F0CF2 [BreakGlassStack/Trail/Resource]']);
    assert.equal(cTrail.logFileValidation.at.line, lineOf(jsonText, '"EnableLogFileValidation": true'));
  });
});
