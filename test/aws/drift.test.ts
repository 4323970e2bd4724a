// IaC vs live drift: a trail multi-region in Terraform but not live, an alarm whose actions are disabled live.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { computeDrift } from '../../src/evaluate/drift.js';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import { runCheck, runChecks } from '../../src/evaluate/engine.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import { loadMappings } from '../../src/map/mappings.js';
import type { InfraSnapshot } from '../../src/model/infra.js';
import { startMoto, type Moto } from '../support/moto.js';
import { bucketName, buildWorld, CALLER, compliantAccount, HOME, LOG_GROUP, topicArn, type AccountSpec } from '../support/aws-world.js';
import { denyPolicy, type WireOptions } from '../support/aws-wire.js';
import { bothEvidence, collectFrom } from './helpers.js';

// The healthy world, declared in Terraform (same names as the live fakes).
const MAIN_TF = `
resource "aws_s3_bucket" "trail" {
  bucket              = "${bucketName(CALLER)}"
  object_lock_enabled = true
}
resource "aws_s3_bucket_public_access_block" "trail" {
  bucket                  = aws_s3_bucket.trail.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_cloudwatch_log_group" "trail" {
  name = "${LOG_GROUP}"
}
resource "aws_cloudtrail" "org" {
  name                          = "org-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = "\${aws_cloudwatch_log_group.trail.arn}:*"
}
resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-usage"
  log_group_name = aws_cloudwatch_log_group.trail.name
  pattern        = "{ $.userIdentity.type = \\"Root\\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \\"AwsServiceEvent\\" }"
  metric_transformation {
    name      = "RootAccountUsage"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root-usage"
  metric_name         = "RootAccountUsage"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  actions_enabled     = true
  alarm_actions       = ["${topicArn(CALLER)}"]
}
`;

let iac: InfraSnapshot[];
let moto: Moto;

before(async () => {
  moto = await startMoto();
  const dir = mkdtempSync(join(tmpdir(), 'drift-'));
  writeFileSync(join(dir, 'main.tf'), MAIN_TF);
  iac = await collectTerraform({ paths: [dir], planJson: [], varFiles: [], baseDir: dir });
  assert.deepEqual(iac.flatMap((s) => s.problems.filter((p) => p.level === 'error')), []);
});
after(async () => {
  await moto?.stop();
});

/** The live account (built in moto from `spec`), read through the wire, beside the Terraform. */
async function evidence(spec: AccountSpec, wire: WireOptions = {}): Promise<EvidenceSet> {
  const world = await buildWorld(moto, { caller: spec, regions: [HOME] });
  const { live } = await collectFrom(world, wire, { regions: [HOME] }, { lookupEvents: false });
  return bothEvidence(iac, live);
}

const driftOf = (ev: EvidenceSet) => computeDrift(ev, runChecks(CHECKS, ev), control);

const healthy = compliantAccount();
const singleRegion = compliantAccount({ trail: { ...(healthy.trail as Exclude<AccountSpec['trail'], false>), multiRegion: false } });
const actionsDisabled = compliantAccount({ alarms: healthy.alarms.map((a) => ({ ...a, actionsEnabled: false })) });

const control = loadMappings(new Set(CHECKS.map((c) => c.meta.id))).control;
const ALL_REGIONS = 'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions';
const ROOT_ALARM = 'waf-sov-070.tf.aws.cloudwatch-alarm-root-login';

describe('drift between IaC and live state', () => {
  // Live also has an IAM-policy-changes alarm the Terraform lacks: drift the other way (IaC fail, live pass),
  // present as long as the live chain for it is whole.
  const IAM_ALARM = 'waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes';
  const IAM_CHAIN = 'waf-sov-070.tf.aws.alarm-chain-iam-policy-changes';
  const cases: { name: string; live: AccountSpec; resources: string[]; checks: string[] }[] = [
    { name: 'live matches the Terraform for what it declares', live: healthy, resources: [], checks: [IAM_CHAIN, IAM_ALARM] },
    { name: 'trail multi-region in IaC, single-region live', live: singleRegion, resources: ['trail org-trail multiRegion true → false'], checks: [ALL_REGIONS, IAM_ALARM] },
    { name: 'alarm actions enabled in IaC, disabled live', live: actionsDisabled, resources: ['alarm root-usage actionsEnabled true → false'], checks: [ROOT_ALARM] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const ev = await evidence(c.live);
      const drift = driftOf(ev)!;
      assert.deepEqual(drift.resources.map((r) => `${r.type} ${r.name} ${r.attribute} ${r.iac} → ${r.live}`), c.resources);
      const drifted = [...new Set(drift.controls.flatMap((r) => r.checks.map((x) => x.check)))].sort();
      assert.deepEqual(drifted, [...c.checks].sort());
      for (const r of drift.controls.flatMap((x) => x.checks)) {
        const [iacStatus, liveStatus] = r.check.includes('iam-policy-changes') ? ['fail', 'pass'] : ['pass', 'fail'];
        assert.equal(r.iac, iacStatus);
        assert.deepEqual(r.live.map((l) => [l.account, l.region, l.status]), [[CALLER, HOME, liveStatus]], 'labelled with account and region');
      }
      for (const r of drift.resources) assert.match(r.liveAt, new RegExp(`${CALLER} ${HOME}`));
      assert.deepEqual(drift.missing, []);
    });
  }

  it('the IaC verdicts do not change when live state is added; the combined check sees the live failure', async () => {
    const ev = await evidence(singleRegion);
    const check = CHECKS.find((x) => x.meta.id === ALL_REGIONS)!;
    assert.equal(runCheck(check, { ...ev, live: undefined }).status, 'pass');
    const combined = runCheck(check, ev);
    assert.equal(combined.status, 'fail');
    assert.ok(combined.locations.every((l) => l.account === CALLER && l.region === HOME));
  });

  it('a failed live call is "not compared", never drift and never missing', async () => {
    const ev = await evidence(healthy, { policy: () => denyPolicy('cloudwatch:DescribeAlarms') });
    const drift = driftOf(ev)!;
    assert.deepEqual(drift.missing, []);
    assert.ok(drift.notCompared.some((n) => /alarm root-usage/.test(n)));
    assert.ok(!drift.controls.some((r) => r.checks.some((c) => c.check === ROOT_ALARM)));
  });

  it('no drift section without both sources', async () => {
    const ev = await evidence(healthy);
    assert.equal(driftOf({ ...ev, live: undefined }), undefined);
    assert.equal(driftOf({ ...ev, iac: { state: 'not-configured', reason: 'x' } }), undefined);
  });
});
