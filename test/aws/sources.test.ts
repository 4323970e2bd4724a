// Verdicts per source: a check read on IaC and on live AWS state is judged on each apart; the worst decides, so
// IaC cannot mask a live failure or a live scope that could not be read. Live state from moto_server.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { runCheck } from '../../src/evaluate/engine.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import type { InfraSnapshot } from '../../src/model/infra.js';
import type { Status } from '../../src/model/status.js';
import { startMoto, type Moto } from '../support/moto.js';
import { bucketName, buildWorld, CALLER, compliantAccount, HOME, LOG_GROUP, OTHER, type AccountSpec, type World } from '../support/aws-world.js';
import { denyPolicy, type WireOptions } from '../support/aws-wire.js';
import { bothEvidence, collectFrom } from './helpers.js';

const ALL_REGIONS = 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions';
const TRAIL = (multiRegion: boolean) => `
resource "aws_s3_bucket" "trail" {
  bucket = "${bucketName(CALLER)}"
}
resource "aws_cloudwatch_log_group" "trail" {
  name = "${LOG_GROUP}"
}
resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = ${multiRegion}
  enable_log_file_validation    = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = "\${aws_cloudwatch_log_group.trail.arn}:*"
}
`;

let moto: Moto;
const iac: Record<'compliant' | 'singleRegion', InfraSnapshot[]> = { compliant: [], singleRegion: [] };
before(async () => {
  moto = await startMoto();
  for (const [key, multi] of [['compliant', true], ['singleRegion', false]] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'sources-'));
    writeFileSync(join(dir, 'main.tf'), TRAIL(multi));
    iac[key] = await collectTerraform({ paths: [dir], planJson: [], varFiles: [], baseDir: dir });
  }
});
after(async () => {
  await moto?.stop();
});

const healthy = compliantAccount();
const singleRegionLive = compliantAccount({ trail: { ...(healthy.trail as Exclude<AccountSpec['trail'], false>), multiRegion: false } });

interface Case {
  name: string;
  iac: keyof typeof iac;
  live: AccountSpec;
  members?: AccountSpec[];
  wire?: (w: World) => WireOptions;
  config?: Parameters<typeof collectFrom>[2];
  /** Replaces the collected live evidence (the collector could not start). */
  liveUnavailable?: string;
  status: Status;
  /** `source[/account]=status` of every sub-result, decisive ones marked with `*`. */
  sources: string[];
  reason?: RegExp;
}

const cases: Case[] = [
  { name: 'both compliant: pass, both sources decide', iac: 'compliant', live: healthy, status: 'pass', sources: ['iac=pass*', `aws-live/${CALLER}=pass*`] },
  { name: 'IaC compliant, live DescribeTrails denied: not pass, the live account decides', iac: 'compliant', live: healthy, wire: () => ({ policy: () => denyPolicy('cloudtrail:DescribeTrails') }), status: 'unknown', sources: ['iac=pass', `aws-live/${CALLER}=unknown*`], reason: /^live 123456789012: .*cloudtrail:DescribeTrails .*AccessDeniedException/ },
  { name: 'IaC compliant, DescribeTrails throttled out in one region only: the trail found elsewhere does not make a pass', iac: 'compliant', live: healthy, config: { regions: [HOME, OTHER] }, wire: () => ({ rules: [{ api: 'cloudtrail:DescribeTrails', region: OTHER, fault: 'throttling' }] }), status: 'unknown', sources: ['iac=pass', `aws-live/${CALLER}=unknown*`], reason: /not read completely.*cloudtrail:DescribeTrails 123456789012\/eu-central-1/ },
  { name: 'IaC compliant, live trail single-region: fail, decided by live', iac: 'compliant', live: singleRegionLive, status: 'fail', sources: ['iac=pass', `aws-live/${CALLER}=fail*`], reason: /^live 123456789012: .*IsMultiRegionTrail = false/ },
  { name: 'IaC single-region, live compliant: fail, decided by IaC', iac: 'singleRegion', live: healthy, status: 'fail', sources: ['iac=fail*', `aws-live/${CALLER}=pass`], reason: /^IaC: .*is_multi_region_trail = false/ },
  { name: 'IaC compliant, live collection failed altogether: unknown', iac: 'compliant', live: healthy, liveUnavailable: 'reading live AWS state failed: no credentials', status: 'unknown', sources: ['iac=pass', 'aws-live=unknown*'], reason: /live AWS state not collected: reading live AWS state failed: no credentials/ },
  { name: 'a member account whose role cannot be assumed: unknown, whatever the others say', iac: 'compliant', live: healthy, members: [healthy], config: { accounts: 'organization', assumeRole: { roleName: 'EvidencePackReadOnly' } }, wire: (w) => ({ policy: () => denyPolicy('sts:AssumeRole', `arn:aws:iam::${w.members[0]}:role/*`) }), status: 'unknown', sources: ['iac=pass', `aws-live/${CALLER}=pass`, 'aws-live/MEMBER=unknown*'] },
  { name: 'a region that is not enabled holds nothing: still pass', iac: 'compliant', live: healthy, config: { regions: [HOME, OTHER] }, wire: () => ({ rules: [{ region: OTHER, when: (op) => !['sts', 'iam', 'organizations'].includes(op.service), fault: 'region-disabled' }] }), status: 'pass', sources: ['iac=pass*', `aws-live/${CALLER}=pass*`] },
  { name: 'a call of another area denied (DescribeSecret): the trail verdict is unaffected', iac: 'compliant', live: healthy, wire: () => ({ policy: () => denyPolicy('secretsmanager:DescribeSecret') }), status: 'pass', sources: ['iac=pass*', `aws-live/${CALLER}=pass*`] },
  { name: 'every region "not enabled" says more about the credentials: unknown', iac: 'compliant', live: healthy, config: { regions: [HOME, OTHER] }, wire: () => ({ rules: [{ when: (op) => op.service === 'cloudtrail', fault: 'region-disabled' }] }), status: 'unknown', sources: ['iac=pass', `aws-live/${CALLER}=unknown*`] },
];

describe(`${ALL_REGIONS}: one verdict per source, the worst decides`, () => {
  const check = CHECKS.find((c) => c.meta.id === ALL_REGIONS)!;
  for (const c of cases) {
    it(c.name, async () => {
      const world = await buildWorld(moto, { caller: c.live, members: c.members, regions: [HOME] });
      const { live } = await collectFrom(world, c.wire?.(world) ?? {}, { regions: [HOME], ...c.config }, { lookupEvents: false });
      let ev: EvidenceSet = bothEvidence(iac[c.iac], live);
      if (c.liveUnavailable) ev = { ...ev, live: { state: 'unavailable', reason: c.liveUnavailable }, coverage: [] };
      const r = runCheck(check, ev);
      assert.equal(r.status, c.status, r.reason);
      const shown = (r.sources ?? []).map((s) => `${s.source}${s.account ? `/${s.account === world.members[0] ? 'MEMBER' : s.account}` : ''}=${s.status}${s.decisive ? '*' : ''}`);
      assert.deepEqual(shown.slice(1).sort(), c.sources.slice(1).sort(), 'the live accounts');
      assert.equal(shown[0], c.sources[0], 'IaC first');
      if (c.reason) assert.match(r.reason, c.reason);
      for (const s of r.sources ?? []) if (s.source === 'aws-live' && s.account) assert.ok((s.regions ?? []).length > 0, 'a live verdict names the regions read');
    });
  }
});

describe('checks that read no infrastructure keep one verdict', () => {
  it('a process check has no per-source verdicts, with live state configured', async () => {
    const world = await buildWorld(moto, { caller: healthy, regions: [HOME] });
    const { live } = await collectFrom(world, {}, { regions: [HOME] }, { lookupEvents: false });
    const r = runCheck(CHECKS.find((c) => c.meta.id === 'waf-sov-070.process.runbook-versioned')!, bothEvidence(iac.compliant, live));
    assert.equal(r.sources, undefined);
  });
});
