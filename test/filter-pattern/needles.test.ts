// needlesOf never drops an event the pattern matches: checked against the engine on real CloudTrail records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { matchesEvent, needlesOf, parseFilterPattern } from '../../src/detections/filter-pattern/index.js';
import { tableTest } from './table.js';
import { CLOUDTRAIL_TESTDATA } from '../support/shared.js';

tableTest(
  'needles',
  [
    { name: 'seed root pattern', pattern: '{$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent}', needles: ['Root'] },
    { name: 'seed IAM pattern (or of four)', pattern: '{($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy)}', needles: ['AttachRolePolicy', 'CreatePolicy', 'DeletePolicy', 'DetachRolePolicy'] },
    { name: 'an or-branch without a literal gives none', pattern: '{($.eventName = CreatePolicy) || ($.errorCode NOT EXISTS)}', needles: undefined },
    { name: 'wildcard core still a needle', pattern: '{$.requestParameters.roleArn = "*BreakGlass*"}', needles: ['BreakGlass'] },
    { name: 'inequality only gives none', pattern: '{$.eventType != AwsServiceEvent}', needles: undefined },
    { name: 'term patterns give none', pattern: '"ConsoleLogin"', needles: undefined },
  ] as { name: string; pattern: string; needles: string[] | undefined }[],
  (c) => assert.deepEqual(needlesOf(parseFilterPattern(c.pattern)), c.needles),
);

test('on the shared real logs, every record a pattern matches contains one of its needles', () => {
  const dir = CLOUDTRAIL_TESTDATA + '/awsdocs-cloudtrail-user-guide/';
  const records = ['log-file-examples.records.json', 'console-sign-in-events.records.json'].flatMap((f) => {
    const j = JSON.parse(readFileSync(dir + f, 'utf8'));
    return Array.isArray(j) ? j : j.Records;
  });
  assert.ok(records.length > 10);
  let checked = 0;
  for (const text of ['{$.userIdentity.type = Root}', '{$.eventName = ConsoleLogin && $.additionalEventData.MFAUsed != Yes}', '{($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = CreateTrail)}']) {
    const p = parseFilterPattern(text);
    const needles = needlesOf(p)!;
    for (const r of records) {
      if (matchesEvent(p, r)) {
        checked++;
        assert.ok(needles.some((n) => JSON.stringify(r).includes(n)), `${text} matches ${r.eventID} without a needle`);
      }
    }
  }
  assert.ok(checked > 0, 'some records matched');
});
