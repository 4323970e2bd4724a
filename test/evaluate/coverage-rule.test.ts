// The engine's one rule on coverage: pass (and not_applicable) only on evidence read completely; a fail stands.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCheck, type CheckOutcome } from '../../src/evaluate/define-check.js';
import { runCheck } from '../../src/evaluate/engine.js';
import { CoverageRecorder, type SourceCoverage } from '../../src/model/coverage.js';
import type { EvidenceKind } from '../../src/model/evidence.js';
import type { Status } from '../../src/model/status.js';
import { baseEvidence } from '../support/evidence.js';

/** A check that says `outcome` and reads `kinds`: the engine's rule is what is under test. */
const probe = (kinds: EvidenceKind[], outcome: CheckOutcome) =>
  defineCheck({
    meta: { id: 'test.coverage.probe', title: 'probe', description: 'probe', severity: 'high', evidence: kinds, remediation: '-' },
    evaluate: () => outcome,
  });

const complete = (kind: EvidenceKind) => new CoverageRecorder(kind, kind, ['x']).list(2).read(2).result();
const truncated = (kind: EvidenceKind) => new CoverageRecorder(kind, kind, ['logs']).list(2).read(1).skip('logs/a.json.gz', 'truncated', 'gzip: unexpected end of file').result();
const unreadable = (kind: EvidenceKind) => new CoverageRecorder(kind, kind, ['logs']).list(2).read(1).skip('logs/b.json.gz', 'unreadable', 'cannot read: EACCES').result();
const dropped = (kind: EvidenceKind) => new CoverageRecorder(kind, kind, ['process/reviews']).list(1).read(1).drop('process/reviews/r.yaml:3', 'schema', 'reviewDate: missing required field').result();

const cases: { name: string; kinds: EvidenceKind[]; said: Status; coverage: SourceCoverage[]; expect: Status; names?: RegExp }[] = [
  { name: 'pass on complete coverage stays pass', kinds: ['cloudtrail-logs'], said: 'pass', coverage: [complete('cloudtrail-logs')], expect: 'pass' },
  { name: 'pass with no coverage recorded stays pass (nothing was asked)', kinds: ['cloudtrail-logs'], said: 'pass', coverage: [], expect: 'pass' },
  { name: 'pass on a truncated object becomes error', kinds: ['cloudtrail-logs'], said: 'pass', coverage: [truncated('cloudtrail-logs')], expect: 'error', names: /logs\/a\.json\.gz: truncated/ },
  { name: 'pass on an unreadable object becomes unknown', kinds: ['cloudtrail-logs'], said: 'pass', coverage: [unreadable('cloudtrail-logs')], expect: 'unknown', names: /logs\/b\.json\.gz: unreadable/ },
  { name: 'pass with a dropped record becomes unknown', kinds: ['reviews'], said: 'pass', coverage: [dropped('reviews')], expect: 'unknown', names: /process\/reviews\/r\.yaml:3: schema/ },
  { name: 'broken and unreadable together: error', kinds: ['cloudtrail-logs', 'reviews'], said: 'pass', coverage: [unreadable('cloudtrail-logs'), truncated('reviews')], expect: 'error' },
  { name: 'not_applicable on incomplete evidence becomes unknown', kinds: ['reviews', 'cloudtrail-logs'], said: 'not_applicable', coverage: [unreadable('cloudtrail-logs')], expect: 'unknown' },
  { name: 'a fail found in what was read stands', kinds: ['cloudtrail-logs'], said: 'fail', coverage: [truncated('cloudtrail-logs')], expect: 'fail' },
  { name: 'unknown stays unknown', kinds: ['cloudtrail-logs'], said: 'unknown', coverage: [truncated('cloudtrail-logs')], expect: 'unknown' },
  { name: 'manual stays manual', kinds: ['reviews'], said: 'manual', coverage: [dropped('reviews')], expect: 'manual' },
  { name: 'a gap in a kind the check does not read changes nothing', kinds: ['iac'], said: 'pass', coverage: [truncated('cloudtrail-logs'), complete('iac')], expect: 'pass' },
  { name: 'one incomplete kind among several read is enough', kinds: ['secret-store', 'reviews', 'drills'], said: 'pass', coverage: [complete('secret-store'), dropped('drills')], expect: 'unknown' },
];

describe('coverage rule (engine)', () => {
  for (const c of cases)
    it(c.name, () => {
      const r = runCheck(probe(c.kinds, { status: c.said, reason: 'what the check saw' }), baseEvidence({ coverage: c.coverage }));
      assert.equal(r.status, c.expect, r.reason);
      if (c.expect !== c.said) {
        assert.equal(r.evidenceMissing, 'incomplete');
        assert.match(r.reason, /^not demonstrated: the evidence this check reads was not read completely/);
        assert.match(r.reason, /In what was read: what the check saw$/);
        if (c.names) assert.match(r.reason, c.names);
        assert.ok(r.findings.some((f) => f.status === c.expect && f.location?.file), 'each gap is a finding naming the object');
        assert.ok(r.locations.length > 0);
      }
      const incomplete = c.coverage.filter((s) => c.kinds.includes(s.kind) && (s.skipped.length || s.dropped.length));
      assert.deepEqual((r.incompleteEvidence ?? []).map((s) => s.kind), incomplete.map((s) => s.kind), 'incomplete sources are listed on every status');
    });

  it('a check that throws EvidenceNotCollected is still unknown for that reason', () => {
    const check = defineCheck({
      meta: { id: 'test.coverage.missing', title: 't', description: 'd', severity: 'low', evidence: ['reviews'], remediation: '-' },
      evaluate: () => {
        throw new (class extends Error {})('boom');
      },
    });
    assert.equal(runCheck(check, baseEvidence({ coverage: [dropped('reviews')] })).status, 'error');
  });

  it('names at most a few objects in the reason and counts the rest', () => {
    const rec = new CoverageRecorder('cloudtrail-logs', 'CloudTrail logs', ['logs']).list(30);
    for (let i = 0; i < 25; i++) rec.skip(`logs/${String(i).padStart(2, '0')}.json.gz`, 'unreadable', 'cannot read: EACCES');
    const r = runCheck(probe(['cloudtrail-logs'], { status: 'pass', reason: 'ok' }), baseEvidence({ coverage: [rec.result()] }));
    assert.equal(r.status, 'unknown');
    assert.match(r.reason, /25 object\(s\) skipped/);
    assert.match(r.reason, /logs\/00\.json\.gz.*logs\/01\.json\.gz.*logs\/02\.json\.gz: unreadable \(cannot read: EACCES\); and 22 more/);
    assert.equal(r.incompleteEvidence?.[0].gaps.length, 10);
    assert.equal(r.incompleteEvidence?.[0].omitted, 15);
  });
});
