// in-toto Statement v1 in a DSSE envelope: signing and verification over the PAE bytes (the pack signer's algorithm).

import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { messageOf } from '../errors.js';
import { verifyRawSignature, type Signer } from './signer.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Our predicate: maturity level and check summary of an audit pack (documented in docs/verifying-a-pack.md). */
export const AUDIT_PACK_PREDICATE_TYPE = 'https://evidence-pack.dev/attestation/audit-pack/v1';
/** The audit-pack predicate plus the evaluated git commit, made by `attest` (docs/ci.md). */
export const RELEASE_PREDICATE_TYPE = 'https://evidence-pack.dev/attestation/release/v1';

/** An in-toto subject. Files of the pack carry `sha256`; other subjects (the git commit) another digest, e.g. `gitCommit`. */
export interface ResourceDescriptor {
  name: string;
  digest: Record<string, string>;
}

export interface InTotoStatement<P = unknown> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: string;
  predicate: P;
}

export interface DsseEnvelope {
  payloadType: string;
  /** base64 (standard alphabet, padded) of the serialised statement. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** keyid: SHA-256 of the signer's SubjectPublicKeyInfo (DER), hex — computable with openssl from the certificate. */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

export async function signDsse(statement: InTotoStatement | object, signer: Signer, payloadType = IN_TOTO_PAYLOAD_TYPE): Promise<DsseEnvelope> {
  const body = Buffer.from(JSON.stringify(statement), 'utf8');
  const sig = await signer.sign(pae(payloadType, body));
  const publicKey = new X509Certificate(signer.certificate).publicKey;
  return { payloadType, payload: body.toString('base64'), signatures: [{ keyid: keyIdOf(publicKey), sig: sig.toString('base64') }] };
}

export interface DsseTrust {
  /** DER certificate whose public key must have made the signature. */
  certificate: Buffer;
}

export interface DsseVerification {
  ok: boolean;
  problems: string[];
  /** The decoded statement, when the envelope could be decoded (even if the signature failed). */
  statement?: unknown;
}

/** Strict base64: rejects anything that does not re-encode to the same text (Node's decoder skips junk silently). */
function strictBase64(text: unknown, what: string, problems: string[]): Buffer | undefined {
  if (typeof text !== 'string') {
    problems.push(`${what} is not a string`);
    return undefined;
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    problems.push(`${what} is not canonical base64`);
    return undefined;
  }
  return bytes;
}

/** Verifies a DSSE envelope against the trusted certificate's key; every problem is reported, nothing thrown. */
export function verifyDsse(envelope: unknown, trust: DsseTrust): DsseVerification {
  const problems: string[] = [];
  if (typeof envelope !== 'object' || envelope === null) return { ok: false, problems: ['envelope is not a JSON object'] };
  const env = envelope as Partial<DsseEnvelope>;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) problems.push(`payloadType is ${JSON.stringify(env.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  const body = strictBase64(env.payload, 'payload', problems);
  let statement: unknown;
  if (body) {
    try {
      statement = JSON.parse(body.toString('utf8'));
    } catch (e) {
      problems.push(`payload is not JSON (${messageOf(e)})`);
    }
  }
  let publicKey: KeyObject;
  try {
    publicKey = new X509Certificate(trust.certificate).publicKey;
  } catch (e) {
    return { ok: false, problems: [...problems, `trusted certificate unreadable (${messageOf(e)})`], statement };
  }
  const expectedKeyId = keyIdOf(publicKey);
  const sigs = Array.isArray(env.signatures) ? env.signatures : [];
  if (sigs.length === 0) problems.push('envelope has no signatures');
  let verified = false;
  for (const [i, s] of sigs.entries()) {
    if (typeof s !== 'object' || s === null) {
      problems.push(`signatures[${i}] is not an object`);
      continue;
    }
    if (s.keyid !== expectedKeyId) {
      problems.push(`signatures[${i}].keyid ${JSON.stringify(s.keyid)} is not the trusted key ${expectedKeyId}`);
      continue;
    }
    const sig = strictBase64(s.sig, `signatures[${i}].sig`, problems);
    if (!sig || !body || typeof env.payloadType !== 'string') continue;
    if (verifyRawSignature(publicKey, pae(env.payloadType, body), sig)) verified = true;
    else problems.push(`signatures[${i}] does not verify over the PAE of the payload`);
  }
  if (!verified && problems.length === 0) problems.push('no signature verified');
  if (statement !== undefined) {
    const st = statement as Partial<InTotoStatement>;
    if (st._type !== IN_TOTO_STATEMENT_TYPE) problems.push(`statement _type is ${JSON.stringify(st._type)}, expected ${IN_TOTO_STATEMENT_TYPE}`);
    if (!Array.isArray(st.subject) || st.subject.length === 0) problems.push('statement has no subjects');
  }
  return { ok: verified && problems.length === 0, problems, statement };
}
