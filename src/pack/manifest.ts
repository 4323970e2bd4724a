// The pack's file layout and manifest.json: which file is covered by which signature, and why report.pdf is not listed.

import type { Report } from '../model/report.js';

export const PACK_FILES = {
  pdf: 'report.pdf',
  reportJson: 'report.json',
  manifest: 'manifest.json',
  manifestSignature: 'manifest.json.p7s',
  attestation: 'attestation.dsse.json',
  /** RFC 3161 timestamp token over the attestation's signature (baseline B-T packs only). */
  attestationTimestamp: 'attestation.dsse.json.tst',
  certificate: 'cert.pem',
} as const;

/** Files the pack writer makes itself; callers may not pass files with these paths. */
export const RESERVED_PATHS: readonly string[] = [PACK_FILES.pdf, PACK_FILES.manifest, PACK_FILES.manifestSignature, PACK_FILES.attestation, PACK_FILES.attestationTimestamp, PACK_FILES.certificate];

/**
 * ETSI baseline level of the pack's signatures: B-B (signed; the certificate can only be judged when verifying)
 * or B-T (every signature carries an RFC 3161 signature timestamp proving when it existed).
 */
export type SignatureLevel = 'B-B' | 'B-T';

/**
 * Coverage, stated in every manifest so an auditor need not read our docs to see it:
 * report.pdf shows the manifest's hash on its cover, so the manifest cannot list the PDF (circular);
 * the PDF carries its own PAdES signature, and the DSSE attestation's subjects list every file,
 * report.pdf, manifest.json and manifest.json.p7s included. The attestation is covered by its own signature.
 */
export const NOT_LISTED: { path: string; coveredBy: string }[] = [
  { path: PACK_FILES.pdf, coveredBy: 'its own PAdES signature (ETSI.CAdES.detached) and a subject of attestation.dsse.json; its cover shows this manifest\'s sha256' },
  { path: PACK_FILES.manifest, coveredBy: 'manifest.json.p7s (detached CMS) and a subject of attestation.dsse.json' },
  { path: PACK_FILES.manifestSignature, coveredBy: 'a subject of attestation.dsse.json' },
  { path: PACK_FILES.attestation, coveredBy: 'its own DSSE signature over the in-toto statement' },
  { path: PACK_FILES.attestationTimestamp, coveredBy: "its own RFC 3161 signature (the TSA's); its imprint is the SHA-256 of the attestation's signature" },
];

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  manifestVersion: 1;
  tool: { name: string; version: string };
  organisation: string;
  control: string;
  period: { label: string; from: string; to: string };
  generatedAt: string;
  signed: boolean;
  signer?: string;
  /** Signed packs: B-B, or B-T when every signature carries a trusted timestamp (verify then requires them). */
  signatureLevel?: SignatureLevel;
  /** Present (false) only when the pack has no report.pdf by design (`attest` without --pdf); absent means the pack has one. */
  pdf?: false;
  /** Digests of the inputs the pack was built from (config, IaC roots, log selections …). */
  inputs: { name: string; sha256: string }[];
  /** Every file of the pack except those in `notListed`, sorted by path. */
  files: ManifestFile[];
  notListed: { path: string; coveredBy: string }[];
}

export { sha256Hex } from '../hash.js';
import { sha256Hex } from '../hash.js';

export function buildManifest(args: {
  report: Report;
  toolVersion: string;
  signed: boolean;
  signer?: string;
  /** Signed packs: B-T when a TSA time-stamps the signatures (default B-B). */
  signatureLevel?: SignatureLevel;
  /** Whether the pack has a report.pdf (default true). */
  pdf?: boolean;
  inputs: { name: string; sha256: string }[];
  files: { path: string; bytes: Buffer }[];
}): Manifest {
  const pdf = args.pdf ?? true;
  return {
    manifestVersion: 1,
    tool: { name: 'evidence-pack', version: args.toolVersion },
    organisation: args.report.organisation,
    control: args.report.control.id,
    period: { label: args.report.period.label, from: args.report.period.from, to: args.report.period.to },
    generatedAt: args.report.generatedAt,
    signed: args.signed,
    ...(args.signer ? { signer: args.signer } : {}),
    ...(args.signed ? { signatureLevel: args.signatureLevel ?? 'B-B' } : {}),
    ...(pdf ? {} : { pdf: false as const }),
    inputs: [...args.inputs].sort((a, b) => cmp(a.name, b.name)).map((i) => ({ name: i.name, sha256: i.sha256 })),
    files: args.files
      .map((f) => ({ path: f.path, size: f.bytes.length, sha256: sha256Hex(f.bytes) }))
      .sort((a, b) => cmp(a.path, b.path)),
    notListed: NOT_LISTED.filter((n) =>
      n.path === PACK_FILES.pdf ? pdf : n.path === PACK_FILES.attestationTimestamp ? args.signed && args.signatureLevel === 'B-T' : args.signed,
    ),
  };
}

export function serialiseManifest(m: Manifest): Buffer {
  return Buffer.from(JSON.stringify(m, null, 2) + '\n', 'utf8');
}

/** Byte-wise ordering, independent of locale, so listings are identical on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
