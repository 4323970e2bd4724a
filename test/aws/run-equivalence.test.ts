// The whole `run` with aws.enabled against moto_server: a compliant and a non-compliant account built through the
// SDK give the same verdicts as the equivalent Terraform; IaC cannot mask a denied live read; a live activation
// whose alarm never fired fails the live alarm check, naming both.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/index.js';
import type { Report } from '../../src/model/report.js';
import { startMoto, type Moto } from '../support/moto.js';
import { assumeRoleEvent, buildWorld, CALLER, compliantAccount, HOME, PATTERNS, type AccountSpec, type World } from '../support/aws-world.js';
import { denyPolicy, type WireOptions } from '../support/aws-wire.js';

const FIXTURES = resolve('test/fixtures/live-equivalence');
const healthy = compliantAccount();
const SPECS: Record<'compliant' | 'noncompliant', AccountSpec> = {
  compliant: healthy,
  // Single-region trail, the root-usage alarm without actions, no public-access block on the bucket or the account.
  noncompliant: compliantAccount({
    trail: { ...(healthy.trail as Exclude<AccountSpec['trail'], false>), multiRegion: false },
    bucket: { ...healthy.bucket, publicAccessBlock: false },
    accountPublicAccessBlock: false,
    alarms: healthy.alarms.map((a) => (a.name === 'root-usage' ? { ...a, notify: false } : a)),
  }),
};

let moto: Moto;
const dirs: string[] = [];
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A day range ending today: LookupEvents keeps 90 days, CloudWatch alarm history 30. */
function recentPeriod(): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return `{ from: "${day(new Date(Date.now() - 20 * 86_400_000))}", to: "${day(new Date())}" }`;
}

function configFile(o: { terraform?: string; aws?: boolean; period?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ep-run-live-'));
  dirs.push(dir);
  const lines = [
    'organisation: Live equivalence',
    `period: ${o.period ?? '2026-Q3'}`,
    'breakGlass:',
    '  roles: ["arn:aws:iam::*:role/BreakGlassAdmin"]',
    ...(o.terraform ? ['terraform:', `  paths: ["${o.terraform}"]`] : []),
    ...(o.aws ? ['aws:', '  enabled: true', `  regions: [${HOME}]`] : []),
  ];
  writeFileSync(join(dir, 'evidence-pack.yaml'), lines.join('\n') + '\n');
  return join(dir, 'evidence-pack.yaml');
}

async function runWith(config: string, world?: World, wireOpts: WireOptions = {}): Promise<Report> {
  const out = join(mkdtempSync(join(tmpdir(), 'ep-run-live-out-')), 'pack');
  dirs.push(out);
  const wire = world?.wire(wireOpts);
  try {
    const r = await run(config, out, { aws: wire && world!.clients(wire) });
    // The pack on disk says the same as the Report in memory.
    assert.deepEqual(JSON.parse(readFileSync(join(r.outDir, 'report.json'), 'utf8')).checks.map((c: { id: string; status: string }) => c.status), r.report.checks.map((c) => c.status));
    return r.report;
  } finally {
    await wire?.close();
  }
}

const status = (r: Report, id: string) => r.checks.find((c) => c.id === id)!.status;
/** The checks both sources can decide; the identity rule has its own live check (same rule, same code). */
const PAIRS = (r: Report) =>
  r.checks
    .filter((c) => c.id.startsWith('waf-sov-070.tf.aws.') && c.id !== 'waf-sov-070.tf.aws.break-glass-identity-hardened')
    .map((c) => [c.id, c.id] as const)
    .concat([['waf-sov-070.tf.aws.break-glass-identity-hardened', 'waf-sov-070.live.aws.break-glass-identity-hardened']]);

describe('run with aws.enabled: the same verdicts as the equivalent Terraform', () => {
  for (const kind of ['compliant', 'noncompliant'] as const) {
    it(`${kind} account`, async () => {
      const onTerraform = await runWith(configFile({ terraform: join(FIXTURES, kind) }));
      const world = await buildWorld(moto, { caller: SPECS[kind], regions: [HOME] });
      const onLive = await runWith(configFile({ aws: true }), world);
      assert.deepEqual(onLive.problems.filter((p) => p.source === 'aws'), [], 'every live call succeeded');
      const pairs = PAIRS(onTerraform).map(([tf, live]) => [tf, status(onTerraform, tf), status(onLive, live)]);
      assert.deepEqual(pairs.map(([id, , l]) => [id, l]), pairs.map(([id, t]) => [id, t]), 'live verdicts equal the Terraform verdicts');
      if (kind === 'compliant') assert.ok(pairs.every(([id, t]) => t === 'pass' || /alarm-chain-(console|cloudtrail|break-glass)/.test(String(id))), 'the compliant account passes what it declares');
      else {
        for (const id of ['cloudtrail-enabled-all-regions', 'cloudtrail-s3-bucket-not-public', 'cloudwatch-alarm-root-login']) assert.equal(status(onLive, `waf-sov-070.tf.aws.${id}`), 'fail', id);
      }
      // Both sources at once: each source's verdict is kept, and they agree.
      const both = await runWith(configFile({ terraform: join(FIXTURES, kind), aws: true }), world);
      for (const [tf] of pairs.filter(([id]) => String(id) !== 'waf-sov-070.tf.aws.break-glass-identity-hardened')) {
        const c = both.checks.find((x) => x.id === tf)!;
        assert.equal(c.status, status(onTerraform, String(tf)), `${tf} combined`);
        assert.deepEqual(c.sources?.map((s) => [s.source, s.account ?? '', s.status]), [['iac', '', c.status], ['aws-live', CALLER, c.status]], `${tf}: a verdict per source`);
      }
      assert.deepEqual(both.drift?.controls, [], 'no drift between equivalent IaC and live state');
    });
  }
});

describe('IaC cannot mask live state', () => {
  it('IaC compliant, live DescribeTrails denied: cloudtrail-enabled-all-regions is not pass; the live account decides', async () => {
    const world = await buildWorld(moto, { caller: healthy, regions: [HOME] });
    const r = await runWith(configFile({ terraform: join(FIXTURES, 'compliant'), aws: true }), world, { policy: () => denyPolicy('cloudtrail:DescribeTrails') });
    const c = r.checks.find((x) => x.id === 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions')!;
    assert.notEqual(c.status, 'pass');
    assert.equal(c.status, 'unknown');
    assert.deepEqual(c.sources?.map((s) => [s.source, s.status, s.decisive]), [['iac', 'pass', false], ['aws-live', 'unknown', true]]);
    assert.match(c.reason, /^live 123456789012: .*cloudtrail:DescribeTrails.*AccessDeniedException/);
    assert.ok(r.problems.some((p) => /cloudtrail:DescribeTrails failed: AccessDeniedException/.test(p.message)), 'the denial is a problem too');
    assert.equal(r.requirements.find((x) => x.id === 'WAF-SOV-070.R2')!.status, 'unknown', 'requirement 2 is not met on IaC alone');
  });
});

describe('the alarm that should have fired', () => {
  it('an activation with no ALARM transition in the live alarm history fails the live alarm check, naming the activation and the alarms', async () => {
    // The CIS alarms, and one on a metric filter that counts the break-glass role's assumptions.
    const watched = compliantAccount({ alarms: [...healthy.alarms, { name: 'break-glass-assume', pattern: PATTERNS.breakGlassAssumeRole, metric: 'BreakGlassAssumeRole', notify: true }] });
    const world = await buildWorld(moto, { caller: watched, regions: [HOME] });
    const when = new Date(Date.now() - 2 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    world.state.events.push(assumeRoleEvent({ id: 'live-activation-1', time: when, account: CALLER, role: 'BreakGlassAdmin' }));
    const r = await runWith(configFile({ aws: true, period: recentPeriod() }), world);
    const c = r.checks.find((x) => x.id === 'waf-sov-070.live.aws.activation-alarm-fired')!;
    assert.equal(c.status, 'fail', c.reason);
    assert.match(c.reason, new RegExp(`activation ${when} by arn:aws:sts::${CALLER}:assumed-role/BreakGlassAdmin/alice .*event live-activation-1.*none of the alarms that notify on break-glass role assumption and sign-in \\(break-glass-assume\\) entered ALARM within 15 min`));
    // An alarm that does not watch role assumptions (root usage) firing three minutes later proves nothing.
    const later = new Date(Date.parse(when) + 3 * 60_000).toISOString();
    world.state.alarmHistory.push({ account: CALLER, region: HOME, alarmName: 'root-usage', at: later, from: 'OK', to: 'ALARM' });
    const unrelated = await runWith(configFile({ aws: true, period: recentPeriod() }), world);
    assert.equal(status(unrelated, 'waf-sov-070.live.aws.activation-alarm-fired'), 'fail');
    // The break-glass alarm's transition three minutes later passes.
    world.state.alarmHistory.push({ account: CALLER, region: HOME, alarmName: 'break-glass-assume', at: later, from: 'OK', to: 'ALARM' });
    const again = await runWith(configFile({ aws: true, period: recentPeriod() }), world);
    assert.equal(status(again, 'waf-sov-070.live.aws.activation-alarm-fired'), 'pass', again.checks.find((c) => c.id === 'waf-sov-070.live.aws.activation-alarm-fired')!.reason);
  });
});
