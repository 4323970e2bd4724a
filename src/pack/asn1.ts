// Small ASN.1 / X.509 helpers shared by key generation, CMS signing and verification (pkijs + asn1js).

import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { EvidencePackError } from '../errors.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
} as const;

export function toArrayBuffer(buf: Uint8Array): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Parses DER into a pkijs object; throws a typed error naming `what` when the bytes are not valid DER. */
export function parseDer(der: Uint8Array, what: string): asn1js.AsnType {
  const asn1 = asn1js.fromBER(toArrayBuffer(der));
  if (asn1.offset === -1) {
    throw new EvidencePackError('PACK_INVALID', `${what}: not valid DER (${asn1.result.error || 'parse error'})`);
  }
  return asn1.result;
}

export function certificateFromDer(der: Uint8Array, what: string): pkijs.Certificate {
  try {
    return new pkijs.Certificate({ schema: parseDer(der, what) });
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    throw new EvidencePackError('PACK_INVALID', `${what}: not an X.509 certificate (${(e as Error).message})`);
  }
}

/** All PEM blocks of the given label, as DER buffers, in file order. */
export function pemBlocks(pem: string, label: string): Buffer[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** The certificate's subject on one line ("CN=…, O=…"); a placeholder when the bytes are not a certificate. */
export function subjectOf(certDer: Buffer): string {
  try {
    return new X509Certificate(certDer).subject.replace(/\n/g, ', ');
  } catch {
    return '(unreadable certificate)';
  }
}

/**
 * Whether `leaf` chains to one of `anchors` through `pool` (each link: issuer name matches and the issuer's key
 * verifies the signature). A leaf that is itself an anchor chains trivially.
 */
export function chainsTo(leaf: X509Certificate, pool: Buffer[], anchors: Buffer[]): boolean {
  const anchorCerts = anchors.map((d) => new X509Certificate(d));
  const poolCerts = pool.map((d) => new X509Certificate(d));
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (anchorCerts.some((a) => a.raw.equals(current.raw))) return true;
    if (anchorCerts.some((a) => current.checkIssued(a) && current.verify(a.publicKey))) return true;
    const next = poolCerts.find((c) => current.checkIssued(c) && current.verify(c.publicKey) && !c.raw.equals(current.raw));
    if (!next) return false;
    current = next;
  }
  return false;
}

/** A problem when `cert` is not valid at `when` ("<what> not valid at …"), else undefined. */
export function validityProblem(cert: X509Certificate, when: Date, what: string): string | undefined {
  if (Number.isNaN(when.getTime()) || (when >= new Date(cert.validFrom) && when <= new Date(cert.validTo))) return undefined;
  return `${what} not valid at ${when.toISOString()} (valid ${cert.validFrom} to ${cert.validTo})`;
}
