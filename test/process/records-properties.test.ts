// Property-based tests of the process-record reader: random records with random faults, random damage to the
// file, on every run (fast-check), bounded in time. A failure prints the seed and the shrunk input.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { collectReviews } from '../../src/collect/process/index.js';

const RUN = { numRuns: 80, interruptAfterTimeLimit: 8_000 } as const;
const dir = mkdtempSync(join(tmpdir(), 'ep-records-prop-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const calendar = { timeZone: 'Europe/Zurich', holidays: [] };
let n = 0;

const word = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0);

/** A review that passes its schema and date rules. */
const review = fc.record({
  id: word.map((w) => `PIR-${w}`),
  activatedAt: fc.constantFrom('2026-08-03T09:30:00Z', '2026-08-03T11:30:00+02:00', '2026-09-01T00:00:00.5Z'),
  eventIds: fc.array(word, { maxLength: 3 }),
  reviewDate: fc.constantFrom('2026-08-05', '2026-08-10', '2026-08-05T16:00:00+02:00'),
  reviewers: fc.array(word, { minLength: 1, maxLength: 3 }),
  trigger: word,
  justification: word,
  actionsTaken: fc.array(word, { maxLength: 2 }),
  credentialsRotated: fc.array(fc.record({ what: word, when: fc.constant('2026-08-03T12:00:00Z') }), { maxLength: 2 }),
  decommissioningConfirmed: fc.boolean(),
  lessonsLearned: word,
});

/** Faults a record may carry, each naming the field its problem must name. */
const FAULTS = {
  'time-zone': { field: 'activatedAt', apply: (r: Record<string, unknown>) => void (r.activatedAt = '2026-08-03T09:30:00') },
  'date-format': { field: 'reviewDate', apply: (r: Record<string, unknown>) => void (r.reviewDate = '05.08.2026') },
  missing: { field: 'trigger', apply: (r: Record<string, unknown>) => void delete r.trigger },
  'wrong-type': { field: 'reviewers', apply: (r: Record<string, unknown>) => void (r.reviewers = 'just one string') },
  'bad-rotation-time': { field: 'credentialsRotated[0].when', apply: (r: Record<string, unknown>) => void (r.credentialsRotated = [{ what: 'pw', when: 'yesterday' }]) },
} as const;
type Fault = keyof typeof FAULTS;
const faults = fc.subarray(Object.keys(FAULTS) as Fault[]);

function write(text: string, ext: string): string {
  const file = join(dir, `r${n++}${ext}`);
  writeFileSync(file, text);
  return file;
}

describe('process-record reader: properties', () => {
  it('every record is used or rejected, and a rejected record reports every one of its faults at once, with file:line', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(review, faults), { minLength: 1, maxLength: 6 }), fc.constantFrom('.yaml', '.json'), (items, ext) => {
        const data = items.map(([r, fs]) => {
          const copy: Record<string, unknown> = structuredClone(r);
          for (const f of fs) FAULTS[f].apply(copy);
          return copy;
        });
        const file = write(ext === '.json' ? JSON.stringify({ reviews: data }, null, 1) : stringify({ reviews: data }), ext);
        const set = collectReviews({ paths: [file], baseDir: dir, calendar });
        const faulty = items.filter(([, fs]) => fs.length > 0);
        assert.equal(set.records.length + set.rejected, items.length);
        assert.equal(set.rejected, faulty.length);
        assert.deepEqual(set.records.map((r) => r.id), items.filter(([, fs]) => fs.length === 0).map(([r]) => r.id));
        // One dropped record per rejected record in the coverage, named file:line.
        assert.equal(set.coverage.dropped.length, faulty.length);
        for (const d of set.coverage.dropped) assert.match(d.object, new RegExp(`^r\\d+${ext.replace('.', '\\.')}:\\d+$`));
        items.forEach(([, fs], i) => {
          const mine = set.problems.filter((p) => p.message.includes(`(record reviews[${i}])`) || p.location?.pointer?.startsWith(`reviews[${i}]`));
          for (const f of fs) assert.ok(mine.some((p) => p.message.includes(FAULTS[f].field)), `record ${i}: no problem names ${FAULTS[f].field}: ${JSON.stringify(mine)}`);
          for (const p of mine) assert.match(p.message, /^r\d+\.(yaml|json):\d+/);
        });
      }),
      RUN,
    );
  });

  it('any damage to a review file never throws: records are used, rejected, or the file is reported skipped', () => {
    fc.assert(
      fc.property(fc.array(review, { minLength: 1, maxLength: 4 }), fc.nat(), fc.uint8Array({ minLength: 0, maxLength: 6 }), fc.nat({ max: 40 }), (rs, at, bytes, del) => {
        const text = Buffer.from(stringify({ reviews: rs }));
        const i = at % text.length;
        const damaged = Buffer.concat([text.subarray(0, i), Buffer.from(bytes), text.subarray(i + del)]);
        const set = collectReviews({ paths: [write(damaged.toString('latin1'), '.yaml')], baseDir: dir, calendar });
        const gaps = set.coverage.skipped.length + set.coverage.dropped.length;
        // Either everything found was used, or something is reported: never records that silently vanish.
        assert.ok(set.records.length + set.rejected >= 1 || gaps > 0 || set.problems.length > 0, JSON.stringify(set.problems));
        assert.equal(set.coverage.dropped.length, set.rejected - set.coverage.skipped.filter((s) => s.reason === 'not-parseable').length);
      }),
      RUN,
    );
  });
});
