// The risk-acceptance register: accepted is never pass, counts separately, names its approver; expired entries stop applying and are flagged.

import assert from 'node:assert/strict';
import { applyRiskAcceptances, noteAccepted } from '../../src/map/risk-acceptance.js';
import type { ControlDef } from '../../src/map/mappings.js';
import type { CheckResult } from '../../src/model/check.js';
import type { RiskAcceptance } from '../../src/model/process.js';
import type { Status } from '../../src/model/status.js';
import { tableTest } from '../filter-pattern/table.js';

const control: ControlDef = {
  id: 'WAF-SOV-070', title: 't', source: 's', description: 'd', evidence: [], maturity: [],
  requirements: [{ id: 'WAF-SOV-070.R7', text: 'drill', checks: ['drill', 'drill-2'] }],
};
const result = (id: string, status: Status): CheckResult => ({ id, title: id, severity: 'high', status, reason: `${id} is ${status}`, locations: [], findings: [], evidenceRefs: [], remediation: '' });
const entry = (o: Partial<RiskAcceptance>): RiskAcceptance => ({ id: 'RA-1', at: { file: 'ra.yaml', line: 2 }, target: 'drill', justification: 'no sandbox yet', approver: 'CISO', ticket: 'RISK-1', expires: '2026-12-31', residualRisk: 'medium', ...o });

tableTest(
  'risk acceptances',
  [
    { name: 'active acceptance on a failing check: accepted, status stays fail', results: { drill: 'fail' as Status }, entries: [entry({})], accepted: ['drill'], state: 'active', problem: undefined },
    { name: 'a passing check is never marked accepted', results: { drill: 'pass' as Status }, entries: [entry({})], accepted: [], state: 'active', problem: undefined },
    { name: 'unknown (not demonstrated) can be accepted too', results: { drill: 'unknown' as Status }, entries: [entry({})], accepted: ['drill'], state: 'active', problem: undefined },
    { name: 'expires on the period end day: still active', results: { drill: 'fail' as Status }, entries: [entry({ expires: '2026-09-30' })], accepted: ['drill'], state: 'active', problem: undefined },
    { name: 'expired before the period end: stops applying and is flagged', results: { drill: 'fail' as Status }, entries: [entry({ expires: '2026-06-30' })], accepted: [], state: 'expired', problem: /risk acceptance RA-1 for drill \(approved by CISO\) expired on 2026-06-30, before the period end 2026-09-30: it no longer applies; drill counts as evaluated/ },
    { name: 'a requirement target covers its checks', results: { drill: 'fail' as Status, 'drill-2': 'manual' as Status }, entries: [entry({ target: 'WAF-SOV-070.R7' })], accepted: ['drill', 'drill-2'], state: 'active', problem: undefined },
    { name: 'an unknown target applies to nothing and is reported', results: { drill: 'fail' as Status }, entries: [entry({ target: 'nope' })], accepted: [], state: 'active', problem: /target "nope" is neither a check id nor a requirement id/ },
  ],
  (c) => {
    const r = applyRiskAcceptances(Object.entries(c.results).map(([id, s]) => result(id, s)), control, c.entries, '2026-09-30');
    assert.deepEqual(r.checks.filter((x) => x.accepted).map((x) => x.id), c.accepted);
    for (const x of r.checks) assert.equal(x.status, c.results[x.id as keyof typeof c.results], 'status stays as evaluated');
    assert.equal(r.register[0].state, c.state);
    assert.equal(r.register[0].approver, 'CISO');
    assert.deepEqual(r.register[0].appliesTo, c.accepted);
    if (c.problem) assert.match(r.problems.map((p) => p.message).join('\n'), c.problem);
    else assert.deepEqual(r.problems, []);
    for (const x of r.checks.filter((y) => y.accepted)) assert.deepEqual(x.accepted, { id: 'RA-1', by: 'CISO', until: c.entries[0].expires, ticket: 'RISK-1', justification: 'no sandbox yet', residualRisk: 'medium' });
  },
);

tableTest(
  'reasons say which checks are accepted risks',
  [{ name: 'criterion with an accepted failing check', status: 'fail' as Status }],
  (c) => {
    const { checks } = applyRiskAcceptances([result('drill', c.status)], control, [entry({})], '2026-09-30');
    const [row] = noteAccepted([{ id: 'L4.annual-drill', status: 'not_met', reason: 'drill fails', checks: ['drill'] }], checks);
    assert.equal(row.status, 'not_met');
    assert.match(row.reason, /drill is an accepted risk \(RA-1, approved by CISO until 2026-12-31\) — accepted, not passed/);
  },
);
