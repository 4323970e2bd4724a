// Runs each bundled sample end to end and asserts the maturity level it is designed for, with a reason for every unmet criterion.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assess } from '../../src/index.js';
import type { Report } from '../../src/model/report.js';

const EPOCH = 1_790_000_000; // fixed "now" so the runs are reproducible
const reports = new Map<string, Promise<Report>>();
const reportOf = (sample: string) => {
  if (!reports.has(sample)) reports.set(sample, assess(`samples/${sample}/evidence-pack.yaml`, { sourceDateEpoch: EPOCH }).then((a) => a.report));
  return reports.get(sample)!;
};
const check = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;

const SAMPLES = [
  { sample: 'acme-bank', level: 2 },
  { sample: 'late-review-borealis', level: 2 },
  { sample: 'level4-helvetia-health', level: 4 },
  { sample: 'level5-aurora-sovereign', level: 5 },
];

describe('bundled samples reach exactly their designed level', () => {
  for (const s of SAMPLES) {
    it(`${s.sample}: level ${s.level}`, async () => {
      const r = await reportOf(s.sample);
      const unmet = r.maturity.criteria.filter((c) => c.status !== 'met');
      assert.equal(r.maturity.level, s.level, unmet.map((c) => `${c.id}: ${c.reason}`).join('\n'));
      for (const c of unmet) assert.ok(c.reason.length > 20 && !/^unknown$/.test(c.reason), `${c.id} says why: ${c.reason}`);
      if (s.level < 5) {
        assert.equal(r.maturity.nextStep?.level, s.level + 1);
        assert.ok(r.maturity.levels[s.level].criteria.some((c) => c.status !== 'met'), 'the next level has an unmet criterion');
      } else assert.equal(r.maturity.nextStep, null);
      assert.equal(r.problems.filter((p) => p.level === 'error').length, 0, JSON.stringify(r.problems));
    });
  }
});

describe('what the samples demonstrate', () => {
  it('late-review-borealis: one review filed late (day 6), one never filed, an expired risk acceptance flagged', async () => {
    const r = await reportOf('late-review-borealis');
    assert.match(check(r, 'waf-sov-070.process.review-within-five-business-days').reason, /review PIR-2291 filed late: dated 2026-08-21, business day 6 after the activation on 2026-08-13 Europe\/Berlin/);
    assert.match(check(r, 'waf-sov-070.process.review-for-every-activation').reason, /1 of 3 activation\(s\) have no review.*activation 2026-09-16T21:15:00Z .* has no post-incident review/);
    const l3 = r.maturity.criteria.find((c) => c.id === 'L3.post-incident-review')!;
    assert.equal(l3.status, 'not_met');
    assert.match(r.problems.map((p) => p.message).join('\n'), /risk acceptance RA-2025-09 for WAF-SOV-070\.R7 .* expired on 2026-06-30/);
    assert.equal(r.riskAcceptances?.[0].state, 'expired');
    assert.equal(r.summary.accepted, 0);
  });

  it('level4-helvetia-health: the standing credential is an accepted risk, counted apart, never a pass', async () => {
    const r = await reportOf('level4-helvetia-health');
    const c = check(r, 'waf-sov-070.process.no-standing-credentials');
    assert.equal(c.status, 'fail');
    assert.equal(c.accepted?.by, 'CISO (Dr. S. Roth)');
    assert.equal(r.summary.accepted, 1);
    assert.equal(r.summary.checks.fail, r.checks.filter((x) => x.status === 'fail' && !x.accepted).length, 'the accepted failure is counted as accepted, not as fail');
    assert.equal(r.summary.checks.fail, 1, 'only the drill time-to-activate failure (level 5) is counted as fail');
    assert.deepEqual(r.riskAcceptances?.map((e) => [e.id, e.state, e.appliesTo]), [['RA-2026-03', 'active', ['waf-sov-070.process.no-standing-credentials']]]);
    assert.match(r.maturity.criteria.find((x) => x.id === 'L5.no-standing-credentials')!.reason, /accepted risk \(RA-2026-03, approved by CISO \(Dr\. S\. Roth\) until 2027-03-31\) — accepted, not passed/);
    assert.match(check(r, 'waf-sov-070.process.review-within-five-business-days').findings.map((f) => f.message).join('\n'), /review PIR-2026-011 dated 2026-09-17: business day 5 after the activation on 2026-09-09 Europe\/Zurich/);
  });

  it('level5-aurora-sovereign: validated digests, dual approval and drills under 5 minutes with artefacts kept in the pack', async () => {
    const r = await reportOf('level5-aurora-sovereign');
    assert.match(check(r, 'waf-sov-070.process.forensic-chain').reason, /integrity valid and all 2 activation\(s\) fully linked/);
    assert.match(check(r, 'waf-sov-070.process.drill-time-to-activate').reason, /mean time to activate 3\.6 min over 2 drill\(s\)/);
    assert.ok(r.evidence.some((e) => e.packPath === 'evidence/drills/artefacts/process/drill-artefacts/DRILL-2026-Q2-activation-record.json' && /^[0-9a-f]{64}$/.test(e.sha256 ?? '')));
  });
});
