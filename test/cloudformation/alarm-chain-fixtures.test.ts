// The alarm-chain fixtures normalise so that each one's broken link (and only that link) is visible in the entities.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';
import { entitiesOf, isUnknown, linkMatches, type InfraSnapshot, type Link } from '../../src/model/infra.js';

const fixtures = fileURLToPath(new URL('../fixtures/cloudformation/alarm-chain', import.meta.url));

/** The first missing link from trail to subscription, walked over normalised entities only. */
function firstBrokenLink(s: InfraSnapshot): string | undefined {
  const snaps = [s];
  const [trail] = entitiesOf(snaps, 'trail');
  if (trail.multiRegion.value !== true) return 'trail-multi-region';
  if (trail.managementEvents.value !== true) return 'trail-management-events';
  const lgLink = trail.logGroup.value;
  if (lgLink === null || isUnknown(lgLink)) return 'trail-log-group';
  const logGroup = entitiesOf(snaps, 'log-group').find((g) => linkMatches(lgLink, g, [g.name.value]));
  if (!logGroup) return 'trail-log-group';
  const filters = entitiesOf(snaps, 'metric-filter').filter((f) => !isUnknown(f.logGroup.value) && linkMatches(f.logGroup.value, logGroup, [logGroup.name.value]));
  if (filters.length === 0) return 'filter-log-group';
  const metrics = filters.flatMap((f) => (isUnknown(f.metrics.value) ? [] : f.metrics.value));
  const alarms = entitiesOf(snaps, 'alarm').filter((a) => metrics.some((m) => m.name === a.metricName.value && m.namespace === a.namespace.value));
  if (alarms.length === 0) return 'alarm-metric';
  const actions = alarms.flatMap((a) => (isUnknown(a.actions.value) ? [] : a.actions.value.map((l) => ({ alarm: a, link: l }))));
  if (actions.length === 0) return 'alarm-actions';
  const enabled = actions.filter((x) => x.alarm.actionsEnabled.value === true);
  if (enabled.length === 0) return 'alarm-actions-enabled';
  const topics = entitiesOf(snaps, 'sns-topic').filter((t) => enabled.some((x) => linkMatches(x.link, t, [t.name.value])));
  if (topics.length === 0) return 'alarm-action-topic';
  const subscribed = entitiesOf(snaps, 'sns-subscription').some((sub) => topics.some((t) => linkMatches(sub.topic.value as Link, t, [t.name.value])));
  if (!subscribed) return 'topic-subscription';
  return undefined;
}

const TABLE: { fixture: string; broken: string | undefined }[] = [
  { fixture: 'compliant.yaml', broken: undefined },
  { fixture: 'broken-trail-single-region.yaml', broken: 'trail-multi-region' },
  { fixture: 'broken-trail-no-management-events.yaml', broken: 'trail-management-events' },
  { fixture: 'broken-trail-no-log-group.yaml', broken: 'trail-log-group' },
  { fixture: 'broken-filter-other-log-group.yaml', broken: 'filter-log-group' },
  { fixture: 'broken-alarm-other-metric.yaml', broken: 'alarm-metric' },
  { fixture: 'broken-alarm-no-actions.yaml', broken: 'alarm-actions' },
  { fixture: 'broken-alarm-actions-disabled.yaml', broken: 'alarm-actions-enabled' },
  { fixture: 'broken-alarm-action-not-topic.yaml', broken: 'alarm-action-topic' },
  { fixture: 'broken-topic-no-subscription.yaml', broken: 'topic-subscription' },
];

describe('alarm-chain fixtures (CloudFormation)', () => {
  for (const t of TABLE) {
    it(`${t.fixture}: ${t.broken ?? 'complete chain'}`, async () => {
      const [s] = await collectCloudFormation({ paths: [t.fixture], baseDir: fixtures });
      assert.deepEqual(s.problems, []);
      assert.equal(firstBrokenLink(s), t.broken);
    });
  }
});
