// One infrastructure, four sources (Terraform modules + for_each + tfvars, plan JSON, CloudFormation YAML, CDK): identical verdicts.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';
import type { InfraSnapshot } from '../../src/model/infra.js';
import type { Status } from '../../src/model/status.js';
import { BREAK_GLASS, editedCopy, IAC_CHECKS, REPO, runIacChecks, type Edit } from './helpers.js';
import type { BreakGlassConfig } from '../../src/config/load.js';

const SAMPLES = join(REPO, 'samples/iac-equivalence');

interface Source {
  name: string;
  dir: string;
  collect: (dir: string) => Promise<InfraSnapshot[]>;
  /** The edit that turns multi-region logging off in this source. */
  singleRegion: Edit;
}

const SOURCES: Source[] = [
  {
    name: 'Terraform (local modules, for_each, tfvars)',
    dir: join(SAMPLES, 'terraform'),
    collect: (dir) => collectTerraform({ paths: [dir], baseDir: dir }),
    singleRegion: { file: 'modules/audit/main.tf', from: 'is_multi_region_trail         = true', to: 'is_multi_region_trail = false' },
  },
  {
    name: 'terraform show -json plan',
    dir: join(SAMPLES, 'plan'),
    collect: (dir) => collectTerraform({ paths: [], planJson: [join(dir, 'plan.json')], baseDir: dir }),
    singleRegion: { file: 'plan.json', from: /"is_multi_region_trail": true/g, to: '"is_multi_region_trail": false' },
  },
  {
    name: 'CloudFormation YAML with intrinsic tags',
    dir: join(SAMPLES, 'cloudformation'),
    collect: (dir) => collectCloudFormation({ paths: [dir], baseDir: dir }),
    singleRegion: { file: 'trail.yaml', from: 'IsMultiRegionTrail: true', to: 'IsMultiRegionTrail: false' },
  },
  {
    name: 'CDK synth output',
    dir: join(SAMPLES, 'cdk'),
    collect: (dir) => collectCloudFormation({ paths: [dir], baseDir: dir }),
    singleRegion: { file: 'cdk.out/BreakGlassStack.template.json', from: '"IsMultiRegionTrail": true', to: '"IsMultiRegionTrail": false' },
  },
];

/** Seed 000's compliant infrastructure: what each check must say about it, whichever source describes it. */
const EXPECTED: Record<string, Status> = {
  'waf-sov-070.tf.aws.cloudtrail-logging-enabled': 'pass',
  'waf-sov-070.tf.aws.cloudtrail-enabled-all-regions': 'pass',
  'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public': 'pass',
  'waf-sov-070.tf.aws.cloudwatch-alarm-root-login': 'pass',
  'waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes': 'pass',
  'waf-sov-070.tf.aws.cloudtrail-bucket-object-lock': 'fail',
  'waf-sov-070.tf.aws.alarm-chain-root-usage': 'pass',
  'waf-sov-070.tf.aws.alarm-chain-iam-policy-changes': 'pass',
  'waf-sov-070.tf.aws.alarm-chain-console-signin-without-mfa': 'fail',
  'waf-sov-070.tf.aws.alarm-chain-cloudtrail-config-changes': 'fail',
  'waf-sov-070.tf.aws.alarm-chain-break-glass-role-assumption': 'fail',
  // The samples do not define the declared break-glass role.
  'waf-sov-070.tf.aws.break-glass-identity-hardened': 'unknown',
};

const NO_IDENTITIES: BreakGlassConfig = { ...BREAK_GLASS, roles: [], users: [] };

async function verdicts(source: Source, dir = source.dir, bg: BreakGlassConfig = BREAK_GLASS): Promise<Record<string, Status>> {
  const snapshots = await source.collect(dir);
  const errors = snapshots.flatMap((s) => s.problems.filter((p) => p.level === 'error'));
  assert.deepEqual(errors, [], `${source.name} reads without errors`);
  return Object.fromEntries(runIacChecks(snapshots, bg).map((r) => [r.id, r.status]));
}

describe('IaC equivalence', () => {
  it('the expected table covers every IaC check', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), IAC_CHECKS.map((c) => c.meta.id).sort());
  });

  for (const source of SOURCES) {
    it(`${source.name}: the expected verdict for every check`, async () => {
      assert.deepEqual(await verdicts(source), EXPECTED);
    });
  }

  it('all four sources agree check by check, with and without declared break-glass identities', async () => {
    for (const bg of [BREAK_GLASS, NO_IDENTITIES]) {
      const all = await Promise.all(SOURCES.map((s) => verdicts(s, s.dir, bg)));
      for (let i = 1; i < all.length; i++) assert.deepEqual(all[i], all[0], `${SOURCES[i].name} vs ${SOURCES[0].name}`);
    }
  });

  it('the same defect in each source changes the same verdicts, and the chain names the same broken link', async () => {
    const changed: string[][] = [];
    for (const source of SOURCES) {
      const t = editedCopy(source.dir, [source.singleRegion]);
      try {
        const snapshots = await source.collect(t.dir);
        const results = runIacChecks(snapshots);
        changed.push(results.filter((r) => r.status !== EXPECTED[r.id]).map((r) => `${r.id}: ${r.status}`));
        const chain = results.find((r) => r.id === 'waf-sov-070.tf.aws.alarm-chain-root-usage')!;
        assert.match(chain.reason, /^first broken link: trail: .*: it logs one region only/, source.name);
      } finally {
        t.cleanup();
      }
    }
    assert.deepEqual(changed[0], ['waf-sov-070.tf.aws.cloudtrail-enabled-all-regions: fail', 'waf-sov-070.tf.aws.alarm-chain-root-usage: fail', 'waf-sov-070.tf.aws.alarm-chain-iam-policy-changes: fail']);
    for (let i = 1; i < changed.length; i++) assert.deepEqual(changed[i], changed[0], SOURCES[i].name);
  });
});
