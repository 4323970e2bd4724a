// Library API: collect → evaluate → map → render. The CLI is a thin layer over these functions.

import { loadConfig, type Config } from './config/load.js';
import { collectAll, type CollectResult } from './collect/index.js';
import { runChecks } from './evaluate/engine.js';
import { CHECKS } from './evaluate/checks/index.js';
import { loadMappings, type Mappings } from './map/mappings.js';
import { buildReport } from './map/report.js';
import { renderJson } from './render/json.js';
import { renderHtml } from './render/html.js';
import { writeFolderAtomically } from './render/output.js';
import type { Report } from './model/report.js';

export type { Config } from './config/load.js';
export type { Report } from './model/report.js';
export type { CheckResult } from './model/check.js';
export type { Status } from './model/status.js';
export { loadConfig } from './config/load.js';
export { CHECKS } from './evaluate/checks/index.js';
export { renderJson } from './render/json.js';
export { renderHtml } from './render/html.js';
export { EvidencePackError, EXIT } from './errors.js';
export { renderSarif, buildSarif, type SarifInput } from './render/sarif.js';
export { checkIac, iacSarif, IAC_CHECKS, classifyIacPaths, type IacCheck, type IacCheckOptions, type IacInputs } from './iac.js';
import { iacSarif, repoPrefixOf } from './iac.js';
export { renderOscal, buildOscal } from './render/oscal.js';
export { renderJunit } from './render/junit.js';
export { renderStepSummary } from './render/step-summary.js';
export { diffPacks, diffReports, loadPackForDiff, type PackDiff } from './diff/index.js';
export { attest, RELEASE_PREDICATE_TYPE, type AttestOptions, type AttestResult, type ReleasePredicate, type RepositoryState } from './attest.js';

export interface AssessOptions {
  /** Seconds since the epoch to use as "now" (SOURCE_DATE_EPOCH) so that output is reproducible. */
  sourceDateEpoch?: number;
  onProgress?: (message: string) => void;
}

export interface Assessment {
  config: Config;
  collected: CollectResult;
  report: Report;
}

export function generatedAtFrom(sourceDateEpoch?: number): string {
  return new Date(sourceDateEpoch !== undefined ? sourceDateEpoch * 1000 : Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

let mappings: Mappings | undefined;
export function getMappings(): Mappings {
  mappings ??= loadMappings(new Set(CHECKS.map((c) => c.meta.id)));
  return mappings;
}

/** Loads the config, collects every configured source, runs the checks and builds the Report. */
export async function assess(configPath: string, opts: AssessOptions = {}): Promise<Assessment> {
  const config = loadConfig(configPath);
  const maps = getMappings();
  const generatedAt = generatedAtFrom(opts.sourceDateEpoch);
  const collected = await collectAll(config, { collectedAt: generatedAt, onProgress: opts.onProgress });
  opts.onProgress?.('evaluating checks');
  const results = runChecks(CHECKS, collected.evidence);
  const report = buildReport(config, collected, results, maps, generatedAt);
  return { config, collected, report };
}

export interface RunResult extends Assessment {
  outDir: string;
  written: string[];
}

/** `evidence-pack run`: assess and write the pack (report.json, report.html, the evidence files). */
export async function run(configPath: string, outDir: string, opts: AssessOptions = {}): Promise<RunResult> {
  const a = await assess(configPath, opts);
  a.report.signature = { signed: false };
  opts.onProgress?.('rendering report.json and report.html');
  const files = [
    { path: 'report.json', bytes: renderJson(a.report) },
    { path: 'report.html', bytes: renderHtml(a.report) },
    { path: 'iac.sarif', bytes: iacSarif(a.collected.evidence.iac.state === 'collected' ? a.report.checks : [], repoPrefixOf(a.config.baseDir)) },
    ...a.collected.files,
  ];
  const dir = writeFolderAtomically(outDir, files);
  return { ...a, outDir: dir, written: files.map((f) => f.path) };
}
