// RFC 3161 trusted timestamps: ask a time-stamping authority for a token over a signature value, and check tokens.
// pkijs builds the request and reads the response; the token's CMS signature is checked with the same SignerInfo
// check as the pack's own signatures (cms.ts), so one set of rules decides what a valid signature is.

import { randomBytes, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { EvidencePackError, messageOf } from '../errors.js';
import { publicUrl } from '../public-url.js';
import type { TsaConfig } from '../model/signing.js';
import { OID, chainsTo, parseDer, subjectOf, toArrayBuffer, validityProblem } from './asn1.js';
import { checkSignerInfo, readSignedData } from './cms.js';
import { HASH_OIDS, digest, hashOfOid, readCertificateChain } from './signer.js';

/** A token the TSA returned, with what it says. */
export interface Timestamp {
  /** DER of the TimeStampToken (a CMS ContentInfo). */
  token: Buffer;
  /** genTime of the token. */
  time: Date;
  /** Subject of the TSA's certificate. */
  tsa: string;
}

/** Gets a signature timestamp over the given bytes (a signature value); throws a SIGNING error naming the TSA. */
export type Timestamper = (signatureValue: Buffer) => Promise<Timestamp>;

const MAX_RESPONSE_BYTES = 1 << 20;
const TIMEOUT_MS = 30_000;

/**
 * A timestamper for the configured TSA. Every token is checked before it is used, exactly as `verify` will check
 * it (imprint, nonce, the TSA's signature, timeStamping EKU, the TSA certificate valid at genTime, and the chain to
 * `caFile` when given), so a pack never carries a token that verification would reject.
 */
export async function loadTimestamper(cfg: TsaConfig): Promise<Timestamper> {
  let url: URL;
  try {
    url = new URL(cfg.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`protocol ${url.protocol}`);
  } catch (e) {
    throw new EvidencePackError('USAGE', `TSA URL "${publicUrl(cfg.url)}" is not an http(s) URL (${messageOf(e)})`, { hint: 'e.g. --tsa-url https://freetsa.org/tsr' });
  }
  // Credentials in the URL (commercial TSAs) travel as HTTP basic authentication, never in a message.
  const authorization = url.username || url.password ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : undefined;
  url.username = '';
  url.password = '';
  const anchors = cfg.caFile ? await readCertificateChain(cfg.caFile, 'TSA CA certificate') : undefined;
  const where = publicUrl(cfg.url);
  return async (signatureValue) => {
    const { body, nonce } = timestampRequest(signatureValue);
    const reply = await post(url, where, body, authorization);
    const token = tokenOfResponse(reply, where);
    const check = verifyTimestampToken(token, signatureValue, { anchors });
    const problems = [...check.problems];
    if (check.nonce === undefined || !Buffer.from(check.nonce).equals(nonce)) problems.push('the nonce is not the one sent (a replayed or foreign token)');
    if (problems.length || !check.time) {
      throw new EvidencePackError('SIGNING', `the TSA ${where} returned a token that does not verify: ${problems.join('; ')}`, {
        hint: anchors && !check.anchored ? `Its certificate must chain to ${cfg.caFile} (signing.tsa.caFile).` : 'Check the TSA URL; the pack was not written.',
      });
    }
    if (anchors && !check.anchored) {
      throw new EvidencePackError('SIGNING', `the TSA ${where} (${check.tsa}) does not chain to ${cfg.caFile}`, { hint: 'Use that TSA\'s CA certificate as signing.tsa.caFile, or the TSA that CA certifies.' });
    }
    return { token, time: check.time, tsa: check.tsa ?? '(unknown TSA)' };
  };
}

/**
 * A DER TimeStampReq for SHA-256 of `signatureValue`, asking for the TSA's certificate, with a 64-bit nonce made
 * from `random`. The nonce's first byte is kept in 0x01–0x7f: a positive INTEGER in minimal DER. (A leading zero
 * byte followed by one below 0x80 is not valid DER, and OpenSSL-based TSAs refuse such a request as badly formed —
 * about one request in 256 with plain random bytes.)
 */
export function timestampRequest(signatureValue: Buffer, random: Buffer = randomBytes(8)): { body: Buffer; nonce: Buffer } {
  const nonce = Buffer.from(random);
  nonce[0] = 1 + (nonce[0] % 0x7f);
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(digest('sha256', signatureValue)) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  return { body: Buffer.from(request.toSchema().toBER(false)), nonce };
}

async function post(url: URL, where: string, body: Buffer, authorization: string | undefined): Promise<Buffer> {
  let res: Response | undefined;
  // A request is idempotent: a connection the server closed while idle (ECONNRESET) is retried, twice at most.
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply', ...(authorization ? { authorization } : {}) },
        body: new Uint8Array(body),
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      // Only the error's code or name: undici's messages may quote the URL, query (API key) included.
      const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      if (attempt < 3 && /ECONNRESET|EPIPE|UND_ERR_SOCKET/.test(code)) continue;
      throw new EvidencePackError('SIGNING', `cannot reach the TSA ${where} (${code})`, { hint: 'Check the URL and the network; the pack was not written.' });
    }
  }
  if (!res.ok) throw new EvidencePackError('SIGNING', `the TSA ${where} answered HTTP ${res.status} ${res.statusText}`, { hint: 'The pack was not written; try again or use another TSA.' });
  // Read at most MAX_RESPONSE_BYTES, whatever the server streams.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw new EvidencePackError('SIGNING', `the TSA ${where} sent more than ${MAX_RESPONSE_BYTES} bytes; a time-stamp reply is a few kilobytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

/** The TimeStampToken of a TimeStampResp, or a SIGNING error with the TSA's status and reason. */
function tokenOfResponse(reply: Buffer, where: string): Buffer {
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: parseDer(reply, `reply of the TSA ${where}`) });
  } catch (e) {
    throw new EvidencePackError('SIGNING', `the TSA ${where} did not answer with an RFC 3161 TimeStampResp (${messageOf(e)})`, { hint: 'Is the URL a time-stamping endpoint?' });
  }
  const status = resp.status.status;
  if ((status !== 0 && status !== 1) || !resp.timeStampToken) {
    const text = (resp.status.statusStrings ?? []).map((s) => s.valueBlock.value).join('; ');
    throw new EvidencePackError('SIGNING', `the TSA ${where} refused the request: ${STATUS[status] ?? `status ${status}`}${text ? ` (${text})` : ''}`);
  }
  return Buffer.from(resp.timeStampToken.toSchema().toBER(false));
}

export interface TimestampCheck {
  /** The token is well-formed, its imprint is over the given bytes, its TSA signature verifies, its TSA certificate is fit and valid at genTime. */
  ok: boolean;
  problems: string[];
  /** genTime, when the token could be read. */
  time?: Date;
  /** Subject of the TSA certificate. */
  tsa?: string;
  /** The TSA certificate chains to the given anchors (false when none were given). */
  anchored: boolean;
  /** TSTInfo nonce (INTEGER contents), for the requester's replay check. */
  nonce?: Uint8Array;
}

/**
 * Checks an RFC 3161 TimeStampToken over `data` (the signature value it time-stamps): TSTInfo inside SignedData,
 * messageImprint = hash(data), the TSA's SignerInfo (contentType id-ct-TSTInfo, messageDigest, ESS signing
 * certificate, signature), the TSA certificate's extended key usage (critical, timeStamping only, RFC 3161 §2.3),
 * its validity at genTime, and — when `anchors` are given — its chain to them. Never throws.
 */
export function verifyTimestampToken(token: Uint8Array, data: Uint8Array, opts: { anchors?: Buffer[] } = {}): TimestampCheck {
  const res: TimestampCheck = { ok: false, problems: [], anchored: false };
  const signedData = readSignedData(token, 'timestamp token', res.problems);
  if (!signedData) return res;
  const eci = signedData.encapContentInfo;
  if (eci.eContentType !== OID.tstInfo || !eci.eContent) {
    res.problems.push(`the token does not hold a TSTInfo (content type ${eci.eContentType})`);
    return res;
  }
  const tstInfoDer = Buffer.from(eci.eContent.getValue());
  let info: pkijs.TSTInfo;
  try {
    info = new pkijs.TSTInfo({ schema: parseDer(tstInfoDer, 'TSTInfo') });
  } catch (e) {
    res.problems.push(`TSTInfo is malformed (${messageOf(e)})`);
    return res;
  }
  res.time = info.genTime;
  res.nonce = info.nonce ? info.nonce.valueBlock.valueHexView : undefined;
  const hash = hashOfOid(info.messageImprint.hashAlgorithm.algorithmId);
  if (!hash) res.problems.push(`imprint hash ${info.messageImprint.hashAlgorithm.algorithmId} is not SHA-256, SHA-384 or SHA-512`);
  else if (!Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(digest(hash, data))) {
    res.problems.push('imprint mismatch: the token time-stamps other data, not this signature');
  }
  const signer = checkSignerInfo(signedData, OID.tstInfo, tstInfoDer);
  res.problems.push(...signer.problems.map((p) => `TSA signature: ${p}`));
  if (signer.signerCertificate && !signer.signingCertificate) res.problems.push('TSA signature: no ESS signing-certificate attribute (required by RFC 3161)');
  if (!signer.signerCertificate) return res;
  let tsaCert: X509Certificate;
  try {
    tsaCert = new X509Certificate(signer.signerCertificate);
  } catch (e) {
    res.problems.push(`TSA certificate unreadable (${messageOf(e)})`);
    return res;
  }
  res.tsa = subjectOf(signer.signerCertificate);
  const eku = ekuProblem(signer.signerCertificate);
  if (eku) res.problems.push(eku);
  const expired = validityProblem(tsaCert, info.genTime, 'TSA certificate');
  if (expired) res.problems.push(expired);
  if (opts.anchors) {
    try {
      res.anchored = chainsTo(tsaCert, signer.certificates, opts.anchors);
    } catch (e) {
      res.problems.push(`TSA certificate chain cannot be checked (${messageOf(e)})`);
    }
  }
  res.ok = res.problems.length === 0;
  return res;
}

function ekuProblem(certDer: Buffer): string | undefined {
  try {
    const cert = new pkijs.Certificate({ schema: parseDer(certDer, 'TSA certificate') });
    const ext = cert.extensions?.find((e) => e.extnID === OID.extKeyUsage);
    const purposes = (ext?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
    if (!ext || !purposes.includes(OID.timeStamping)) return 'TSA certificate lacks the timeStamping extended key usage';
    if (!ext.critical || purposes.length !== 1) return 'TSA certificate: the extended key usage must be critical and timeStamping only (RFC 3161 §2.3)';
    return undefined;
  } catch (e) {
    return `TSA certificate unreadable (${messageOf(e)})`;
  }
}

