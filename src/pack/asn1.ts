// Small ASN.1 / X.509 helpers shared by key generation, CMS signing and verification (pkijs + asn1js).

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { EvidencePackError } from '../errors.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
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
