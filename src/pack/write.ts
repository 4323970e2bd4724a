// Atomic, reproducible pack writing: build everything in a temporary sibling folder, fsync, then rename into place.

import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import type { Report } from '../model/report.js';
import { EvidencePackError, messageOf } from '../errors.js';
import { renderPdf } from '../render/pdf/index.js';
import { renderJson } from '../render/json.js';
import { toPem, validityProblem } from './asn1.js';
import { buildStatement, type AttestationOptions } from './attestation.js';
import { signDetachedCms } from './cms.js';
import { signDsse, type InTotoStatement } from './dsse.js';
import type { Signer } from './signer.js';
import type { Timestamp, Timestamper } from './tsa.js';
import { PACK_FILES, RESERVED_PATHS, buildManifest, cmp, serialiseManifest, sha256Hex } from './manifest.js';
import { signPdf } from './pades.js';

export interface PackFile {
  /** Path inside the pack, "/"-separated, relative (e.g. "evidence/iac/main.tf"). */
  path: string;
  /** The bytes as they are to be kept (evidence keeps its original bytes), or a function producing them. */
  bytes: Buffer | (() => Promise<Buffer>);
}

export interface WritePackOptions {
  outDir: string;
  files: PackFile[];
  report: Report;
  signing?: Signer;
  /** RFC 3161 time-stamping of every signature (baseline B-T); only with `signing`. */
  timestamp?: Timestamper;
  /** Seconds since the epoch used for every date inside the pack (PDF dates, attachments). */
  sourceDateEpoch?: number;
  toolVersion: string;
  inputs: { name: string; sha256: string }[];
  /** Render and PAdES-sign report.pdf (default true). Without it the manifest says `"pdf": false`, which verifyPack honours. */
  pdf?: boolean;
  /** Extra subjects and another predicate for the signed attestation (used by `attest`). */
  attestation?: AttestationOptions;
}

export interface WritePackResult {
  dir: string;
  manifestSha256: string;
  signed: boolean;
  /** Every file of the pack, sorted. */
  files: string[];
  /** The signed in-toto statement (signed packs only). */
  statement?: InTotoStatement;
  /** The trusted time of each signature, when time-stamped (B-T). */
  timestamps?: { manifest: Timestamp; pdf?: Timestamp; attestation: Timestamp };
}

/**
 * Writes the pack. Nothing appears at `outDir` until the complete pack is on disk: it is built in
 * `.<name>.tmp-<pid>-<random>` next to `outDir`, fsynced, and renamed. An existing pack at `outDir` is
 * moved aside only in the last step (rename old aside, rename new in, delete old), so the path lacks a
 * valid pack only between two renames; a kill in between leaves the old pack intact at `.<name>.old-…`.
 */
export async function writePack(opts: WritePackOptions): Promise<WritePackResult> {
  const outDir = resolve(opts.outDir);
  const parent = dirname(outDir);
  const name = basename(outDir);
  const files = normaliseFiles(opts.files);
  const withPdf = opts.pdf ?? true;
  checkExtraSubjects(opts.attestation, files);
  if (opts.timestamp && !opts.signing) throw new EvidencePackError('USAGE', 'a timestamp (TSA) needs a signing key: it time-stamps the signatures');
  let tmp: string;
  try {
    await mkdir(parent, { recursive: true });
    await refuseNonPack(outDir);
    await removeStaleTemps(parent, name);
    tmp = await mkdtemp(join(parent, `.${name}.tmp-${process.pid}-`));
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    // Nothing was written: an --out whose folder cannot be created or written is the user's to fix.
    throw new EvidencePackError('OUTPUT', `cannot write the pack to ${outDir}: ${parent} cannot be created or written (${(e as NodeJS.ErrnoException).code ?? messageOf(e)})`, {
      hint: 'choose an --out folder in a place you can write to',
      cause: e,
    });
  }
  try {
    const written: { path: string; bytes: Buffer }[] = [];
    const put = async (path: string, bytes: Buffer) => {
      await writeDurable(join(tmp, ...path.split('/')), bytes);
      written.push({ path, bytes });
    };
    for (const f of files) {
      let bytes: Buffer;
      try {
        bytes = typeof f.bytes === 'function' ? await f.bytes() : f.bytes;
      } catch (e) {
        throw new EvidencePackError('OUTPUT', `cannot produce pack file ${f.path} (${messageOf(e)})`, { cause: e });
      }
      await put(f.path, bytes);
      await testPause('file');
    }
    let reportJson = written.find((w) => w.path === PACK_FILES.reportJson)?.bytes;
    if (!reportJson) {
      reportJson = Buffer.from(renderJson(opts.report));
      await put(PACK_FILES.reportJson, reportJson);
    }
    const signing = opts.signing;
    if (signing) await put(PACK_FILES.certificate, Buffer.from([signing.certificate, ...signing.chain].map((c) => toPem(c, 'CERTIFICATE')).join('')));
    // Each signature's token is kept with the signature it time-stamps; recorded here for the cover and the result.
    const stamps: Partial<Record<'manifest' | 'pdf' | 'attestation', Timestamp>> = {};
    const stampOf = (which: keyof typeof stamps): Timestamper | undefined => {
      const tsa = opts.timestamp;
      if (!tsa || !signing) return undefined;
      return async (signatureValue) => {
        const t = await tsa(signatureValue);
        const invalid = validityProblem(new X509Certificate(signing.certificate), t.time, 'signing certificate');
        if (invalid) throw new EvidencePackError('SIGNING', `${invalid} by the TSA's clock: the pack would prove it was signed with an invalid certificate`, { hint: 'Renew the signing certificate.' });
        return (stamps[which] = t);
      };
    };

    const manifest = serialiseManifest(
      buildManifest({
        report: opts.report,
        toolVersion: opts.toolVersion,
        signed: !!signing,
        signer: signing?.subject,
        signatureLevel: opts.timestamp ? 'B-T' : 'B-B',
        pdf: withPdf,
        inputs: opts.inputs,
        files: written,
      }),
    );
    const manifestSha256 = sha256Hex(manifest);
    await put(PACK_FILES.manifest, manifest);
    if (signing) await put(PACK_FILES.manifestSignature, await signDetachedCms(manifest, signing, stampOf('manifest')));

    if (withPdf) {
      // OSCAL results travel inside the PDF too, so the archival document is complete on its own.
      const attachments = written
        .filter((w) => /(^|\/)[^/]*oscal[^/]*\.json$/i.test(w.path))
        .map((w) => ({ name: posix.basename(w.path), bytes: w.bytes, type: 'application/json', description: `OSCAL document ${w.path} of this pack` }));
      // The cover shows the manifest signature's trusted time: the PDF's own token can only exist after the PDF does.
      const timestamp = stamps.manifest && { time: stamps.manifest.time.toISOString(), tsa: stamps.manifest.tsa };
      let pdf = await renderPdf(opts.report, {
        manifestSha256,
        signed: !!signing,
        sourceDateEpoch: opts.sourceDateEpoch,
        reportJson,
        signer: signing?.subject,
        attachments,
        timestamp,
        // Room for the TSA's token and its certificates beside the signer's chain.
        ...(timestamp ? { signatureLength: 32768 } : {}),
      });
      if (signing) pdf = await signPdf(pdf, signing, stampOf('pdf'));
      await put(PACK_FILES.pdf, pdf);
    }

    let statement: InTotoStatement | undefined;
    if (signing) {
      statement = buildStatement(opts.report, opts.toolVersion, manifestSha256, written, opts.attestation);
      const envelope = await signDsse(statement, signing);
      await put(PACK_FILES.attestation, Buffer.from(JSON.stringify(envelope) + '\n'));
      // DSSE has no place for unsigned attributes: the token over the signature lies beside the envelope.
      const stamp = stampOf('attestation');
      if (stamp) await put(PACK_FILES.attestationTimestamp, (await stamp(Buffer.from(envelope.signatures[0].sig, 'base64'))).token);
    }
    await fsyncTree(tmp);
    await testPause('before-rename');
    await swapIntoPlace(tmp, outDir, parent, name);
    const timestamps = stamps.manifest && stamps.attestation ? { manifest: stamps.manifest, pdf: stamps.pdf, attestation: stamps.attestation } : undefined;
    return { dir: outDir, manifestSha256, signed: !!signing, files: written.map((w) => w.path).sort(cmp), ...(statement ? { statement } : {}), ...(timestamps ? { timestamps } : {}) };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof EvidencePackError) throw e;
    throw new EvidencePackError('OUTPUT', `cannot write the pack to ${outDir} (${messageOf(e)})`, { cause: e });
  }
}

function normaliseFiles(files: PackFile[]): PackFile[] {
  const seen = new Set<string>();
  for (const f of files) {
    const p = f.path;
    const normal = posix.normalize(p);
    if (!p || p !== normal || p.startsWith('/') || p.startsWith('../') || p === '..' || p.includes('\\') || p.endsWith('/') || p.split('/').some((s) => s === '.' || s === '')) {
      throw new EvidencePackError('USAGE', `pack file path "${p}" must be relative, "/"-separated and normalised (e.g. "evidence/iac/main.tf")`);
    }
    if (RESERVED_PATHS.includes(p)) throw new EvidencePackError('USAGE', `pack file path "${p}" is reserved for the pack writer`);
    if (seen.has(p)) throw new EvidencePackError('USAGE', `pack file path "${p}" is given twice`);
    seen.add(p);
  }
  for (const p of seen) {
    for (let d = posix.dirname(p); d !== '.'; d = posix.dirname(d)) {
      if (seen.has(d)) throw new EvidencePackError('USAGE', `pack file path "${d}" is both a file and the folder of "${p}"`);
    }
  }
  return [...files].sort((a, b) => cmp(a.path, b.path));
}

/** Subjects that are not files must not look like files: verifyPack treats every sha256 subject as a file of the pack. */
function checkExtraSubjects(att: AttestationOptions | undefined, files: PackFile[]): void {
  for (const s of att?.subjects ?? []) {
    const algs = Object.keys(s.digest ?? {});
    if (!s.name || algs.length === 0) throw new EvidencePackError('USAGE', `attestation subject "${s.name}" needs a name and a digest`);
    if (algs.includes('sha256')) throw new EvidencePackError('USAGE', `attestation subject "${s.name}" has a sha256 digest: only files of the pack may (pass them as files)`);
    if (files.some((f) => f.path === s.name) || RESERVED_PATHS.includes(s.name)) throw new EvidencePackError('USAGE', `attestation subject "${s.name}" has the name of a pack file`);
  }
}

/** Never replace a folder that is not a pack: `--out .` must not wipe someone's working tree. */
async function refuseNonPack(outDir: string): Promise<void> {
  let entries: string[];
  try {
    const s = await stat(outDir);
    if (!s.isDirectory()) throw new EvidencePackError('OUTPUT', `${outDir} exists and is not a folder`, { hint: 'Choose another --out path.' });
    entries = await readdir(outDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (entries.length > 0 && !entries.includes(PACK_FILES.manifest)) {
    throw new EvidencePackError('OUTPUT', `${outDir} exists, is not empty and holds no manifest.json: refusing to replace a folder that is not an evidence pack`, {
      hint: 'Choose an empty or new --out folder, or an earlier pack to replace.',
    });
  }
}

async function writeDurable(path: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, 'wx', 0o644);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync every folder so the renames below publish entries that are already durable. */
async function fsyncTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) await fsyncTree(join(dir, e.name));
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function swapIntoPlace(tmp: string, outDir: string, parent: string, name: string): Promise<void> {
  try {
    await rename(tmp, outDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    // Node has no renameat2(RENAME_EXCHANGE): move the old pack aside, move the new one in, then delete the old.
    const aside = join(parent, `.${name}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
    await rename(outDir, aside);
    await rename(tmp, outDir);
    await fsyncDir(parent);
    await rm(aside, { recursive: true, force: true });
    return;
  }
  await fsyncDir(parent);
}

/** Temp folders of writers that died (SIGKILL, power loss) are removed; those of live writers are left alone. */
async function removeStaleTemps(parent: string, name: string): Promise<void> {
  const re = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)-`);
  for (const entry of await readdir(parent)) {
    const m = re.exec(entry);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && isAlive(pid)) continue;
    if (m[1] === 'old') continue; // an old pack moved aside is kept for manual recovery
    await rm(join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Test hook: EVIDENCE_PACK_TEST_PAUSE="<stage>:<ms>" sleeps at that stage ("file" after each evidence file,
 * "before-rename" once everything is written) so a test can kill the writer inside the window.
 */
async function testPause(stage: string): Promise<void> {
  const spec = process.env.EVIDENCE_PACK_TEST_PAUSE;
  if (!spec) return;
  const [s, ms] = spec.split(':');
  if (s !== stage) return;
  process.stderr.write(`evidence-pack: paused at ${stage}\n`);
  await new Promise((r) => setTimeout(r, Number(ms) || 0));
}

