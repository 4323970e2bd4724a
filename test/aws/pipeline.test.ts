// collectAll with live AWS: off by default (no call at all), on with `aws.enabled`, config errors named by path.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { collectAll } from '../../src/collect/index.js';
import { runChecks } from '../../src/evaluate/engine.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { buildReport } from '../../src/map/report.js';
import { getMappings } from '../../src/index.js';
import type { AwsClientFactory } from '../../src/collect/aws/collect.js';
import { startMoto, type Moto } from '../support/moto.js';
import { buildWorld, CALLER, compliantAccount, HOME, type World } from '../support/aws-world.js';
import { denyPolicy } from '../support/aws-wire.js';

const INFRA = fileURLToPath(new URL('../../samples/acme-bank/infra', import.meta.url));
let moto: Moto;
let world: World;
before(async () => {
  moto = await startMoto();
  world = await buildWorld(moto, { caller: compliantAccount(), regions: [HOME] });
});
after(async () => {
  await moto?.stop();
});

function config(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aws-cfg-'));
  const file = join(dir, 'evidence-pack.yaml');
  writeFileSync(file, `organisation: Test\nperiod: 2026-Q3\nterraform:\n  paths: ["${INFRA}"]\nbreakGlass:\n  roles: ["arn:aws:iam::*:role/BreakGlass*"]\n${extra}`);
  return file;
}

async function assess(file: string, aws: AwsClientFactory) {
  const cfg = loadConfig(file);
  const collected = await collectAll(cfg, { collectedAt: '2026-10-01T00:00:00Z', aws });
  const results = runChecks(CHECKS, collected.evidence);
  return { collected, results, report: buildReport(cfg, collected, results, getMappings(), '2026-10-01T00:00:00Z') };
}

describe('AWS off by default', () => {
  const cases = [
    { name: 'no aws key', extra: '' },
    { name: 'aws.enabled: false', extra: `aws:\n  enabled: false\n  regions: [${HOME}]\n` },
  ];
  for (const c of cases) {
    it(`${c.name}: no AWS call, no live evidence, no drift section`, async () => {
      const wire = world.wire();
      const a = await assess(config(c.extra), world.clients(wire));
      assert.deepEqual(wire.received, [], 'no request reached the wire');
      await wire.close();
      assert.equal(a.collected.evidence.live, undefined);
      assert.equal(a.report.drift, undefined);
      assert.ok(!a.collected.items.some((i) => i.kind === 'aws-live'));
      assert.ok(a.results.some((r) => r.status === 'pass'), 'the IaC checks still run offline');
    });
  }
});

describe('AWS on', () => {
  it('live evidence in the pack, hashed; results and drift labelled; a denied call is a problem naming it', async () => {
    const wire = world.wire({ policy: () => denyPolicy('cloudwatch:DescribeAlarms') });
    const a = await assess(config(`aws:\n  enabled: true\n  regions: [${HOME}]\n`), world.clients(wire));
    await wire.close();
    assert.ok(wire.received.length > 10);
    const item = a.collected.items.find((i) => i.id === 'aws-live')!;
    assert.equal(item.packPath, 'evidence/aws/live.json');
    const file = a.collected.files.find((f) => f.path === item.packPath)!;
    assert.match(item.sha256!, /^[0-9a-f]{64}$/);
    assert.equal(JSON.parse(file.bytes.toString()).accounts[0].account, CALLER);
    assert.ok(a.report.drift, 'drift section present with IaC and live');
    assert.deepEqual(a.report.drift!.compared.live, [`${CALLER}/${HOME}`]);
    assert.ok(a.collected.problems.some((p) => p.source === 'aws' && /monitoring:DescribeAlarms failed: AccessDenied/.test(p.message) && p.location === `monitoring:DescribeAlarms ${CALLER} ${HOME}`));
  });

  const bad: { name: string; extra: string; message: RegExp }[] = [
    { name: 'Lake without aws.enabled', extra: 'cloudtrail:\n  lake:\n    eventDataStore: EXAMPLE-f852\n', message: /cloudtrail\.lake \(line \d+\): CloudTrail Lake is queried through the AWS API/ },
    { name: 'account id that is not 12 digits', extra: 'aws:\n  enabled: true\n  regions: [eu-west-1]\n  accounts: ["12345"]\n', message: /aws\.accounts/ },
    { name: 'region that is not a region', extra: 'aws:\n  enabled: true\n  regions: [europe]\n', message: /aws\.regions\[0\]/ },
  ];
  for (const c of bad) {
    it(`config error: ${c.name}`, () => {
      assert.throws(() => loadConfig(config(c.extra)), (e: any) => e.code === 'CONFIG_INVALID' && e.details.some((d: string) => c.message.test(d)));
    });
  }
});

describe('AWS on, but the collector cannot start', () => {
  it('a client that cannot be built: live evidence unavailable with the reason, the run goes on', async () => {
    const cfg = loadConfig(config(`aws:\n  enabled: true\n  regions: [${HOME}]\n`));
    const collected = await collectAll(cfg, { collectedAt: '2026-10-01T00:00:00Z', aws: () => { throw new Error('no region could be resolved'); } });
    assert.deepEqual(collected.evidence.live, { state: 'unavailable', reason: 'reading live AWS state failed: no region could be resolved' });
    assert.ok(collected.problems.some((p) => p.source === 'aws' && /no region could be resolved/.test(p.message)));
    assert.ok(runChecks(CHECKS, collected.evidence).some((r) => r.status === 'pass'), 'IaC checks still run');
  });
});

