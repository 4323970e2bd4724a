// How a pack is signed, as configured (evidence-pack.yaml `signing:` or the --sign-* / --tsa-url flags).

/** Signature algorithms, named as AWS KMS names them; src/pack/signer.ts says what each one is. */
export type SignatureAlgorithmName = 'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PSS_SHA_256' | 'ECDSA_SHA_256' | 'ECDSA_SHA_384';

/** An AWS KMS signing key and the certificate of its public key. */
export interface KmsKeyConfig {
  /** Key id, key ARN, alias name ("alias/…") or alias ARN. */
  keyId: string;
  /** Region of the key; default: the region of an ARN key id, else the SDK's (AWS_REGION, profile). */
  region?: string;
  /** PEM certificate chain of the KMS key's public key, its certificate first (required; --sign-cert on the command line). */
  certificate?: string;
  /** Default: RSASSA_PKCS1_V1_5_SHA_256 for RSA keys (reproducible packs), ECDSA for EC keys. */
  signingAlgorithm?: SignatureAlgorithmName;
}

/** An RFC 3161 time-stamping authority. */
export interface TsaConfig {
  /** http(s) URL the time-stamp requests are POSTed to. */
  url: string;
  /** PEM certificate(s) the TSA's certificate must chain to when signing. */
  caFile?: string;
}

/** Where the signing key is (one of: PEM key + certificate, PKCS#12, AWS KMS) and, optionally, the TSA. */
export interface SigningConfig {
  /** PEM private key (PKCS#8 or PKCS#1; encrypted PEM takes its passphrase from `passphraseEnv`). */
  key?: string;
  /** PEM certificate chain: the signer's certificate first, then intermediates. */
  cert?: string;
  /** PKCS#12 file holding key and certificate chain. */
  p12?: string;
  /** Name of the environment variable holding the passphrase (never the passphrase itself). */
  passphraseEnv?: string;
  /** An AWS KMS key: the private key never leaves KMS. */
  kms?: KmsKeyConfig;
  tsa?: TsaConfig;
}
