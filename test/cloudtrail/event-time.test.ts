// Event times: every form CloudTrail and its exports write is read as the same UTC instant; anything else is a dropped record.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normaliseEventTime } from '../../src/collect/cloudtrail/event-time.js';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { event, fixedClock, period, tempDir, writeFile } from './helpers.js';

const Q3 = period('2026-07-01', '2026-09-30');

const accepted: { name: string; raw: unknown; utc: string }[] = [
  { name: 'CloudTrail log file form', raw: '2026-09-09T13:13:00Z', utc: '2026-09-09T13:13:00Z' },
  { name: 'fractional seconds (kept as written)', raw: '2026-09-09T13:13:00.123Z', utc: '2026-09-09T13:13:00.123Z' },
  { name: 'nanoseconds', raw: '2026-09-09T13:13:00.123456789Z', utc: '2026-09-09T13:13:00.123456789Z' },
  { name: 'offset with colon', raw: '2026-09-09T15:13:00+02:00', utc: '2026-09-09T13:13:00Z' },
  { name: 'offset without colon', raw: '2026-09-09T15:13:00+0200', utc: '2026-09-09T13:13:00Z' },
  { name: 'negative offset across midnight', raw: '2026-09-08T21:13:00-08:00', utc: '2026-09-09T05:13:00Z' },
  { name: 'zero offset', raw: '2026-09-09T13:13:00+00:00', utc: '2026-09-09T13:13:00Z' },
  { name: 'lower-case t and z', raw: '2026-09-09t13:13:00z', utc: '2026-09-09T13:13:00Z' },
  { name: 'CloudTrail Lake / Athena export (space, UTC)', raw: '2026-09-09 13:13:00', utc: '2026-09-09T13:13:00Z' },
  { name: 'export with milliseconds', raw: '2026-09-09 13:13:00.000', utc: '2026-09-09T13:13:00Z' },
  { name: 'export with fraction', raw: '2026-09-09 13:13:00.500', utc: '2026-09-09T13:13:00.5Z' },
  { name: 'space form with Z', raw: '2026-09-09 13:13:00Z', utc: '2026-09-09T13:13:00Z' },
  { name: 'epoch milliseconds (number)', raw: Date.UTC(2026, 8, 9, 13, 13), utc: '2026-09-09T13:13:00Z' },
  { name: 'epoch milliseconds (string)', raw: String(Date.UTC(2026, 8, 9, 13, 13, 0, 250)), utc: '2026-09-09T13:13:00.250Z' },
  { name: 'leap day', raw: '2028-02-29T00:00:00Z', utc: '2028-02-29T00:00:00Z' },
];

const rejected: { name: string; raw: unknown }[] = [
  { name: 'no time zone in the T form (local time is not guessed)', raw: '2026-09-09T13:13:00' },
  { name: 'US date', raw: '09/09/2026 13:13:00' },
  { name: 'RFC 2822', raw: 'Wed, 09 Sep 2026 13:13:00 GMT' },
  { name: 'date only', raw: '2026-09-09' },
  { name: 'no seconds', raw: '2026-09-09T13:13Z' },
  { name: 'month 13', raw: '2026-13-09T13:13:00Z' },
  { name: 'February 30', raw: '2026-02-30T13:13:00Z' },
  { name: 'hour 24', raw: '2026-09-09T24:00:00Z' },
  { name: 'leap second', raw: '2026-09-09T23:59:60Z' },
  { name: 'impossible offset', raw: '2026-09-09T13:13:00+15:00' },
  { name: 'epoch seconds (ambiguous with ms)', raw: 1788959580 },
  { name: 'fractional epoch', raw: 1788959580000.5 },
  { name: 'epoch far in the future', raw: 9_999_999_999_999 },
  { name: 'empty string', raw: '' },
  { name: 'null', raw: null },
  { name: 'object', raw: { t: '2026-09-09T13:13:00Z' } },
  { name: 'trailing garbage', raw: '2026-09-09T13:13:00Zjunk' },
  { name: 'leading space', raw: ' 2026-09-09T13:13:00Z' },
];

describe('normaliseEventTime', () => {
  for (const c of accepted) it(`accepts ${c.name}`, () => assert.equal(normaliseEventTime(c.raw), c.utc));
  for (const c of rejected) it(`rejects ${c.name}`, () => assert.equal(normaliseEventTime(c.raw), undefined));
});

const stopLogging = (eventTime: unknown) =>
  event({ eventTime, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'org-trail' }, readOnly: false });

describe('a StopLogging in every accepted form is found, in both scanners', () => {
  for (const scanner of ['fast', 'reference'] as const)
    for (const c of accepted.filter((a) => a.utc.startsWith('2026-09')))
      it(`${scanner}: ${c.name}`, async () => {
        const root = tempDir();
        writeFile(join(root, 'export.json'), JSON.stringify({ Records: [stopLogging(c.raw)] }));
        const ev = await collectCloudTrail({ config: { logs: [root] }, breakGlass: {}, period: Q3, now: fixedClock, scanner });
        assert.deepEqual(ev.fileProblems, []);
        assert.equal(ev.tamperingEvents.length, 1);
        assert.equal(ev.tamperingEvents[0].eventTime, c.utc);
        assert.equal(ev.coverage.firstEvent, c.utc);
      });

  for (const scanner of ['fast', 'reference'] as const)
    it(`${scanner}: an eventTime in no accepted form is a dropped record, counted and named`, async () => {
      const root = tempDir();
      const file = writeFile(join(root, 'export.json'), JSON.stringify({ Records: [stopLogging('09/09/2026 13:13'), stopLogging('2026-09-09 13:14:00')] }));
      const ev = await collectCloudTrail({ config: { logs: [root] }, breakGlass: {}, period: Q3, now: fixedClock, scanner });
      assert.equal(ev.tamperingEvents.length, 1);
      assert.deepEqual(
        ev.fileProblems.map((p) => ({ path: p.path, drop: p.drop, count: p.count })),
        [{ path: file, drop: 'bad-event-time', count: 1 }],
      );
    });
});
