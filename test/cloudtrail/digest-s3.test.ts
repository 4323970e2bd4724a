// Digest validation read from a real S3-compatible server (s3rver) on loopback: signatures from object metadata, same verdicts as the local copy.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { validateDigests, type IntegrityResult } from '../../src/collect/cloudtrail/digests.js';
import { publicKeyList, writeDigestChain, writeLogFile, type WrittenDigest } from '../../src/collect/cloudtrail/digest-fixtures.js';
import type { Period } from '../../src/model/period.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const DAY: Period = { label: '2026-07-01', from: '2026-07-01', to: '2026-07-01', start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-07-02T00:00:00Z') };

let server: S3rver;
let s3: S3Client;
let root: string;
let storeDir: string;
let digests: WrittenDigest[];
let publicKeys: ReturnType<typeof publicKeyList>['PublicKeyList'];

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of await readdir(dir)) {
    const p = join(dir, n);
    if ((await stat(p)).isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

/** A fresh bucket holding the local tree as CloudTrail would: digests carry their signature as object metadata. */
async function upload(): Promise<string> {
  const bucket = 'trail-logs-1';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const f of await files(root)) {
    if (f.endsWith('.sig.json') || f.endsWith('keys.json')) continue;
    const key = relative(root, f);
    const d = digests.find((x) => x.key === key);
    const Metadata = d ? { signature: d.signature, 'signature-algorithm': 'SHA256withRSA' } : undefined;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(f), Metadata }));
  }
  return bucket;
}

/** The S3 result with s3://bucket/ mapped to the local folder, to compare with the local result. */
function asLocal(r: IntegrityResult, bucket: string): unknown {
  return JSON.parse(JSON.stringify(r).split(`s3://${bucket}/`).join(`${root}/`));
}

before(async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  root = await mkdtemp(join(tmpdir(), 'ep-digest-s3-'));
  const start = new Date('2026-06-30T22:01:31Z');
  const logs: string[] = [];
  for (let h = 0; h < 27; h++) {
    const at = new Date(start.getTime() + h * 3_600_000 + 20 * 60_000);
    logs.push(await writeLogFile(root, { account: ACCOUNT, region: REGION, at, records: [{ eventName: 'ListBuckets', eventTime: at.toISOString() }] }));
  }
  digests = await writeDigestChain({ root, bucket: 'trail-logs-1', account: ACCOUNT, region: REGION, trail: 'main', privateKey, start, hours: 27, logFiles: logs });
  publicKeys = publicKeyList(privateKey).PublicKeyList;

  storeDir = await mkdtemp(join(tmpdir(), 'ep-digest-s3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: storeDir });
  const { port } = (await server.run()) as { port: number };
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
});

after(async () => {
  s3?.destroy();
  await server?.close();
  await rm(root, { recursive: true, force: true });
  await rm(storeDir, { recursive: true, force: true });
});

describe('validateDigests over S3 (s3rver on loopback)', () => {
  it('reads signatures from object metadata and gives the same result as the local copy with sidecars', async () => {
    const bucket = await upload();
    const fromS3 = await validateDigests({ digests: [`s3://${bucket}/`], logs: [`s3://${bucket}/AWSLogs/`], publicKeys, period: DAY, s3 });
    const fromLocal = await validateDigests({ digests: [root], logs: [root], publicKeys, period: DAY });
    assert.equal(fromS3.verdict, 'valid', fromS3.verdictReasons.join('; '));
    assert.equal(fromS3.digests.length, 25, 'digests ending 2026-07-01T00:01:31Z … 2026-07-02T00:01:31Z');
    assert.ok(fromS3.logFiles.length >= 24 && fromS3.logFiles.every((l) => l.status === 'valid'), 'every listed log verifies');
    assert.deepEqual(asLocal(fromS3, bucket), fromLocal);
  });

  it('a digest object without signature metadata is unsigned, and a deleted log object is missing', async () => {
    const bucket = 'trail-logs-1';
    const unsigned = digests[10];
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: unsigned.key, Body: await readFile(unsigned.path) }));
    const gone = digests[14].data.logFiles![0].s3Object;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: gone }));
    const r = await validateDigests({ digests: [`s3://${bucket}/AWSLogs/${ACCOUNT}/CloudTrail-Digest/`], logs: [`s3://${bucket}/`], publicKeys, period: DAY, s3 });
    const u = r.digests.find((d) => d.path === `s3://${bucket}/${unsigned.key}`)!;
    assert.equal(u.status, 'unsigned');
    assert.match(u.reason!, /no "signature" metadata/);
    assert.deepEqual(r.digests.filter((d) => d.status !== 'valid').map((d) => d.path), [u.path]);
    const l = r.logFiles.find((x) => x.expectedKey === gone)!;
    assert.equal(l.status, 'missing');
    assert.equal(r.verdict, 'invalid');
    assert.deepEqual(r.verdictReasons, ['1 log file(s) listed in digests are missing', '1 digest file(s) have no signature available', '1 log file(s) could not be verified']);
  });

  it('an unlistable bucket is a recorded problem and an unknown verdict, not a crash', async () => {
    const r = await validateDigests({ digests: ['s3://no-such-bucket/'], logs: ['s3://no-such-bucket/'], publicKeys, period: DAY, s3 });
    assert.equal(r.verdict, 'unknown');
    assert.match(r.problems[0].message, /s3:\/\/no-such-bucket\/: cannot be listed \(NoSuchBucket/);
  });
});
