// verifyPack: recompute every hash and check the manifest CMS, the PDF's PAdES and the DSSE attestation against a trust anchor.

import { X509Certificate } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { EvidencePackError, messageOf } from '../errors.js';
import { pemBlocks } from './asn1.js';
import { verifyDetachedCms } from './cms.js';
import { AUDIT_PACK_PREDICATE_TYPE, RELEASE_PREDICATE_TYPE, verifyDsse, type InTotoStatement, type ResourceDescriptor } from './dsse.js';
import { PACK_FILES, cmp, sha256Hex, type Manifest } from './manifest.js';
import { verifyPdfSignature } from './pades.js';
import { subjectOf } from './keys.js';

export type FileStatus = 'ok' | 'modified' | 'missing' | 'unexpected';

export interface FileVerdict {
  path: string;
  status: FileStatus;
  /** What found the problem ("manifest sha256 differs", "PAdES: …"); empty when ok. */
  problems: string[];
}

export interface SignatureVerdict {
  ok: boolean;
  problems: string[];
  /** Set when there is nothing to verify by design (report.pdf of a pack whose manifest says none was made). */
  notMade?: string;
}

/** The predicate types verifyPack accepts: packs of `run` and release attestations of `attest`. */
export const PACK_PREDICATE_TYPES: readonly string[] = [AUDIT_PACK_PREDICATE_TYPE, RELEASE_PREDICATE_TYPE];

export interface VerifyResult {
  /** True only when the pack is signed, every file is ok, every signature verifies and the certificate is trusted. */
  ok: boolean;
  dir: string;
  signed: boolean;
  /** "anchored": the signer chains to --trust; "self-asserted": checked only against the certificate inside the pack. */
  trust: 'anchored' | 'self-asserted' | 'untrusted' | 'none';
  signer?: string;
  manifestSha256?: string;
  files: FileVerdict[];
  signatures: { manifest: SignatureVerdict; pdf: SignatureVerdict; attestation: SignatureVerdict };
  /** predicateType of the attestation, once its DSSE signature verifies. */
  predicateType?: string;
  /**
   * Subjects of the verified attestation that are not files (the git commit of a release attestation):
   * signed claims, not checked against anything on disk.
   */
  claims: ResourceDescriptor[];
  certificate: SignatureVerdict;
  /** Pack-level problems (unsigned, unreadable manifest …). */
  problems: string[];
}

export interface VerifyOptions {
  /** Path of a PEM file with the certificate(s) to anchor trust in; default: the pack's own cert.pem. */
  trust?: string;
  /** Time the certificate must be valid at (default: now). */
  at?: Date;
}

const SIGNATURE_FILES = [PACK_FILES.pdf, PACK_FILES.manifest, PACK_FILES.manifestSignature, PACK_FILES.attestation];

export async function verifyPack(dir: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const root = resolve(dir);
  try {
    const s = await lstat(root);
    if (!s.isDirectory()) throw new EvidencePackError('USAGE', `${dir} is not a folder`, { hint: 'Pass the pack folder written by `evidence-pack run`.' });
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    throw new EvidencePackError('INPUT_NOT_FOUND', `${dir}: no such pack folder`);
  }
  let anchors: Buffer[] | undefined;
  if (opts.trust) {
    let pem: string;
    try {
      pem = await readFile(opts.trust, 'utf8');
    } catch (e) {
      throw new EvidencePackError('INPUT_NOT_FOUND', `${opts.trust}: cannot read the trust anchor (${(e as NodeJS.ErrnoException).code ?? messageOf(e)})`);
    }
    anchors = pemBlocks(pem, 'CERTIFICATE');
    if (anchors.length === 0) throw new EvidencePackError('INPUT_INVALID', `${opts.trust}: no PEM certificate found`, { hint: 'Expected "-----BEGIN CERTIFICATE-----".' });
  }

  const onDisk = new Map<string, Buffer>();
  const problemsByFile = new Map<string, string[]>();
  const note = (path: string, problem: string) => problemsByFile.set(path, [...(problemsByFile.get(path) ?? []), problem]);
  const unexpectedKinds = new Set<string>();
  try {
    await walk(root, '', onDisk, (p, why) => {
      unexpectedKinds.add(p);
      note(p, why);
    });
  } catch (e) {
    // A pack this user cannot read is not a tampered pack: nothing could be checked, and it is theirs to fix.
    const err = e as NodeJS.ErrnoException;
    throw new EvidencePackError('INPUT_INVALID', `${dir}: cannot read the pack (${err.code ?? messageOf(e)}${err.path ? ` on ${relative(root, err.path) || '.'}` : ''}); nothing was verified`, {
      hint: 'run verify as a user who can read every file of the pack',
      cause: e,
    });
  }

  const res: VerifyResult = {
    ok: false,
    dir: root,
    signed: false,
    trust: 'none',
    files: [],
    signatures: { manifest: none('not checked'), pdf: none('not checked'), attestation: none('not checked') },
    certificate: none('not checked'),
    claims: [],
    problems: [],
  };

  // 1. The manifest and the hashes it lists.
  const manifestBytes = onDisk.get(PACK_FILES.manifest);
  let manifest: Manifest | undefined;
  const expected = new Set<string>();
  if (!manifestBytes) {
    res.problems.push('manifest.json is missing: the pack cannot be checked file by file');
  } else {
    res.manifestSha256 = sha256Hex(manifestBytes);
    try {
      manifest = parseManifest(manifestBytes);
    } catch (e) {
      note(PACK_FILES.manifest, `not a valid manifest (${messageOf(e)})`);
    }
  }
  if (manifest) {
    for (const f of manifest.files) {
      expected.add(f.path);
      const bytes = onDisk.get(f.path);
      if (!bytes) continue;
      if (bytes.length !== f.size || sha256Hex(bytes) !== f.sha256) note(f.path, `content differs from manifest.json (sha256 ${sha256Hex(bytes).slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…)`);
    }
  }
  // A signed manifest may say no PDF was made (attest without --pdf); an unreadable one cannot excuse a missing PDF.
  const pdfMade = manifest?.pdf !== false;
  const sigFilesPresent = [PACK_FILES.manifestSignature, PACK_FILES.attestation, PACK_FILES.certificate].filter((p) => onDisk.has(p));
  res.signed = manifest?.signed === true || sigFilesPresent.length > 0;
  if (!res.signed) res.problems.push('the pack is UNSIGNED: nothing proves its files are unchanged');

  // 2. The signer certificate as the pack presents it, and the trust anchor.
  let signerCert: Buffer | undefined;
  const packCerts = onDisk.has(PACK_FILES.certificate) ? pemBlocks(onDisk.get(PACK_FILES.certificate)!.toString('latin1'), 'CERTIFICATE') : [];
  if (res.signed) {
    for (const p of [PACK_FILES.manifestSignature, PACK_FILES.attestation, PACK_FILES.certificate]) expected.add(p);
    if (pdfMade) expected.add(PACK_FILES.pdf);
    expected.add(PACK_FILES.manifest);
    // cert.pem is listed in the manifest (and so checked above); its first certificate is the claimed signer.
    signerCert = packCerts[0];
    if (!signerCert && onDisk.has(PACK_FILES.certificate)) note(PACK_FILES.certificate, 'holds no PEM certificate');

    // 3. manifest.json.p7s over manifest.json.
    const p7s = onDisk.get(PACK_FILES.manifestSignature);
    if (p7s && manifestBytes) {
      const v = verifyDetachedCms(manifestBytes, p7s);
      res.signatures.manifest = { ok: v.ok, problems: v.problems };
      if (!v.ok) for (const p of v.problems) note(/digest mismatch/.test(p) ? PACK_FILES.manifest : PACK_FILES.manifestSignature, `CMS: ${p}`);
      if (v.signerCertificate && signerCert && !v.signerCertificate.equals(signerCert)) note(PACK_FILES.manifestSignature, 'CMS signer is not the certificate in cert.pem');
      signerCert ??= v.signerCertificate;
    } else {
      res.signatures.manifest = none(p7s ? 'manifest.json missing' : 'manifest.json.p7s missing');
    }

    // 4. PAdES in report.pdf.
    const pdf = onDisk.get(PACK_FILES.pdf);
    if (!pdfMade) {
      res.signatures.pdf = { ok: true, problems: [], notMade: 'manifest.json says this pack has no report.pdf' };
      if (pdf) note(PACK_FILES.pdf, 'manifest.json says no PDF was made');
    } else if (pdf) {
      const v = verifyPdfSignature(pdf);
      res.signatures.pdf = { ok: v.ok, problems: v.problems };
      if (!v.ok) for (const p of v.problems) note(PACK_FILES.pdf, `PAdES: ${p}`);
      if (v.signerCertificate && signerCert && !v.signerCertificate.equals(signerCert)) note(PACK_FILES.pdf, 'PAdES signer is not the certificate in cert.pem');
    } else {
      res.signatures.pdf = none('report.pdf missing');
    }

    // 5. The DSSE attestation: its signature, and its subjects against the files.
    const att = onDisk.get(PACK_FILES.attestation);
    if (att && signerCert) {
      let envelope: unknown;
      try {
        const text = att.toString('utf8');
        envelope = JSON.parse(text);
        if (JSON.stringify(envelope) + '\n' !== text) note(PACK_FILES.attestation, 'not in the canonical form the pack writer produces (bytes were edited)');
      } catch (e) {
        note(PACK_FILES.attestation, `not JSON (${messageOf(e)})`);
      }
      if (envelope !== undefined) {
        const v = verifyDsse(envelope, { certificate: signerCert });
        res.signatures.attestation = { ok: v.ok, problems: v.problems };
        if (!v.ok) for (const p of v.problems) note(PACK_FILES.attestation, `DSSE: ${p}`);
        if (v.ok) {
          const st = v.statement as InTotoStatement;
          res.predicateType = st.predicateType;
          res.claims = checkSubjects(st, onDisk, expected, note, res.manifestSha256, pdfMade);
        }
      }
    } else {
      res.signatures.attestation = none(att ? 'no signer certificate to check it with' : 'attestation.dsse.json missing');
    }

    // 6. The certificate: anchored by --trust, or self-asserted by cert.pem.
    if (signerCert) {
      res.signer = subjectOf(signerCert);
      res.certificate = checkCertificate(signerCert, [...packCerts.slice(1)], anchors, opts.at ?? new Date());
      res.trust = !res.certificate.ok ? 'untrusted' : anchors ? 'anchored' : 'self-asserted';
    } else {
      res.certificate = none('no signer certificate in the pack');
      res.trust = 'untrusted';
    }
  }

  // 7. Per-file verdicts.
  const all = new Set([...onDisk.keys(), ...expected, ...unexpectedKinds]);
  for (const path of [...all].sort(cmp)) {
    const problems = problemsByFile.get(path) ?? [];
    let status: FileStatus;
    if (!onDisk.has(path) && !unexpectedKinds.has(path)) {
      status = 'missing';
      problems.unshift(manifest?.files.some((f) => f.path === path) ? 'listed in manifest.json but absent' : 'required for a signed pack but absent');
    } else if (unexpectedKinds.has(path) || (!expected.has(path) && !isImplicit(path, res.signed))) {
      status = 'unexpected';
      if (!unexpectedKinds.has(path)) problems.unshift('not listed in manifest.json or the attestation');
    } else {
      status = problems.length ? 'modified' : 'ok';
    }
    res.files.push({ path, status, problems });
  }
  // Any problem anywhere fails the pack; signature problems are already attached to files above.
  const sigsOk = res.signed && res.signatures.manifest.ok && res.signatures.pdf.ok && res.signatures.attestation.ok && res.certificate.ok;
  res.ok = res.problems.length === 0 && sigsOk && res.files.every((f) => f.status === 'ok');
  return res;
}

function none(why: string): SignatureVerdict {
  return { ok: false, problems: [why] };
}

/** Files a pack has without being listed: the manifest itself and, for unsigned packs, the PDF. */
function isImplicit(path: string, signed: boolean): boolean {
  return path === PACK_FILES.manifest || (!signed && path === PACK_FILES.pdf);
}

async function walk(root: string, rel: string, out: Map<string, Buffer>, unexpected: (p: string, why: string) => void): Promise<void> {
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(root, p, out, unexpected);
    else if (e.isFile()) out.set(p, await readFile(join(root, p)));
    else unexpected(p, e.isSymbolicLink() ? 'a symbolic link (packs hold regular files only)' : 'not a regular file');
  }
}

function parseManifest(bytes: Buffer): Manifest {
  const m = JSON.parse(bytes.toString('utf8')) as Manifest;
  if (m?.manifestVersion !== 1) throw new Error('manifestVersion is not 1');
  if (!Array.isArray(m.files)) throw new Error('"files" is not a list');
  m.files.forEach((f, i) => {
    if (typeof f?.path !== 'string' || typeof f.size !== 'number' || typeof f.sha256 !== 'string') throw new Error(`files[${i}] needs path, size and sha256`);
  });
  return m;
}

/** Checks the file subjects against the files; returns the subjects that are not files (no sha256 digest). */
function checkSubjects(
  st: InTotoStatement,
  onDisk: Map<string, Buffer>,
  expected: Set<string>,
  note: (p: string, why: string) => void,
  manifestSha256: string | undefined,
  pdfMade: boolean,
): ResourceDescriptor[] {
  if (!PACK_PREDICATE_TYPES.includes(st.predicateType)) note(PACK_FILES.attestation, `predicateType ${st.predicateType} is not one of ${PACK_PREDICATE_TYPES.join(', ')}`);
  const pred = st.predicate as { manifestSha256?: string } | undefined;
  if (manifestSha256 && pred?.manifestSha256 !== manifestSha256) note(PACK_FILES.manifest, 'the attestation was made for another manifest.json');
  const subjects = new Set<string>();
  const claims: ResourceDescriptor[] = [];
  for (const s of Array.isArray(st.subject) ? st.subject : []) {
    const digest = s?.digest && typeof s.digest === 'object' ? s.digest : {};
    if (typeof s?.name !== 'string' || Object.keys(digest).length === 0) {
      note(PACK_FILES.attestation, `a subject without a name or digest (${JSON.stringify(s)})`);
      continue;
    }
    if (typeof digest.sha256 !== 'string') {
      if (onDisk.has(s.name)) note(s.name, 'a subject of the attestation without a sha256 digest');
      claims.push({ name: s.name, digest: { ...digest } });
      continue;
    }
    subjects.add(s.name);
    expected.add(s.name);
    const bytes = onDisk.get(s.name);
    if (bytes && sha256Hex(bytes) !== s.digest?.sha256) note(s.name, 'content differs from its attestation subject digest');
  }
  for (const p of expected) {
    if (p !== PACK_FILES.attestation && !subjects.has(p) && onDisk.has(p)) note(p, 'not a subject of the attestation');
  }
  for (const p of SIGNATURE_FILES) if (p !== PACK_FILES.attestation && (pdfMade || p !== PACK_FILES.pdf) && !subjects.has(p)) note(PACK_FILES.attestation, `does not cover ${p}`);
  return claims;
}

/**
 * Chains the signer to an anchor (or to itself when none is given) and checks validity at verification time:
 * a baseline-B signature has no trusted timestamp, so the only time it can be judged at is now.
 */
function checkCertificate(signer: Buffer, intermediates: Buffer[], anchors: Buffer[] | undefined, when: Date): SignatureVerdict {
  const problems: string[] = [];
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(signer);
  } catch (e) {
    return { ok: false, problems: [`signer certificate unreadable (${messageOf(e)})`] };
  }
  if (!Number.isNaN(when.getTime()) && (when < new Date(leaf.validFrom) || when > new Date(leaf.validTo))) {
    problems.push(`signer certificate not valid at ${when.toISOString()} (valid ${leaf.validFrom} to ${leaf.validTo})`);
  }
  const anchorCerts = (anchors ?? [signer]).map((d) => new X509Certificate(d));
  const pool = intermediates.map((d) => new X509Certificate(d));
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (anchorCerts.some((a) => a.raw.equals(current.raw))) return { ok: problems.length === 0, problems };
    const anchorIssuer = anchorCerts.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
    if (anchorIssuer) return { ok: problems.length === 0, problems };
    const next = pool.find((c) => current.checkIssued(c) && current.verify(c.publicKey) && !c.raw.equals(current.raw));
    if (!next) break;
    current = next;
  }
  problems.push(anchors ? 'the signer certificate does not chain to the trusted certificate (--trust)' : 'the signer certificate is not the one in cert.pem');
  return { ok: false, problems };
}
