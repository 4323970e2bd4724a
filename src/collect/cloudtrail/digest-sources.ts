// Where digest and log files come from: local folders in the S3 layout, or s3:// prefixes read through an injected S3Client.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { EvidencePackError, messageOf } from '../../errors.js';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { SkipReason } from '../../model/coverage.js';
import { DEFAULT_MAX_FILE_BYTES, InputRoots, openInputStream, readInputFile } from '../input-files.js';

export type ObjectKind = 'digest' | 'log';

/** One digest or log file, wherever it is stored. */
export interface StoredObject {
  /** What the user sees: a local path or an s3:// URI. */
  path: string;
  /** The S3 key as far as it can be known: the real key for S3, the path from `AWSLogs/` on for local files. */
  key: string;
  /** The bucket, for objects read from S3. */
  bucket?: string;
  /** Raw bytes plus the S3 user metadata that carries a digest's signature (S3 metadata, or a local sidecar). */
  read(): Promise<{ body: Buffer; metadata?: Record<string, string>; metadataSource?: string; metadataProblem?: string }>;
  /** Raw bytes as a stream, for hashing large log files without holding them. */
  stream(): Promise<Readable>;
}

export interface Listing {
  objects: StoredObject[];
  problems: EvidenceProblem[];
  /** Local files not read (special files, symlinks leading outside the roots, unlistable folders), with why. */
  skipped: SkippedInput[];
}

export interface SkippedInput {
  path: string;
  skip: SkipReason;
  reason: string;
}

const DIGEST_NAME = /_CloudTrail-Digest_.*\.json\.gz$/;
/** Sidecar that carries the S3 metadata of a local digest copy: `<digest>.sig.json`. */
export const SIDECAR_SUFFIX = '.sig.json';

function isWanted(name: string, kind: ObjectKind): boolean {
  if (name.endsWith(SIDECAR_SUFFIX)) return false;
  if (kind === 'digest') return DIGEST_NAME.test(name);
  if (name.includes('CloudTrail-Digest') || name.includes('CloudTrail-Insight')) return false;
  return name.endsWith('.json.gz') || name.endsWith('.json');
}

/**
 * The part of a key or path that CloudTrail controls: from `AWSLogs/` on (any bucket prefix or local
 * folder dropped), without a trailing `.gz` so that a gunzipped local copy still matches its key.
 */
export function canonicalKey(keyOrPath: string): string {
  const k = keyOrPath.split(sep).join('/');
  const at = k.lastIndexOf('AWSLogs/');
  const tail = at >= 0 ? k.slice(at) : basename(k);
  return tail.endsWith('.gz') ? tail.slice(0, -3) : tail;
}

/** True when the key carries the `AWSLogs/…` layout (so it can be compared as a path, not only a name). */
export function hasLayout(keyOrPath: string): boolean {
  return keyOrPath.split(sep).join('/').includes('AWSLogs/');
}

export function isS3Uri(s: string): boolean {
  return s.startsWith('s3://');
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (!bucket) throw new EvidencePackError('INPUT_INVALID', `${uri}: no bucket name`, { hint: 'Write s3://bucket/prefix.' });
  return { bucket, prefix };
}

/** Reads a `<digest>.sig.json` sidecar: `--query Metadata` output, a full head-object output, or x-amz-meta-* keys. */
async function readSidecar(path: string): Promise<{ metadata?: Record<string, string>; problem?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `${path}: cannot be read (${messageOf(e)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { problem: `${path}: not JSON (${messageOf(e)})` };
  }
  const outer = json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  const inner = outer && outer.Metadata && typeof outer.Metadata === 'object' ? (outer.Metadata as Record<string, unknown>) : outer;
  if (!inner) return { problem: `${path}: expected an object with "signature" and "signature-algorithm"` };
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(inner)) {
    if (typeof v !== 'string') continue;
    metadata[k.toLowerCase().replace(/^x-amz-meta-/, '')] = v;
  }
  return { metadata };
}

function localObject(path: string, maxBytes: number): StoredObject {
  return {
    path,
    key: canonicalKey(path),
    async read() {
      const body = readInputFile(path, maxBytes);
      const sidecar = path + SIDECAR_SUFFIX;
      const { metadata, problem } = await readSidecar(sidecar);
      return { body, metadata, metadataSource: metadata ? sidecar : undefined, metadataProblem: problem };
    },
    async stream() {
      return openInputStream(path);
    },
  };
}

/** A digest walk never needs the log tree and vice versa; skipping them keeps big archives cheap. */
function descendInto(kind: ObjectKind, name: string): boolean {
  if (kind === 'digest') return name !== 'CloudTrail' && name !== 'CloudTrail-Insight';
  return name !== 'CloudTrail-Digest' && name !== 'CloudTrail-Insight';
}

/** Local files of a source, through the one input helper: symlinks only inside the roots, special files skipped. */
function listLocal(source: string, kind: ObjectKind, roots: InputRoots, maxBytes: number, problems: EvidenceProblem[], skipped: SkippedInput[]): StoredObject[] {
  // Paths stay as the caller gave them (relative ones stay relative), so results do not depend on the checkout.
  if (!existsSync(source)) {
    throw new EvidencePackError('INPUT_NOT_FOUND', `${source}: no such file or folder (CloudTrail ${kind} source)`, {
      hint: 'Point cloudtrail.digests / cloudtrail.logs at a folder in the S3 layout (AWSLogs/…) or an s3:// URI.',
    });
  }
  const r = roots.walk(source, { accept: (name) => isWanted(name, kind), descend: (_p, name) => descendInto(kind, name) });
  for (const s of r.skipped) {
    problems.push({ level: 'error', message: `${s.path}: ${s.reason}`, location: { file: s.path } });
    skipped.push({ path: s.path, skip: s.skip, reason: s.reason });
  }
  return r.files.map((f) => f.path).sort().map((p) => localObject(p, maxBytes));
}

/** `YYYY/MM/DD` for every UTC day that [from, to) touches. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (d < to) {
    days.push(d.toISOString().slice(0, 10).replace(/-/g, '/'));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return days;
}

async function listAll(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const c of out.Contents ?? []) if (c.Key) keys.push(c.Key);
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * One folder level: the keys directly under `prefix` and its sub-folders. Sub-folders are found by listing
 * past each one with StartAfter, not with Delimiter, which S3-compatible servers such as s3rver ignore for
 * nested keys; real S3 answers the same, at one call per sub-folder.
 */
async function listLevel(client: S3Client, bucket: string, prefix: string): Promise<{ keys: string[]; prefixes: string[] }> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let after: string | undefined;
  for (;;) {
    const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: after }));
    const batch = out.Contents ?? [];
    if (batch.length === 0) break;
    let jumped = false;
    for (const o of batch) {
      if (!o.Key) continue;
      const rest = o.Key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        keys.push(o.Key);
        after = o.Key;
        continue;
      }
      const sub = prefix + rest.slice(0, slash + 1);
      prefixes.push(sub);
      // U+FFFF sorts after every character keys use in practice: the next call starts past this sub-folder.
      after = `${sub}\uffff`;
      jumped = true;
      break;
    }
    if (!jumped && !out.IsTruncated) break;
  }
  return { keys, prefixes };
}

function s3Object(client: S3Client, bucket: string, key: string): StoredObject {
  const get = () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    path: `s3://${bucket}/${key}`,
    key,
    bucket,
    async read() {
      const out = await get();
      const body = Buffer.from(await out.Body!.transformToByteArray());
      return { body, metadata: out.Metadata, metadataSource: out.Metadata ? 'S3 object metadata' : undefined };
    },
    async stream() {
      const out = await get();
      const body = out.Body as unknown;
      if (body instanceof Readable) return body;
      return Readable.from(Buffer.from(await out.Body!.transformToByteArray()));
    },
  };
}

/**
 * Lists an s3:// prefix for the given days only: walks down with a `/` delimiter until it reaches the
 * year level of the layout (`…/CloudTrail[-Digest]/<region>/YYYY/`), then lists just `YYYY/MM/DD/` of
 * each day, so a quarter of a busy bucket costs a few hundred list calls, not a full scan.
 */
async function listS3(client: S3Client, uri: string, kind: ObjectKind, days: string[]): Promise<StoredObject[]> {
  const { bucket, prefix } = parseS3Uri(uri);
  const found: string[] = [];
  const descend = async (p: string, depth: number): Promise<void> => {
    const { keys, prefixes } = await listLevel(client, bucket, p);
    found.push(...keys.filter((k) => isWanted(k.slice(k.lastIndexOf('/') + 1), kind)));
    if (prefixes.length > 0 && prefixes.every((c) => /\/\d{4}\/$/.test(c) || /^\d{4}\/$/.test(c))) {
      for (const day of days) {
        const dayKeys = await listAll(client, bucket, `${p}${day}/`);
        found.push(...dayKeys.filter((k) => isWanted(k.slice(k.lastIndexOf('/') + 1), kind)));
      }
      return;
    }
    if (depth > 8) return;
    // At the account level, name the sibling folder outright: a server that does not sort keys bytewise
    // (s3rver puts `CloudTrail/` before `CloudTrail-Digest/`) hides it behind the StartAfter jump.
    const names = new Set(prefixes.map((c) => c.slice(p.length).replace(/\/$/, '')));
    const wanted = kind === 'digest' ? 'CloudTrail-Digest' : 'CloudTrail';
    if ((names.has('CloudTrail') || names.has('CloudTrail-Digest')) && !names.has(wanted)) prefixes.push(`${p}${wanted}/`);
    for (const c of prefixes) {
      const name = c.slice(p.length).replace(/\/$/, '');
      if (kind === 'digest' && (name === 'CloudTrail' || name === 'CloudTrail-Insight')) continue;
      if (kind === 'log' && (name === 'CloudTrail-Digest' || name === 'CloudTrail-Insight')) continue;
      await descend(c, depth + 1);
    }
  };
  await descend(prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`, 0);
  return [...new Set(found)].sort().map((k) => s3Object(client, bucket, k));
}

/** Lists every source (local paths and s3:// URIs); S3 failures are recorded as problems, never thrown. */
export async function listSources(
  sources: string[],
  kind: ObjectKind,
  window: { from: Date; to: Date },
  s3: S3Client | undefined,
  local: { roots?: InputRoots; maxFileBytes?: number } = {},
): Promise<Listing> {
  const objects: StoredObject[] = [];
  const problems: EvidenceProblem[] = [];
  const skipped: SkippedInput[] = [];
  const roots = local.roots ?? new InputRoots(sources.filter((x) => !isS3Uri(x)));
  for (const source of sources) {
    if (!isS3Uri(source)) {
      objects.push(...listLocal(source, kind, roots, local.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, problems, skipped));
      continue;
    }
    if (!s3) {
      problems.push({ level: 'error', message: `${source}: an s3:// source needs AWS access (no S3 client configured)`, location: { file: source } });
      continue;
    }
    try {
      objects.push(...(await listS3(s3, source, kind, daysBetween(window.from, window.to))));
    } catch (e) {
      problems.push({ level: 'error', message: `${source}: cannot be listed (${(e as Error).name}: ${messageOf(e)})`, location: { file: source } });
    }
  }
  return { objects, problems, skipped };
}
