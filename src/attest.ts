// Release attestation (`evidence-pack attest`): report.json, the exports and a DSSE-signed in-toto statement naming the git commit.

import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import { assess, type Assessment, type AssessOptions } from './index.js';
import { loadConfig } from './config/load.js';
import { EvidencePackError, messageOf } from './errors.js';
import type { Report } from './model/report.js';
import { toPem } from './pack/asn1.js';
import { IN_TOTO_STATEMENT_TYPE, signDsse, type InTotoStatement } from './pack/dsse.js';
import { loadSigningMaterial, type SigningMaterial, type SigningMaterialSource } from './pack/keys.js';
import { PACK_FILES, buildManifest, cmp, serialiseManifest, sha256Hex } from './pack/manifest.js';
import { signPdf } from './pack/pades.js';
import { TOOL_VERSION } from './paths.js';
import { renderJson } from './render/json.js';
import { renderJunit, JUNIT_FILE } from './render/junit.js';
import { renderOscal, OSCAL_FILE } from './render/oscal.js';
import { writeFolderAtomically } from './render/output.js';
import { renderPdf } from './render/pdf/index.js';

/** Predicate type of the release attestation (docs/ci.md): the audit-pack predicate plus the evaluated git commit. */
export const RELEASE_PREDICATE_TYPE = 'https://evidence-pack.dev/attestation/release/v1';

export type RepositoryState =
  | { state: 'git'; commit: string; dirty: boolean; remote?: string }
  | { state: 'not-a-repository'; reason: string };

export interface ReleasePredicate {
  tool: { name: string; version: string };
  organisation: string;
  control: string;
  period: { label: string; from: string; to: string };
  generatedAt: string;
  maturity: { level: number; name: string };
  checks: Report['summary']['checks'];
  requirements: Report['summary']['requirements'];
  manifestSha256: string;
  repository: RepositoryState;
}

/** A statement subject; the git commit is one with a `gitCommit` digest (in-toto digest set). */
export interface ReleaseSubject {
  name: string;
  digest: { sha256: string } | { gitCommit: string };
}

export interface AttestOptions extends AssessOptions {
  /** Where the signing key comes from; falls back to the config's `signing:`. Required: attest never writes an unsigned attestation. */
  signing?: SigningMaterialSource;
  /** Also render and PAdES-sign report.pdf (slow for large packs). */
  pdf?: boolean;
  /** Also write junit.xml. */
  junit?: boolean;
}

export interface AttestResult extends Assessment {
  outDir: string;
  /** Every file written, sorted. */
  written: string[];
  repository: RepositoryState;
  statement: InTotoStatement<ReleasePredicate>;
  signer: string;
}

export const NO_KEY_HINT =
  'create a trial key with `evidence-pack keygen --out keys/` and pass --sign-key keys/signing-key.pem --sign-cert keys/signing-cert.pem, ' +
  'or --sign-p12 <file> with --sign-passphrase-env <VAR> naming the environment variable that holds its passphrase';

/** Strips credentials from a remote URL (CI clones often embed a token in it): secrets never enter a pack. */
export function publicRemote(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return url.replace(/^[^@/]+@(?=[^:]+:)/, ''); // scp-like "git@host:org/repo" → "host:org/repo"
  }
}

/** The commit of the repository holding `dir` (the config folder), whether its tree is dirty, and its public origin. */
export async function repositoryState(dir: string): Promise<RepositoryState> {
  const git = simpleGit({ baseDir: dir });
  let commit: string;
  try {
    commit = (await git.raw(['rev-parse', '--verify', '-q', 'HEAD'])).trim();
  } catch (e) {
    return { state: 'not-a-repository', reason: `${dir} is not in a git repository with a commit (${messageOf(e).split('\n')[0]})` };
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return { state: 'not-a-repository', reason: `${dir}: the repository has no commit yet` };
  const dirty = !(await git.status(['--porcelain', '--', '.'])).isClean();
  const origin = (await git.getRemotes(true)).find((r) => r.name === 'origin')?.refs.fetch;
  return { state: 'git', commit, dirty, ...(origin ? { remote: publicRemote(origin) } : {}) };
}

/** Refuses to replace a folder that is neither empty nor an earlier pack or attestation. */
function refuseNonPack(outDir: string): void {
  let entries: string[];
  try {
    if (!statSync(outDir).isDirectory()) throw new EvidencePackError('OUTPUT', `${outDir} exists and is not a folder`, { hint: 'choose another --out path' });
    entries = readdirSync(outDir);
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    return;
  }
  if (entries.length && !entries.includes(PACK_FILES.reportJson)) {
    throw new EvidencePackError('OUTPUT', `${outDir} is not empty and holds no report.json: refusing to replace a folder that is not an evidence pack`, {
      hint: 'choose an empty or new --out folder, or an earlier pack to replace',
    });
  }
}

async function signingMaterial(source: SigningMaterialSource | undefined): Promise<SigningMaterial> {
  if (!source || (!source.key && !source.cert && !source.p12)) {
    throw new EvidencePackError('SIGNING', 'attest needs a signing key: it never writes an unsigned attestation', { hint: NO_KEY_HINT });
  }
  return loadSigningMaterial(source);
}

/**
 * Writes report.json, oscal-assessment-results.json (and junit.xml, report.pdf when asked), the evidence
 * files, cert.pem, manifest.json, and attestation.dsse.json whose subjects are every file and the git commit.
 */
export async function attest(configPath: string, outDir: string, opts: AttestOptions = {}): Promise<AttestResult> {
  // Key problems are reported before the (possibly long) collection, and nothing is written without a key.
  const configured = loadConfig(configPath) as { signing?: SigningMaterialSource };
  const signing = await signingMaterial(opts.signing ?? configured.signing);
  const a = await assess(configPath, opts);
  const target = resolve(outDir);
  refuseNonPack(target);
  const repository = await repositoryState(a.config.baseDir);
  a.report.signature = { signed: true, signer: signing.subject };

  opts.onProgress?.('rendering report.json and the exports');
  const files: { path: string; bytes: Buffer }[] = [
    { path: PACK_FILES.reportJson, bytes: Buffer.from(renderJson(a.report)) },
    { path: OSCAL_FILE, bytes: Buffer.from(renderOscal(a.report)) },
    ...(opts.junit ? [{ path: JUNIT_FILE, bytes: Buffer.from(renderJunit(a.report)) }] : []),
    ...a.collected.files.map((f) => ({ path: f.path, bytes: Buffer.from(f.bytes) })),
    { path: PACK_FILES.certificate, bytes: Buffer.from([signing.certificate, ...signing.chain].map((c) => toPem(c, 'CERTIFICATE')).join('')) },
  ];
  const inputs = a.report.evidence.filter((e) => e.sha256).map((e) => ({ name: e.id, sha256: e.sha256! }));
  const manifest = serialiseManifest(buildManifest({ report: a.report, toolVersion: TOOL_VERSION, signed: true, signer: signing.subject, inputs, files }));
  const manifestSha256 = sha256Hex(manifest);
  files.push({ path: PACK_FILES.manifest, bytes: manifest });
  if (opts.pdf) {
    opts.onProgress?.('rendering and signing report.pdf');
    const pdf = await renderPdf(a.report, { manifestSha256, signed: true, sourceDateEpoch: opts.sourceDateEpoch, reportJson: files[0].bytes, signer: signing.subject });
    files.push({ path: PACK_FILES.pdf, bytes: await signPdf(pdf, signing) });
  }

  const subject: ReleaseSubject[] = files.map((f) => ({ name: f.path, digest: { sha256: sha256Hex(f.bytes) } })).sort((x, y) => cmp(x.name, y.name));
  if (repository.state === 'git') subject.push({ name: repository.remote ? `git+${repository.remote}` : 'git:repository', digest: { gitCommit: repository.commit } });
  const statement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject,
    predicateType: RELEASE_PREDICATE_TYPE,
    predicate: {
      tool: { name: 'evidence-pack', version: TOOL_VERSION },
      organisation: a.report.organisation,
      control: a.report.control.id,
      period: { ...a.report.period },
      generatedAt: a.report.generatedAt,
      maturity: { level: a.report.maturity.level, name: a.report.maturity.levelName },
      checks: a.report.summary.checks,
      requirements: a.report.summary.requirements,
      manifestSha256,
      repository,
    },
  } as unknown as InTotoStatement<ReleasePredicate>;
  opts.onProgress?.('signing the attestation and writing');
  files.push({ path: PACK_FILES.attestation, bytes: Buffer.from(JSON.stringify(signDsse(statement, signing)) + '\n') });
  const dir = writeFolderAtomically(target, files);
  return { ...a, outDir: dir, written: files.map((f) => f.path).sort(cmp), repository, statement, signer: signing.subject };
}
