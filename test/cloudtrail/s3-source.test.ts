// The S3 source against a real S3-compatible server (s3rver) on loopback: same evidence as the local source.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import type { CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import { ACCOUNT, assumeRole, event, fixedClock, period, recordsOf, roleCall, rootConsoleLogin, ROOT, tempDir, writeFile, writeLayoutFile } from './helpers.js';

const BUCKET = 'org-cloudtrail';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
const Q3 = period('2026-07-01', '2026-09-30');
const breakGlass = { roles: ['arn:aws:iam::*:role/BreakGlass*'], allowedCidrs: ['203.0.113.0/24'] };

let server: S3rver;
let s3: S3Client;
let local: string;
let storeDir: string;
let s3Port: number;
let clientConfig: S3ClientConfig;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

/** Local and S3 evidence compared with the object URI mapped back to the local path. */
function normalise(ev: CloudTrailEvidence, from: string, to: string): unknown {
  const { roots: _r, populationRecord, ...rest } = ev;
  const { logs: _l, sourceFilesSha256: _s, ...params } = populationRecord.parameters;
  const text = JSON.stringify({ ...rest, populationRecord: { ...populationRecord, parameters: params } }).split(from).join(to);
  const out = JSON.parse(text);
  for (const s of out.sources) delete s.etag, delete s.versionId;
  return out;
}

before(async () => {
  local = tempDir('ct-s3src-');
  writeLayoutFile(local, ACCOUNT, 'us-east-1', 'a', [rootConsoleLogin('2026-08-03T09:00:00Z', 'Yes'), event({ userIdentity: ROOT, eventTime: '2026-08-03T09:05:00Z', sourceIPAddress: '198.51.100.1' })]);
  writeLayoutFile(local, ACCOUNT, 'eu-central-1', 'b', [
    assumeRole('2026-09-30T23:50:00Z', ROLE, 'night', 'ASIANIGHT'),
    roleCall('2026-09-30T23:55:00Z', ROLE, 'night', 'ASIANIGHT', { eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', readOnly: false, requestParameters: { name: 'org-trail' } }),
  ]);
  // Real records from the shared testdata, as a plain (uncompressed) log file in the layout
  // (stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.json, times moved into the period).
  const stratus = recordsOf('stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.json').map((r) => ({ ...r, eventTime: '2026-07-15' + r.eventTime.slice(10) }));
  writeFile(join(local, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '07', '15', 'stratus.json'), JSON.stringify(stratus));
  // Outside the period (and its one-day margin): unreadable garbage that a correct date pruning never fetches.
  writeFile(join(local, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2026', '05', '01', 'old.json.gz'), 'not gzip, not json');
  // Digest files are not logs.
  writeFile(join(local, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest', 'us-east-1', '2026', '08', '03', 'd.json.gz'), 'digest');

  storeDir = tempDir('ct-s3rver-');
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: storeDir });
  const { port } = (await server.run()) as { port: number };
  s3Port = port;
  clientConfig = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  };
  s3 = new S3Client(clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const f of files(local)) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: relative(local, f), Body: readFileSync(f) }));
});

after(async () => {
  s3?.destroy();
  await server?.close();
});

describe('S3 source (s3rver on loopback)', () => {
  it('gives the same evidence as the local source for the same objects', async () => {
    const opts = { breakGlass, period: Q3, now: fixedClock, trailBuckets: [BUCKET] };
    const fromLocal = await collectCloudTrail({ ...opts, config: { logs: [local] } });
    const fromS3 = await collectCloudTrail({ ...opts, config: { logs: [`s3://${BUCKET}/`] }, s3 });
    assert.deepEqual(normalise(fromS3, `s3://${BUCKET}/`, `${local}/`), normalise(fromLocal, 'never-present', ''));
    assert.equal(fromS3.sources.length, 3, 'the two layout files and the stratus file; not the May file, not the digest');
    assert.deepEqual(fromS3.fileProblems, []);
    assert.equal(fromS3.activations.length, 2);
    assert.ok(fromS3.sources.every((s) => s.etag && s.path.startsWith(`s3://${BUCKET}/AWSLogs/`)));
    const stratusStops = recordsOf('stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.json').filter((r) => r.eventName === 'StopLogging').length;
    assert.equal(fromS3.tamperingEvents.filter((t) => t.eventName === 'StopLogging').length, stratusStops + 1);
  });

  it('a prefix deep in the layout (one region) reads only that region', async () => {
    const ev = await collectCloudTrail({
      breakGlass,
      period: Q3,
      now: fixedClock,
      config: { logs: [`s3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/eu-central-1/`] },
      s3,
    });
    assert.deepEqual(
      ev.sources.map((s) => s.path),
      [`s3://${BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/eu-central-1/2026/09/30/${ACCOUNT}_CloudTrail_eu-central-1_b.json.gz`],
    );
  });

  it('an object that cannot be read (AccessDenied) is reported with its key and the error; the rest is still scanned', async () => {
    const key = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/08/03/${ACCOUNT}_CloudTrail_us-east-1_a.json.gz`;
    // A loopback proxy in front of s3rver answers GetObject of one key the way S3 does when a policy or KMS denies it.
    const proxy = createServer((req, res) => {
      if (req.method === 'GET' && decodeURIComponent(req.url ?? '').startsWith(`/${BUCKET}/${key}`)) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>1</RequestId></Error>');
        return;
      }
      const up = request({ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 500, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const viaProxy = new S3Client({ ...clientConfig, endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
    try {
      const ev = await collectCloudTrail({ breakGlass, period: Q3, now: fixedClock, config: { logs: [`s3://${BUCKET}/`] }, s3: viaProxy });
      const p = ev.fileProblems.find((x) => x.path === `s3://${BUCKET}/${key}`);
      assert.ok(p, JSON.stringify(ev.fileProblems));
      assert.match(p.reason, /^GetObject failed: AccessDenied \(HTTP 403\)/);
      assert.equal(ev.sources.length, 2);
      assert.equal(ev.activations.length, 1);
    } finally {
      viaProxy.destroy();
      proxy.close();
    }
  });

  it('an s3:// source without an S3 client is a reported problem, and the period has no logs', async () => {
    const ev = await collectCloudTrail({ breakGlass, period: Q3, now: fixedClock, config: { logs: [`s3://${BUCKET}/`] } });
    assert.equal(ev.noLogs, true);
    assert.match(ev.fileProblems[0].reason, /no S3 client/);
  });
});
