// Digest validation against real RSA signatures and real gzip, in temp folders laid out like the S3 bucket.

import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile, mkdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  publicKeyFingerprint,
  readPublicKeysFile,
  validateDigests,
  type IntegrityResult,
} from '../../src/collect/cloudtrail/digests.js';
import { publicKeyList, writeDigestChain, writeLogFile, type WrittenDigest } from '../../src/collect/cloudtrail/digest-fixtures.js';
import { isEvidencePackError } from '../../src/errors.js';
import type { Period } from '../../src/model/period.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-central-1';
const BUCKET = 'org-trail-logs';
const DAY: Period = {
  label: '2026-07-01',
  from: '2026-07-01',
  to: '2026-07-01',
  start: new Date('2026-07-01T00:00:00Z'),
  end: new Date('2026-07-02T00:00:00Z'),
};
/** Real digests end at odd seconds; the chain starts before the period so its first link points outside it. */
const CHAIN_START = new Date('2026-06-30T21:01:31Z');
const CHAIN_HOURS = 28; // last digest ends 2026-07-02T01:01:31Z, inside aws-cli's end + 1 h window

let signer: { privateKey: KeyObject; publicKey: KeyObject };
let stranger: { privateKey: KeyObject; publicKey: KeyObject };

before(() => {
  signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
});

interface Archive {
  root: string;
  digests: WrittenDigest[];
  logs: string[];
  keysFile: string;
}

/** Two log files an hour (at :10 and :40) and a signed hourly digest chain over them. */
async function buildArchive(opts: { hours?: number; mutate?: Parameters<typeof writeDigestChain>[0]['mutate'] } = {}): Promise<Archive> {
  const root = await mkdtemp(join(tmpdir(), 'ep-digests-'));
  const logs: string[] = [];
  const hours = opts.hours ?? CHAIN_HOURS;
  for (let h = 0; h < hours; h++) {
    for (const minute of [10, 40]) {
      const at = new Date(CHAIN_START.getTime() + h * 3_600_000 + minute * 60_000);
      logs.push(
        await writeLogFile(root, {
          account: ACCOUNT,
          region: REGION,
          at,
          records: [{ eventVersion: '1.08', eventTime: at.toISOString(), eventName: 'DescribeInstances', eventID: `e-${h}-${minute}` }],
        }),
      );
    }
  }
  const digests = await writeDigestChain({
    root,
    bucket: BUCKET,
    account: ACCOUNT,
    region: REGION,
    trail: 'org-trail',
    privateKey: signer.privateKey,
    start: CHAIN_START,
    hours,
    logFiles: logs,
    mutate: opts.mutate,
  });
  const keysFile = join(root, 'public-keys.json');
  await writeFile(keysFile, JSON.stringify(publicKeyList(signer.publicKey)));
  return { root, digests, logs, keysFile };
}

function run(a: Archive, extra: Partial<Parameters<typeof validateDigests>[0]> = {}): Promise<IntegrityResult> {
  return validateDigests({ digests: [a.root], logs: [a.root], publicKeys: a.keysFile, period: DAY, ...extra });
}

async function regzip(path: string, change: (text: string) => string): Promise<void> {
  const text = gunzipSync(await readFile(path)).toString('utf8');
  await writeFile(path, gzipSync(Buffer.from(change(text))));
}

/** Digests whose end lies in [period start, period end + 1 h]: the ones aws-cli selects. */
const inWindow = (a: Archive) => a.digests.filter((d) => new Date(d.data.digestEndTime) >= DAY.start && new Date(d.data.digestEndTime).getTime() <= DAY.end.getTime() + 3_600_000);

const statusOf = (r: IntegrityResult, path: string) => r.digests.find((d) => d.path === path)?.status;
const logStatusOf = (r: IntegrityResult, suffix: string) => r.logFiles.filter((l) => l.path.endsWith(suffix) || l.expectedKey === suffix).map((l) => l.status);

interface Case {
  name: string;
  /** Damage done to a valid archive (or built differently). */
  arrange: (a: Archive) => Promise<void>;
  verdict: IntegrityResult['verdict'];
  check: (r: IntegrityResult, a: Archive) => void;
  build?: Parameters<typeof buildArchive>[0];
}

const MIDDLE = 12; // a digest well inside the period

const cases: Case[] = [
  {
    name: 'valid chain: every digest and log file verifies, the chain is intact',
    arrange: async () => {},
    verdict: 'valid',
    check: (r, a) => {
      assert.equal(r.digests.length, inWindow(a).length);
      assert.ok(r.digests.every((d) => d.status === 'valid'), JSON.stringify(r.digests.filter((d) => d.status !== 'valid')));
      assert.ok(r.logFiles.length > 40 && r.logFiles.every((l) => l.status === 'valid'), 'every listed log file verifies');
      assert.equal(r.chain.status, 'intact');
      assert.deepEqual(r.verdictReasons, []);
    },
  },
  {
    name: 'tampered log: one byte changed in the uncompressed content → modified',
    arrange: async (a) => {
      const key = a.digests[MIDDLE].data.logFiles![0].s3Object;
      await regzip(join(a.root, key), (t) => t.replace('DescribeInstances', 'DescribeInstanceZ'));
    },
    verdict: 'invalid',
    check: (r, a) => {
      const key = a.digests[MIDDLE].data.logFiles![0].s3Object;
      assert.deepEqual(logStatusOf(r, key), ['modified']);
      assert.equal(r.summary.logFiles.modified, 1);
      assert.match(r.logFiles.find((l) => l.status === 'modified')!.reason!, /hash value doesn't match/);
    },
  },
  {
    name: 'tampered digest: a listed hash rewritten without the private key → invalid-signature',
    arrange: async (a) => {
      await regzip(a.digests[MIDDLE].path, (t) => t.replace(/"hashValue":"[0-9a-f]/, '"hashValue":"0'));
    },
    verdict: 'invalid',
    check: (r, a) => {
      assert.equal(statusOf(r, a.digests[MIDDLE].path), 'invalid-signature');
      assert.equal(r.summary.digests['invalid-signature'], 1);
      // Only the digest was altered: the logs it lists are not proven by it, nor shown to be modified (issue #12).
      const listed = r.logFiles.filter((l) => l.digest === a.digests[MIDDLE].path);
      assert.ok(listed.length > 0);
      assert.deepEqual([...new Set(listed.map((l) => l.status))], ['unverified']);
      assert.ok(listed.every((l) => /fails its signature check/.test(l.reason ?? '')), JSON.stringify(listed));
      assert.equal(r.summary.logFiles.modified, 0);
    },
  },
  {
    name: 'tampered signature metadata: the sidecar signature belongs to another digest → invalid-signature',
    arrange: async (a) => {
      await writeFile(`${a.digests[MIDDLE].path}.sig.json`, JSON.stringify({ signature: a.digests[MIDDLE + 1].signature, 'signature-algorithm': 'SHA256withRSA' }));
    },
    verdict: 'invalid',
    check: (r, a) => {
      assert.equal(statusOf(r, a.digests[MIDDLE].path), 'invalid-signature');
      // The next digest's previousDigestSignature no longer matches what the metadata now says.
      assert.ok(r.chain.breaks.some((b) => b.digest === a.digests[MIDDLE + 1].path && /previousDigestSignature/.test(b.reason)), 'the next link breaks');
    },
  },
  {
    name: 'missing digest: one hour deleted → a missing-digest gap naming it; its logs become unlisted',
    arrange: async (a) => {
      await rm(a.digests[MIDDLE].path);
      await rm(`${a.digests[MIDDLE].path}.sig.json`);
    },
    verdict: 'invalid',
    check: (r, a) => {
      assert.equal(r.chain.status, 'gaps');
      assert.deepEqual(
        r.chain.gaps.map((g) => ({ kind: g.kind, from: g.from, to: g.to, missing: g.missing })),
        [{ kind: 'missing-digest', from: a.digests[MIDDLE - 1].data.digestEndTime, to: a.digests[MIDDLE + 1].data.digestStartTime, missing: `s3://${BUCKET}/${a.digests[MIDDLE].key}` }],
      );
      assert.equal(r.summary.logFiles.unlisted, 2);
    },
  },
  {
    name: 'broken chain: a validly signed digest whose previousDigestSignature is wrong → broken',
    build: { mutate: (d, i) => (i === MIDDLE ? void (d.previousDigestSignature = 'ab'.repeat(256)) : undefined) },
    arrange: async () => {},
    verdict: 'invalid',
    check: (r, a) => {
      assert.equal(statusOf(r, a.digests[MIDDLE].path), 'valid', 'its own signature holds');
      assert.equal(r.chain.status, 'broken');
      assert.deepEqual(r.chain.breaks.map((b) => b.digest), [a.digests[MIDDLE].path]);
      assert.match(r.chain.breaks[0].reason, /previousDigestSignature does not match/);
    },
  },
  {
    name: 'broken chain: previousDigestHashValue of a validly signed digest is wrong → broken',
    build: { mutate: (d, i) => (i === MIDDLE ? void (d.previousDigestHashValue = '0'.repeat(64)) : undefined) },
    arrange: async () => {},
    verdict: 'invalid',
    check: (r, a) => {
      assert.deepEqual(r.chain.breaks.map((b) => [b.digest, /previousDigestHashValue/.test(b.reason)]), [[a.digests[MIDDLE].path, true]]);
    },
  },
  {
    name: 'malformed previousDigestHashValue (63 hex digits) in a validly signed digest → reported as malformed on its own, and as a break',
    build: { mutate: (d, i) => (i === MIDDLE ? void (d.previousDigestHashValue = 'a'.repeat(63)) : undefined) },
    arrange: async () => {},
    verdict: 'invalid',
    check: (r, a) => {
      const d = r.digests.find((x) => x.path === a.digests[MIDDLE].path)!;
      assert.deepEqual(d.malformed, ['previousDigestHashValue is not 64 hex digits (63 characters)']);
      assert.ok(r.verdictReasons.includes('1 digest file(s) have malformed hash fields'), r.verdictReasons.join('; '));
      assert.ok(r.problems.some((p) => p.level === 'error' && p.message.includes(a.digests[MIDDLE].path) && /previousDigestHashValue is not 64 hex digits/.test(p.message)));
      assert.match(r.chain.breaks.find((b) => b.digest === a.digests[MIDDLE].path)!.reason, /malformed: not 64 hex digits/);
    },
  },
  {
    name: 'malformed logFiles hashValue (not hex) in a validly signed digest → malformed, its log unverified (not modified)',
    build: { mutate: (d, i) => (i === MIDDLE && d.logFiles?.length ? void (d.logFiles[0].hashValue = 'z'.repeat(64)) : undefined) },
    arrange: async () => {},
    verdict: 'invalid',
    check: (r, a) => {
      const d = r.digests.find((x) => x.path === a.digests[MIDDLE].path)!;
      assert.deepEqual(d.malformed, ['logFiles[0].hashValue is not 64 hex digits (64 characters, not all hex)']);
      const logs = r.logFiles.filter((l) => l.digest === a.digests[MIDDLE].path);
      assert.ok(logs.some((l) => l.status === 'unverified' && /malformed hash value/.test(l.reason ?? '')), JSON.stringify(logs));
      assert.equal(r.summary.logFiles.modified, 0);
    },
  },
  {
    name: 're-ordered digests: two hours swapped on disk → both moved from their original location',
    arrange: async (a) => {
      const [x, y] = [a.digests[MIDDLE].path, a.digests[MIDDLE + 1].path];
      await rename(x, `${x}.tmp`);
      await rename(y, x);
      await rename(`${x}.tmp`, y);
    },
    verdict: 'invalid',
    check: (r, a) => {
      assert.equal(statusOf(r, a.digests[MIDDLE].path), 'moved');
      assert.equal(statusOf(r, a.digests[MIDDLE + 1].path), 'moved');
      assert.match(r.digests.find((d) => d.status === 'moved')!.reason!, /moved from its original location/);
    },
  },
  {
    name: 're-ordered chain: a validly signed digest pointing two hours back skips one → broken',
    build: {
      mutate: (() => {
        const keys: string[] = [];
        return (d, i) => {
          keys.push(d.digestS3Object);
          if (i === MIDDLE) d.previousDigestS3Object = keys[i - 2];
        };
      })(),
    },
    arrange: async () => {},
    verdict: 'invalid',
    check: (r, a) => {
      assert.deepEqual(r.chain.breaks.map((b) => b.digest), [a.digests[MIDDLE].path]);
      assert.match(r.chain.breaks[0].reason, /out of order/);
    },
  },
  {
    name: 'missing first digest of the period: the next one points at a key inside the period that is gone',
    arrange: async (a) => {
      const first = inWindow(a)[0];
      await rm(first.path);
      await rm(`${first.path}.sig.json`);
    },
    verdict: 'invalid',
    check: (r, a) => {
      const [first, second] = inWindow(a);
      assert.deepEqual(r.chain.gaps.map((g) => [g.kind, g.from, g.to, g.missing]), [['missing-digest', '2026-07-01T00:00:00Z', second.data.digestStartTime, `s3://${BUCKET}/${first.key}`]]);
    },
  },
  {
    name: 'missing log file: listed in a digest, gone from disk → missing',
    arrange: async (a) => {
      await unlink(join(a.root, a.digests[MIDDLE].data.logFiles![1].s3Object));
    },
    verdict: 'invalid',
    check: (r, a) => {
      const key = a.digests[MIDDLE].data.logFiles![1].s3Object;
      const l = r.logFiles.find((x) => x.expectedKey === key)!;
      assert.equal(l.status, 'missing');
      assert.equal(l.path, `s3://${BUCKET}/${key}`);
      assert.equal(r.summary.logFiles.unlisted, 0);
    },
  },
  {
    name: 'unlisted log file: delivered in the period, in no digest → unlisted, integrity unknown',
    arrange: async (a) => {
      await writeLogFile(a.root, { account: ACCOUNT, region: REGION, at: new Date('2026-07-01T12:22:00Z'), records: [{ eventName: 'StopLogging' }] });
    },
    verdict: 'unknown',
    check: (r) => {
      assert.deepEqual(r.logFiles.filter((l) => l.status === 'unlisted').map((l) => /20260701T1222Z/.test(l.path)), [true]);
      assert.equal(r.summary.logFiles.valid, r.logFiles.length - 1);
    },
  },
  {
    name: 'moved log file: its bytes are found under another key → moved, not also unlisted',
    arrange: async (a) => {
      const key = a.digests[MIDDLE].data.logFiles![0].s3Object;
      const to = join(a.root, `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/07/01/moved-here_20260701T1100Z_x.json.gz`);
      await mkdir(dirname(to), { recursive: true });
      await rename(join(a.root, key), to);
    },
    verdict: 'invalid',
    check: (r, a) => {
      const key = a.digests[MIDDLE].data.logFiles![0].s3Object;
      const l = r.logFiles.find((x) => x.expectedKey === key)!;
      assert.equal(l.status, 'moved');
      assert.match(l.reason!, /moved-here/);
      assert.equal(r.summary.logFiles.unlisted, 0);
    },
  },
  {
    name: 'truncated log file: cut in the middle of its gzip stream → modified, the run goes on',
    arrange: async (a) => {
      const path = join(a.root, a.digests[MIDDLE].data.logFiles![0].s3Object);
      const raw = await readFile(path);
      await writeFile(path, raw.subarray(0, raw.length - 12));
    },
    verdict: 'invalid',
    check: (r, a) => {
      const l = r.logFiles.find((x) => x.expectedKey === a.digests[MIDDLE].data.logFiles![0].s3Object)!;
      assert.equal(l.status, 'modified');
      assert.match(l.reason!, /not valid gzip/);
      assert.equal(r.summary.logFiles.valid, r.logFiles.length - 1);
    },
  },
  {
    name: 'unknown key fingerprint: only another key supplied → unknown-key, nothing proven',
    arrange: async (a) => {
      await writeFile(a.keysFile, JSON.stringify(publicKeyList(stranger.publicKey)));
    },
    verdict: 'unknown',
    check: (r, a) => {
      assert.ok(r.digests.every((d) => d.status === 'unknown-key'), 'every digest has an unknown key');
      assert.match(r.digests[0].reason!, new RegExp(a.digests[0].data.digestPublicKeyFingerprint));
      assert.ok(r.logFiles.every((l) => l.status === 'unverified'), 'no log file is proven');
    },
  },
  {
    name: 'unsigned local copy: no sidecar, no S3 metadata → unsigned with the reason, never valid',
    arrange: async (a) => {
      for (const d of a.digests) await rm(`${d.path}.sig.json`);
    },
    verdict: 'unknown',
    check: (r) => {
      assert.ok(r.digests.every((d) => d.status === 'unsigned'), 'every digest is unsigned');
      assert.match(r.digests[0].reason!, /loses the S3 object metadata.*\.sig\.json/);
      assert.equal(r.summary.logFiles.valid, 0);
    },
  },
  {
    name: 'a sidecar that is not JSON: unsigned, the reason names the sidecar file',
    arrange: async (a) => {
      await writeFile(`${a.digests[MIDDLE].path}.sig.json`, '{"signature": ');
    },
    verdict: 'unknown',
    check: (r, a) => {
      const d = r.digests.find((x) => x.path === a.digests[MIDDLE].path)!;
      assert.equal(d.status, 'unsigned');
      assert.equal(d.reason!.startsWith(`${a.digests[MIDDLE].path}.sig.json: not JSON`), true, d.reason);
    },
  },
  {
    name: 'sidecar saved from `aws s3api head-object` (full output, Metadata inside) is read',
    arrange: async (a) => {
      for (const d of a.digests) {
        await writeFile(`${d.path}.sig.json`, JSON.stringify({ ContentType: 'application/json', Metadata: { signature: d.signature, 'signature-algorithm': 'SHA256withRSA' } }));
      }
    },
    verdict: 'valid',
    check: (r) => assert.ok(r.digests.every((d) => d.status === 'valid'), 'every digest verifies with the head-object sidecar'),
  },
  {
    name: 'unreadable digest: not gzip → unreadable (invalid format), the run goes on',
    arrange: async (a) => {
      await writeFile(a.digests[MIDDLE].path, 'not gzip at all');
    },
    verdict: 'invalid',
    check: (r, a) => {
      assert.equal(statusOf(r, a.digests[MIDDLE].path), 'unreadable');
      assert.match(r.digests.find((d) => d.status === 'unreadable')!.reason!, /not gzip/);
      assert.equal(r.summary.digests.valid, r.digests.length - 1);
    },
  },
  {
    name: 'digest missing a required field → unreadable naming the field',
    build: { mutate: (d, i) => (i === MIDDLE ? void delete (d as Partial<typeof d>).digestStartTime : undefined) },
    arrange: async () => {},
    verdict: 'invalid',
    check: (r, a) => assert.match(r.digests.find((d) => d.path === a.digests[MIDDLE].path)!.reason!, /missing digestStartTime/),
  },
  {
    name: 'tail: digests stop six hours before the period ends → tail gap, integrity unknown',
    build: { hours: CHAIN_HOURS - 10 },
    arrange: async () => {},
    verdict: 'unknown',
    check: (r) => {
      assert.deepEqual(r.chain.gaps.map((g) => [g.kind, g.to]), [['tail', '2026-07-02T00:00:00Z']]);
    },
  },
  {
    name: 'gunzipped local copy of a log file (.json) hashes as the uncompressed content',
    arrange: async (a) => {
      const key = a.digests[MIDDLE].data.logFiles![0].s3Object;
      const path = join(a.root, key);
      await writeFile(path.replace(/\.gz$/, ''), gunzipSync(await readFile(path)));
      await rm(path);
    },
    verdict: 'valid',
    check: (r, a) => {
      const key = a.digests[MIDDLE].data.logFiles![0].s3Object;
      assert.deepEqual(r.logFiles.filter((l) => l.expectedKey === key).map((l) => [l.status, l.path.endsWith('.json')]), [['valid', true]]);
    },
  },
];

describe('validateDigests', () => {
  const names = new Set<string>();
  for (const c of cases) {
    assert.ok(!names.has(c.name), `duplicate case ${c.name}`);
    names.add(c.name);
    it(c.name, async () => {
      const a = await buildArchive(c.build);
      try {
        await c.arrange(a);
        const r = await run(a);
        assert.equal(r.verdict, c.verdict, r.verdictReasons.join('; '));
        c.check(r, a);
      } finally {
        await rm(a.root, { recursive: true, force: true });
      }
    });
  }

  it('restart: a starting digest after a pause is a restart gap, not a missing digest', async () => {
    const a = await buildArchive({ hours: 12 });
    try {
      // Validation disabled for three hours, then a new chain with null previous fields.
      const restartAt = new Date(CHAIN_START.getTime() + 15 * 3_600_000);
      const logs: string[] = [];
      for (let h = 0; h < 13; h++) {
        logs.push(await writeLogFile(a.root, { account: ACCOUNT, region: REGION, at: new Date(restartAt.getTime() + h * 3_600_000 + 5 * 60_000), records: [] }));
      }
      const second = await writeDigestChain({ root: a.root, bucket: BUCKET, account: ACCOUNT, region: REGION, trail: 'org-trail', privateKey: signer.privateKey, start: restartAt, hours: 13, logFiles: logs });
      assert.equal(second[0].data.previousDigestSignature, null);
      const r = await run(a);
      assert.deepEqual(r.chain.gaps.map((g) => [g.kind, g.from, g.to]), [['restart', a.digests[11].data.digestEndTime, second[0].data.digestStartTime]]);
      assert.equal(r.chain.status, 'gaps');
      assert.equal(r.verdict, 'valid', r.verdictReasons.join('; '));
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });

  it('gives the same result whatever order the digest files are passed in', async () => {
    const a = await buildArchive();
    try {
      await rm(a.digests[MIDDLE].path);
      const files = a.digests.map((d) => d.path).filter((p) => p !== a.digests[MIDDLE].path);
      const forward = await validateDigests({ digests: files, logs: [a.root], publicKeys: a.keysFile, period: DAY });
      const backward = await validateDigests({ digests: [...files].reverse(), logs: [a.root], publicKeys: a.keysFile, period: DAY });
      const fromDir = await run(a);
      assert.deepEqual(backward, forward);
      assert.deepEqual(fromDir, forward);
      assert.equal(forward.chain.gaps.length, 1);
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });

  it('reports no digests as unknown, never as valid', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ep-digests-'));
    try {
      const r = await validateDigests({ digests: [root], logs: [root], publicKeys: [], period: DAY });
      assert.equal(r.verdict, 'unknown');
      assert.deepEqual(r.verdictReasons, ['no digest files were found for the period']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('keeps the chains of two regions apart: a deletion in one leaves the other intact', async () => {
    const a = await buildArchive({ hours: CHAIN_HOURS });
    try {
      const logs: string[] = [];
      for (let h = 0; h < CHAIN_HOURS; h++) {
        logs.push(await writeLogFile(a.root, { account: ACCOUNT, region: 'us-east-1', at: new Date(CHAIN_START.getTime() + h * 3_600_000 + 30 * 60_000), records: [] }));
      }
      const other = await writeDigestChain({ root: a.root, bucket: BUCKET, account: ACCOUNT, region: 'us-east-1', homeRegion: REGION, trail: 'org-trail', privateKey: signer.privateKey, start: CHAIN_START, hours: CHAIN_HOURS, logFiles: logs });
      await rm(other[MIDDLE].path);
      const r = await run(a);
      assert.equal(r.digests.length, inWindow(a).length * 2 - 1);
      assert.deepEqual(r.chain.gaps.map((g) => [g.kind, g.missing, /us-east-1_org-trail_eu-central-1/.test(g.stream)]), [['missing-digest', `s3://${BUCKET}/${other[MIDDLE].key}`, true]]);
      assert.deepEqual(r.chain.breaks, []);
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });

  it('reads key validity given as epoch seconds, as in the CLI example output', async () => {
    const a = await buildArchive({ hours: CHAIN_HOURS });
    try {
      const k = publicKeyList(signer.publicKey).PublicKeyList[0];
      await writeFile(a.keysFile, JSON.stringify({ PublicKeyList: [{ ValidityStartTime: 1782864000.0, ValidityEndTime: 1785456000.0, Value: k.Value, Fingerprint: k.Fingerprint }] }));
      const r = await run(a);
      assert.equal(r.verdict, 'valid', r.verdictReasons.join('; '));
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });

  it('a local source that does not exist is a typed input error naming it; an s3:// source without a client is a recorded problem', async () => {
    await assert.rejects(validateDigests({ digests: ['/nonexistent/digests'], logs: [], publicKeys: [], period: DAY }), (e: unknown) => {
      assert.ok(isEvidencePackError(e), 'a typed EvidencePackError');
      assert.equal(e.code, 'INPUT_NOT_FOUND');
      assert.match(e.message, /^\/nonexistent\/digests: no such file or folder/);
      return true;
    });
    const r = await validateDigests({ digests: ['s3://bucket/'], logs: [], publicKeys: [], period: DAY });
    assert.equal(r.verdict, 'unknown');
    assert.match(r.problems[0].message, /s3:\/\/bucket\/: an s3:\/\/ source needs AWS access/);
  });

  it('validates a flat copy (every digest, sidecar and log file in one folder, no AWSLogs layout)', async () => {
    const a = await buildArchive();
    const flat = await mkdtemp(join(tmpdir(), 'ep-digests-flat-'));
    try {
      for (const d of a.digests) {
        await writeFile(join(flat, d.key.split('/').pop()!), await readFile(d.path));
        await writeFile(join(flat, `${d.key.split('/').pop()!}.sig.json`), await readFile(`${d.path}.sig.json`));
      }
      for (const key of a.logs) await writeFile(join(flat, key.split('/').pop()!), await readFile(join(a.root, key)));
      const r = await validateDigests({ digests: [flat], logs: [flat], publicKeys: a.keysFile, period: DAY });
      assert.equal(r.verdict, 'valid', r.verdictReasons.join('; '));
      assert.equal(r.chain.status, 'intact');
      await rm(join(flat, a.digests[MIDDLE].key.split('/').pop()!));
      const gap = await validateDigests({ digests: [flat], logs: [flat], publicKeys: a.keysFile, period: DAY });
      assert.deepEqual(gap.chain.gaps.map((g) => g.kind), ['missing-digest']);
    } finally {
      await rm(a.root, { recursive: true, force: true });
      await rm(flat, { recursive: true, force: true });
    }
  });

  it('reports paths as they were given: a relative source gives relative paths', async () => {
    const a = await buildArchive();
    try {
      const rel = relative(process.cwd(), a.root);
      const r = await validateDigests({ digests: [rel], logs: [rel], publicKeys: a.keysFile, period: DAY });
      assert.equal(r.verdict, 'valid', r.verdictReasons.join('; '));
      assert.ok([...r.digests, ...r.logFiles].every((x) => x.path.startsWith(`${rel}/AWSLogs/`)), 'every path starts with the relative source');
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });

  it('accepts keys as SDK objects (Uint8Array value, Date validity) like the ListPublicKeys client returns', async () => {
    const a = await buildArchive({ hours: CHAIN_HOURS });
    try {
      const der = signer.publicKey.export({ format: 'der', type: 'pkcs1' });
      const r = await run(a, { publicKeys: [{ Value: new Uint8Array(der), ValidityStartTime: new Date('2026-01-01T00:00:00Z'), ValidityEndTime: new Date('2027-01-01T00:00:00Z') }] });
      assert.equal(r.verdict, 'valid', r.verdictReasons.join('; '));
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });
});

describe('public keys', () => {
  it("fingerprint is the MD5 of the PKCS#1 DER value (AWS's list-public-keys example key and fingerprint)", () => {
    // From the aws-cli example awscli/examples/cloudtrail/list-public-keys.rst.
    const value =
      'MIIBCgKCAQEAlSS3cl92HDycr/MTj0moOhas8habjrraXw+KzlWF0axSI2tcF+3iJ9BKQAVSKxGwxwu3m0wG3J+kUl1xboEcEPHYoIYMbgfSw7KGnuDKwkLzsQWhUJ0cIbOHASox1vv/5fNXkrHhGbDCHeVXm804c83nvHUEFYThr1PfyP/8HwrCtR3FX5OANtQCP61C1nJtSSkC8JSQUOrIP4CuwJjc+4WGDk+BGH5m9iuiAKkipEHWmUl8/P7XpfpWQuk4h8g3pXZOrNXr08lbh4d39svj7UqdhvOXoBISp9t/EXYuePGEtBdrKD9Dz+VHwyUPtBQvYr9BnkF88qBnaPNhS44rzwIDAQAB';
    assert.equal(publicKeyFingerprint(Buffer.from(value, 'base64')), '7f3f401420072e50a65a141430817ab3');
  });

  it('a key whose stated Fingerprint is not its MD5 is ignored and reported', async () => {
    const a = await buildArchive();
    try {
      const list = publicKeyList(signer.publicKey);
      list.PublicKeyList[0].Fingerprint = '0'.repeat(32);
      await writeFile(a.keysFile, JSON.stringify(list));
      const r = await run(a);
      assert.equal(r.verdict, 'unknown');
      assert.match(r.problems[0].message, /PublicKeyList\[0\]\.Fingerprint: 0{32} is not the MD5/);
      assert.ok(r.digests.every((d) => d.status === 'unknown-key'), 'the rejected key verifies nothing');
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });

  const badFiles: { name: string; text: string; error: RegExp }[] = [
    { name: 'not JSON', text: '{"PublicKeyList": [', error: /keys\.json: not valid JSON/ },
    { name: 'no PublicKeyList', text: '{\n  "Keys": []\n}', error: /keys\.json:1:1: \$\.PublicKeyList: expected an array/ },
    { name: 'Value not a string', text: '{"PublicKeyList": [\n  {"Value": 42}\n]}', error: /keys\.json:2:3: \$\.PublicKeyList\[0\]\.Value: expected a base64 string/ },
  ];
  for (const b of badFiles) {
    it(`a bad keys file (${b.name}) is a typed input error naming the file, position and JSON path`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ep-keys-'));
      try {
        await writeFile(join(dir, 'keys.json'), b.text);
        await assert.rejects(readPublicKeysFile(join(dir, 'keys.json')), (e: unknown) => {
          assert.ok(isEvidencePackError(e), 'a typed EvidencePackError');
          assert.equal(e.code, 'INPUT_INVALID');
          assert.match(e.message, b.error);
          return true;
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('string to sign', () => {
  it('openssl verifies the signature over the documented string, and rejects any other', async () => {
    const a = await buildArchive({ hours: 6 });
    try {
      const d = a.digests[3];
      const body = gunzipSync(await readFile(d.path));
      const sha = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: body }).toString().split(' ')[0];
      // Written out here from the AWS user guide, independently of the code under test.
      const documented = `${d.data.digestEndTime}\n${BUCKET}/${d.key}\n${sha}\n${a.digests[2].signature}`;
      await writeFile(join(a.root, 'pub.pem'), signer.publicKey.export({ format: 'pem', type: 'spki' }));
      await writeFile(join(a.root, 'sig.bin'), Buffer.from(d.signature, 'hex'));
      const verifyWith = async (text: string) => {
        await writeFile(join(a.root, 'tosign.txt'), text);
        try {
          return execFileSync('openssl', ['dgst', '-sha256', '-verify', join(a.root, 'pub.pem'), '-signature', join(a.root, 'sig.bin'), join(a.root, 'tosign.txt')], { stdio: 'pipe' }).toString().trim();
        } catch (e) {
          return String((e as { stdout?: Buffer }).stdout ?? '').trim();
        }
      };
      assert.equal(await verifyWith(documented), 'Verified OK');
      assert.equal(await verifyWith(`${documented}\n`), 'Verification failure');
      assert.equal(await verifyWith(documented.replace(`${BUCKET}/`, '')), 'Verification failure');
      // A starting digest signs the literal "null".
      const first = a.digests[0];
      const firstSha = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: gunzipSync(await readFile(first.path)) }).toString().split(' ')[0];
      await writeFile(join(a.root, 'sig.bin'), Buffer.from(first.signature, 'hex'));
      assert.equal(await verifyWith(`${first.data.digestEndTime}\n${BUCKET}/${first.key}\n${firstSha}\nnull`), 'Verified OK');
    } finally {
      await rm(a.root, { recursive: true, force: true });
    }
  });
});
