// Finds the CloudTrail log files of a period: local folders (S3 layout or any) and s3:// prefixes, pruned by date.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Period } from '../../model/period.js';
import type { CloudTrailFileProblem } from '../../model/cloudtrail.js';
import { MAX_UNCOMPRESSED_BYTES } from './scan.js';

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

export async function listLocal(root: string, period: Period, problems: CloudTrailFileProblem[]): Promise<LogUnit[]> {
  const range = layoutDayRange(period);
  let st;
  try {
    st = await stat(root);
  } catch (err) {
    problems.push({ path: root, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return [];
  }
  if (st.isFile()) return [{ kind: 'file', path: root }];
  const out: LogUnit[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: dir, reason: `cannot list folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (NOT_LOGS.has(e.name) || !layoutFolderInRange(p, range)) continue;
        await walk(p);
      } else if (e.isFile() && LOG_FILE.test(e.name)) out.push({ kind: 'file', path: p });
    }
  };
  await walk(root);
  return out;
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
    problems.push({ path: uri, reason: `cannot list: ${e.name}: ${e.message}` });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : 1));
  return out;
}

export interface S3ObjectBytes {
  bytes?: Buffer;
  etag?: string;
  versionId?: string;
  problem?: string;
}

/** Streams one object into memory (log files are small; the cap guards against a wrong prefix). */
export async function readS3Object(s3: S3Client, bucket: string, key: string): Promise<S3ObjectBytes> {
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of r.Body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_UNCOMPRESSED_BYTES) return { problem: `object larger than ${MAX_UNCOMPRESSED_BYTES} bytes: not a CloudTrail log file` };
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
    return { problem: `GetObject failed: ${e.name}${status}: ${e.message}` };
  }
}
