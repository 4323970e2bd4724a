// Bad input is reported per file (path and reason) while everything else is still scanned; no logs is never "nothing found".

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { ACCOUNT, event, fixedClock, period, rootConsoleLogin, tempDir, writeFile, writeLayoutFile } from './helpers.js';

const Q3 = period('2026-07-01', '2026-09-30');

const good = () => [rootConsoleLogin('2026-08-03T09:00:00Z', 'Yes')];
const gz = (o: unknown) => gzipSync(JSON.stringify(o));

const cases: { name: string; file: string; bytes: () => Buffer | string; reason: RegExp; records?: number }[] = [
  { name: 'truncated gzip', file: 'trunc.json.gz', bytes: () => gz({ Records: good() }).subarray(0, 40), reason: /^gzip: .*\(truncated or corrupt file\)$/ },
  {
    name: 'corrupt gzip (bytes flipped inside the deflate stream)',
    file: 'corrupt.json.gz',
    bytes: () => {
      const b = Buffer.from(gz({ Records: good() }));
      for (let i = 20; i < 40; i++) b[i] ^= 0xff;
      return b;
    },
    reason: /^gzip: /,
  },
  { name: 'not JSON at all', file: 'notes.json', bytes: () => 'hello, this is not json', reason: /^not JSON: expected '\{' or '\[' at byte 0/ },
  { name: 'empty file', file: 'empty.json', bytes: () => '', reason: /^empty file/ },
  {
    name: 'JSON cut off in the middle of a record',
    file: 'cut.json',
    bytes: () => JSON.stringify({ Records: [...good(), event({ eventTime: '2026-08-04T00:00:00Z' })] }).slice(0, -40),
    reason: /^truncated JSON: /,
    records: 1,
  },
  {
    name: 'records missing eventTime',
    file: 'missing.json',
    bytes: () => {
      const { eventTime: _t, ...noTime } = event({});
      return JSON.stringify({ Records: [noTime, noTime, ...good()] });
    },
    reason: /^2 record\(s\) without an eventTime were not evaluated$/,
    records: 3,
  },
  {
    name: 'records missing eventName',
    file: 'noname.json',
    bytes: () => {
      const { eventName: _n, ...noName } = event({});
      return JSON.stringify({ Records: [noName, ...good()] });
    },
    reason: /^1 record\(s\) without a string eventName were not evaluated$/,
    records: 2,
  },
  {
    name: 'an eventTime in no accepted form',
    file: 'badtime.json',
    bytes: () => JSON.stringify({ Records: [event({ eventTime: '09/09/2026 13:13' }), ...good()] }),
    reason: /^1 record\(s\) with an eventTime in no accepted form were not evaluated \(first: "09\/09\/2026 13:13"; expected ISO 8601/,
    records: 2,
  },
  {
    name: 'Records is not a list',
    file: 'shape.json',
    bytes: () => JSON.stringify({ Records: { a: good()[0] } }),
    reason: /^wrong shape: "Records" is not a list/,
  },
  {
    name: 'a garbage line between one-event-per-line records',
    file: 'lines.json',
    bytes: () => `${JSON.stringify(good()[0])}\nGARBAGE\n${JSON.stringify(event({}))}\n`,
    reason: /^not JSON: unexpected byte "G" at byte \d+ outside any record$/,
    records: 1,
  },
  {
    name: 'a break-glass record that is not valid JSON inside',
    file: 'badrecord.json',
    bytes: () => JSON.stringify({ Records: good() }).replace('"MFAUsed":"Yes"', '"MFAUsed":Yes'),
    reason: /^1 record\(s\) are not valid JSON; first: record at byte \d+/,
    records: 1,
  },
];

describe('bad input', () => {
  for (const c of cases)
    it(`${c.name}: reported with path and reason; the good file next to it is still scanned`, async () => {
      const root = tempDir();
      writeLayoutFile(root, ACCOUNT, 'us-east-1', 'good', good());
      const bad = writeFile(join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '08', '03', c.file), c.bytes());
      const ev = await collectCloudTrail({ config: { logs: [root] }, breakGlass: {}, period: Q3, now: fixedClock, workers: 2 });
      const problems = ev.fileProblems.filter((p) => p.path === bad);
      assert.equal(problems.length, 1, JSON.stringify(ev.fileProblems));
      assert.match(problems[0].reason, c.reason);
      assert.equal(ev.activations.length, 1, 'the good file still gives its activation');
      assert.equal(ev.noLogs, false);
      if (c.records !== undefined) assert.equal(ev.sources.find((s) => s.path === bad)?.records, c.records);
    });

  it('a configured path that does not exist is reported', async () => {
    const missing = join(tempDir(), 'nope');
    const ev = await collectCloudTrail({ config: { logs: [missing] }, breakGlass: {}, period: Q3, now: fixedClock });
    assert.deepEqual(ev.fileProblems, [{ path: missing, reason: 'cannot read: ENOENT', skip: 'not-found' }]);
    assert.equal(ev.noLogs, true);
    assert.match(ev.noLogsReason ?? '', /could be read/);
  });

  const noLogCases = [
    { name: 'an empty folder', setup: (_root: string) => {}, reason: /no CloudTrail log files were found/ },
    {
      name: 'logs that all fall outside the period',
      setup: (root: string) => writeFile(join(root, 'other.json'), JSON.stringify({ Records: [rootConsoleLogin('2025-01-01T00:00:00Z', 'Yes')] })),
      reason: /1 log file\(s\) with 1 record\(s\) were read, but no event falls in 2026-07-01..2026-09-30/,
    },
  ];
  for (const c of noLogCases)
    it(`no logs for the period (${c.name}) is flagged, never "no activations found"`, async () => {
      const root = tempDir();
      c.setup(root);
      const ev = await collectCloudTrail({ config: { logs: [root] }, breakGlass: {}, period: Q3, now: fixedClock });
      assert.equal(ev.noLogs, true);
      assert.match(ev.noLogsReason ?? '', c.reason);
      assert.equal(ev.coverage.daysWithoutLogs.length, 92);
    });

  it('days of the period without any event are listed', async () => {
    const root = tempDir();
    writeFile(join(root, 'a.json'), JSON.stringify([event({ eventTime: '2026-07-01T00:00:00Z' }), event({ eventTime: '2026-09-30T23:59:59Z' })]));
    const ev = await collectCloudTrail({ config: { logs: [root] }, breakGlass: {}, period: Q3, now: fixedClock });
    assert.equal(ev.coverage.daysWithLogs, 2);
    assert.equal(ev.coverage.daysWithoutLogs.length, 90);
    assert.equal(ev.coverage.firstEvent, '2026-07-01T00:00:00Z');
    assert.equal(ev.coverage.lastEvent, '2026-09-30T23:59:59Z');
  });

  it('a bad allowedCidrs entry is a typed configuration error naming the entry', async () => {
    await assert.rejects(
      collectCloudTrail({ config: { logs: [] }, breakGlass: { allowedCidrs: ['10.0.0.0/8', '300.1.2.3/33'] }, period: Q3 }),
      (e: Error & { code?: string; pointer?: string }) => e.code === 'CLOUDTRAIL_CONFIG' && e.pointer === 'breakGlass.allowedCidrs[1]' && /300\.1\.2\.3\/33/.test(e.message),
    );
  });
});
