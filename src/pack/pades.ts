// PAdES baseline-B on the report PDF: a @signpdf Signer that makes CAdES attributes, and our own ByteRange + CMS verifier.

import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { EvidencePackError, messageOf } from '../errors.js';
import { signDetachedCms, verifyDetachedCms } from './cms.js';
import type { Signer as PackSigner } from './signer.js';
import type { Timestamper } from './tsa.js';

/** @signpdf's stock P12 signer adds signingTime and lacks signing-certificate-v2; this one is ETSI EN 319 142-1 B-B. */
export class CadesSigner extends Signer {
  constructor(
    private readonly signer: PackSigner,
    private readonly timestamp?: Timestamper,
  ) {
    super();
  }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return signDetachedCms(pdfBuffer, this.signer, this.timestamp);
  }
}

/** Fills the signature placeholder that `renderPdf(..., { signed: true })` left in the PDF; with `timestamp`, PAdES B-T. */
export async function signPdf(pdf: Buffer, signer: PackSigner, timestamp?: Timestamper): Promise<Buffer> {
  try {
    return await new SignPdf().sign(pdf, new CadesSigner(signer, timestamp));
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    throw new EvidencePackError('SIGNING', `could not sign the PDF report (${messageOf(e)})`, {
      hint: 'A long certificate chain may not fit the reserved space; pass a larger signatureLength to renderPdf.',
      cause: e,
    });
  }
}

export interface PdfSignatureVerification {
  /** False when the PDF has no signature at all. */
  present: boolean;
  ok: boolean;
  problems: string[];
  /** The signed ranges cover every byte except the signature value itself. */
  coversWholeDocument: boolean;
  signerCertificate?: Buffer;
  certificates: Buffer[];
  subFilter?: string;
  /** The CMS signature value and its signature-time-stamp tokens (PAdES B-T), for the timestamp check. */
  signatureValue?: Buffer;
  timestampTokens: Buffer[];
}

/**
 * Checks the PDF's (single) signature: the ByteRange must start at 0 and end at the last byte with only the
 * /Contents hex string in between, the CMS must verify over exactly those bytes, and the attributes must be
 * PAdES B-B (signing-certificate-v2 present, signingTime absent, SubFilter ETSI.CAdES.detached).
 */
export function verifyPdfSignature(pdf: Buffer): PdfSignatureVerification {
  const res: PdfSignatureVerification = { present: false, ok: false, problems: [], coversWholeDocument: false, certificates: [], timestampTokens: [] };
  const text = pdf.toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (matches.length === 0) {
    if (text.includes('/ByteRange')) res.problems.push('a /ByteRange entry exists but cannot be read');
    else res.problems.push('the PDF has no signature');
    res.present = text.includes('/ByteRange');
    return res;
  }
  res.present = true;
  if (matches.length > 1) res.problems.push(`the PDF has ${matches.length} signatures; a pack PDF has exactly one`);
  const m = matches[matches.length - 1];
  const [a, b, c, d] = m.slice(1, 5).map(Number);
  const objStart = text.lastIndexOf(' obj', m.index);
  const objEnd = text.indexOf('endobj', m.index);
  const dict = objStart >= 0 && objEnd > 0 ? text.slice(objStart, objEnd) : '';
  const sub = /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(dict);
  res.subFilter = sub?.[1];
  if (res.subFilter !== 'ETSI.CAdES.detached') res.problems.push(`SubFilter is ${res.subFilter ?? 'missing'}, expected ETSI.CAdES.detached (PAdES)`);
  if (a !== 0 || b <= 0 || c <= b || c + d !== pdf.length) {
    res.problems.push(`ByteRange [${a} ${b} ${c} ${d}] does not cover the whole file of ${pdf.length} bytes (content was added or removed after signing)`);
    return res;
  }
  const gap = text.slice(b, c);
  if (!/^<[0-9a-fA-F]*>$/.test(gap)) {
    res.problems.push('the bytes excluded by ByteRange are not exactly the signature hex string');
    return res;
  }
  res.coversWholeDocument = true;
  const hex = gap.slice(1, -1);
  const der = Buffer.from(hex, 'hex');
  // The placeholder is zero-padded after the DER; anything else there is unsigned, smuggled data.
  const derLength = derLengthOf(der);
  if (derLength === undefined) {
    res.problems.push('the signature value is not DER');
    return res;
  }
  if (der.subarray(derLength).some((x) => x !== 0)) res.problems.push('non-zero bytes after the signature value inside /Contents');
  const signed = Buffer.concat([pdf.subarray(a, b), pdf.subarray(c, c + d)]);
  const cms = verifyDetachedCms(signed, der.subarray(0, derLength));
  res.problems.push(...cms.problems);
  res.signerCertificate = cms.signerCertificate;
  res.certificates = cms.certificates;
  res.signatureValue = cms.signatureValue;
  res.timestampTokens = cms.timestampTokens;
  if (cms.signerCertificate) {
    if (!cms.attributes.signingCertificateV2) res.problems.push('signed attributes lack signing-certificate-v2 (required by PAdES B-B)');
    if (cms.attributes.signingTime) res.problems.push('signed attributes include signingTime (not allowed in PAdES; the time is in the signature dictionary)');
  }
  res.ok = res.problems.length === 0;
  return res;
}

/** Length of the outermost DER element (definite lengths only), or undefined when the header is malformed. */
function derLengthOf(b: Buffer): number | undefined {
  if (b.length < 2 || b[0] !== 0x30) return undefined;
  const first = b[1];
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || b.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
  const total = 2 + n + len;
  return total <= b.length ? total : undefined;
}
