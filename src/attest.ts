// Release attestation (`evidence-pack attest`): report.json, the exports and a DSSE-signed in-toto statement naming the git commit.

import { dubiousOwnership } from './collect/git.js';
import { simpleGit } from 'simple-git';
import { assess, inputDigests, packSigning, type Assessment, type AssessOptions, type SigningOptions } from './index.js';
import { loadConfig } from './config/load.js';
import { EvidencePackError, messageOf } from './errors.js';
import type { AuditPackPredicate } from './pack/attestation.js';
import { RELEASE_PREDICATE_TYPE, type InTotoStatement, type ResourceDescriptor } from './pack/dsse.js';
import { PACK_FILES } from './pack/manifest.js';
import { writePack } from './pack/write.js';
import { TOOL_VERSION } from './paths.js';
import { publicUrl } from './public-url.js';
import { renderJson } from './render/json.js';
import { renderJunit, JUNIT_FILE } from './render/junit.js';
import { renderOscal, OSCAL_FILE } from './render/oscal.js';
import { frameworkExports } from './render/framework-exports.js';

export { RELEASE_PREDICATE_TYPE };

export type RepositoryState =
  | { state: 'git'; commit: string; dirty: boolean; remote?: string }
  | { state: 'not-a-repository'; reason: string };

/** Predicate of RELEASE_PREDICATE_TYPE (docs/ci.md): the audit-pack predicate plus the evaluated git commit. */
export interface ReleasePredicate extends AuditPackPredicate {
  repository: RepositoryState;
}

/** A statement subject; the git commit is one with a `gitCommit` digest (in-toto digest set). */
export type ReleaseSubject = ResourceDescriptor;

/** `signing` (the key; falls back to the config's `signing:`) is required: attest never writes an unsigned attestation. */
export interface AttestOptions extends AssessOptions, SigningOptions {
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
  /** The TSA's time on the manifest signature (with a TSA). */
  signingTime?: string;
}

export const NO_KEY_HINT =
  'create a trial key with `evidence-pack keygen --out keys/` and pass --sign-key keys/signing-key.pem --sign-cert keys/signing-cert.pem, ' +
  'or --sign-p12 <file> with --sign-passphrase-env <VAR> naming the environment variable that holds its passphrase, ' +
  'or --sign-kms-key <key id or ARN> with --sign-cert <certificate of the KMS key> to sign through AWS KMS';

/** The commit of the repository holding `dir` (the config folder), whether its tree is dirty, and its public origin. */
export async function repositoryState(dir: string): Promise<RepositoryState> {
  const git = simpleGit({ baseDir: dir });
  let commit: string;
  try {
    commit = (await git.raw(['rev-parse', '--verify', '-q', 'HEAD'])).trim();
  } catch (e) {
    const refused = dubiousOwnership(e, 'the repository');
    if (refused) return { state: 'not-a-repository', reason: `${refused.message}; ${refused.hint}` };
    return { state: 'not-a-repository', reason: `${dir} is not in a git repository with a commit (${messageOf(e).split('\n')[0]})` };
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return { state: 'not-a-repository', reason: `${dir}: the repository has no commit yet` };
  const dirty = !(await git.status(['--porcelain', '--', '.'])).isClean();
  const origin = (await git.getRemotes(true)).find((r) => r.name === 'origin')?.refs.fetch;
  return { state: 'git', commit, dirty, ...(origin ? { remote: publicUrl(origin) } : {}) };
}

/**
 * Writes a signed pack through writePack: report.json, oscal-assessment-results.json (and junit.xml, report.pdf
 * when asked), the evidence files, cert.pem, manifest.json(.p7s), and attestation.dsse.json whose subjects are
 * every file and the git commit, under the release predicate.
 */
export async function attest(configPath: string, outDir: string, opts: AttestOptions = {}): Promise<AttestResult> {
  // Key problems are reported before the (possibly long) collection, and nothing is written without a key.
  const { signer: signing, timestamp } = await packSigning(loadConfig(configPath), opts);
  if (!signing) throw new EvidencePackError('SIGNING', 'attest needs a signing key: it never writes an unsigned attestation', { hint: NO_KEY_HINT });
  const a = await assess(configPath, opts);
  const repository = await repositoryState(a.config.baseDir);
  a.report.signature = { signed: true, signer: signing.subject };

  opts.onProgress?.('rendering report.json and the exports');
  const files = [
    { path: PACK_FILES.reportJson, bytes: Buffer.from(renderJson(a.report)) },
    { path: OSCAL_FILE, bytes: Buffer.from(renderOscal(a.report)) },
    ...frameworkExports(a.report),
    ...(opts.junit ? [{ path: JUNIT_FILE, bytes: Buffer.from(renderJunit(a.report)) }] : []),
    ...a.collected.files.map((f) => ({ path: f.path, bytes: Buffer.from(f.bytes) })),
  ];
  const inputs = inputDigests(a);
  const commit: ResourceDescriptor[] =
    repository.state === 'git' ? [{ name: repository.remote ? `git+${repository.remote}` : 'git:repository', digest: { gitCommit: repository.commit } }] : [];
  opts.onProgress?.(opts.pdf ? 'rendering and signing report.pdf, signing the attestation and writing' : 'signing the attestation and writing');
  const pack = await writePack({
    outDir,
    files,
    report: a.report,
    signing,
    timestamp,
    sourceDateEpoch: opts.sourceDateEpoch,
    toolVersion: TOOL_VERSION,
    inputs,
    pdf: !!opts.pdf,
    attestation: { subjects: commit, predicateType: RELEASE_PREDICATE_TYPE, predicate: (base): ReleasePredicate => ({ ...base, repository }) },
  });
  const statement = pack.statement as InTotoStatement<ReleasePredicate>;
  return { ...a, outDir: pack.dir, written: pack.files, repository, statement, signer: signing.subject, signingTime: pack.timestamps?.manifest.time.toISOString() };
}
