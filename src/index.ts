// Library API: collect → evaluate → map → render. The CLI is a thin layer over these functions.

import { loadConfig, type Config } from './config/load.js';
import { collectAll, type CollectResult } from './collect/index.js';
import { runChecks } from './evaluate/engine.js';
import { CHECKS } from './evaluate/checks/index.js';
import { loadMappings, selectFrameworks, type Mappings } from './map/mappings.js';
import { buildReport } from './map/report.js';
import { renderJson } from './render/json.js';
import { renderHtml } from './render/html.js';
import { writePack } from './pack/write.js';
import { loadSigner, type SignerSource } from './pack/keys.js';
import type { Signer } from './pack/signer.js';
import { loadTimestamper, type Timestamper } from './pack/tsa.js';
import { EvidencePackError } from './errors.js';
import type { Report } from './model/report.js';
import type { AwsClientFactory } from './collect/aws/collect.js';
import { renderOscal, OSCAL_FILE } from './render/oscal.js';
import { renderJunit, JUNIT_FILE } from './render/junit.js';
import { frameworkExports } from './render/framework-exports.js';

export type { Config } from './config/load.js';
export type { Report } from './model/report.js';
export type { CheckResult } from './model/check.js';
export type { Status } from './model/status.js';
export { loadConfig } from './config/load.js';
export { CHECKS } from './evaluate/checks/index.js';
export { renderJson } from './render/json.js';
export { renderHtml } from './render/html.js';
export { EvidencePackError, EXIT } from './errors.js';
export { renderOscal, buildOscal } from './render/oscal.js';
export { renderJunit } from './render/junit.js';
export { renderStepSummary } from './render/step-summary.js';
export { diffPacks, diffReports, loadPackForDiff, type PackDiff } from './diff/index.js';
export { attest, RELEASE_PREDICATE_TYPE, type AttestOptions, type AttestResult, type ReleasePredicate, type RepositoryState } from './attest.js';
export { renderSarif, buildSarif, type SarifInput } from './render/sarif.js';
export { checkIac, iacSarif, packIacSarif, IAC_CHECKS, classifyIacPaths, type IacCheck, type IacCheckOptions, type IacInputs } from './iac.js';
import { packIacSarif } from './iac.js';
import { TOOL_VERSION } from './paths.js';

export interface AssessOptions {
  /** Seconds since the epoch to use as "now" (SOURCE_DATE_EPOCH) so that output is reproducible. */
  sourceDateEpoch?: number;
  onProgress?: (message: string) => void;
  /** Framework ids (or `all`) the report holds; default: the default ones (`evidence-pack --list-frameworks`). */
  frameworks?: string[];
  /** AWS SDK clients for live evidence (default: the SDK's, with the standard credential chain or aws.profile). */
  aws?: AwsClientFactory;
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

/** The frameworks --framework can select (id, name, status, number of controls, whether the report holds it by default). */
export function listFrameworks(): { id: string; name: string; version: string; status: 'final' | 'draft'; default: boolean; controls: number }[] {
  return getMappings().frameworks.map((f) => ({ id: f.id, name: f.name, version: f.version, status: f.catalogue.status, default: f.default, controls: f.controls.length }));
}

/** Loads the config, collects every configured source, runs the checks and builds the Report. */
export async function assess(configPath: string, opts: AssessOptions = {}): Promise<Assessment> {
  const config = loadConfig(configPath);
  const maps = getMappings();
  selectFrameworks(maps.frameworks, opts.frameworks); // an unknown --framework fails before the (possibly long) collection
  const generatedAt = generatedAtFrom(opts.sourceDateEpoch);
  const collected = await collectAll(config, { collectedAt: generatedAt, onProgress: opts.onProgress, aws: opts.aws });
  opts.onProgress?.('evaluating checks');
  const results = runChecks(CHECKS, collected.evidence);
  const report = buildReport(config, collected, results, maps, generatedAt, opts.frameworks);
  return { config, collected, report };
}

export interface SigningOptions {
  /** Signing key and certificate; overrides the config's `signing:` key. Without either the pack is unsigned. */
  signing?: SignerSource;
  /** RFC 3161 TSA URL; overrides the config's `signing.tsa.url` (its caFile still applies). */
  tsaUrl?: string;
}

/**
 * The signer and the timestamper of a pack: the command line's (--sign-*, --tsa-url) over the config's `signing:`.
 * Loaded before any file is written, so key, KMS and TSA-URL problems surface first.
 */
export async function packSigning(config: Config, opts: SigningOptions): Promise<{ signer?: Signer; timestamp?: Timestamper }> {
  const source = opts.signing ?? config.signing;
  const hasKey = !!(source && (source.key || source.cert || source.p12 || source.kms));
  const tsa = opts.tsaUrl ? { ...config.signing?.tsa, url: opts.tsaUrl } : config.signing?.tsa;
  if (tsa && !hasKey) {
    throw new EvidencePackError('USAGE', 'a time-stamping authority (--tsa-url or signing.tsa) time-stamps signatures, but no signing key is given', {
      hint: 'Add --sign-key/--sign-cert, --sign-p12 or --sign-kms-key (or signing: in the config), or drop the TSA.',
    });
  }
  return { signer: hasKey ? await loadSigner(source!) : undefined, timestamp: tsa ? await loadTimestamper(tsa) : undefined };
}

export interface RunOptions extends AssessOptions, SigningOptions {
  /** Also write junit.xml (one testcase per check). */
  junit?: boolean;
}

export interface RunResult extends Assessment {
  outDir: string;
  /** Every file of the pack, sorted. */
  written: string[];
  signed: boolean;
  manifestSha256: string;
  /** The TSA's time on the manifest signature (B-T packs). */
  signingTime?: string;
}

/** The digests of the inputs the pack was built from (config and every evidence item), for the manifest. */
export function inputDigests(a: Assessment): { name: string; sha256: string }[] {
  return a.report.evidence.filter((e) => e.sha256).map((e) => ({ name: e.id, sha256: e.sha256! }));
}

/** `evidence-pack run`: assess and write the pack (report.json, report.html, the evidence files). */
export async function run(configPath: string, outDir: string, opts: RunOptions = {}): Promise<RunResult> {
  const a = await assess(configPath, opts);
  // Key problems surface before any file is written.
  const { signer: signing, timestamp } = await packSigning(a.config, opts);
  a.report.signature = signing ? { signed: true, signer: signing.subject } : { signed: false };
  opts.onProgress?.('rendering report.json and report.html');
  const files = [
    { path: 'report.json', bytes: Buffer.from(renderJson(a.report)) },
    { path: 'report.html', bytes: Buffer.from(renderHtml(a.report)) },
    { path: OSCAL_FILE, bytes: renderOscal(a.report) },
    ...frameworkExports(a.report),
    ...(opts.junit ? [{ path: JUNIT_FILE, bytes: renderJunit(a.report) }] : []),
    { path: 'iac.sarif', bytes: packIacSarif(a.collected.evidence.iac, a.report.checks, a.config.baseDir) },
    ...a.collected.files,
  ];
  opts.onProgress?.(signing ? 'rendering the PDF, signing and writing the pack' : 'rendering the PDF and writing the pack');
  const packFiles = files.map((f) => ({ path: f.path, bytes: typeof f.bytes === 'string' ? Buffer.from(f.bytes) : f.bytes }));
  const pack = await writePack({ outDir, files: packFiles, report: a.report, signing, timestamp, sourceDateEpoch: opts.sourceDateEpoch, toolVersion: TOOL_VERSION, inputs: inputDigests(a) });
  return { ...a, outDir: pack.dir, written: pack.files, signed: pack.signed, manifestSha256: pack.manifestSha256, signingTime: pack.timestamps?.manifest.time.toISOString() };
}

