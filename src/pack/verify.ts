// verifyPack: recompute every hash and check the manifest CMS, the PDF's PAdES and the DSSE attestation against a trust anchor.

import { X509Certificate } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { EvidencePackError, messageOf } from '../errors.js';
import { chainsTo, pemBlocks, subjectOf, validityProblem } from './asn1.js';
import { verifyDetachedCms } from './cms.js';
import { AUDIT_PACK_PREDICATE_TYPE, RELEASE_PREDICATE_TYPE, verifyDsse, type InTotoStatement, type ResourceDescriptor } from './dsse.js';
import { PACK_FILES, cmp, sha256Hex, type Manifest, type SignatureLevel } from './manifest.js';
import { readCertificateChain } from './signer.js';
import { verifyTimestampToken } from './tsa.js';
import { verifyPdfSignature } from './pades.js';

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
  /** Signed packs: the baseline level manifest.json declares (B-B when it declares none). */
  level?: SignatureLevel;
  /** The RFC 3161 token of each signature, when there is one (B-T packs must have all). */
  timestamps: { manifest?: TimestampVerdict; pdf?: TimestampVerdict; attestation?: TimestampVerdict };
  /** When every signature existed at the latest, by TSAs anchored with --tsa-trust (ISO 8601); absent otherwise. */
  signingTime?: string;
  /** Pack-level problems (unsigned, unreadable manifest …). */
  problems: string[];
}

export interface TimestampVerdict extends SignatureVerdict {
  /** genTime of the token (ISO 8601). */
  time?: string;
  /** Subject of the TSA certificate. */
  tsa?: string;
  /** The TSA chains to --tsa-trust; false when no --tsa-trust was given (the time is then only asserted). */
  anchored: boolean;
}

export interface VerifyOptions {
  /** Path of a PEM file with the certificate(s) to anchor trust in; default: the pack's own cert.pem. */
  trust?: string;
  /** PEM file with the certificate(s) anchoring the time-stamping authorities; without it timestamps are checked but not trusted. */
  tsaTrust?: string;
  /** "Now": the time a certificate must be valid at when no trusted timestamp says when the pack was signed. */
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
  const anchors = opts.trust ? await readCertificateChain(opts.trust, 'trust anchor') : undefined;
  const tsaAnchors = opts.tsaTrust ? await readCertificateChain(opts.tsaTrust, 'TSA trust anchor') : undefined;

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
    timestamps: {},
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
  else {
    res.level = manifest?.signatureLevel ?? 'B-B';
    if (res.level !== 'B-B' && res.level !== 'B-T') note(PACK_FILES.manifest, `signatureLevel ${JSON.stringify(res.level)} is not B-B or B-T`);
  }
  // Each signature's RFC 3161 token: required in a B-T pack, checked whenever present.
  const stamp = (which: keyof VerifyResult['timestamps'], file: string, tokens: Buffer[], signatureValue: Buffer | undefined) => {
    if (tokens.length === 0 && res.level !== 'B-T') return;
    const v = checkTimestamp(tokens, signatureValue, tsaAnchors);
    res.timestamps[which] = v;
    for (const p of v.problems) note(file, `timestamp: ${p}`);
  };

  // 2. The signer certificate as the pack presents it, and the trust anchor.
  let signerCert: Buffer | undefined;
  const packCerts = onDisk.has(PACK_FILES.certificate) ? pemBlocks(onDisk.get(PACK_FILES.certificate)!.toString('latin1'), 'CERTIFICATE') : [];
  if (res.signed) {
    for (const p of [PACK_FILES.manifestSignature, PACK_FILES.attestation, PACK_FILES.certificate]) expected.add(p);
    if (res.level === 'B-T') expected.add(PACK_FILES.attestationTimestamp);
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
      stamp('manifest', PACK_FILES.manifestSignature, v.timestampTokens, v.signatureValue);
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
      if (v.coversWholeDocument) stamp('pdf', PACK_FILES.pdf, v.timestampTokens, v.signatureValue);
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
        const tst = onDisk.get(PACK_FILES.attestationTimestamp);
        const sig = (envelope as { signatures?: { sig?: unknown }[] })?.signatures?.[0]?.sig;
        stamp('attestation', PACK_FILES.attestationTimestamp, tst ? [tst] : [], typeof sig === 'string' ? Buffer.from(sig, 'base64') : undefined);
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
      // With anchored timestamps the certificate must have been valid when each signature was made (it may have
      // expired since); otherwise nothing says when the pack was signed, so it must be valid now.
      const stamps = [res.timestamps.manifest, res.timestamps.pdf, res.timestamps.attestation].filter((t): t is TimestampVerdict => t !== undefined);
      const trusted = res.level === 'B-T' && stamps.length > 0 && stamps.every((t) => t.ok && t.anchored && t.time);
      const times = trusted ? stamps.map((t) => new Date(t.time!)) : [opts.at ?? new Date()];
      if (trusted) res.signingTime = new Date(Math.max(...times.map((t) => t.getTime()))).toISOString();
      res.certificate = checkCertificate(signerCert, [...packCerts.slice(1)], anchors, times);
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
  const stampsOk = Object.values(res.timestamps).every((t) => t.ok);
  const sigsOk = res.signed && res.signatures.manifest.ok && res.signatures.pdf.ok && res.signatures.attestation.ok && res.certificate.ok && stampsOk;
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
    if (p !== PACK_FILES.attestation && p !== PACK_FILES.attestationTimestamp && !subjects.has(p) && onDisk.has(p)) note(p, 'not a subject of the attestation');
  }
  for (const p of SIGNATURE_FILES) if (p !== PACK_FILES.attestation && (pdfMade || p !== PACK_FILES.pdf) && !subjects.has(p)) note(PACK_FILES.attestation, `does not cover ${p}`);
  return claims;
}

/**
 * The verdict on one signature's timestamp tokens: exactly one, over this signature value, from a TSA whose
 * certificate is fit and valid at genTime; anchored when it chains to `anchors` (--tsa-trust), which then must.
 */
function checkTimestamp(tokens: Buffer[], signatureValue: Buffer | undefined, anchors: Buffer[] | undefined): TimestampVerdict {
  if (tokens.length === 0) return { ok: false, anchored: false, problems: ['missing: manifest.json says the pack is B-T (time-stamped)'] };
  if (tokens.length > 1) return { ok: false, anchored: false, problems: [`${tokens.length} timestamp tokens; a pack signature has one`] };
  if (!signatureValue) return { ok: false, anchored: false, problems: ['the signature it time-stamps cannot be read'] };
  const c = verifyTimestampToken(tokens[0], signatureValue, { anchors });
  const problems = [...c.problems];
  if (anchors && !c.anchored) problems.push('the TSA certificate does not chain to the trusted TSA certificate (--tsa-trust)');
  return { ok: problems.length === 0, problems, time: c.time?.toISOString(), tsa: c.tsa, anchored: c.anchored };
}

/**
 * Chains the signer to an anchor (or to itself when none is given) and checks its validity at each of `times`:
 * the trusted signing times of a B-T pack, or "now" when nothing trusted says when the pack was signed.
 */
function checkCertificate(signer: Buffer, intermediates: Buffer[], anchors: Buffer[] | undefined, times: Date[]): SignatureVerdict {
  const problems: string[] = [];
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(signer);
  } catch (e) {
    return { ok: false, problems: [`signer certificate unreadable (${messageOf(e)})`] };
  }
  for (const when of times) {
    const expired = validityProblem(leaf, when, 'signer certificate');
    if (expired && !problems.includes(expired)) problems.push(expired);
  }
  if (chainsTo(leaf, intermediates, anchors ?? [signer])) return { ok: problems.length === 0, problems };
  problems.push(anchors ? 'the signer certificate does not chain to the trusted certificate (--trust)' : 'the signer certificate is not the one in cert.pem');
  return { ok: false, problems };
}
