// Property-based tests of the CloudTrail record reader: random logs and random damage on every run (fast-check),
// bounded in time. A failure prints the seed and the shrunk input to reproduce it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { referenceScanLogFile } from '../../src/collect/cloudtrail/reference.js';
import { scanLogFile, type FileScan, type ScanPlan } from '../../src/collect/cloudtrail/scan.js';

/** Every run tries new random inputs; the time limit keeps the suite's duration bounded. */
const RUN = { numRuns: 150, interruptAfterTimeLimit: 8_000 } as const;

const plan: ScanPlan = {
  eventNames: ['StopLogging', 'ConsoleLogin', 'AssumeRole'],
  needles: ['BreakGlass'],
  parseAll: true,
  slim: false,
  start: '2026-07-01T00:00:00',
  end: '2026-10-01T00:00:00',
};

const two = (n: number) => String(n).padStart(2, '0');
/** An instant of the period (or just outside it) as [canonical UTC, Date]. */
const instant = fc.integer({ min: Date.UTC(2026, 5, 25), max: Date.UTC(2026, 9, 5) }).map((ms) => new Date(Math.floor(ms / 1000) * 1000));

/** The same instant in every form CloudTrail and its exports write. */
const validTime = fc.tuple(instant, fc.integer({ min: 0, max: 5 }), fc.integer({ min: -12, max: 14 })).map(([d, form, offH]) => {
  const iso = d.toISOString().slice(0, 19);
  const local = new Date(d.getTime() + offH * 3_600_000).toISOString().slice(0, 19);
  const off = `${offH < 0 ? '-' : '+'}${two(Math.abs(offH))}:00`;
  const forms: unknown[] = [`${iso}Z`, `${iso}.250Z`, `${local}${off}`, iso.replace('T', ' '), d.getTime(), `${local}${off.replace(':', '')}`];
  return forms[form];
});

/** Values that are not event times: the record must be counted as dropped, never evaluated or silently ignored. */
const invalidTime = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}/.test(s) && !/^\d{12,13}$/.test(s)),
  fc.constantFrom('2026-07-01T10:00:00', '2026-02-30T10:00:00Z', '2026-07-01T24:00:00Z', '07/01/2026 10:00:00', '2026-07-01', 'null'),
  fc.constantFrom(null, true, 1788959580, { t: 1 }, [1]),
);

const text = fc.string({ unit: 'grapheme', maxLength: 20 });
const name = fc.oneof(fc.constantFrom('StopLogging', 'ConsoleLogin', 'AssumeRole', 'DescribeInstances', 'GetObject'), text);

/** A CloudTrail-shaped record; `time` undefined leaves eventTime out. */
const record = (time: fc.Arbitrary<unknown>, id: number) =>
  fc.record({ eventName: name, time, agent: text, deep: fc.jsonValue({ maxDepth: 2 }) }).map((r) => {
    const out: Record<string, unknown> = { eventVersion: '1.09', eventSource: 'x.amazonaws.com', eventName: r.eventName };
    if (r.time !== undefined) out.eventTime = r.time;
    return { ...out, eventID: `id-${id}`, userAgent: r.agent, requestParameters: r.deep, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/BreakGlass' } };
  });

const records = (time: fc.Arbitrary<unknown>) => fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => record(time, i))));

/** The layouts logs come in: CloudTrail's {"Records": […]}, a bare array, one event per line; any whitespace. */
const layout = fc.constantFrom('records', 'array', 'lines');
function serialise(recs: unknown[], how: string, indent: number): string {
  if (how === 'lines') return recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
  return JSON.stringify(how === 'records' ? { Records: recs } : recs, null, indent || undefined);
}

const dropped = (s: FileScan) => s.problems.reduce((n, p) => n + (p.drop ? (p.count ?? 1) : 0), 0);
const skipped = (s: FileScan) => s.problems.filter((p) => p.skip);
const summary = (s: FileScan) => ({
  records: s.records,
  eventsInPeriod: s.eventsInPeriod,
  days: s.days,
  firstTime: s.firstTime,
  lastTime: s.lastTime,
  candidates: s.candidates.map((c) => `${c.eventID}@${c.eventTime}`).sort(),
  problems: s.problems.map((p) => `${p.skip ?? ''}${p.drop ?? ''}:${p.count ?? ''}`).sort(),
});

describe('CloudTrail record reader: properties', () => {
  it('well-formed logs in any layout and any accepted time form: the fast scan equals the reference, nothing dropped', () => {
    fc.assert(
      fc.property(records(validTime), layout, fc.integer({ min: 0, max: 2 }), fc.boolean(), (recs, how, indent, zip) => {
        const raw = Buffer.from(serialise(recs, how, indent));
        const bytes = zip ? gzipSync(raw) : raw;
        const fast = scanLogFile(bytes, plan);
        assert.deepEqual(summary(fast), summary(referenceScanLogFile(bytes, plan)));
        assert.deepEqual(fast.problems, []);
        assert.equal(fast.records, recs.length);
        // Every time is read as one comparable UTC form.
        for (const c of fast.candidates) assert.match(String(c.eventTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      }),
      RUN,
    );
  });

  it('every record is evaluated or counted as dropped: an unreadable eventTime is never silently ignored', () => {
    const mixed = fc.oneof(validTime.map((t) => ({ t, ok: true })), invalidTime.map((t) => ({ t, ok: false })), fc.constant({ t: undefined, ok: false }));
    fc.assert(
      fc.property(fc.array(mixed, { minLength: 1, maxLength: 15 }), layout, (times, how) => {
        const recs = times.map((x, i) => ({ eventName: 'DescribeInstances', eventID: `e${i}`, ...(x.t !== undefined && { eventTime: x.t }) }));
        for (const scan of [scanLogFile, referenceScanLogFile]) {
          const s = scan(Buffer.from(serialise(recs, how, 0)), plan);
          assert.equal(s.records, recs.length);
          assert.equal(dropped(s), times.filter((x) => !x.ok).length, JSON.stringify(s.problems));
          assert.deepEqual(skipped(s), []);
        }
      }),
      RUN,
    );
  });

  it('a log cut at any byte is reported as not read completely (gzip or a JSON container)', () => {
    fc.assert(
      fc.property(records(validTime), fc.constantFrom('records', 'array'), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), (recs, how, zip, at) => {
        const raw = Buffer.from(serialise(recs, how, 0));
        const bytes = zip ? gzipSync(raw) : raw;
        const cut = bytes.subarray(0, Math.floor(at * (bytes.length - 1)));
        const s = scanLogFile(cut, plan);
        assert.ok(skipped(s).length > 0, `cut at ${cut.length} of ${bytes.length}: no skip problem (${JSON.stringify(s.problems)})`);
      }),
      RUN,
    );
  });

  it('any damage to a gzip object: reported as not read completely, or harmless (the scan is unchanged)', () => {
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
    );
    fc.assert(
      fc.property(records(validTime), damage, (recs, d) => {
        const gz = gzipSync(serialise(recs, 'records', 0));
        const at = d.at % gz.length;
        const bad =
          d.kind === 'flip'
            ? Buffer.from(gz.map((b, i) => (i === at ? b ^ d.bits : b)))
            : d.kind === 'insert'
              ? Buffer.concat([gz.subarray(0, at), Buffer.from(d.bytes), gz.subarray(at)])
              : Buffer.concat([gz.subarray(0, at), gz.subarray(at + d.n)]);
        const s = scanLogFile(bad, plan);
        if (skipped(s).length === 0) assert.deepEqual(summary(s), summary(scanLogFile(gz, plan)), `damage ${JSON.stringify(d)} changed the scan without a problem`);
      }),
      RUN,
    );
  });

  it('damage to the uncompressed text never throws, and a scan without problems accounts for every record', () => {
    // Every record in the period, so that every record is read (records outside it are not evaluated at all).
    const always = { ...plan, start: '0000-01-01T00:00:00', end: '9999-12-31T23:59:59' };
    fc.assert(
      fc.property(records(validTime), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }), (recs, at, bytes) => {
        const raw = Buffer.from(serialise(recs, 'records', 0));
        const i = at % raw.length;
        const bad = Buffer.concat([raw.subarray(0, i), Buffer.from(bytes), raw.subarray(i + bytes.length)]);
        const s = scanLogFile(bad, always);
        if (s.problems.length === 0) {
          // Clean by the scanner's account: then the text is the JSON it claims, with as many records.
          const doc = JSON.parse(bad.toString('utf8')) as { Records: unknown[] };
          assert.equal(doc.Records.length, s.records);
        }
      }),
      RUN,
    );
  });
});
