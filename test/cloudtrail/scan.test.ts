// The pre-filtering scanner against the parse-everything reference on every accepted file shape and tricky text.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import type { CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import { Detector, literalNeedle } from '../../src/detections/detector.js';
import { scanLogFile } from '../../src/collect/cloudtrail/scan.js';
import type { CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import { ACCOUNT, assumeRole, event, fixedClock, period, recordsOf, ROOT, rootConsoleLogin, tempDir, writeFile } from './helpers.js';

const Q3 = period('2026-07-01', '2026-09-30');
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
const breakGlass = { roles: ['arn:aws:iam::*:role/BreakGlass*'], users: ['bg-*'], allowedCidrs: ['203.0.113.0/24'] };

function sample(): Record<string, any>[] {
  return [
    rootConsoleLogin('2026-08-03T09:00:00Z', 'Yes'),
    // Quotes, braces, brackets and a trailing backslash inside strings must not move record boundaries.
    event({ userIdentity: ROOT, eventTime: '2026-08-03T09:01:00Z', userAgent: 'he said "}{" [x] \\', requestParameters: { path: 'C:\\', q: '\\"' } }),
    event({ eventTime: '2026-08-03T09:02:00Z', userAgent: '{"Records":[', eventName: 'GetObject' }),
    assumeRole('2026-08-03T10:00:00Z', ROLE, 's1', 'ASIAS1'),
    event({ eventTime: '2026-06-30T23:59:59Z', userIdentity: ROOT }),
    event({ eventTime: '2026-10-01T00:00:00Z', userIdentity: ROOT }),
    event({ eventTime: '2026-09-30T23:59:59Z', eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: 'trail' } }),
    event({ eventTime: '2026-08-05T00:00:00Z', userIdentity: { type: 'IAMUser', userName: 'bg-1', arn: `arn:aws:iam::${ACCOUNT}:user/bg-1`, accountId: ACCOUNT } }),
  ];
}

const shapes: { name: string; text: (evs: object[]) => string }[] = [
  { name: '{"Records":[…]} compact (S3 delivery)', text: (evs) => JSON.stringify({ Records: evs }) },
  { name: '{"Records":[…]} pretty-printed', text: (evs) => JSON.stringify({ Records: evs }, null, 3) },
  { name: 'JSON array (stratus-red-team shape)', text: (evs) => JSON.stringify(evs, null, 2) },
  { name: 'one event per line', text: (evs) => evs.map((e) => JSON.stringify(e)).join('\n') + '\n' },
  { name: 'byte-order mark, CRLF lines', text: (evs) => '\uFEFF' + evs.map((e) => JSON.stringify(e)).join('\r\n') },
];

async function both(file: string) {
  const common = { config: { logs: [file] }, breakGlass, period: Q3, now: fixedClock, workers: 0 };
  const strip = (e: CloudTrailEvidence) => ({ ...e, fileProblems: e.fileProblems.map(({ offset: _o, ...p }) => p) });
  return [strip(await collectCloudTrail(common)), strip(await collectCloudTrail({ ...common, scanner: 'reference' }))];
}

describe('scanner: file shapes', () => {
  for (const s of shapes)
    it(`${s.name}: same evidence as the reference, boundaries and period right`, async () => {
      const evs = sample();
      const file = writeFile(join(tempDir(), 'log.json'), s.text(evs));
      const [fast, ref] = await both(file);
      assert.deepEqual(fast, ref);
      assert.deepEqual(fast.fileProblems, []);
      assert.equal(fast.recordsRead, evs.length);
      assert.equal(fast.eventsInPeriod, evs.length - 2, 'the two events just outside Q3 are not counted');
      assert.equal(fast.counts['root-activity'], 2);
      assert.equal(fast.counts['break-glass-role-assumption'], 1);
      assert.equal(fast.counts['logging-tampering'], 1);
      assert.equal(fast.activations.length, 3);
    });

  it('text read through 64 KiB windows: needles, escapes and 150 KB strings across window edges', async () => {
    const evs: Record<string, any>[] = [];
    for (let k = 0; k < 400; k++) {
      const bg = k % 7 === 3;
      evs.push(
        event({
          eventTime: `2026-08-0${(k % 9) + 1}T10:00:00Z`,
          // Padding of every length moves record and needle positions across the window edges.
          requestParameters: { pad: 'x'.repeat((k * 37) % 1500), q: k % 5 === 0 ? 'say \\"hi\\" \\\\' : 'plain' },
          ...(bg && { userIdentity: { type: 'IAMUser', userName: 'bg-1', arn: `arn:aws:iam::${ACCOUNT}:user/bg-1`, accountId: ACCOUNT } }),
        }),
      );
    }
    // Strings longer than a window, full of escaped quotes and backslashes, before a root event's marker.
    const long = '\\"}{'.repeat(30_000);
    evs.splice(100, 0, event({ eventTime: '2026-08-02T11:00:00Z', userAgent: long, userIdentity: ROOT }));
    evs.splice(250, 0, event({ eventTime: '2026-08-02T12:00:00Z', requestParameters: { doc: long } }));
    const file = writeFile(join(tempDir(), 'big.json'), JSON.stringify({ Records: evs }));
    const [fast, ref] = await both(file);
    assert.deepEqual(fast, ref);
    assert.equal(fast.recordsRead, evs.length);
    assert.equal(fast.counts['root-activity'], 1);
    assert.equal(fast.counts['break-glass-activity'], evs.filter((e) => e.userIdentity.userName === 'bg-1').length + 1);
    assert.deepEqual(fast.fileProblems, []);
  });

  for (const at of [65532, 65533, 65534, 65535, 65536])
    it(`a needle starting at byte ${at}, across the first window's edge, still selects its record`, () => {
      const d = new Detector({ users: ['bg-*'] });
      const { needles, parseAll } = d.scanGuard();
      const plan = { eventNames: [], needles, parseAll, start: '2026-07-01T00:00:00', end: '2026-10-01T00:00:00' };
      const text = (pad: number) =>
        JSON.stringify({
          Records: [event({ requestParameters: { pad: 'x'.repeat(pad) } }), event({ userIdentity: { type: 'IAMUser', userName: 'bg-1', arn: 'u', accountId: ACCOUNT } })],
        });
      const pad = at - text(0).indexOf('bg-1');
      assert.equal(text(pad).indexOf('bg-1'), at);
      const scan = scanLogFile(Buffer.from(text(pad)), plan);
      assert.deepEqual(
        scan.candidates.map((c) => (c.userIdentity as { userName: string }).userName),
        ['bg-1'],
      );
    });

  it('only candidate records are parsed: plain calls by ordinary users are skipped', () => {
    const evs = [...sample(), ...Array.from({ length: 50 }, (_, i) => event({ eventTime: `2026-08-0${(i % 9) + 1}T00:00:00Z` }))];
    const d = new Detector(breakGlass);
    const { needles, parseAll } = d.scanGuard();
    const plan = { eventNames: ['ConsoleLogin', 'AssumeRole', 'StopLogging'], needles, parseAll, start: '2026-07-01T00:00:00', end: '2026-10-01T00:00:00' };
    const scan = scanLogFile(Buffer.from(JSON.stringify({ Records: evs })), plan);
    assert.equal(scan.records, evs.length);
    // Root's sign-in and call, the AssumeRole, StopLogging and bg-1's call; alice's GetObject and the 50 plain calls are not parsed.
    assert.deepEqual(
      scan.candidates.map((c) => c.eventName).sort(),
      ['AssumeRole', 'ConsoleLogin', 'DescribeInstances', 'DescribeInstances', 'StopLogging'].sort(),
    );
  });
});

describe('detection helpers', () => {
  const needleCases: [string, string | undefined][] = [
    ['arn:aws:iam::*:role/BreakGlass*', 'BreakGlass'],
    ['break-glass-*', 'break-glass-'],
    ['arn:aws:iam::123456789012:role/*', '123456789012'],
    ['*', undefined],
    ['a?', undefined],
  ];
  for (const [glob, want] of needleCases) it(`literalNeedle(${glob}) = ${want}`, () => assert.equal(literalNeedle(glob), want));

  const cidrCases: [string, boolean][] = [
    ['203.0.113.7', false],
    ['198.51.100.7', true],
    ['::ffff:203.0.113.9', false],
    ['2001:db8::1', false],
    ['2001:db9::1', true],
    ['ec2.amazonaws.com', false],
    ['AWS Internal', false],
  ];
  const d = new Detector({ allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] });
  for (const [ip, outside] of cidrCases)
    it(`sourceIPAddress ${ip} is ${outside ? 'outside' : 'not outside'} the allowed CIDRs`, () =>
      assert.equal(d.outsideAllowedCidrs(event({ sourceIPAddress: ip }) as never), outside));

  const secretCases: [string, boolean][] = [
    ['break-glass/root', true],
    ['arn:aws:secretsmanager:eu-central-1:111122223333:secret:break-glass/root-a1B2c3', true],
    ['break-glass/root-other', false],
    ['arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod/db-a1B2c3', false],
  ];
  const ds = new Detector({ secrets: ['break-glass/root'] });
  for (const [secretId, rotated] of secretCases)
    it(`RotateSecret on ${secretId} ${rotated ? 'is' : 'is not'} break-glass secret rotation`, () =>
      assert.equal(ds.rotationSignal(event({ eventName: 'RotateSecret', requestParameters: { secretId } }) as never)?.kind === 'secret-rotated', rotated));
});

describe('filter replay', () => {
  it('filters are counted over every event of the period, with or without needles, once per eventID', async () => {
    const evs = recordsOf('invictus-ir-aws_dataset/218007301253_CloudTrail_us-east-1_20230710T1220Z_WMiHxZgr5Hdd6UDc.json');
    const dir = tempDir();
    writeFile(join(dir, 'a.json'), JSON.stringify({ Records: evs }));
    writeFile(join(dir, 'copy.json'), JSON.stringify({ Records: evs })); // the same events delivered twice
    const name = evs[0].eventName as string;
    const want = new Set(evs.filter((e) => e.eventName === name).map((e) => e.eventID)).size;
    const filters = [
      { id: 'with-needle', matches: (e: any) => e.eventName === name, needles: [`"${name}"`] },
      { id: 'no-needle', matches: (e: any) => e.eventName === name },
    ];
    const ev = await collectCloudTrail({ config: { logs: [dir] }, breakGlass: {}, period: period('2023-07-01', '2023-07-31'), filters, now: fixedClock });
    assert.ok(want > 0);
    assert.deepEqual(ev.filterCounts, [
      { id: 'with-needle', matches: want },
      { id: 'no-needle', matches: want },
    ]);
    assert.deepEqual(replayFilters(ev, filters), ev.filterCounts);
    assert.deepEqual(replayFilters([...evs, ...evs], filters).map((f) => f.matches), [want, want]);
  });

  it('a filter that throws is reported, not counted as zero silently', () => {
    const r = replayFilters([event({})], [{ id: 'boom', matches: () => { throw new Error('bad pattern'); } }]);
    assert.deepEqual(r, [{ id: 'boom', matches: 0, error: 'bad pattern' }]);
  });
});

/**
 * Test oracle for the scan's filter counts: counts per filter how many events match. Given evidence, the counts were made during the scan
 * (pass the filters to collectCloudTrail); given events, they are counted here (deduplicated by eventID).
 */
function replayFilters(
  source: CloudTrailEvidence | unknown[],
  filters: { id: string; matches(e: unknown): boolean }[],
): { id: string; matches: number; error?: string }[] {
  if (!Array.isArray(source)) {
    return filters.map((f) => {
      const c = source.filterCounts.find((x) => x.id === f.id);
      return c ? { ...c } : { id: f.id, matches: 0, error: 'filter was not passed to collectCloudTrail: not counted' };
    });
  }
  const seen = new Set<string>();
  const events = source.filter((e) => {
    const id = (e as { eventID?: unknown })?.eventID;
    if (typeof id !== 'string') return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return filters.map((f) => {
    let matches = 0;
    try {
      for (const e of events) if (f.matches(e)) matches++;
      return { id: f.id, matches };
    } catch (err) {
      return { id: f.id, matches, error: (err as Error).message };
    }
  });
}
