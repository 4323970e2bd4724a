// A Signer whose key stays in AWS KMS: the digest is computed here and signed by KMS `Sign` (MessageType DIGEST);
// the certificate comes from a file and must hold the KMS key's public key. The SDK client loads only when used.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { EvidencePackError, messageOf } from '../errors.js';
import { subjectOf } from './asn1.js';
import type { KmsKeyConfig } from '../model/signing.js';
import type { IamPolicyDocument } from '../collect/aws/policy.js';
import { SIGNATURE_ALGORITHMS, algorithmFitsKey, digest, readCertificateChain, splitChain, type SignatureAlgorithm, type Signer } from './signer.js';

export type KmsSource = KmsKeyConfig & { certificate: string };

/** The two calls a KMS signer makes (for `iam-policy` and the messages). */
export const KMS_ACTIONS = ['kms:GetPublicKey', 'kms:Sign'] as const;

/**
 * The IAM statement the signing identity needs: kms:GetPublicKey and kms:Sign on exactly this key. Aliases cannot be
 * a Resource for these actions, so an alias becomes "any key carrying this alias" (condition kms:ResourceAliases).
 */
export function kmsSigningStatement(keyId: string, region?: string): IamPolicyDocument['Statement'][number] {
  const base = { Sid: 'EvidencePackSignWithKms', Effect: 'Allow' as const, Action: [...KMS_ACTIONS] };
  const arn = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(keyId);
  if (arn) {
    const [, partition, keyRegion, account, kind, name] = arn;
    if (kind === 'key') return { ...base, Resource: keyId };
    return { ...base, Resource: `arn:${partition}:kms:${keyRegion}:${account}:key/*`, Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/${name}` } } };
  }
  const where = `arn:aws:kms:${region ?? '*'}:*:key`;
  if (keyId.startsWith('alias/')) return { ...base, Resource: `${where}/*`, Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': keyId } } };
  return { ...base, Resource: `${where}/${keyId}` };
}

/** The part of the SDK client a KMS signer uses; tests and callers may pass their own (e.g. pointed at moto). */
export interface KmsClientLike {
  send(command: unknown): Promise<unknown>;
}

/** Loads the KMS signer: reads the certificate, asks KMS for the public key and checks they belong together. */
export async function loadKmsSigner(src: KmsSource, opts: { client?: KmsClientLike } = {}): Promise<Signer> {
  const sdk = await import('@aws-sdk/client-kms');
  const region = src.region ?? /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(src.keyId)?.[1];
  const client: KmsClientLike = opts.client ?? new sdk.KMSClient(region ? { region } : {});
  const call = async <T>(action: (typeof KMS_ACTIONS)[number], command: unknown): Promise<T> => {
    try {
      return (await client.send(command)) as T;
    } catch (e) {
      throw kmsError(action, src.keyId, e);
    }
  };

  const certs = await readCertificateChain(src.certificate, 'certificate of the KMS key');

  const info = await call<{ KeyId?: string; PublicKey?: Uint8Array; KeyUsage?: string; SigningAlgorithms?: string[] }>('kms:GetPublicKey', new sdk.GetPublicKeyCommand({ KeyId: src.keyId }));
  // KMS answers with the key's ARN (moto: its id), resolving an alias: every Sign goes to that very key.
  const resolved = info.KeyId ?? src.keyId;
  const keyArn = resolved.startsWith('arn:') || !src.keyId.startsWith('arn:') ? resolved : src.keyId;
  if (info.KeyUsage !== 'SIGN_VERIFY' || !info.PublicKey) {
    throw new EvidencePackError('SIGNING', `AWS KMS key ${keyArn} has key usage ${info.KeyUsage ?? 'unknown'}; signing needs an asymmetric SIGN_VERIFY key`, {
      hint: 'Create it with --key-usage SIGN_VERIFY and a key spec of RSA_2048/3072/4096, ECC_NIST_P256 or ECC_NIST_P384.',
    });
  }
  const spki = Buffer.from(info.PublicKey);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (e) {
    throw new EvidencePackError('SIGNING', `AWS KMS key ${keyArn}: its public key cannot be read (${messageOf(e)})`);
  }
  const algorithm = chooseAlgorithm(src, keyArn, publicKey, info.SigningAlgorithms ?? []);
  const { certificate, chain } = splitChain(spki, certs, src.certificate, `the public key of AWS KMS key ${keyArn}`);
  const hash = SIGNATURE_ALGORITHMS[algorithm].hash;
  return {
    certificate,
    chain,
    subject: subjectOf(certificate),
    algorithm,
    keyRef: `AWS KMS key ${keyArn}`,
    async sign(message) {
      const out = await call<{ Signature?: Uint8Array; SigningAlgorithm?: string }>(
        'kms:Sign',
        new sdk.SignCommand({ KeyId: keyArn, Message: digest(hash, message), MessageType: 'DIGEST', SigningAlgorithm: algorithm }),
      );
      if (!out.Signature || out.SigningAlgorithm !== algorithm) {
        throw new EvidencePackError('SIGNING', `AWS KMS Sign on ${keyArn} returned ${out.Signature ? `algorithm ${out.SigningAlgorithm}` : 'no signature'}; expected ${algorithm}`);
      }
      return Buffer.from(out.Signature);
    },
  };
}

function chooseAlgorithm(src: KmsSource, keyArn: string, publicKey: KeyObject, offered: string[]): SignatureAlgorithm {
  const usable = (Object.keys(SIGNATURE_ALGORITHMS) as SignatureAlgorithm[]).filter((a) => algorithmFitsKey(a, publicKey) && offered.includes(a));
  const describe = `${publicKey.asymmetricKeyType}${publicKey.asymmetricKeyDetails?.namedCurve ? ` ${publicKey.asymmetricKeyDetails.namedCurve}` : ''}`;
  if (src.signingAlgorithm) {
    if (!usable.includes(src.signingAlgorithm)) {
      throw new EvidencePackError('SIGNING', `AWS KMS key ${keyArn} (${describe}) cannot sign with ${src.signingAlgorithm}`, {
        hint: usable.length ? `It can sign with ${usable.join(', ')}.` : 'evidence-pack signs with RSA (PKCS#1 v1.5 or PSS, SHA-256) or ECDSA on P-256 / P-384.',
      });
    }
    return src.signingAlgorithm;
  }
  if (usable.length === 0) {
    throw new EvidencePackError('SIGNING', `AWS KMS key ${keyArn} (${describe}) offers none of the algorithms evidence-pack signs with (${Object.keys(SIGNATURE_ALGORITHMS).join(', ')})`, {
      hint: 'Use a SIGN_VERIFY key with key spec RSA_2048/3072/4096, ECC_NIST_P256 or ECC_NIST_P384.',
    });
  }
  return usable[0]; // table order: RSA PKCS#1 v1.5 (deterministic) before PSS; each curve has one
}

function kmsError(action: string, keyId: string, e: unknown): EvidencePackError {
  if (e instanceof EvidencePackError) return e;
  const name = (e as { name?: string })?.name ?? 'Error';
  const hints: [RegExp, string][] = [
    [/AccessDenied/, `The identity needs ${KMS_ACTIONS.join(' and ')} on the key: \`evidence-pack iam-policy --sign-kms-key ${keyId}\` prints the statement.`],
    [/NotFound/, 'Check the key id or alias and the region (signing.kms.region, or AWS_REGION).'],
    [/Disabled|InvalidState/, 'The key is disabled or pending deletion; enable it in KMS.'],
    [/Credentials|ExpiredToken|UnrecognizedClient|InvalidSignature/i, 'Provide AWS credentials as for the AWS CLI (environment, profile, SSO or the CI role).'],
    [/Region/i, 'Set signing.kms.region, use a key ARN, or set AWS_REGION.'],
  ];
  const hint = hints.find(([re]) => re.test(`${name} ${messageOf(e)}`))?.[1];
  return new EvidencePackError('SIGNING', `AWS KMS ${action.replace('kms:', '')} on ${keyId} failed: ${name}: ${messageOf(e)}`, { hint, cause: e });
}
