// Builds CloudTrail log files and signed digest chains in a folder laid out like the bucket, for tests and the benchmark.

import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DigestJson } from './digests.js';

function stamp(d: Date, withSeconds: boolean): string {
  const iso = d.toISOString(); // 2026-07-01T13:05:09.000Z
  const s = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return withSeconds ? `${s}${iso.slice(17, 19)}Z` : `${s}Z`;
}

function datePath(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '/');
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface LogFileOptions {
  account: string;
  region: string;
  /** Delivery time: it names the file and decides which digest lists it. */
  at: Date;
  records: unknown[];
  prefix?: string;
  /** Makes the 16-character suffix unique when several files share a minute. */
  seq?: number;
}

/** The key CloudTrail gives a log file delivered at `at`. */
export function logFileKey(o: Omit<LogFileOptions, 'records'>): string {
  const id = createHash('sha256').update(`${o.account}/${o.region}/${o.at.toISOString()}/${o.seq ?? 0}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16);
  const key = `AWSLogs/${o.account}/CloudTrail/${o.region}/${datePath(o.at)}/${o.account}_CloudTrail_${o.region}_${stamp(o.at, false)}_${id}.json.gz`;
  return o.prefix ? `${o.prefix}/${key}` : key;
}

/** Writes `{"Records":[…]}` gzipped under `root` at its CloudTrail key; returns the key. */
export async function writeLogFile(root: string, o: LogFileOptions): Promise<string> {
  const key = logFileKey(o);
  const path = join(root, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, gzipSync(Buffer.from(JSON.stringify({ Records: o.records }))));
  return key;
}

export interface DigestChainOptions {
  /** Folder standing for the bucket root: keys are paths under it. */
  root: string;
  bucket: string;
  account: string;
  region: string;
  trail: string;
  /** Region the trail was created in; defaults to `region`. */
  homeRegion?: string;
  prefix?: string;
  /** PEM or KeyObject of the RSA private key that signs (CloudTrail's per-region key, here the test's own). */
  privateKey: KeyObject | string;
  /** `digestStartTime` of the first digest; each digest covers the next hour. */
  start: Date;
  hours: number;
  /** Keys (under `root`) of log files to list, each in the digest whose hour holds its delivery time. */
  logFiles?: string[];
  /** The digest this chain continues; absent or null writes a starting digest (null previous fields). */
  previous?: WrittenDigest | null;
  /** Write `<digest>.sig.json` with the S3 metadata (default true); the signature is returned either way. */
  sidecars?: boolean;
  /** Changes a digest before it is signed: fixtures that only a key holder could forge. */
  mutate?: (digest: DigestJson, index: number) => void;
}

export interface WrittenDigest {
  key: string;
  path: string;
  /** Hex SHA256withRSA signature: the `x-amz-meta-signature` S3 metadata. */
  signature: string;
  /** SHA-256 (hex) of the uncompressed digest. */
  sha256: string;
  data: DigestJson;
}

function logTime(key: string): Date | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/.exec(key);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`) : undefined;
}

async function uncompressed(path: string): Promise<Buffer> {
  const raw = await readFile(path);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/**
 * Writes `hours` hourly digests that list the given log files, signed like CloudTrail signs them: RSA
 * PKCS#1 v1.5 over SHA-256 of `digestEndTime\nbucket/key\nsha256hex(uncompressed digest)\npreviousSignature`.
 */
export async function writeDigestChain(o: DigestChainOptions): Promise<WrittenDigest[]> {
  const home = o.homeRegion ?? o.region;
  const perHour: DigestJson['logFiles'][] = Array.from({ length: o.hours }, () => []);
  for (const key of [...(o.logFiles ?? [])].sort()) {
    const t = logTime(key);
    const i = t ? Math.floor((t.getTime() - o.start.getTime()) / 3_600_000) : 0;
    if (i < 0 || i >= o.hours) continue;
    const hash = createHash('sha256').update(await uncompressed(join(o.root, key))).digest('hex');
    perHour[i]!.push({ s3Bucket: o.bucket, s3Object: key, hashValue: hash, hashAlgorithm: 'SHA-256' });
  }
  const written: WrittenDigest[] = [];
  let previous = o.previous ?? null;
  const privateKey = o.privateKey;
  const publicDer = createPublicKey(privateKey).export({ format: 'der', type: 'pkcs1' });
  const fingerprint = createHash('md5').update(publicDer).digest('hex');
  for (let i = 0; i < o.hours; i++) {
    const start = new Date(o.start.getTime() + i * 3_600_000);
    const end = new Date(start.getTime() + 3_600_000);
    const base = `AWSLogs/${o.account}/CloudTrail-Digest/${o.region}/${datePath(end)}/${o.account}_CloudTrail-Digest_${o.region}_${o.trail}_${home}_${stamp(end, true)}.json.gz`;
    const key = o.prefix ? `${o.prefix}/${base}` : base;
    const data: DigestJson = {
      awsAccountId: o.account,
      digestStartTime: isoSeconds(start),
      digestEndTime: isoSeconds(end),
      digestS3Bucket: o.bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestS3Bucket: previous ? o.bucket : null,
      previousDigestS3Object: previous ? previous.key : null,
      previousDigestHashValue: previous ? previous.sha256 : null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous ? previous.signature : null,
      logFiles: perHour[i],
    };
    o.mutate?.(data, i);
    const body = Buffer.from(JSON.stringify(data));
    const sha256 = createHash('sha256').update(body).digest('hex');
    const toSign = `${data.digestEndTime}\n${data.digestS3Bucket}/${data.digestS3Object}\n${sha256}\n${data.previousDigestSignature ?? 'null'}`;
    const signature = sign('sha256', Buffer.from(toSign), privateKey).toString('hex');
    const path = join(o.root, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, gzipSync(body));
    if (o.sidecars !== false) {
      await writeFile(`${path}.sig.json`, JSON.stringify({ signature, 'signature-algorithm': 'SHA256withRSA' }));
    }
    const w: WrittenDigest = { key, path, signature, sha256, data };
    written.push(w);
    previous = w;
  }
  return written;
}

/** The `ListPublicKeys` response (CLI JSON shape) for a key pair's public half. */
export function publicKeyList(key: KeyObject | string, validity?: { from: Date; to: Date }) {
  const pub = typeof key !== 'string' && key.type === 'public' ? key : createPublicKey(key);
  const der = pub.export({ format: 'der', type: 'pkcs1' });
  return {
    PublicKeyList: [
      {
        Value: der.toString('base64'),
        Fingerprint: createHash('md5').update(der).digest('hex'),
        ...(validity ? { ValidityStartTime: validity.from.toISOString(), ValidityEndTime: validity.to.toISOString() } : {}),
      },
    ],
  };
}
