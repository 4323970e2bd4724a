// Finds the CloudTrail log files of a period: local folders (S3 layout or any) and s3:// prefixes, pruned by date.

import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Period } from '../../model/period.js';
import type { CloudTrailFileProblem } from '../../model/cloudtrail.js';
import type { ReadProblem } from './pool.js';
import { DEFAULT_MAX_FILE_BYTES, InputRoots } from '../input-files.js';

export type LogUnit = { kind: 'file'; path: string } | { kind: 's3'; path: string; bucket: string; key: string; size?: number };

const LOG_FILE = /\.json(\.gz)?$/i;
/** Sibling folders of `CloudTrail/` that hold other things than management/data event logs. */
const NOT_LOGS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight', 'CloudTrail-NetworkActivity']);
const ONE_DAY = 86_400_000;

/** First and last day (YYYY-MM-DD) of S3-layout folders to read: one day of margin each side, as files near midnight land in the neighbouring folder. */
export function layoutDayRange(period: Period): { first: string; last: string; days: string[] } {
  const days: string[] = [];
  for (let t = period.start.getTime() - ONE_DAY; t < period.end.getTime() + ONE_DAY; t += ONE_DAY) days.push(new Date(t).toISOString().slice(0, 10));
  return { first: days[0], last: days[days.length - 1], days };
}

/** For a path inside `…/CloudTrail/<region>/YYYY[/MM[/DD]]`, whether that folder can hold events of the period. */
export function layoutFolderInRange(path: string, range: { first: string; last: string }): boolean {
  const m = /(?:^|\/)CloudTrail\/[^/]+\/(\d{4})(?:\/(\d{2})(?:\/(\d{2}))?)?\/?$/.exec(path.replace(/\\/g, '/'));
  if (!m) return true;
  const prefix = [m[1], m[2], m[3]].filter(Boolean).join('-');
  return prefix >= range.first.slice(0, prefix.length) && prefix <= range.last.slice(0, prefix.length);
}

/**
 * Log files under a local root (a file or a folder), pruned to the period's S3-layout folders. Symlinks are
 * followed inside `roots` only; special files, symlinks leading outside and unreadable folders are problems.
 */
export async function listLocal(root: string, period: Period, problems: CloudTrailFileProblem[], roots: InputRoots = new InputRoots([root])): Promise<LogUnit[]> {
  const range = layoutDayRange(period);
  const { files, skipped } = roots.walk(root, {
    accept: (name) => LOG_FILE.test(name),
    descend: (path, name) => !NOT_LOGS.has(name) && layoutFolderInRange(path, range),
  });
  for (const s of skipped) problems.push({ path: s.path, reason: s.reason, skip: s.skip });
  return files.map((f) => ({ kind: 'file', path: f.path }));
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: m[1], prefix: m[2] };
}

async function listAll(s3: S3Client, bucket: string, prefix: string): Promise<{ key: string; size?: number }[]> {
  const keys: { key: string; size?: number }[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of r.Contents ?? []) if (o.Key) keys.push({ key: o.Key, size: o.Size });
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * One folder level: the objects directly under `prefix` and its sub-folders. Sub-folders are found by skipping
 * past each one with StartAfter rather than with Delimiter, which some S3-compatible servers do not implement
 * for nested keys; the cost is one listing per sub-folder plus one per 1,000 direct objects.
 */
async function listLevel(s3: S3Client, bucket: string, prefix: string): Promise<{ keys: { key: string; size?: number }[]; prefixes: string[] }> {
  const keys: { key: string; size?: number }[] = [];
  const prefixes: string[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: after }));
    const batch = r.Contents ?? [];
    if (batch.length === 0) break;
    let skipped = false;
    for (const o of batch) {
      if (!o.Key) continue;
      const rest = o.Key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        keys.push({ key: o.Key, size: o.Size });
        after = o.Key;
        continue;
      }
      const sub = prefix + rest.slice(0, slash + 1);
      prefixes.push(sub);
      // U+FFFF sorts after every character S3 keys use in practice: continue after the whole sub-folder.
      after = sub + '\uffff';
      skipped = true;
      break;
    }
    if (!skipped && !r.IsTruncated) break;
  }
  return { keys, prefixes };
}

/**
 * Lists an s3:// prefix. Folders are descended one level at a time; under a `CloudTrail/` folder only the
 * regions' `YYYY/MM/DD/` prefixes of the period (± one day) are listed, so a quarter costs ~100 listings per region.
 */
export async function listS3(s3: S3Client, uri: string, period: Period, problems: CloudTrailFileProblem[]): Promise<LogUnit[]> {
  const { bucket, prefix: raw } = parseS3Uri(uri);
  const prefix = raw === '' || raw.endsWith('/') ? raw : raw + '/';
  const range = layoutDayRange(period);
  const out: LogUnit[] = [];
  const add = (keys: { key: string; size?: number }[]) => {
    for (const k of keys) if (LOG_FILE.test(k.key)) out.push({ kind: 's3', path: `s3://${bucket}/${k.key}`, bucket, key: k.key, size: k.size });
  };
  const descend = async (p: string, depth: number): Promise<void> => {
    const name = p.replace(/\/$/, '').split('/').pop() ?? '';
    if (NOT_LOGS.has(name)) return;
    if (name === 'CloudTrail') {
      const regions = await listLevel(s3, bucket, p);
      add(regions.keys);
      for (const region of regions.prefixes.sort()) for (const day of range.days) add(await listAll(s3, bucket, `${region}${day.replace(/-/g, '/')}/`));
      return;
    }
    const level = await listLevel(s3, bucket, p);
    add(level.keys);
    for (const sub of level.prefixes.sort()) {
      if (depth < 8) await descend(sub, depth + 1);
      else add(await listAll(s3, bucket, sub));
    }
  };
  try {
    if (/(^|\/)CloudTrail\/[^/]+\/$/.test(prefix) && !prefix.endsWith('/CloudTrail/') && prefix !== 'CloudTrail/') {
      for (const day of range.days) add(await listAll(s3, bucket, `${prefix}${day.replace(/-/g, '/')}/`));
    } else await descend(prefix, 0);
  } catch (err) {
    const e = err as Error;
    problems.push({ path: uri, reason: `cannot list: ${e.name}: ${e.message}`, skip: 'unavailable' });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : 1));
  return out;
}

export interface S3ObjectBytes {
  bytes?: Buffer;
  etag?: string;
  versionId?: string;
  problem?: ReadProblem;
}

/** Streams one object into memory (log files are small; the cap, config `limits.maxFileBytes`, guards against a wrong prefix). */
export async function readS3Object(s3: S3Client, bucket: string, key: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<S3ObjectBytes> {
  const tooLarge = (n: number): S3ObjectBytes => ({ problem: { reason: `object of ${n} bytes or more, more than the limit of ${maxBytes} bytes (config limits.maxFileBytes): not read`, skip: 'too-large' } });
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (r.ContentLength !== undefined && r.ContentLength > maxBytes) {
      (r.Body as { destroy?: () => void } | undefined)?.destroy?.();
      return tooLarge(r.ContentLength);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of r.Body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) return tooLarge(size);
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    }
    return {
      bytes: Buffer.concat(chunks, size),
      ...(r.ETag && { etag: r.ETag.replace(/"/g, '') }),
      ...(r.VersionId && r.VersionId !== 'null' && { versionId: r.VersionId }),
    };
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
    return { problem: { reason: `GetObject failed: ${e.name}${status}: ${e.message}`, skip: e.$metadata?.httpStatusCode === 404 ? 'not-found' : 'unreadable' } };
  }
}
