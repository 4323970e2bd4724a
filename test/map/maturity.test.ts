import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMaturity, evaluateRequirements } from '../../src/map/index.js';
import type { ControlDef } from '../../src/map/mappings.js';
import type { CheckResult } from '../../src/model/check.js';
import type { Status } from '../../src/model/status.js';
import { getMappings } from '../../src/index.js';
import { tableTest } from '../filter-pattern/table.js';

const control: ControlDef = {
  id: 'C', title: 't', source: 's', description: 'd', evidence: [],
  requirements: [{ id: 'R1', text: 'r1', checks: ['a', 'b'] }, { id: 'R2', text: 'r2', pending: 'reviews' }],
  maturity: [
    { level: 1, name: 'one', description: '', criteria: [{ id: 'L1.a', text: 'a', checks: ['a'], action: 'do a' }] },
    { level: 2, name: 'two', description: '', criteria: [{ id: 'L2.b', text: 'b', checks: ['b'], action: 'do b' }, { id: 'L2.c', text: 'c', checks: ['c'], action: 'do c' }] },
    { level: 3, name: 'three', description: '', criteria: [{ id: 'L3.r', text: 'r', pending: 'reviews', action: 'do r' }] },
  ],
};
const result = (id: string, status: Status): CheckResult => ({ id, title: id, severity: 'high', status, reason: `${id} is ${status}`, locations: [], findings: [], evidenceRefs: [], remediation: '' });
const results = (s: Record<string, Status>) => Object.entries(s).map(([id, st]) => result(id, st));

tableTest(
  'achieved level',
  [
    { name: 'nothing passes', statuses: { a: 'fail', b: 'pass', c: 'pass' } as Record<string, Status>, level: 0, next: 'L1.a' },
    { name: 'level 1 only', statuses: { a: 'pass', b: 'fail', c: 'pass' }, level: 1, next: 'L2.b' },
    { name: 'unknown blocks like fail', statuses: { a: 'pass', b: 'unknown', c: 'pass' }, level: 1, next: 'L2.b' },
    { name: 'error never counts as met', statuses: { a: 'pass', b: 'pass', c: 'error' }, level: 1, next: 'L2.c' },
    { name: 'pending evidence stops at level 2', statuses: { a: 'pass', b: 'pass', c: 'pass' }, level: 2, next: 'L3.r' },
    { name: 'a higher level met does not count over a gap', statuses: { a: 'fail', b: 'pass', c: 'pass' }, level: 0, next: 'L1.a' },
  ],
  (c) => {
    const m = evaluateMaturity(control, results(c.statuses));
    assert.equal(m.level, c.level);
    assert.equal(m.nextStep?.criterion, c.next);
    assert.ok(m.criteria.every((x) => x.reason.length > 0));
  },
);

test('criterion statuses and reasons', () => {
  const m = evaluateMaturity(control, results({ a: 'pass', b: 'fail', c: 'unknown' }));
  const by = Object.fromEntries(m.criteria.map((c) => [c.id, c]));
  assert.equal(by['L1.a'].status, 'met');
  assert.equal(by['L2.b'].status, 'not_met');
  assert.match(by['L2.b'].reason, /b fails: b is fail/);
  assert.equal(by['L2.c'].status, 'unknown');
  assert.equal(by['L3.r'].status, 'unknown');
  assert.match(by['L3.r'].reason, /evidence not collected: reviews/);
  assert.equal(m.levels[1].status, 'not_met');
});

test('requirements: worst check wins; pending never passes', () => {
  const r = evaluateRequirements(control, results({ a: 'pass', b: 'unknown' }));
  assert.equal(r[0].status, 'unknown');
  assert.equal(r[1].status, 'unknown');
  assert.match(r[1].reason, /evidence not collected: reviews/);
});

test('the shipped mappings: seed 000 maturity levels and requirements, every framework, every check referenced exists', () => {
  const m = getMappings();
  assert.deepEqual(m.control.maturity.map((l) => l.name), [
    'Break-glass exists but undocumented',
    'Process documented, basic logging',
    'Full logging, alarms, and post-incident review',
    'Automated detection and credential rotation',
    'Zero standing privilege with just-in-time break-glass',
  ]);
  assert.deepEqual(m.frameworks.map((f) => f.id), [
    'bsi-c5-2020', 'bsi-c5-2026',
    'cis-aws-v1.4.0', 'cis-aws-v1.5.0', 'cis-aws-v2.0.0', 'cis-aws-v3.0.0', 'cis-aws-v4.0.1', 'cis-aws-v5.0.0', 'cis-aws-v6.0.0', 'cis-aws-v7.0.0',
    'dora', 'dora-rts', 'eucs', 'gdpr', 'iso-27001', 'nis2-ir', 'nist-800-53', 'soc2',
  ]);
  assert.equal(m.control.requirements.length, 7);
});

test('related controls: worst of their checks, or manual with what to verify', async () => {
  const { evaluateRelated } = await import('../../src/map/index.js');
  const rel = evaluateRelated(
    [
      { id: 'aws-ir-01', title: 't', source: 's', severity: 'critical', checks: ['a', 'b'], frameworks: { 'nist-800-53': ['IR-4'], 'cis-aws': ['monitor-root-usage'] } },
      { id: 'aws-ir-02', title: 't', source: 's', severity: 'high', manual: 'show the rule', frameworks: {} },
    ],
    results({ a: 'pass', b: 'fail' }),
    getMappings().catalogues,
  );
  assert.equal(rel[0].status, 'fail');
  assert.match(rel[0].reason, /^b: b is fail/);
  // Catalogue ids become the catalogue's name; a versioned catalogue's key its official ids per version range.
  assert.deepEqual(rel[0].frameworks, { 'NIST SP 800-53 Rev. 5': ['IR-4'], 'CIS AWS Foundations Benchmark': ['4.3 (v1.4.0–v5.0.0)', '5.3 (v6.0.0–v7.0.0)'] });
  assert.equal(rel[1].status, 'manual');
  assert.match(rel[1].reason, /no automated check: show the rule/);
  const shipped = getMappings().related.map((c) => c.id);
  assert.deepEqual(shipped, ['aws-ir-01', 'aws-ir-02', 'aws-ir-03', 'aws-ir-04', 'aws-ir-05', 'aws-ir-06', 'aws-ir-07', 'cis-root-usage']);
});
