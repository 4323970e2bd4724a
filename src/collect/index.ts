// Runs every configured collector and gathers typed evidence, the evidence index and the files to keep in the pack.

import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { Config } from '../config/load.js';
import type { Collected, EvidenceItem, PopulationRecord } from '../model/evidence.js';
import type { InfraSnapshot } from '../model/infra.js';
import type { RunbookEvidence } from '../model/runbook.js';
import { formatLocation } from '../model/location.js';
import type { EvidenceSet } from '../model/evidence-set.js';
import { collectRunbook } from './runbook/index.js';
import { collectTerraform } from './terraform/index.js';
import { collectCloudFormation } from './cloudformation/index.js';
import { collectCloudTrail } from './cloudtrail/index.js';
import { collectCloudTrailDuckDb } from './cloudtrail/duckdb.js';
import { validateDigests } from './cloudtrail/digests.js';
import type { AthenaEngineConfig, CloudTrailEvidence, FilterReplay } from '../model/cloudtrail.js';
import type { EventFilter } from './cloudtrail/aggregate.js';
import { replayFilters } from './replay.js';
import type { IntegrityResult } from '../model/cloudtrail-integrity.js';
import { entitiesOf, isUnknown } from '../model/infra.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { isEvidencePackError, messageOf } from '../errors.js';
import { collectProcess } from './process/collect.js';
import type { RecordSet, RiskAcceptance } from '../model/process.js';
import type { AwsLiveEvidence } from '../model/aws.js';
import type { AwsClientFactory } from './aws/collect.js';
import { coverageParameters, type SourceCoverage } from '../model/coverage.js';
import { cloudtrailCoverage, iacCoverage, integrityCoverage } from './coverage.js';
import { InputRoots } from './input-files.js';

/** A file copied into the pack with its original bytes. */
export interface PackedFile {
  path: string;
  bytes: Buffer;
}

export interface CollectResult {
  evidence: EvidenceSet;
  /** Per source: what was asked to be read, read completely, skipped and dropped (also on `evidence.coverage`). */
  coverage: SourceCoverage[];
  items: EvidenceItem[];
  populations: PopulationRecord[];
  files: PackedFile[];
  problems: { source: string; level: 'error' | 'warning'; message: string; location?: string }[];
  sections: Record<string, unknown>;
  /** The risk-acceptance register (config key `riskAcceptances`), applied when the report is built. */
  riskAcceptances?: Collected<RecordSet<RiskAcceptance>>;
}

export interface CollectOptions {
  /** Timestamp recorded as the collection time (from SOURCE_DATE_EPOCH for reproducible packs). */
  collectedAt: string;
  onProgress?: (message: string) => void;
  /** S3 client for s3:// sources (tests inject one pointed at a loopback server). */
  s3?: S3Client;
  /** AWS SDK client factory for live evidence (tests inject clients mocked at the SDK level). */
  aws?: AwsClientFactory;
}

/** The athena and securitylake engines: the Athena client from the AWS configuration (profile, region), loaded only when chosen. */
async function collectFromAthena(config: Config, o: { trailBuckets?: string[]; filters: EventFilter[]; now: () => Date; clients?: AwsClientFactory }): Promise<CloudTrailEvidence> {
  const { sdkClientFactory } = await import('./aws/collect.js');
  const ct = config.cloudtrail!;
  const athena: AthenaEngineConfig = { database: '', table: '', workgroup: 'primary', ...ct.athena };
  const region = athena.region ?? config.aws?.regions[0] ?? 'us-east-1';
  const client = (o.clients ?? sdkClientFactory(config.aws?.profile))('athena', region);
  const common = { breakGlass: config.breakGlass, period: config.period, trailBuckets: o.trailBuckets, filters: o.filters, now: o.now };
  const where = { account: 'caller', region };
  if (ct.engine === 'securitylake') {
    const lake = ct.securitylake!;
    const { collectCloudTrailSecurityLake } = await import('./cloudtrail/securitylake.js');
    return collectCloudTrailSecurityLake({ ...common, athena: { client, where, config: { ...athena, database: lake.database, table: lake.table }, lake } });
  }
  const { collectCloudTrailAthena } = await import('./cloudtrail/athena.js');
  return collectCloudTrailAthena({ ...common, athena: { client, config: athena, where } });
}

async function defaultS3Client(): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({});
}

function displayPath(baseDir: string, p: string): string {
  return p.startsWith('s3://') ? p : relative(baseDir, p) || '.';
}

import { sha256Hex } from '../hash.js';

/** Pack-internal path for an input path relative to the config folder: never escapes the pack. */
export function packPathFor(prefix: string, rel: string): string {
  const safe = rel
    .split(/[\\/]+/)
    .map((seg) => (seg === '..' ? '_up' : seg === '.' ? '' : seg))
    .filter(Boolean)
    .join('/');
  return `${prefix}/${safe}`;
}

/** The folders evidence may come from: the config folder and every local path the config names. */
export function inputRootsOf(config: Config): InputRoots {
  const named = [
    config.runbook?.repo,
    ...(config.terraform ? [...config.terraform.paths, ...config.terraform.planJson, ...config.terraform.varFiles] : []),
    ...(config.cloudformation?.paths ?? []),
    ...(config.cloudtrail ? [...config.cloudtrail.logs, ...config.cloudtrail.digests, config.cloudtrail.publicKeys] : []),
    ...(config.reviews ?? []),
    ...(config.drills ?? []),
    config.secretStore,
    ...(config.tickets ?? []),
    ...(config.approvals ?? []),
    config.riskAcceptances,
  ].filter((p): p is string => typeof p === 'string' && !p.startsWith('s3://'));
  return new InputRoots([config.baseDir, ...named]);
}

function notConfigured<T>(key: string): Collected<T> {
  return { state: 'not-configured', reason: `not configured (config key \`${key}\`)` };
}

export async function collectAll(config: Config, opts: CollectOptions): Promise<CollectResult> {
  const items: EvidenceItem[] = [];
  const files: PackedFile[] = [];
  const problems: CollectResult['problems'] = [];
  const populations: PopulationRecord[] = [];
  const sections: Record<string, unknown> = {};
  const refs: EvidenceSet['evidenceRefs'] = {};
  const coverage: SourceCoverage[] = [];
  const progress = opts.onProgress ?? (() => {});
  const roots = inputRootsOf(config);
  const show = (p: string) => displayPath(config.baseDir, p);

  // The configuration itself: what was asked for is part of the evidence.
  const configBytes = readFileSync(config.file);
  files.push({ path: `evidence/config/${basename(config.file)}`, bytes: configBytes });
  items.push({ id: 'config', kind: 'config', source: basename(config.file), sha256: sha256Hex(configBytes), size: configBytes.length, collectedAt: opts.collectedAt, packPath: `evidence/config/${basename(config.file)}` });
  refs['break-glass-identities'] = ['config'];

  let runbook: Collected<RunbookEvidence> = notConfigured('runbook');
  if (config.runbook) {
    progress('reading the runbook history from git');
    try {
      const r = await collectRunbook({ ...config.runbook, period: config.period, baseDir: config.baseDir });
      runbook = { state: 'collected', value: r.evidence };
      const { absPath: _abs, ...shown } = r.evidence;
      sections.runbook = shown;
      const packPath = r.content ? packPathFor('evidence/runbook', r.evidence.displayPath) : undefined;
      if (r.content && packPath) files.push({ path: packPath, bytes: r.content });
      items.push({
        id: 'runbook',
        kind: 'runbook',
        source: r.evidence.inForce ? `${r.evidence.displayPath} @ git ${r.evidence.inForce.sha}` : r.evidence.displayPath,
        sha256: r.evidence.sha256,
        size: r.content?.length,
        collectedAt: opts.collectedAt,
        packPath,
        problems: r.evidence.stateReason ? [{ level: 'error', message: r.evidence.stateReason }] : undefined,
      });
      refs.runbook = ['runbook'];
      populations.push(population('runbook revisions', 'git', `git log --follow -- ${r.evidence.displayPath}`, { periodEnd: config.period.to }, opts.collectedAt, r.evidence.revisions));
    } catch (e) {
      if (isEvidencePackError(e)) throw e;
      runbook = { state: 'unavailable', reason: `reading ${config.runbook.path} failed: ${messageOf(e)}` };
      problems.push({ source: 'runbook', level: 'error', message: runbook.reason });
    }
  }

  let iac: Collected<InfraSnapshot[]> = notConfigured('terraform / cloudformation');
  const snapshots: InfraSnapshot[] = [];
  if (config.terraform) {
    progress('parsing Terraform');
    snapshots.push(...(await collectTerraform({ ...config.terraform, baseDir: config.baseDir })));
  }
  if (config.cloudformation) {
    progress('parsing CloudFormation / CDK templates');
    snapshots.push(...(await collectCloudFormation({ ...config.cloudformation, baseDir: config.baseDir })));
  }
  if (config.terraform || config.cloudformation) {
    iac = { state: 'collected', value: snapshots };
    const iacAsked = [...(config.terraform ? [...config.terraform.paths, ...config.terraform.planJson, ...config.terraform.varFiles] : []), ...(config.cloudformation?.paths ?? [])];
    const iacCov = iacCoverage(snapshots, iacAsked, show);
    coverage.push(iacCov);
    refs.iac = [];
    for (const s of snapshots) {
      for (const f of s.files) {
        const id = `iac:${f.path}`;
        if (items.some((i) => i.id === id)) continue;
        const packPath = packPathFor('evidence/iac', f.path);
        if (f.absPath) files.push({ path: packPath, bytes: readFileSync(f.absPath) });
        items.push({ id, kind: 'iac', source: f.path, sha256: f.sha256, size: f.size, collectedAt: opts.collectedAt, packPath: f.absPath ? packPath : undefined });
        refs.iac.push(id);
      }
      for (const p of s.problems) problems.push({ source: `iac ${s.root}`, level: p.level, message: p.message, location: p.location && formatLocation(p.location) });
    }
    const entities = snapshots.flatMap((s) => s.entities.map((e) => ({ id: e.id, type: e.type, origin: e.origin, at: formatLocation(e.at) })));
    populations.push(population('IaC resources', 'terraform / cloudformation files', snapshots.map((s) => s.root).join(', '), { files: String(snapshots.reduce((n, s) => n + s.files.length, 0)), ...coverageParameters(iacCov) }, opts.collectedAt, entities));
  }

  let cloudtrail: Collected<CloudTrailEvidence> = notConfigured('cloudtrail.logs');
  let integrity: Collected<IntegrityResult> = notConfigured('cloudtrail.digests');
  let replay: Collected<FilterReplay> = snapshots.length ? notConfigured('cloudtrail.logs') : notConfigured('terraform / cloudformation');
  const sqlEngine = config.cloudtrail?.engine === 'athena' || config.cloudtrail?.engine === 'securitylake' ? config.cloudtrail.engine : undefined;
  if (config.cloudtrail && (config.cloudtrail.logs.length || sqlEngine)) {
    // What the coverage record names as asked for: the log roots, or the table.
    const table = config.cloudtrail.engine === 'securitylake' ? config.cloudtrail.securitylake : config.cloudtrail.athena;
    const asked = sqlEngine && table ? [`${sqlEngine}:${config.cloudtrail.athena?.workgroup ?? 'primary'}/${table.database}.${table.table}`] : config.cloudtrail.logs;
    const usesS3 = [...config.cloudtrail.logs, ...config.cloudtrail.digests].some((p) => p.startsWith('s3://'));
    const s3 = usesS3 ? (opts.s3 ?? (await defaultS3Client())) : undefined;
    // Policy / public-access-block changes on the trail's own bucket count as logging tampering.
    const trailBuckets = snapshots.length
      ? entitiesOf(snapshots, 'bucket').map((b) => b.name.value).filter((n): n is string => typeof n === 'string' && !isUnknown(n))
      : undefined;
    const { filters, replayed } = replayFilters(snapshots);
    const engine = config.cloudtrail.engine ?? 'scan';
    progress(engine === 'scan' ? 'scanning CloudTrail logs' : `querying CloudTrail logs with ${engine}`);
    try {
      const now = () => new Date(opts.collectedAt);
      const ct = sqlEngine
        ? await collectFromAthena(config, { trailBuckets, filters, now, clients: opts.aws })
        : await (engine === 'duckdb' ? collectCloudTrailDuckDb : collectCloudTrail)({
            config: config.cloudtrail,
            breakGlass: config.breakGlass,
            period: config.period,
            trailBuckets,
            s3,
            filters,
            now,
            inputRoots: roots,
            maxFileBytes: config.limits.maxFileBytes,
          });
      const ctCoverage = cloudtrailCoverage(asked, show, ct);
      coverage.push(ctCoverage);
      Object.assign(ct.populationRecord.parameters, coverageParameters(ctCoverage));
      if (snapshots.length) {
        replay = { state: 'collected', value: replayed };
        sections.replay = replayed;
      }
      cloudtrail = { state: 'collected', value: ct };
      sections.cloudtrail = { ...ct, sources: undefined, populationRecord: undefined };
      sections.activations = ct.activations;
      populations.push(ct.populationRecord);
      refs['cloudtrail-logs'] = [];
      for (const src of ct.sources) {
        const id = `cloudtrail:${src.path}`;
        // Objects read through Athena are not read here: their hashes are unknown, not empty.
        items.push({ id, kind: 'cloudtrail-logs', source: src.path, ...(src.sha256 && { sha256: src.sha256, size: src.size }), collectedAt: opts.collectedAt });
        refs['cloudtrail-logs'].push(id);
      }
      for (const p of ct.fileProblems) problems.push({ source: 'cloudtrail', level: p.skip || p.drop ? 'error' : 'warning', message: p.reason, location: show(p.path) });
    } catch (e) {
      cloudtrail = { state: 'unavailable', reason: `${engine === 'scan' ? 'scanning' : `querying (${engine})`} CloudTrail logs failed: ${messageOf(e)}` };
      problems.push({ source: 'cloudtrail', level: 'error', message: cloudtrail.reason });
      coverage.push(cloudtrailCoverage(asked, show, undefined, cloudtrail.reason));
    }
    if (config.cloudtrail.digests.length) {
      progress('validating CloudTrail digest files');
      try {
        const r = await validateDigests({
          digests: config.cloudtrail.digests,
          logs: config.cloudtrail.logs,
          publicKeys: config.cloudtrail.publicKeys,
          period: config.period,
          s3,
          inputRoots: roots,
          maxFileBytes: config.limits.maxFileBytes,
        });
        integrity = { state: 'collected', value: r };
        coverage.push(integrityCoverage(config.cloudtrail.digests, show, r));
        sections.integrity = r;
        refs['cloudtrail-digests'] = ['cloudtrail-digests'];
        items.push({ id: 'cloudtrail-digests', kind: 'cloudtrail-digests', source: config.cloudtrail.digests.map((d) => displayPath(config.baseDir, d)).join(', '), sha256: sha256Hex(JSON.stringify(r.digests)), collectedAt: opts.collectedAt });
        for (const p of r.problems) problems.push({ source: 'cloudtrail digests', level: p.level, message: p.message, location: p.location && formatLocation({ ...p.location, ...(p.location.file && { file: show(p.location.file) }) }) });
        for (const d of r.digests) if (d.status === 'unreadable') problems.push({ source: 'cloudtrail digests', level: 'error', message: `digest ${d.reason ?? 'unreadable'}`, location: show(d.path) });
      } catch (e) {
        integrity = { state: 'unavailable', reason: `validating digests failed: ${messageOf(e)}` };
        coverage.push(integrityCoverage(config.cloudtrail.digests, show, undefined, integrity.reason));
        problems.push({ source: 'cloudtrail digests', level: 'error', message: integrity.reason });
      }
    }
  }

  // Nothing calls AWS unless the config says aws.enabled: true (the SDK is not even loaded).
  let live: Collected<AwsLiveEvidence> | undefined;
  if (config.aws?.enabled) {
    progress('reading live AWS state');
    const { collectAwsEvidence } = await import('./aws/index.js');
    const r = await collectAwsEvidence(config, { collectedAt: opts.collectedAt, clients: opts.aws });
    live = r.live;
    items.push(...r.items);
    files.push(...r.files);
    problems.push(...r.problems);
    populations.push(...r.populations);
    refs['aws-live'] = r.refs;
    // Each live area is evidence in its own right (its coverage), all of it kept in evidence/aws/live.json.
    for (const c of r.coverage) refs[c.kind] = r.refs;
    coverage.push(...r.coverage);
    if (r.live.state === 'collected') sections.aws = { accounts: r.live.value.accounts, calls: r.live.value.calls, unavailable: r.live.value.unavailable };
    if (r.lake) sections.lake = r.lake;
  }

  progress('reading process evidence (reviews, drills, secret store, tickets, approvals, risk acceptances)');
  const proc = collectProcess(config, opts.collectedAt, roots);
  coverage.push(...proc.coverage);
  items.push(...proc.items);
  files.push(...proc.files);
  problems.push(...proc.problems);
  populations.push(...proc.populations);
  Object.assign(sections, proc.sections);
  Object.assign(refs, proc.refs);

  return {
    riskAcceptances: proc.riskAcceptances,
    evidence: { period: config.period, breakGlass: config.breakGlass, breakGlassDeclared: config.breakGlassDeclared, runbook, iac, ...(live && { live }), cloudtrail, integrity, replay, ...proc.evidence, coverage, evidenceRefs: refs },
    coverage,
    items,
    populations,
    files,
    problems,
    sections,
  };
}

/** Population record: how a list in the pack was produced, with a hash of its canonical JSON. */
export function population(name: string, sourceSystem: string, selection: string, parameters: Record<string, string>, extractedAt: string, records: unknown[]): PopulationRecord {
  return { population: name, sourceSystem, selection, parameters, extractedAt, recordCount: records.length, sha256: sha256Hex(JSON.stringify(records)) };
}
