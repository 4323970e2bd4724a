// Identity semantics of 2026 on the golden scenarios: AssumeRoot sessions, MFA in any letter case, failed sign-ins of
// every kind, federated (SAML, Identity Center) MFA, refused calls. Each scenario is scanned on its own.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import type { BreakGlassConfig } from '../../src/model/cloudtrail.js';
import { GOLDEN_BREAK_GLASS, GOLDEN_PERIOD, scenarios } from '../support/golden.js';
import { fixedClock, tempDir, writeFile } from './helpers.js';
import { join } from 'node:path';

async function scan(events: Record<string, unknown>[], breakGlass: BreakGlassConfig = GOLDEN_BREAK_GLASS) {
  const dir = tempDir('identity-');
  writeFile(join(dir, 'events.json'), JSON.stringify({ Records: events }));
  return collectCloudTrail({ config: { logs: [dir] }, breakGlass, period: GOLDEN_PERIOD, now: fixedClock, workers: 0 });
}

describe('identity semantics of 2026 (golden scenarios)', () => {
  for (const s of scenarios()) {
    it(s.name, async () => {
      const ev = await scan(s.events);
      assert.deepEqual(
        ev.activations.map((a) => ({
          kind: a.principal.kind,
          mfaUsed: a.mfaUsed,
          eventIds: a.eventIds,
          ...(a.principal.assumedBy !== undefined && { assumedBy: a.principal.assumedBy }),
          ...(a.principal.kind === 'root-session' && { accountId: a.principal.accountId }),
          ...(a.principal.taskPolicy !== undefined && { taskPolicy: a.principal.taskPolicy }),
          ...(a.principal.sanctioned !== undefined && { sanctioned: a.principal.sanctioned }),
        })),
        s.expected.activations,
      );
      if (s.expected.signIns) assert.deepEqual(ev.consoleSignIns.map((x) => `${x.outcome}/${x.mfaUsed}`), s.expected.signIns);
      if (s.expected.breakGlassRoleAssumptions !== undefined) {
        assert.equal(ev.counts['break-glass-role-assumption'], s.expected.breakGlassRoleAssumptions);
        assert.equal(ev.roleAssumptions.length, s.expected.breakGlassRoleAssumptions);
      }
    });
  }

  it('root sessions stay root activity (CIS 4.3 alarms fire for them) while the activation names the caller', async () => {
    const s = scenarios().find((x) => x.name.startsWith('AssumeRoot from the management account'))!;
    const ev = await scan(s.events);
    assert.equal(ev.rootActivity.length, 2, 'the two member-account calls are root use');
    assert.equal(ev.counts['root-session'], 3, 'the AssumeRoot call and the two calls of its session');
    assert.equal(ev.activations[0].principal.arn, 'arn:aws:iam::222222222222:root');
    assert.equal(ev.activations[0].principal.requestedDurationSeconds, 900);
    assert.ok(!JSON.stringify(ev).includes('EXAMPLEROOTTOKEN'), 'the session token of the AssumeRoot response never enters the evidence');
  });

  it('with root not break-glass, only a declared caller’s root session is an activation', async () => {
    const all = scenarios();
    const declared = all.find((x) => x.name.startsWith('AssumeRoot from the management account'))!;
    const undeclared = all.find((x) => x.name.startsWith('AssumeRoot by a caller not declared'))!;
    const bg = { ...GOLDEN_BREAK_GLASS, rootIsBreakGlass: false };
    assert.deepEqual((await scan(declared.events, bg)).activations.map((a) => [a.principal.kind, a.principal.sanctioned, a.eventIds.length]), [['root-session', true, 3]]);
    assert.deepEqual((await scan(undeclared.events, bg)).activations, []);
  });

  it('a task policy outside breakGlass.rootSessions.taskPolicies is not sanctioned', async () => {
    const declared = scenarios().find((x) => x.name.startsWith('AssumeRoot from the management account'))!;
    const bg = { ...GOLDEN_BREAK_GLASS, rootSessions: { callers: GOLDEN_BREAK_GLASS.rootSessions.callers, taskPolicies: ['IAMAuditRootUserCredentials'] } };
    assert.deepEqual((await scan(declared.events, bg)).activations.map((a) => a.principal.sanctioned), [false]);
  });

  it('the scenarios together give the same activations as each alone (no scenario leaks into another)', async () => {
    const all = scenarios();
    const together = await scan(all.flatMap((s) => s.events));
    assert.deepEqual(
      together.activations.map((a) => a.eventIds),
      all.flatMap((s) => s.expected.activations.map((a) => a.eventIds)),
    );
  });
});
