// Public API of the pack step: keys, signing (PAdES, CMS, DSSE), writing and verifying audit packs.

export { keygen, loadSigner, KEY_FILE, CERT_FILE, type SignerSource, type KeygenResult } from './keys.js';
export { SIGNATURE_ALGORITHMS, type Signer, type SignatureAlgorithm } from './signer.js';
export { signDetachedCms, verifyDetachedCms, type CmsVerification } from './cms.js';
export {
  signDsse,
  verifyDsse,
  pae,
  keyIdOf,
  IN_TOTO_STATEMENT_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  AUDIT_PACK_PREDICATE_TYPE,
  RELEASE_PREDICATE_TYPE,
  type DsseEnvelope,
  type DsseTrust,
  type DsseVerification,
  type InTotoStatement,
  type ResourceDescriptor,
} from './dsse.js';
export { buildStatement, type AuditPackPredicate, type AttestationOptions } from './attestation.js';
export { signPdf, verifyPdfSignature, CadesSigner, type PdfSignatureVerification } from './pades.js';
export { PACK_FILES, NOT_LISTED, type Manifest, type ManifestFile } from './manifest.js';
export { writePack, type WritePackOptions, type WritePackResult, type PackFile } from './write.js';
export { verifyPack, PACK_PREDICATE_TYPES, type VerifyResult, type VerifyOptions, type FileVerdict, type FileStatus, type SignatureVerdict } from './verify.js';
