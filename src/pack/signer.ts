// The one signer interface every signature of a pack goes through (PAdES, CMS, DSSE), whatever holds the key:
// a PEM or PKCS#12 file on this machine, or an AWS KMS key that never leaves the HSM. Plus the algorithm table
// both signing and verification read, so CMS, PAdES and DSSE agree on what each algorithm means.

import { createHash, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { EvidencePackError, messageOf } from '../errors.js';
import { OID, certificateFromDer, pemBlocks } from './asn1.js';
import type { SignatureAlgorithmName } from '../model/signing.js';

/** Signature algorithms, named as AWS KMS names them (the PEM/PKCS#12 signer uses the first). */
export const SIGNATURE_ALGORITHMS = {
  /** Deterministic: the same input and key always give the same bytes, so packs are reproducible. */
  RSASSA_PKCS1_V1_5_SHA_256: { hash: 'sha256', key: 'rsa', deterministic: true },
  /** Randomised (salt of 32 bytes, MGF1 with SHA-256). */
  RSASSA_PSS_SHA_256: { hash: 'sha256', key: 'rsa', deterministic: false },
  /** ECDSA on NIST P-256; randomised. Signatures are DER (SEQUENCE of r, s). */
  ECDSA_SHA_256: { hash: 'sha256', key: 'ec', curve: 'prime256v1', deterministic: false },
  /** ECDSA on NIST P-384 with SHA-384; randomised. */
  ECDSA_SHA_384: { hash: 'sha384', key: 'ec', curve: 'secp384r1', deterministic: false },
} as const satisfies Record<SignatureAlgorithmName, { hash: HashName; key: 'rsa' | 'ec'; curve?: string; deterministic: boolean }>;

export type SignatureAlgorithm = SignatureAlgorithmName;
export type HashName = 'sha256' | 'sha384' | 'sha512';

/** Salt length AWS KMS uses for RSASSA_PSS_SHA_256 (the digest length), and so the one our CMS declares. */
const PSS_SALT = 32;

export interface Signer {
  /** DER of the signer's certificate. */
  certificate: Buffer;
  /** DER of further certificates (intermediates), signer's issuer first; embedded in every signature. */
  chain: Buffer[];
  /** The certificate's subject, for reports ("CN=…"). */
  subject: string;
  algorithm: SignatureAlgorithm;
  /** Where the key lives, for messages ("keys/signing-key.pem", "AWS KMS key arn:aws:kms:…"). */
  keyRef: string;
  /**
   * Signs `message` with the algorithm (the signer hashes it with the algorithm's hash; a KMS signer sends only the
   * digest). Returns the signature value as the standards carry it: PKCS#1 bytes for RSA, DER (r, s) for ECDSA.
   */
  sign(message: Buffer): Promise<Buffer>;
}

export function digest(hash: HashName, data: Uint8Array): Buffer {
  return createHash(hash).update(data).digest();
}

export const HASH_OIDS: Record<HashName, string> = { sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 };

export function hashOfOid(oid: string): HashName | undefined {
  return (Object.keys(HASH_OIDS) as HashName[]).find((h) => HASH_OIDS[h] === oid);
}

/** The CMS signatureAlgorithm of a SignerInfo made with `alg` (RFC 4055 for PSS, RFC 5754 for ECDSA). */
export function cmsSignatureAlgorithm(alg: SignatureAlgorithm): pkijs.AlgorithmIdentifier {
  switch (alg) {
    case 'RSASSA_PKCS1_V1_5_SHA_256':
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
    case 'RSASSA_PSS_SHA_256': {
      const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
      const params = new pkijs.RSASSAPSSParams({
        hashAlgorithm: sha256,
        maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: sha256.toSchema() }),
        saltLength: PSS_SALT,
      });
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsassaPss, algorithmParams: params.toSchema() });
    }
    case 'ECDSA_SHA_256':
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
    case 'ECDSA_SHA_384':
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha384 });
  }
}

const RSA_PKCS1_OIDS: Record<string, HashName | 'any'> = {
  [OID.rsaEncryption]: 'any',
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
};
const ECDSA_OIDS: Record<string, HashName> = { [OID.ecdsaWithSha256]: 'sha256', [OID.ecdsaWithSha384]: 'sha384', [OID.ecdsaWithSha512]: 'sha512' };

/**
 * Verifies a CMS signature value made with the SignerInfo's `signatureAlgorithm` over `data`, hashed with `hash`
 * (the SignerInfo's digestAlgorithm). Returns a problem, or undefined when the signature verifies. Accepts
 * RSA PKCS#1 v1.5, RSASSA-PSS (MGF1 with the same hash) and ECDSA with SHA-2; nothing weaker.
 */
export function verifyCmsSignatureValue(algorithm: pkijs.AlgorithmIdentifier, hash: HashName, publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): string | undefined {
  const oid = algorithm.algorithmId;
  const keyType = publicKey.asymmetricKeyType;
  if (oid in RSA_PKCS1_OIDS) {
    const h = RSA_PKCS1_OIDS[oid];
    if (h !== 'any' && h !== hash) return `signature algorithm ${oid} uses ${h} but the digest algorithm is ${hash}`;
    if (keyType !== 'rsa') return `an RSA signature, but the certificate holds a ${keyType} key`;
    return cryptoVerify(hash, data, publicKey, signature) ? undefined : 'signature value does not verify with the signer certificate';
  }
  if (oid === OID.rsassaPss) {
    if (keyType !== 'rsa' && keyType !== 'rsa-pss') return `an RSA-PSS signature, but the certificate holds a ${keyType} key`;
    let params: pkijs.RSASSAPSSParams;
    try {
      params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
    } catch {
      return 'RSASSA-PSS parameters are malformed';
    }
    const pssHash = hashOfOid(params.hashAlgorithm.algorithmId);
    const mgfHash = params.maskGenAlgorithm.algorithmParams ? hashOfOid(new pkijs.AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams }).algorithmId) : undefined;
    if (pssHash !== hash || params.maskGenAlgorithm.algorithmId !== OID.mgf1 || mgfHash !== hash) return `RSASSA-PSS parameters must use ${hash} for the digest and MGF1`;
    const ok = cryptoVerify(hash, data, { key: publicKey, padding: RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    return ok ? undefined : 'signature value does not verify with the signer certificate';
  }
  if (oid in ECDSA_OIDS) {
    if (ECDSA_OIDS[oid] !== hash) return `signature algorithm ${oid} uses ${ECDSA_OIDS[oid]} but the digest algorithm is ${hash}`;
    if (keyType !== 'ec') return `an ECDSA signature, but the certificate holds a ${keyType} key`;
    return cryptoVerify(hash, data, { key: publicKey, dsaEncoding: 'der' }, signature) ? undefined : 'signature value does not verify with the signer certificate';
  }
  return `signature algorithm ${oid} is not supported (RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA with SHA-2)`;
}

const RSA_PKCS1_PSS_PADDING = 6; // crypto.constants.RSA_PKCS1_PSS_PADDING

/**
 * Verifies a raw signature (DSSE carries no algorithm identifier) with the algorithms a pack signer can use for
 * this key: RSA → PKCS#1 v1.5 or PSS with SHA-256; EC P-256 → ECDSA SHA-256; EC P-384 → ECDSA SHA-384.
 */
export function verifyRawSignature(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const candidates = (Object.keys(SIGNATURE_ALGORITHMS) as SignatureAlgorithm[]).filter((a) => algorithmFitsKey(a, publicKey));
  return candidates.some((a) => {
    const info = SIGNATURE_ALGORITHMS[a];
    if (a === 'RSASSA_PSS_SHA_256') return cryptoVerify(info.hash, data, { key: publicKey, padding: RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT }, signature);
    if (info.key === 'ec') return cryptoVerify(info.hash, data, { key: publicKey, dsaEncoding: 'der' }, signature);
    return cryptoVerify(info.hash, data, publicKey, signature);
  });
}

/** Whether `alg` can be made with this public key (RSA for RSA, the right curve for ECDSA). */
export function algorithmFitsKey(alg: SignatureAlgorithm, publicKey: KeyObject): boolean {
  const info: { key: string; curve?: string } = SIGNATURE_ALGORITHMS[alg];
  if (info.key !== publicKey.asymmetricKeyType) return false;
  return info.curve === undefined || info.curve === publicKey.asymmetricKeyDetails?.namedCurve;
}

/**
 * Picks the signer's certificate (the one whose public key is `spki`) out of a chain file; the rest are
 * intermediates. Throws a SIGNING error naming `file` when none matches.
 */
export function splitChain(spki: Buffer, certs: Buffer[], file: string, what: string): { certificate: Buffer; chain: Buffer[] } {
  const index = certs.findIndex((der) => {
    try {
      return new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }).equals(spki);
    } catch {
      return false;
    }
  });
  if (index === -1) {
    throw new EvidencePackError('SIGNING', `${file}: no certificate matches ${what}`, { hint: `The certificate chain must contain the certificate of ${what}.` });
  }
  return { certificate: certs[index], chain: certs.filter((_, i) => i !== index) };
}

/** Reads a PEM certificate chain file (signer first); every problem is an EvidencePackError naming the file. */
export async function readCertificateChain(path: string, what = 'certificate'): Promise<Buffer[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new EvidencePackError('INPUT_NOT_FOUND', `${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? messageOf(e)})`);
  }
  const certs = pemBlocks(text, 'CERTIFICATE');
  if (certs.length === 0) {
    throw new EvidencePackError('INPUT_INVALID', `${path}: no PEM certificate found`, { hint: 'Expected "-----BEGIN CERTIFICATE-----" blocks, the signer first.' });
  }
  for (const der of certs) certificateFromDer(der, path);
  return certs;
}
