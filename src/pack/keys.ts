// Signing keys: a trial key + self-signed certificate (keygen), and signers over PEM or PKCS#12 key files.

import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { mkdir, writeFile, readFile, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { EvidencePackError, messageOf } from '../errors.js';
import { OID, parseDer, toArrayBuffer, toPem, subjectOf } from './asn1.js';
import { readCertificateChain, splitChain, type Signer } from './signer.js';
import { loadKmsSigner } from './kms.js';
import type { SigningConfig } from '../model/signing.js';

export interface KeygenResult {
  keyPath: string;
  certPath: string;
  subject: string;
  /** SHA-256 fingerprint of the certificate (hex, colon-separated as openssl prints it). */
  fingerprint: string;
}

export const KEY_FILE = 'signing-key.pem';
export const CERT_FILE = 'signing-cert.pem';

/**
 * Creates an RSA-3072 private key (PKCS#8 PEM, mode 0600) and a self-signed certificate valid for two
 * years, for trials. Real packs should be signed with a key whose certificate the auditor can anchor.
 */
export async function keygen(
  outDir: string,
  opts: { commonName?: string; organisation?: string; now?: Date; validDays?: number } = {},
): Promise<KeygenResult> {
  const dir = resolve(outDir);
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  for (const p of [keyPath, certPath]) {
    if (await exists(p)) {
      throw new EvidencePackError('OUTPUT', `${p} already exists; keygen never overwrites a key`, {
        hint: 'Choose another --out folder or move the existing files away first.',
      });
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const now = opts.now ?? new Date();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + (opts.validDays ?? 730) * 86_400_000);
  const subjectAttrs: [string, string][] = [[OID.commonName, opts.commonName ?? 'evidence-pack trial signer']];
  if (opts.organisation) subjectAttrs.unshift([OID.organisation, opts.organisation]);

  const cert = new pkijs.Certificate();
  cert.version = 2;
  // Positive serial of 16 bytes, unique without a CA database. The first byte is kept in 0x40–0x7f: clear top bit
  // (positive) and a set second bit, so DER never needs a leading zero byte (1 key in 512 failed to parse before).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  cert.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(serial) });
  // One attribute per RDN (pkijs alone would build a single multi-valued RDN, "O=… + CN=…").
  const name = () =>
    new pkijs.RelativeDistinguishedNames({
      // Parsed from DER so pkijs keeps these bytes (valueBeforeDecode) instead of re-encoding them.
      schema: parseDer(
        new Uint8Array(
          new asn1js.Sequence({
            value: subjectAttrs.map(([type, value]) => new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) }).toSchema()] })),
          }).toBER(false),
        ),
        'certificate name',
      ),
    });
  cert.subject = name();
  cert.issuer = name();
  cert.notBefore.value = notBefore;
  cert.notAfter.value = notAfter;
  const spkiDer = publicKey.export({ type: 'spki', format: 'der' });
  cert.subjectPublicKeyInfo = new pkijs.PublicKeyInfo({ schema: parseDer(spkiDer, 'public key') });
  const ski = createHash('sha1').update(Buffer.from(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)).digest();
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19', // basicConstraints: not a CA
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: '2.5.29.15', // keyUsage: digitalSignature + nonRepudiation (contentCommitment)
      critical: true,
      extnValue: new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 }).toBER(false),
    }),
    new pkijs.Extension({
      extnID: '2.5.29.14', // subjectKeyIdentifier
      critical: false,
      extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(ski) }).toBER(false),
    }),
  ];
  const alg = () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
  cert.signature = alg();
  cert.signatureAlgorithm = alg();
  const tbs = Buffer.from(cert.encodeTBS().toBER(false));
  cert.tbsView = new Uint8Array(tbs);
  cert.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(cryptoSign('sha256', tbs, privateKey)) });
  const certDer = Buffer.from(cert.toSchema(false).toBER(false));

  await mkdir(dir, { recursive: true });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  await writeFile(keyPath, keyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(certPath, toPem(certDer, 'CERTIFICATE'), { mode: 0o644, flag: 'wx' });
  return { keyPath, certPath, subject: subjectOf(certDer), fingerprint: new X509Certificate(certDer).fingerprint256 };
}

/** Where the signing key is; the `tsa` of a SigningConfig is not the signer's business. */
export type SignerSource = Omit<SigningConfig, 'tsa'>;

/** The pack's signer: PEM files, a PKCS#12 file or an AWS KMS key; every problem is an EvidencePackError naming the file or key. */
export async function loadSigner(src: SignerSource, env: NodeJS.ProcessEnv = process.env): Promise<Signer> {
  if (src.kms) {
    if (src.key || src.cert || src.p12) {
      throw new EvidencePackError('USAGE', 'give one signing key: a PEM key + certificate, a PKCS#12 file or an AWS KMS key, not several');
    }
    if (!src.kms.certificate) {
      throw new EvidencePackError('USAGE', `the AWS KMS key ${src.kms.keyId} needs its certificate`, {
        hint: 'Pass the PEM certificate of the KMS public key with --sign-cert (or signing.kms.certificate); `openssl x509 -force_pubkey` or your CA can issue it.',
      });
    }
    return loadKmsSigner({ ...src.kms, certificate: src.kms.certificate });
  }
  const passphrase = readPassphrase(src.passphraseEnv, env);
  if (src.p12) {
    if (src.key || src.cert) {
      throw new EvidencePackError('USAGE', 'give either a PKCS#12 file or a PEM key + certificate, not both');
    }
    return loadP12(src.p12, passphrase);
  }
  if (!src.key || !src.cert) {
    throw new EvidencePackError('USAGE', `a PEM signing key needs its certificate and vice versa (got ${src.key ? 'key' : 'certificate'} only)`, {
      hint: 'Pass both --sign-key and --sign-cert, or a PKCS#12 file with --sign-p12.',
    });
  }
  const keyText = await readText(src.key, 'signing key');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keyText, format: 'pem', passphrase });
  } catch (e) {
    throw new EvidencePackError('INPUT_INVALID', `${src.key}: cannot read the private key (${messageOf(e)})`, {
      hint: /passphrase|decrypt|bad decrypt/i.test(messageOf(e))
        ? 'The key is encrypted: name the environment variable holding its passphrase with --sign-passphrase-env.'
        : 'Expected a PEM private key ("-----BEGIN PRIVATE KEY-----").',
    });
  }
  return keySigner(privateKey, await readCertificateChain(src.cert), src.cert, src.key);
}

/** A signer whose private key is in this process: RSA only, PKCS#1 v1.5 with SHA-256 (deterministic). */
function keySigner(privateKey: KeyObject, certs: Buffer[], file: string, keyRef: string): Signer {
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new EvidencePackError('SIGNING', `${file}: the key is ${privateKey.asymmetricKeyType}; evidence-pack signs with RSA`, {
      hint: 'RSA PKCS#1 v1.5 signatures are deterministic, which keeps packs reproducible. Use an RSA key (3072 bits or more).',
    });
  }
  const pub = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const { certificate, chain } = splitChain(pub, certs, file, 'the private key');
  return {
    certificate,
    chain,
    subject: subjectOf(certificate),
    algorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    keyRef,
    sign: async (message) => cryptoSign('sha256', message, privateKey),
  };
}

function readPassphrase(name: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new EvidencePackError('USAGE', `--sign-passphrase-env takes the NAME of an environment variable, got "${name.slice(0, 3)}…"`, {
      hint: 'Put the passphrase in an environment variable and pass its name, e.g. --sign-passphrase-env EP_KEY_PASS.',
    });
  }
  const value = env[name];
  if (value === undefined) {
    throw new EvidencePackError('USAGE', `environment variable ${name} (named by --sign-passphrase-env) is not set`);
  }
  return value;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new EvidencePackError('INPUT_NOT_FOUND', `${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? messageOf(e)})`);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

async function loadP12(path: string, passphrase: string | undefined): Promise<Signer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new EvidencePackError('INPUT_NOT_FOUND', `${path}: cannot read the PKCS#12 file (${(e as NodeJS.ErrnoException).code ?? messageOf(e)})`);
  }
  const password = toArrayBuffer(Buffer.from(passphrase ?? '', 'utf8'));
  const keys: Buffer[] = [];
  const certs: Buffer[] = [];
  try {
    const pfx = new pkijs.PFX({ schema: parseDer(bytes, path) });
    await pfx.parseInternalValues({ password, checkIntegrity: true });
    const authSafe = pfx.parsedValue?.authenticatedSafe;
    if (!authSafe) throw new Error('no authenticated safe');
    await authSafe.parseInternalValues({ safeContents: authSafe.safeContents.map(() => ({ password })) });
    for (const safe of authSafe.parsedValue.safeContents) {
      for (const bag of safe.value.safeBags) {
        if (bag.bagValue instanceof pkijs.PKCS8ShroudedKeyBag) {
          await bag.bagValue.parseInternalValues({ password });
          if (bag.bagValue.parsedValue) keys.push(Buffer.from(bag.bagValue.parsedValue.toSchema().toBER(false)));
        } else if (bag.bagValue instanceof pkijs.PrivateKeyInfo) {
          keys.push(Buffer.from(bag.bagValue.toSchema().toBER(false)));
        } else if (bag.bagValue instanceof pkijs.CertBag && bag.bagValue.parsedValue instanceof pkijs.Certificate) {
          certs.push(Buffer.from(bag.bagValue.parsedValue.toSchema(true).toBER(false)));
        }
      }
    }
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    throw new EvidencePackError('INPUT_INVALID', `${path}: cannot open the PKCS#12 file (${messageOf(e)})`, {
      hint: 'Check the passphrase (the environment variable named by --sign-passphrase-env) and that the file is PKCS#12.',
    });
  }
  if (keys.length !== 1) {
    throw new EvidencePackError('INPUT_INVALID', `${path}: expected exactly one private key in the PKCS#12 file, found ${keys.length}`);
  }
  if (certs.length === 0) throw new EvidencePackError('INPUT_INVALID', `${path}: the PKCS#12 file holds no certificate`);
  const privateKey = createPrivateKey({ key: keys[0], format: 'der', type: 'pkcs8' });
  return keySigner(privateKey, certs, path, path);
}
