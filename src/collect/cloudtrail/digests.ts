// CloudTrail log file integrity, offline: digest signatures, the digest chain and log file hashes, as `aws cloudtrail validate-logs` checks them.

import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { evaluate, parse as parseJsonWithPositions } from '@humanwhocodes/momoa';
import { EvidencePackError, messageOf } from '../../errors.js';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { Period } from '../../model/period.js';
import type {
  ChainBreak,
  ChainGap,
  DigestFileResult,
  DigestStatus,
  IntegrityResult,
  LogFileResult,
  LogFileStatus,
  PublicKeyInput,
} from '../../model/cloudtrail-integrity.js';
import { canonicalKey, hasLayout, listSources, type StoredObject } from './digest-sources.js';
import type { InputRoots } from '../input-files.js';

export type { PublicKeyInput, IntegrityResult } from '../../model/cloudtrail-integrity.js';

export interface ValidateDigestsOptions {
  /** Folders, files or s3:// prefixes holding digest files (`…/CloudTrail-Digest/…`). */
  digests: string[];
  /** Folders, files or s3:// prefixes holding the log files the digests list. */
  logs: string[];
  /** Keys in the `ListPublicKeys` shape, or the path of a file holding that API response. */
  publicKeys?: PublicKeyInput[] | string;
  period: Period;
  /** Needed for s3:// sources; the signature then comes from the object's metadata. */
  s3?: S3Client;
  /** Files hashed at once; zlib inflates on libuv's pool, so a few in flight use every core. */
  concurrency?: number;
  /** Folders symlinks may lead into (default: the sources themselves). */
  inputRoots?: InputRoots;
  /** Largest digest read (config `limits.maxFileBytes`). */
  maxFileBytes?: number;
}

/** The fields of a digest file this validator reads (the documented structure). */
export interface DigestJson {
  awsAccountId?: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm?: string;
  previousDigestS3Bucket?: string | null;
  previousDigestS3Object?: string | null;
  previousDigestHashValue?: string | null;
  previousDigestHashAlgorithm?: string | null;
  previousDigestSignature: string | null;
  logFiles?: { s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm?: string }[];
}

/** The keys aws-cli requires before it validates a digest; a digest without them is an invalid format. */
const REQUIRED_KEYS = [
  'digestPublicKeyFingerprint',
  'digestS3Bucket',
  'digestS3Object',
  'previousDigestSignature',
  'digestEndTime',
  'digestStartTime',
] as const;

const HOUR = 3_600_000;

/**
 * The documented string to sign: `digestEndTime \n bucket/key \n hex(sha256(uncompressed digest)) \n
 * previousDigestSignature`, with the literal `null` for a starting digest (as CloudTrail's Java signer writes it).
 */
export function stringToSign(digest: Pick<DigestJson, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, uncompressed: Buffer): string {
  const hash = createHash('sha256').update(uncompressed).digest('hex');
  return `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${hash}\n${digest.previousDigestSignature ?? 'null'}`;
}

/** CloudTrail's key fingerprint: hex MD5 of the PKCS#1 DER bytes (checked against the key in AWS's list-public-keys example). */
export function publicKeyFingerprint(der: Uint8Array): string {
  return createHash('md5').update(der).digest('hex');
}

export interface LoadedPublicKey {
  fingerprint: string;
  key: KeyObject;
  validFrom?: Date;
  validTo?: Date;
}

function toDate(v: Date | string | number | undefined): Date | undefined {
  if (v === undefined || v === null) return undefined;
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Loads PKCS#1 (what the API returns) or, leniently, SPKI DER. */
function loadRsaKey(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}

/**
 * Indexes keys by fingerprint. A key whose stated Fingerprint differs from the MD5 of its bytes, or whose
 * bytes are not an RSA key, is left out and recorded as a problem (its digests then read `unknown-key`).
 */
export function loadPublicKeys(keys: PublicKeyInput[], origin = 'publicKeys'): { keys: Map<string, LoadedPublicKey>; problems: EvidenceProblem[] } {
  const out = new Map<string, LoadedPublicKey>();
  const problems: EvidenceProblem[] = [];
  keys.forEach((k, i) => {
    const where = `${origin}: PublicKeyList[${i}]`;
    const der = typeof k.Value === 'string' ? Buffer.from(k.Value, 'base64') : Buffer.from(k.Value ?? []);
    if (der.length === 0) {
      problems.push({ level: 'error', message: `${where}.Value: expected a base64 DER public key` });
      return;
    }
    const fingerprint = publicKeyFingerprint(der);
    if (k.Fingerprint !== undefined && k.Fingerprint.toLowerCase() !== fingerprint) {
      problems.push({ level: 'error', message: `${where}.Fingerprint: ${k.Fingerprint} is not the MD5 of the key value (${fingerprint}); key ignored` });
      return;
    }
    try {
      out.set(fingerprint, { fingerprint, key: loadRsaKey(der), validFrom: toDate(k.ValidityStartTime), validTo: toDate(k.ValidityEndTime) });
    } catch (e) {
      problems.push({ level: 'error', message: `${where}.Value: not a DER RSA public key (${messageOf(e)})` });
    }
  });
  return { keys: out, problems };
}

/** Reads a `ListPublicKeys` response saved as JSON (`aws cloudtrail list-public-keys > keys.json`). */
export async function readPublicKeysFile(path: string): Promise<PublicKeyInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new EvidencePackError('INPUT_NOT_FOUND', `${path}: cannot read the public keys file (${messageOf(e)})`, {
      hint: 'Save the keys with: aws cloudtrail list-public-keys --start-time <period start> --end-time <period end> > keys.json',
    });
  }
  let doc;
  try {
    doc = parseJsonWithPositions(text);
  } catch (e) {
    throw new EvidencePackError('INPUT_INVALID', `${path}: not valid JSON (${messageOf(e)})`);
  }
  const bad = (msg: string, line?: number, column?: number): never => {
    throw new EvidencePackError('INPUT_INVALID', `${path}${line ? `:${line}:${column}` : ''}: ${msg}`, {
      hint: 'Expected the ListPublicKeys response: {"PublicKeyList":[{"Value":"<base64 DER>","Fingerprint":"<hex>",…}]}',
    });
  };
  const root = doc.body;
  if (root.type !== 'Object') return bad('$ must be an object with "PublicKeyList"', root.loc.start.line, root.loc.start.column);
  const list = root.members.find((m) => m.name.type === 'String' && m.name.value === 'PublicKeyList');
  if (!list || list.value.type !== 'Array') return bad('$.PublicKeyList: expected an array', (list ?? root).loc.start.line, (list ?? root).loc.start.column);
  return list.value.elements.map((el, i) => {
    const v = el.value;
    if (v.type !== 'Object') return bad(`$.PublicKeyList[${i}]: expected an object`, v.loc.start.line, v.loc.start.column);
    const value = v.members.find((m) => m.name.type === 'String' && m.name.value === 'Value');
    if (!value || value.value.type !== 'String') return bad(`$.PublicKeyList[${i}].Value: expected a base64 string`, v.loc.start.line, v.loc.start.column);
    return evaluate(v) as unknown as PublicKeyInput;
  });
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping result order. */
async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** SHA-256 of a file's uncompressed bytes (gunzipped when it starts with the gzip magic), streamed. */
export async function uncompressedSha256(obj: StoredObject): Promise<string> {
  const src: Readable = await obj.stream();
  const hash = createHash('sha256');
  const iter = src[Symbol.asyncIterator]();
  const first = await iter.next();
  if (first.done) return hash.digest('hex');
  const head = Buffer.from(first.value as Uint8Array);
  // CloudTrail writes .json.gz; a user's gunzipped copy hashes as it is.
  const gzipped = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let r = await iter.next(); !r.done; r = await iter.next()) yield r.value as Buffer;
  }
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb();
    },
  });
  if (gzipped) await pipeline(Readable.from(all()), createGunzip(), sink);
  else await pipeline(Readable.from(all()), sink);
  return hash.digest('hex');
}

const CLOUDTRAIL_LOG_NAME = /(?:^|\/)\d{12}_CloudTrail_[^/]+_\d{8}T\d{4}Z_[^/]+\.json(?:\.gz)?$/;

const DIGEST_KEY_TIME = /_(\d{8}T\d{6}Z)(_backfill)?\.json(\.gz)?$/;

function keyTime(key: string): Date | undefined {
  const m = DIGEST_KEY_TIME.exec(key);
  if (!m) return undefined;
  const t = m[1];
  return new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`);
}

/** Log files carry their delivery minute: `…_CloudTrail_<region>_YYYYMMDDTHHMMZ_<random>.json.gz`. */
function logTime(key: string): Date | undefined {
  const m = /_(\d{8})T(\d{4})Z_[^/]*$/.exec(key);
  if (m) {
    const [d, t] = [m[1], m[2]];
    return new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:00Z`);
  }
  const p = /\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]*$/.exec(key.split('\\').join('/'));
  return p ? new Date(`${p[1]}-${p[2]}-${p[3]}T00:00:00Z`) : undefined;
}

/** Digests of one trail in one region form one chain: the key without its date folders and timestamp. */
function streamOf(key: string): string {
  return canonicalKey(key)
    .replace(/\/\d{4}\/\d{2}\/\d{2}\//, '/')
    .replace(DIGEST_KEY_TIME, '');
}

interface LoadedDigest {
  obj: StoredObject;
  result: DigestFileResult;
  data?: DigestJson;
  uncompressedSha256?: string;
  signature?: string;
  end: Date;
  stream: string;
  backfill: boolean;
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** True when the digest was read from where it says it was delivered (aws-cli's "moved from its original location"). */
function atOwnLocation(obj: StoredObject, data: DigestJson): boolean {
  if (obj.bucket !== undefined) return obj.bucket === data.digestS3Bucket && obj.key === data.digestS3Object;
  if (hasLayout(obj.path)) return canonicalKey(obj.path) === canonicalKey(data.digestS3Object);
  return canonicalKey(obj.path) === canonicalKey(data.digestS3Object.slice(data.digestS3Object.lastIndexOf('/') + 1));
}

async function loadDigest(obj: StoredObject, keys: Map<string, LoadedPublicKey>): Promise<LoadedDigest> {
  const backfill = /_backfill\.json\.gz$/.test(obj.key);
  const base = { obj, end: keyTime(obj.key) ?? new Date(0), stream: streamOf(obj.key), backfill };
  const result = (status: DigestStatus, reason?: string, extra: Partial<DigestFileResult> = {}): DigestFileResult => ({
    path: obj.path,
    status,
    ...(reason ? { reason } : {}),
    ...extra,
  });
  let raw;
  try {
    raw = await obj.read();
  } catch (e) {
    return { ...base, result: result('unreadable', `cannot be read: ${(e as Error).name}: ${messageOf(e)}`) };
  }
  let uncompressed: Buffer;
  try {
    uncompressed = gunzipSync(raw.body);
  } catch (e) {
    return { ...base, result: result('unreadable', `invalid format: not gzip (${messageOf(e)})`) };
  }
  const sha = createHash('sha256').update(uncompressed).digest('hex');
  let data: DigestJson;
  try {
    data = JSON.parse(uncompressed.toString('utf8')) as DigestJson;
  } catch (e) {
    return { ...base, uncompressedSha256: sha, result: result('unreadable', `invalid format: not JSON (${messageOf(e)})`) };
  }
  const missing = REQUIRED_KEYS.filter((k) => typeof data !== 'object' || data === null || !(k in data));
  if (missing.length > 0) {
    return { ...base, uncompressedSha256: sha, result: result('unreadable', `invalid format: missing ${missing.join(', ')}`) };
  }
  const malformed = malformedHashFields(data);
  const signature = raw.metadata?.signature;
  const loaded: LoadedDigest = {
    ...base,
    data,
    uncompressedSha256: sha,
    signature,
    end: toDate(data.digestEndTime) ?? base.end,
    stream: streamOf(data.digestS3Object),
    result: result('valid', undefined, {
      start: data.digestStartTime,
      end: data.digestEndTime,
      logFileCount: data.logFiles?.length ?? 0,
      ...(backfill ? { backfill } : {}),
      ...(malformed.length ? { malformed } : {}),
    }),
  };
  const set = (status: DigestStatus, reason: string) => {
    loaded.result = { ...loaded.result, status, reason };
    return loaded;
  };
  if (!atOwnLocation(obj, data)) return set('moved', `has been moved from its original location s3://${data.digestS3Bucket}/${data.digestS3Object}`);
  if (signature === undefined) {
    const why = raw.metadataProblem
      ? raw.metadataProblem
      : obj.bucket !== undefined
        ? 'the S3 object has no "signature" metadata'
        : `no signature: a local copy loses the S3 object metadata; save it next to the file as ${obj.path.split(/[\\/]/).pop()}.sig.json`;
    return set('unsigned', why);
  }
  const algorithm = raw.metadata?.['signature-algorithm'];
  if (algorithm === undefined) return set('unsigned', `no "signature-algorithm" in ${raw.metadataSource ?? 'the metadata'}`);
  if (algorithm !== 'SHA256withRSA') return set('invalid-signature', `unsupported signature algorithm ${algorithm} (expected SHA256withRSA)`);
  const key = keys.get(String(data.digestPublicKeyFingerprint).toLowerCase());
  if (!key) return set('unknown-key', `no public key with fingerprint ${data.digestPublicKeyFingerprint} was supplied`);
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signature)) return set('invalid-signature', `signature in ${raw.metadataSource} is not hex`);
  const ok = verify('sha256', Buffer.from(stringToSign(data, uncompressed), 'utf8'), key.key, Buffer.from(signature, 'hex'));
  if (!ok) return set('invalid-signature', 'signature verification failed: the digest or its signature was altered');
  return loaded;
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** Hash fields that are not what the format says (64 hex digits of SHA-256): malformed on their own, whatever else holds. */
export function malformedHashFields(data: DigestJson): string[] {
  const out: string[] = [];
  const describe = (v: unknown) => (typeof v === 'string' ? `${v.length} characters${/^[0-9a-fA-F]*$/.test(v) ? '' : ', not all hex'}` : `a ${v === null ? 'null' : typeof v}`);
  const prev = data.previousDigestHashValue;
  if (prev != null && (typeof prev !== 'string' || !SHA256_HEX.test(prev))) out.push(`previousDigestHashValue is not 64 hex digits (${describe(prev)})`);
  (Array.isArray(data.logFiles) ? data.logFiles : []).forEach((f, i) => {
    if ((f?.hashAlgorithm === undefined || f.hashAlgorithm === 'SHA-256') && (typeof f?.hashValue !== 'string' || !SHA256_HEX.test(f.hashValue)))
      out.push(`logFiles[${i}].hashValue is not 64 hex digits (${describe(f?.hashValue)})`);
  });
  return out;
}

/** Walks each stream's digests oldest first and checks every back-link the way the chain is documented. */
function checkChain(digests: LoadedDigest[], period: Period): { gaps: ChainGap[]; breaks: ChainBreak[] } {
  const gaps: ChainGap[] = [];
  const reasons = new Map<string, string[]>();
  const breaks = { push: (b: ChainBreak) => reasons.set(b.digest, [...(reasons.get(b.digest) ?? []), b.reason]) };
  const byLocation = new Map<string, LoadedDigest>();
  const byName = new Map<string, LoadedDigest>();
  for (const d of digests) {
    // Copies outside the AWSLogs layout (a flat folder) can only be found by file name.
    if (d.obj.bucket !== undefined || hasLayout(d.obj.path)) byLocation.set(canonicalKey(d.obj.key), d);
    else byName.set(canonicalKey(d.obj.key), d);
  }
  const find = (key: string) => byLocation.get(key) ?? byName.get(key.slice(key.lastIndexOf('/') + 1));
  const streams = new Map<string, LoadedDigest[]>();
  for (const d of digests) {
    if (!d.data || d.backfill) continue;
    const list = streams.get(d.stream) ?? [];
    list.push(d);
    streams.set(d.stream, list);
  }
  for (const [stream, list] of [...streams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort((a, b) => a.end.getTime() - b.end.getTime() || (a.obj.path < b.obj.path ? -1 : 1));
    const claimed = new Map<string, string>();
    list.forEach((cur, i) => {
      const data = cur.data!;
      const prev = i > 0 ? list[i - 1] : undefined;
      const curStart = toDate(data.digestStartTime) ?? cur.end;
      // A starting digest (trail created, logging or validation restarted) has null previous fields.
      if (!data.previousDigestS3Object || !data.previousDigestSignature) {
        const from = prev ? prev.end : period.start;
        if (curStart.getTime() - from.getTime() > 0) {
          gaps.push({ from: isoSeconds(from), to: isoSeconds(curStart), kind: 'restart', after: cur.obj.path, stream });
        }
        return;
      }
      const targetKey = canonicalKey(data.previousDigestS3Object);
      const other = claimed.get(targetKey);
      if (other) breaks.push({ digest: cur.obj.path, reason: `claims the same previous digest as ${other}: the chain forks` });
      claimed.set(targetKey, cur.obj.path);
      const target = find(targetKey);
      if (!target) {
        const targetEnd = keyTime(data.previousDigestS3Object);
        // The first in-period digest normally points at one before the period, which was not loaded.
        if (!prev && targetEnd && targetEnd < period.start) return;
        gaps.push({
          from: isoSeconds(prev ? prev.end : period.start),
          to: isoSeconds(curStart),
          kind: 'missing-digest',
          missing: `s3://${data.previousDigestS3Bucket}/${data.previousDigestS3Object}`,
          after: cur.obj.path,
          stream,
        });
        return;
      }
      if (!target.data) return; // unreadable: already invalid, its link cannot be checked
      if (target.end >= cur.end) {
        breaks.push({ digest: cur.obj.path, reason: `previous digest ${target.obj.path} is not older than this one: the digests are out of order` });
        return;
      }
      if (prev && target !== prev) {
        breaks.push({ digest: cur.obj.path, reason: `previous digest is ${target.obj.path}, but ${prev.obj.path} lies between them: the digests are out of order` });
        return;
      }
      if (data.previousDigestS3Bucket != null && data.previousDigestS3Bucket !== target.data.digestS3Bucket) {
        breaks.push({ digest: cur.obj.path, reason: `previousDigestS3Bucket ${data.previousDigestS3Bucket} is not the bucket of ${target.obj.path}` });
      }
      if (target.signature !== undefined && data.previousDigestSignature.toLowerCase() !== target.signature.toLowerCase()) {
        breaks.push({ digest: cur.obj.path, reason: `previousDigestSignature does not match the signature of ${target.obj.path}` });
      }
      if (data.previousDigestHashValue != null && String(data.previousDigestHashValue).toLowerCase() !== target.uncompressedSha256) {
        const bad = !SHA256_HEX.test(String(data.previousDigestHashValue)) ? ' (and it is malformed: not 64 hex digits)' : '';
        breaks.push({ digest: cur.obj.path, reason: `previousDigestHashValue does not match the SHA-256 of ${target.obj.path}${bad}` });
      }
    });
    const last = list[list.length - 1];
    if (period.end.getTime() - last.end.getTime() > HOUR) {
      gaps.push({ from: isoSeconds(last.end), to: isoSeconds(period.end), kind: 'tail', stream });
    }
  }
  const all = [...reasons].map(([digest, r]) => ({ digest, reason: r.join('; ') }));
  return { gaps, breaks: all.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0)) };
}

interface Listed {
  bucket: string;
  key: string;
  hashValue: string;
  hashAlgorithm?: string;
  digest: LoadedDigest;
}

async function checkLogFiles(
  digests: LoadedDigest[],
  logs: StoredObject[],
  period: Period,
  concurrency: number,
): Promise<LogFileResult[]> {
  const byKey = new Map<string, StoredObject>();
  const byName = new Map<string, StoredObject>();
  for (const o of logs) {
    if (hasLayout(o.path) || o.bucket !== undefined) byKey.set(canonicalKey(o.key), o);
    else byName.set(canonicalKey(o.key), o);
  }
  const listed = new Map<string, Listed>();
  for (const d of digests) {
    for (const f of d.data?.logFiles ?? []) {
      const k = canonicalKey(f.s3Object);
      // A log listed twice (a backfill repeating an entry) is judged once, preferably against a valid digest.
      const seen = listed.get(k);
      if (!seen || (seen.digest.result.status !== 'valid' && d.result.status === 'valid')) {
        listed.set(k, { bucket: f.s3Bucket, key: f.s3Object, hashValue: String(f.hashValue).toLowerCase(), hashAlgorithm: f.hashAlgorithm, digest: d });
      }
    }
  }
  const hashes = new Map<StoredObject, string | Error>();
  const hashOf = async (o: StoredObject) => {
    if (!hashes.has(o)) {
      try {
        hashes.set(o, await uncompressedSha256(o));
      } catch (e) {
        hashes.set(o, e as Error);
      }
    }
    return hashes.get(o)!;
  };
  const entries = [...listed.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const claimed = new Set<StoredObject>();
  const located = entries.map(([k, l]) => {
    const found = byKey.get(k) ?? byName.get(k.slice(k.lastIndexOf('/') + 1));
    if (found) claimed.add(found);
    return { l, found };
  });
  await mapPool(located.filter((x) => x.found), concurrency, (x) => hashOf(x.found!));
  const results: LogFileResult[] = [];
  const missing: { l: Listed }[] = [];
  for (const { l, found } of located) {
    const base = { digest: l.digest.obj.path, expectedKey: l.key };
    if (!found) {
      missing.push({ l });
      continue;
    }
    const h = hashes.get(found)!;
    let status: LogFileStatus;
    let reason: string | undefined;
    if (l.hashAlgorithm !== undefined && l.hashAlgorithm !== 'SHA-256') {
      status = 'unverified';
      reason = `unsupported hash algorithm ${l.hashAlgorithm}`;
    } else if (h instanceof Error && /^Z_/.test(String((h as NodeJS.ErrnoException).code))) {
      status = 'modified';
      reason = `not valid gzip (${messageOf(h)}): its uncompressed content cannot be what the digest hashed`;
    } else if (h instanceof Error) {
      status = 'unverified';
      reason = `could not be read: ${h.name}: ${messageOf(h)}`;
    } else if (!SHA256_HEX.test(l.hashValue)) {
      status = 'unverified';
      reason = `the digest records a malformed hash value (${l.hashValue.length} characters, not 64 hex digits): nothing to compare with`;
    } else if (l.digest.result.status === 'invalid-signature') {
      // An altered digest proves nothing about the logs it lists, in either direction: the log is not shown to be modified.
      status = 'unverified';
      reason = `the digest that lists it fails its signature check (it was altered), so the hash it records cannot be trusted; ${h === l.hashValue ? 'the hash matches' : `the file's SHA-256 is ${h}, the digest records ${l.hashValue}`}`;
    } else if (h !== l.hashValue) {
      status = 'modified';
      reason = `hash value doesn't match: SHA-256 of the uncompressed file is ${h}, the digest records ${l.hashValue}`;
    } else if (l.digest.result.status !== 'valid') {
      status = 'unverified';
      reason = `hash matches, but the digest that lists it is ${l.digest.result.status}`;
    } else status = 'valid';
    results.push({ path: found.path, status, ...(reason ? { reason } : {}), ...base });
  }
  // Files no digest lists: any of them may be a listed file under another key ("moved")…
  const unclaimed = logs.filter((o) => !claimed.has(o));
  const byHash = new Map<string, StoredObject>();
  if (missing.length > 0) {
    await mapPool(unclaimed, concurrency, hashOf);
    for (const o of unclaimed) {
      const h = hashes.get(o);
      if (typeof h === 'string' && !byHash.has(h)) byHash.set(h, o);
    }
  }
  for (const { l } of missing) {
    const base = { digest: l.digest.obj.path, expectedKey: l.key };
    const elsewhere = byHash.get(l.hashValue);
    if (elsewhere && !claimed.has(elsewhere)) {
      claimed.add(elsewhere);
      results.push({ path: `s3://${l.bucket}/${l.key}`, status: 'moved', reason: `not at its key; the file with its hash is at ${elsewhere.path}`, ...base });
    } else {
      results.push({ path: `s3://${l.bucket}/${l.key}`, status: 'missing', reason: 'not found (no file with its key or its hash)', ...base });
    }
  }
  // …and the rest, when CloudTrail named them as its deliveries in the period, are "unlisted" (other JSON nearby is not a log).
  for (const o of unclaimed) {
    if (claimed.has(o) || !CLOUDTRAIL_LOG_NAME.test(o.key)) continue;
    const t = logTime(o.key);
    if (t === undefined || t < period.start || t >= period.end) continue;
    results.push({ path: o.path, status: 'unlisted', reason: 'in the period but listed in no digest file' });
  }
  return results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const DIGEST_STATUSES: DigestStatus[] = ['valid', 'invalid-signature', 'unknown-key', 'unsigned', 'unreadable', 'moved'];
const LOG_STATUSES: LogFileStatus[] = ['valid', 'modified', 'missing', 'moved', 'unlisted', 'unverified'];

function count<S extends string>(all: S[], items: { status: S }[]): Record<S, number> & { total: number } {
  const c = Object.fromEntries(all.map((s) => [s, 0])) as Record<S, number>;
  for (const i of items) c[i.status]++;
  return { ...c, total: items.length };
}

/**
 * Validates the digest files of the period (those ending from its start to one hour after its end, as
 * aws-cli selects them), their chain, and every log file they list; reports the period's unlisted logs.
 */
export async function validateDigests(opts: ValidateDigestsOptions): Promise<IntegrityResult> {
  const { period } = opts;
  const problems: EvidenceProblem[] = [];
  let keyInputs: PublicKeyInput[] = [];
  let keyOrigin = 'publicKeys';
  if (typeof opts.publicKeys === 'string') {
    keyOrigin = opts.publicKeys;
    keyInputs = await readPublicKeysFile(opts.publicKeys);
  } else if (opts.publicKeys) keyInputs = opts.publicKeys;
  const { keys, problems: keyProblems } = loadPublicKeys(keyInputs, keyOrigin);
  problems.push(...keyProblems);

  const windowEnd = new Date(period.end.getTime() + HOUR);
  const local = { roots: opts.inputRoots, maxFileBytes: opts.maxFileBytes };
  const digestListing = await listSources(opts.digests, 'digest', { from: period.start, to: windowEnd }, opts.s3, local);
  // Logs listed by the first digests may have been delivered just before the period starts.
  const logListing = await listSources(opts.logs, 'log', { from: new Date(period.start.getTime() - 86_400_000), to: windowEnd }, opts.s3, local);
  problems.push(...digestListing.problems, ...logListing.problems);

  const concurrency = opts.concurrency ?? 4;
  const candidates = digestListing.objects.filter((o) => {
    const t = keyTime(o.key);
    return t === undefined || (t >= period.start && t <= windowEnd);
  });
  const loaded = await mapPool(candidates, concurrency, (o) => loadDigest(o, keys));
  // A file named outside the layout is placed by its content; one named in the window is never dropped.
  const inWindow = loaded.filter((d) => keyTime(d.obj.key) !== undefined || !d.data || (d.end >= period.start && d.end <= windowEnd));
  inWindow.sort((a, b) => (a.obj.path < b.obj.path ? -1 : a.obj.path > b.obj.path ? 1 : 0));

  const { gaps, breaks } = checkChain(inWindow, period);
  const logFiles = await checkLogFiles(inWindow, logListing.objects, period, concurrency);
  const digests = inWindow.map((d) => d.result);

  const summary = {
    digests: count(DIGEST_STATUSES, digests),
    logFiles: count(LOG_STATUSES, logFiles),
    gaps: gaps.length,
    breaks: breaks.length,
  };
  const invalid: string[] = [];
  const unknown: string[] = [];
  const sd = summary.digests;
  const sl = summary.logFiles;
  if (sd['invalid-signature']) invalid.push(`${sd['invalid-signature']} digest file(s) fail signature verification`);
  if (sd.unreadable) invalid.push(`${sd.unreadable} digest file(s) are unreadable (invalid format)`);
  if (sd.moved) invalid.push(`${sd.moved} digest file(s) were moved from their original location`);
  if (sl.modified) invalid.push(`${sl.modified} log file(s) were modified`);
  if (sl.missing) invalid.push(`${sl.missing} log file(s) listed in digests are missing`);
  if (sl.moved) invalid.push(`${sl.moved} log file(s) were moved from their original key`);
  const missingDigests = gaps.filter((g) => g.kind === 'missing-digest').length;
  if (missingDigests) invalid.push(`${missingDigests} digest file(s) in the chain are missing`);
  if (breaks.length) invalid.push(`the digest chain is broken at ${breaks.length} place(s)`);
  const malformed = digests.filter((d) => d.malformed?.length);
  if (malformed.length) invalid.push(`${malformed.length} digest file(s) have malformed hash fields`);
  for (const d of malformed) for (const m of d.malformed!) problems.push({ level: 'error', message: `${d.path}: malformed digest: ${m}`, location: { file: d.path } });
  if (digests.length === 0) unknown.push('no digest files were found for the period');
  if (sd.unsigned) unknown.push(`${sd.unsigned} digest file(s) have no signature available`);
  if (sd['unknown-key']) unknown.push(`${sd['unknown-key']} digest file(s) are signed with a key that was not supplied`);
  if (sl.unverified) unknown.push(`${sl.unverified} log file(s) could not be verified`);
  if (sl.unlisted) unknown.push(`${sl.unlisted} log file(s) in the period are listed in no digest`);
  const tails = gaps.filter((g) => g.kind === 'tail').length;
  if (tails) unknown.push(`no digest covers the end of the period in ${tails} stream(s)`);
  if (problems.some((p) => p.level === 'error')) unknown.push('some sources or keys could not be read (see problems)');
  const verdict = invalid.length > 0 ? 'invalid' : unknown.length > 0 ? 'unknown' : 'valid';

  return {
    digests,
    logFiles,
    chain: { status: breaks.length > 0 ? 'broken' : gaps.length > 0 ? 'gaps' : 'intact', gaps, breaks },
    summary,
    verdict,
    verdictReasons: [...invalid, ...unknown],
    problems,
    skipped: digestListing.skipped,
  };
}
