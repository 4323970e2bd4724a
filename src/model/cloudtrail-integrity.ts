// CloudTrail log file integrity: the verdicts of digest validation (signatures, chain, log file hashes).

import type { EvidenceProblem } from './evidence.js';
import type { SkipReason } from './coverage.js';

/**
 * A CloudTrail public key, in the shape of one `ListPublicKeys` `PublicKeyList` entry. `Value` is the
 * DER-encoded PKCS#1 RSAPublicKey (base64 in the CLI's JSON, bytes from the SDK). Times are what the
 * SDK returns (Date), the CLI prints (ISO string or epoch seconds), or absent.
 */
export interface PublicKeyInput {
  Value: string | Uint8Array;
  /** Hex MD5 of the DER bytes of `Value`; checked against the key when given. */
  Fingerprint?: string;
  ValidityStartTime?: Date | string | number;
  ValidityEndTime?: Date | string | number;
}

export type DigestStatus =
  /** Signature verified with the key named by `digestPublicKeyFingerprint`, and found where it says it lives. */
  | 'valid'
  /** The RSA signature does not verify over the documented string to sign (digest or its metadata altered). */
  | 'invalid-signature'
  /** No public key with the digest's fingerprint was supplied (or the key could not be loaded). */
  | 'unknown-key'
  /** No signature is available (a local copy lost its S3 metadata and has no sidecar). */
  | 'unsigned'
  /** Not gzip, not JSON, or a required field is missing. */
  | 'unreadable'
  /** The digest's own `digestS3Object` names another location than the one it was read from. */
  | 'moved';

export interface DigestFileResult {
  /** Local path or s3:// URI the digest was read from. */
  path: string;
  status: DigestStatus;
  reason?: string;
  /** `digestStartTime` / `digestEndTime` from the digest, when readable. */
  start?: string;
  end?: string;
  /** Number of log files the digest lists. */
  logFileCount?: number;
  /** Backfill digests (`_backfill` suffix) list late log files and take no part in the chain. */
  backfill?: boolean;
  /** Hash fields that are not 64 hex digits (e.g. a 63-digit previousDigestHashValue), each named. */
  malformed?: string[];
}

export type LogFileStatus =
  /** Uncompressed SHA-256 equals the `hashValue` of a digest whose signature verified. */
  | 'valid'
  /** Listed in a digest, present, but its uncompressed SHA-256 differs (or it cannot be decompressed). */
  | 'modified'
  /** Listed in a digest, but no file with its key or its hash was found. */
  | 'missing'
  /** Listed in a digest; not at its key, but a file with the listed hash exists under another key. */
  | 'moved'
  /** Present in the period, but listed in no digest. */
  | 'unlisted'
  /** Hash matches, but the digest that lists it is not itself valid, so nothing is proven. */
  | 'unverified';

export interface LogFileResult {
  /** Where the file was found (local path or s3:// URI); for a missing file, s3://bucket/key from the digest. */
  path: string;
  status: LogFileStatus;
  reason?: string;
  /** The digest that lists this file (absent for unlisted files). */
  digest?: string;
  /** The S3 key the digest records for it. */
  expectedKey?: string;
}

export interface ChainGap {
  /** ISO times: the span no verified digest covers. */
  from: string;
  to: string;
  /**
   * `missing-digest`: a digest in the chain was not found (deletion, invalid);
   * `restart`: a starting digest (null previous fields) — CloudTrail says no log files were delivered;
   * `tail`: the period ends more than an hour after the last digest — nothing vouches for that span.
   */
  kind: 'missing-digest' | 'restart' | 'tail';
  /** The digest that is missing (its key), for `missing-digest`. */
  missing?: string;
  /** The digest right after the gap (absent for `tail`). */
  after?: string;
  /** The stream (trail + region) the gap is in. */
  stream: string;
}

export interface ChainBreak {
  /** The digest whose link to its predecessor does not hold. */
  digest: string;
  reason: string;
}

export interface ChainResult {
  status: 'intact' | 'broken' | 'gaps';
  gaps: ChainGap[];
  breaks: ChainBreak[];
}

export interface IntegritySummary {
  digests: Record<DigestStatus, number> & { total: number };
  logFiles: Record<LogFileStatus, number> & { total: number };
  gaps: number;
  breaks: number;
}

export interface IntegrityResult {
  digests: DigestFileResult[];
  logFiles: LogFileResult[];
  chain: ChainResult;
  summary: IntegritySummary;
  /**
   * `invalid`: something was demonstrably altered, deleted or moved; `unknown`: integrity could not be
   * demonstrated (no digests, unsigned copies, unknown keys, unlisted logs, uncovered time); else `valid`.
   */
  verdict: 'valid' | 'invalid' | 'unknown';
  /** Why the verdict is what it is, one line per cause (empty when valid). */
  verdictReasons: string[];
  /** Sources or inputs that could not be read (an unlistable prefix, a bad sidecar). */
  problems: EvidenceProblem[];
  /** Local digest files not read at all (special files, symlinks leading outside the roots, unlistable folders). */
  skipped?: { path: string; skip: SkipReason; reason: string }[];
}
