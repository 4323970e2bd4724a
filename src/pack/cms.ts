// Detached CMS (RFC 5652) signatures with the CAdES baseline-B attributes, for PAdES and manifest.json.p7s.

import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { messageOf } from '../errors.js';
import { OID, certificateFromDer, parseDer, toArrayBuffer } from './asn1.js';
import type { Timestamper } from './tsa.js';
import { HASH_OIDS, SIGNATURE_ALGORITHMS, cmsSignatureAlgorithm, digest, hashOfOid, verifyCmsSignatureValue, type Signer } from './signer.js';

const sha256 = (b: Uint8Array): Buffer => digest('sha256', b);

/**
 * Signs `content` as a detached CMS SignedData. Signed attributes: contentType, messageDigest and
 * signing-certificate-v2 (ETSI EN 319 122-1 / 319 142-1 B-B); deliberately NO signingTime, so the same
 * content and key always give the same bytes with a deterministic algorithm (RSA PKCS#1 v1.5).
 * With `timestamp`, the signature value is time-stamped and the token added as the unsigned
 * signature-time-stamp attribute (B-T); only that attribute then differs between runs.
 */
export async function signDetachedCms(content: Uint8Array, signer: Signer, timestamp?: Timestamper): Promise<Buffer> {
  const cert = certificateFromDer(signer.certificate, 'signing certificate');
  const hash = SIGNATURE_ALGORITHMS[signer.algorithm].hash;
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      // hashAlgorithm omitted: DER leaves out the DEFAULT (sha256).
      new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(signer.certificate)) }),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
          }),
          new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView.slice().buffer }),
        ],
      }),
    ],
  });
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest(hash, content)) })] }),
    new pkijs.Attribute({
      type: OID.signingCertificateV2,
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
    }),
  ];
  // DER: a SET OF is ordered by the encodings of its elements.
  const encoded = attributes.map((a) => Buffer.from(a.toSchema().toBER(false)));
  const order = encoded.map((e, i) => [e, i] as const).sort((a, b) => Buffer.compare(a[0], b[0])).map(([, i]) => i);
  const sorted = order.map((i) => attributes[i]);
  const signedAttrsDer = Buffer.from(new asn1js.Set({ value: sorted.map((a) => a.toSchema()) }).toBER(false));
  const signature = await signer.sign(signedAttrsDer);
  const token = timestamp ? (await timestamp(signature)).token : undefined;

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[hash] }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted }),
    signatureAlgorithm: cmsSignatureAlgorithm(signer.algorithm),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
    ...(token
      ? { unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [new pkijs.Attribute({ type: OID.timeStampToken, values: [parseDer(token, 'timestamp token')] })] }) }
      : {}),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[hash] })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [signer.certificate, ...signer.chain].map((d) => certificateFromDer(d, 'certificate chain')),
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}

export interface CmsVerification {
  /** True when the signature is cryptographically valid over `content` and the attributes are as required. */
  ok: boolean;
  problems: string[];
  /** DER of the signer's certificate, when found in the signature. */
  signerCertificate?: Buffer;
  /** DER of every certificate embedded in the signature. */
  certificates: Buffer[];
  /** Attributes seen, for PAdES baseline checks. */
  attributes: { signingCertificateV2: boolean; signingTime: boolean };
  /** The signature value (what an RFC 3161 signature timestamp is over), when the structure could be read. */
  signatureValue?: Buffer;
  /** DER of each signature-time-stamp token in the unsigned attributes (CAdES/PAdES B-T). */
  timestampTokens: Buffer[];
}

/** Verifies a detached CMS signature over `content`; never throws for bad signatures, reports problems instead. */
export function verifyDetachedCms(content: Uint8Array, der: Uint8Array): CmsVerification {
  const result: CmsVerification = { ok: false, problems: [], certificates: [], attributes: { signingCertificateV2: false, signingTime: false }, timestampTokens: [] };
  const signedData = readSignedData(der, 'CMS signature', result.problems);
  if (!signedData) return result;
  if (signedData.encapContentInfo.eContent) result.problems.push('signature is not detached (it embeds content)');
  const check = checkSignerInfo(signedData, OID.data, content);
  result.problems.push(...check.problems);
  result.certificates = check.certificates;
  result.signerCertificate = check.signerCertificate;
  result.signatureValue = check.signatureValue;
  result.attributes = { signingCertificateV2: check.signingCertificate === 'v2', signingTime: check.signingTime };
  if (check.signingCertificate === 'v1') result.problems.push('signing-certificate (v1, SHA-1) instead of signing-certificate-v2');
  for (const a of signedData.signerInfos[0]?.unsignedAttrs?.attributes ?? []) {
    if (a.type === OID.timeStampToken) result.timestampTokens.push(...a.values.map((v) => Buffer.from(v.toBER(false))));
  }
  result.ok = result.problems.length === 0;
  return result;
}

/** Reads DER as a ContentInfo holding SignedData; a problem (naming `what`) instead of an exception. */
export function readSignedData(der: Uint8Array, what: string, problems: string[]): pkijs.SignedData | undefined {
  try {
    const ci = new pkijs.ContentInfo({ schema: parseDer(der, what) });
    if (ci.contentType !== OID.signedData) throw new Error(`content type ${ci.contentType} is not signedData`);
    return new pkijs.SignedData({ schema: ci.content });
  } catch (e) {
    problems.push(`not a CMS SignedData structure (${messageOf(e)})`);
    return undefined;
  }
}

export interface SignerInfoCheck {
  problems: string[];
  certificates: Buffer[];
  signerCertificate?: Buffer;
  signatureValue?: Buffer;
  /** Which ESS signing-certificate attribute names the signer (RFC 2634 v1 with SHA-1, RFC 5035 v2). */
  signingCertificate?: 'v1' | 'v2';
  signingTime: boolean;
}

/**
 * Checks the one SignerInfo of `signedData` over `content` (the detached content, or the encapsulated one):
 * the signer's certificate is embedded, contentType and messageDigest are as expected, an ESS signing-certificate
 * attribute (if any) names that certificate, and the signature verifies. Shared by pack signatures and TSA tokens.
 */
export function checkSignerInfo(signedData: pkijs.SignedData, contentType: string, content: Uint8Array): SignerInfoCheck {
  const result: SignerInfoCheck = { problems: [], certificates: [], signingTime: false };
  const certs = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  result.certificates = certs.map((c) => Buffer.from(c.toSchema(false).toBER(false)));
  if (signedData.signerInfos.length !== 1) {
    result.problems.push(`expected one signer, found ${signedData.signerInfos.length}`);
    return result;
  }
  const si = signedData.signerInfos[0];
  result.signatureValue = Buffer.from(si.signature.valueBlock.valueHexView);
  const sid = si.sid;
  const index = certs.findIndex((c) =>
    sid instanceof pkijs.IssuerAndSerialNumber ? c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber) : subjectKeyIdOf(c)?.equals(Buffer.from((sid as asn1js.OctetString).valueBlock.valueHexView)),
  );
  if (index === -1) {
    result.problems.push("the signer's certificate is not embedded in the signature");
    return result;
  }
  const signerDer = result.certificates[index];
  result.signerCertificate = signerDer;
  const hash = hashOfOid(si.digestAlgorithm.algorithmId);
  if (!hash) {
    result.problems.push(`digest algorithm ${si.digestAlgorithm.algorithmId} is not SHA-256, SHA-384 or SHA-512`);
    return result;
  }
  if (!si.signedAttrs) {
    result.problems.push('no signed attributes');
    return result;
  }
  const attrs = si.signedAttrs.attributes;
  const attr = (oid: string) => attrs.find((a) => a.type === oid);
  const ct = attr(OID.contentType);
  if (!ct || (ct.values[0] as asn1js.ObjectIdentifier).valueBlock?.toString() !== contentType) result.problems.push(`contentType attribute missing or not ${contentType === OID.data ? 'id-data' : contentType}`);
  const md = attr(OID.messageDigest);
  const mdValue = md ? Buffer.from((md.values[0] as asn1js.OctetString).valueBlock.valueHexView) : undefined;
  if (!mdValue) result.problems.push('messageDigest attribute missing');
  else if (!mdValue.equals(digest(hash, content))) result.problems.push('content digest mismatch: the signed content was changed');
  result.signingTime = attr(OID.signingTime) !== undefined;
  const essV2 = attr(OID.signingCertificateV2);
  const essV1 = attr(OID.signingCertificate);
  const ess = essV2 ?? essV1;
  if (ess) {
    result.signingCertificate = essV2 ? 'v2' : 'v1';
    try {
      const certIds = ((ess.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock.value as asn1js.Sequence[];
      const first = certIds[0].valueBlock.value;
      // v1: ESSCertID ::= { certHash (SHA-1) ... }; v2: ESSCertIDv2 ::= { hashAlgorithm DEFAULT sha256, certHash ... }
      const hashAlg = essV2 ? (first[0] instanceof asn1js.Sequence ? new pkijs.AlgorithmIdentifier({ schema: first[0] }).algorithmId : OID.sha256) : OID.sha1;
      const certHash = Buffer.from((first.find((v) => v instanceof asn1js.OctetString) as asn1js.OctetString).valueBlock.valueHexView);
      const certHashName = hashAlg === OID.sha1 ? 'sha1' : hashOfOid(hashAlg);
      if (!certHashName) result.problems.push(`signing-certificate attribute uses hash ${hashAlg}, which is not checked`);
      else if (!certHash.equals(createHash(certHashName).update(signerDer).digest())) result.problems.push(`signing-certificate${essV2 ? '-v2' : ''} does not match the signer certificate`);
    } catch (e) {
      result.problems.push(`signing-certificate attribute is malformed (${messageOf(e)})`);
    }
  }
  try {
    const publicKey = new X509Certificate(signerDer).publicKey;
    const problem = verifyCmsSignatureValue(si.signatureAlgorithm, hash, publicKey, new Uint8Array(si.signedAttrs.encodedValue), si.signature.valueBlock.valueHexView);
    if (problem) result.problems.push(problem);
  } catch (e) {
    result.problems.push(`signature cannot be checked (${messageOf(e)})`);
  }
  return result;
}

function subjectKeyIdOf(c: pkijs.Certificate): Buffer | undefined {
  const ext = c.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const parsed = ext?.parsedValue as asn1js.OctetString | undefined;
  return parsed?.valueBlock ? Buffer.from(parsed.valueBlock.valueHexView) : undefined;
}
