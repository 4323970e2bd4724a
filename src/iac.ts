// Library API of the IaC-only path (`evidence-pack iac`, iac.sarif): classify paths, collect, run the IaC checks, render SARIF.

import { loadConfig } from './config/load.js';
import { relative, resolve } from 'node:path';
import { runChecks } from './evaluate/engine.js';
import { CHECKS } from './evaluate/checks/index.js';
import type { CheckResult } from './model/check.js';
import type { InfraSnapshot } from './model/infra.js';
import type { Collected } from './model/evidence.js';
import type { EvidenceSet } from './evaluate/define-check.js';
import { renderSarif } from './render/sarif.js';
import { classifyIacPaths, repoPrefixOf, type IacInputs } from './collect/iac-inputs.js';
import { collectTerraform } from './collect/terraform/index.js';
import { iacCoverage } from './collect/coverage.js';
import { collectCloudFormation } from './collect/cloudformation/index.js';
import { parsePeriod } from './config/period.js';
import type { Period } from './model/period.js';
import { EvidencePackError } from './errors.js';
import { TOOL_VERSION } from './paths.js';

export { classifyIacPaths, repoPrefixOf, type IacInputs } from './collect/iac-inputs.js';

/** The checks that read IaC evidence: what `evidence-pack iac` runs and what iac.sarif reports. */
// Checks that also need logs or records (e.g. "activations were alarmed") belong to the full run, not here.
const IAC_ONLY_KINDS = new Set(['iac', 'break-glass-identities']);
export const IAC_CHECKS = CHECKS.filter((c) => c.meta.evidence.includes('iac') && c.meta.evidence.every((k) => IAC_ONLY_KINDS.has(k)));

/** SARIF 2.1.0 of the IaC check results; `repoPrefix` is the locations' base folder relative to the git root. */
export function iacSarif(results: CheckResult[], repoPrefix: string, fallbackFile?: string): Buffer {
  const ids = new Set(IAC_CHECKS.map((c) => c.meta.id));
  return renderSarif({ results: results.filter((r) => ids.has(r.id)), rules: IAC_CHECKS.map((c) => c.meta), repoPrefix, toolVersion: TOOL_VERSION, fallbackFile });
}

/** iac.sarif of a pack: the IaC results when IaC was collected (else only the rules), URIs from the config folder's repository. */
export function packIacSarif(iac: Collected<InfraSnapshot[]>, results: CheckResult[], baseDir: string): Buffer {
  const snapshots = iac.state === 'collected' ? iac.value : [];
  return iacSarif(iac.state === 'collected' ? results : [], repoPrefixOf(baseDir), firstIacFile(snapshots));
}

/** The file that findings without a location are attached to in SARIF: the first IaC file read. */
export function firstIacFile(snapshots: InfraSnapshot[]): string | undefined {
  return snapshots.flatMap((s) => s.files.map((f) => f.path)).sort()[0];
}

export interface IacCheckOptions {
  /** Folder the paths are relative to, and that locations are reported relative to (default: process.cwd()). */
  cwd?: string;
  /** An evidence-pack.yaml whose `breakGlass` identities parameterise the break-glass alarm check. */
  configPath?: string;
}

export interface IacCheck {
  inputs: IacInputs;
  snapshots: InfraSnapshot[];
  /** Empty when there was nothing to check (see `nothingToCheck`). */
  results: CheckResult[];
  /** `cwd` relative to its git top-level ('' outside a repository), the base of SARIF URIs. */
  repoPrefix: string;
  /** Why no check ran: no paths, or none of the files given is IaC (a pre-commit list of other files). */
  nothingToCheck?: string;
}

/**
 * `evidence-pack iac <paths…>`: reads the Terraform (root modules found in folders, or the roots of the files
 * given), plan JSON and CloudFormation among `paths`, and runs the IaC checks. No paths, or only files that are
 * not IaC, is nothing to check: no result, not an error (a pre-commit hook with nothing relevant staged).
 */
export async function checkIac(paths: string[], opts: IacCheckOptions = {}): Promise<IacCheck> {
  const cwd = opts.cwd ?? process.cwd();
  const inputs = await classifyIacPaths(paths, cwd);
  const repoPrefix = repoPrefixOf(cwd);
  const terraform = inputs.terraform.length + inputs.roots.length + inputs.planJson.length;
  if (!terraform && !inputs.cloudformation.length) {
    if (inputs.varFiles.length) throw new EvidencePackError('USAGE', 'no Terraform folder, plan JSON or CloudFormation template among the paths given', { hint: '.tfvars files apply to a Terraform folder given alongside them' });
    const what = 'Terraform, a plan or a CloudFormation template';
    const nothingToCheck = paths.length === 0 ? 'no paths given' : paths.length === 1 ? `the file given is not ${what}` : `none of the ${paths.length} files given is ${what}`;
    return { inputs, snapshots: [], results: [], repoPrefix, nothingToCheck };
  }
  const snapshots: InfraSnapshot[] = [];
  if (terraform) snapshots.push(...(await collectTerraform({ paths: inputs.terraform, roots: inputs.roots, planJson: inputs.planJson, varFiles: inputs.varFiles, baseDir: cwd })));
  if (inputs.cloudformation.length) snapshots.push(...(await collectCloudFormation({ paths: inputs.cloudformation, baseDir: cwd })));
  const config = opts.configPath ? loadConfig(opts.configPath) : undefined;
  const none = { state: 'not-configured', reason: 'not read by the iac command' } as const;
  const now = new Date();
  // Only IaC is read here; sources added to EvidenceSet later stay absent, and the IaC checks never read them.
  const evidence = {
    // The IaC checks do not read the period; the current quarter keeps the type honest.
    period: config?.period ?? (parsePeriod(`${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`) as Period),
    breakGlass: config?.breakGlass ?? { roles: [], users: [], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: false, secrets: [] },
    breakGlassDeclared: config?.breakGlassDeclared ?? false,
    runbook: none,
    iac: { state: 'collected', value: snapshots },
    cloudtrail: none,
    integrity: none,
    evidenceRefs: { iac: snapshots.flatMap((s) => s.files.map((f) => `iac:${f.path}`)) },
    coverage: [iacCoverage(snapshots, paths.map((p) => resolve(cwd, p)), (p) => relative(cwd, p) || '.')],
  } as EvidenceSet;
  return { inputs, snapshots, results: runChecks(IAC_CHECKS, evidence), repoPrefix };
}
