// Conformance: our digest and log verdicts against aws-cli's own validate-logs code run on the same fixtures.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { validateDigests, type IntegrityResult } from '../../src/collect/cloudtrail/digests.js';
import { publicKeyList, writeDigestChain, writeLogFile, type WrittenDigest } from '../../src/collect/cloudtrail/digest-fixtures.js';
import type { Period } from '../../src/model/period.js';

const ORACLE = join(import.meta.dirname, '..', 'fixtures', 'digests', 'awscli_oracle.py');
const probe = spawnSync('python3', ['-c', 'import awscli.customizations.cloudtrail.validation'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : `aws-cli (python) not importable here: ${probe.stderr || probe.error?.message}`;

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const TRAIL = 'audit';
const BUCKET = 'audit-trail-logs';
const DAY: Period = { label: '2026-07-01', from: '2026-07-01', to: '2026-07-01', start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-07-02T00:00:00Z') };
const START = new Date('2026-06-30T21:01:31Z');
const HOURS = 28;
const MID = 12;

interface Oracle {
  digests: Record<string, 'valid' | 'INVALID'>;
  logs: Record<string, 'valid' | 'INVALID' | 'not found'>;
  missing: string[];
  /** Starting digests (null previous fields) that follow older digests of the range: aws-cli's "gap". */
  gaps: string[];
}

/** Every entry on which the two disagree, one short line each (an empty list when they agree). */
function differences(a: Oracle, b: Oracle): string[] {
  const out: string[] = [];
  for (const part of ['digests', 'logs'] as const) {
    for (const k of new Set([...Object.keys(a[part]), ...Object.keys(b[part])])) {
      if (a[part][k] !== b[part][k]) out.push(`${part} ${k.split('/').pop()}: ours ${a[part][k]}, aws-cli ${b[part][k]}`);
    }
  }
  if (JSON.stringify([...a.missing].sort()) !== JSON.stringify([...b.missing].sort())) out.push(`missing: ours ${a.missing}, aws-cli ${b.missing}`);
  if (JSON.stringify(a.gaps) !== JSON.stringify(b.gaps)) out.push(`gaps: ours ${a.gaps}, aws-cli ${b.gaps}`);
  return out;
}

interface Fixture {
  root: string;
  digests: WrittenDigest[];
  keysFile: string;
}

async function build(signer: KeyObject): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'ep-awscli-'));
  const logs: string[] = [];
  for (let h = 0; h < HOURS; h++) {
    for (const m of [7, 37]) {
      const at = new Date(START.getTime() + h * 3_600_000 + m * 60_000);
      logs.push(await writeLogFile(root, { account: ACCOUNT, region: REGION, at, records: [{ eventName: 'GetObject', eventTime: at.toISOString() }] }));
    }
  }
  const digests = await writeDigestChain({ root, bucket: BUCKET, account: ACCOUNT, region: REGION, trail: TRAIL, privateKey: signer, start: START, hours: HOURS, logFiles: logs });
  const keysFile = join(root, '..', `${root.split('/').pop()}-keys.json`);
  await writeFile(keysFile, JSON.stringify(publicKeyList(signer)));
  return Object.assign({ root, digests, keysFile }, { signer });
}

function oracle(f: Fixture): Oracle {
  const r = spawnSync('python3', [ORACLE, f.root, BUCKET, ACCOUNT, REGION, TRAIL, DAY.start.toISOString(), DAY.end.toISOString(), f.keysFile], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Oracle;
}

/** Our result in aws-cli's vocabulary: digest valid/INVALID, log valid/INVALID/not found, missing digests. */
function ours(r: IntegrityResult, f: Fixture): Oracle {
  const uri = (path: string) => `s3://${BUCKET}/${relative(f.root, path)}`;
  const digests: Oracle['digests'] = {};
  for (const d of r.digests) digests[uri(d.path)] = d.status === 'valid' ? 'valid' : 'INVALID';
  const logs: Oracle['logs'] = {};
  const validDigests = new Set(r.digests.filter((d) => d.status === 'valid').map((d) => d.path));
  for (const l of r.logFiles) {
    // aws-cli only checks the log files of digests it found valid.
    if (!l.digest || !validDigests.has(l.digest)) continue;
    logs[`s3://${BUCKET}/${l.expectedKey}`] = l.status === 'valid' ? 'valid' : l.status === 'missing' || l.status === 'moved' ? 'not found' : 'INVALID';
  }
  const missing = r.chain.gaps.filter((g) => g.kind === 'missing-digest').map((g) => g.missing!);
  // aws-cli reports a restart only when an older digest of the range precedes it (not at the head of the range).
  const gaps = r.chain.gaps.filter((g) => g.kind === 'restart' && g.from !== '2026-07-01T00:00:00Z').map((g) => uri(g.after!));
  return { digests, logs, missing, gaps };
}

const cases: { name: string; damage: (f: Fixture) => Promise<void> }[] = [
  {
    name: 'restart: validation off for three hours, then a starting digest',
    damage: async (f) => {
      // Drop hours MID..MID+2 and re-sign the rest as a new chain that starts with null previous fields.
      for (const d of f.digests.slice(MID)) {
        await unlink(d.path);
        await unlink(`${d.path}.sig.json`);
      }
      const logs = f.digests.slice(MID + 3).flatMap((d) => d.data.logFiles!.map((l) => l.s3Object));
      const signer = (f as Fixture & { signer: KeyObject }).signer;
      await writeDigestChain({ root: f.root, bucket: BUCKET, account: ACCOUNT, region: REGION, trail: TRAIL, privateKey: signer, start: new Date(START.getTime() + (MID + 3) * 3_600_000), hours: HOURS - MID - 3, logFiles: logs });
    },
  },
  { name: 'valid chain', damage: async () => {} },
  {
    name: 'tampered log file',
    damage: async (f) => {
      const p = join(f.root, f.digests[MID].data.logFiles![1].s3Object);
      await writeFile(p, gzipSync(Buffer.from(gunzipSync(await readFile(p)).toString().replace('GetObject', 'GetObjecT'))));
    },
  },
  {
    name: 'tampered digest file',
    damage: async (f) => {
      const p = f.digests[MID].path;
      await writeFile(p, gzipSync(Buffer.from(gunzipSync(await readFile(p)).toString().replace('"awsAccountId":"1', '"awsAccountId":"9'))));
    },
  },
  {
    name: 'missing digest file',
    damage: async (f) => {
      await unlink(f.digests[MID].path);
      await unlink(`${f.digests[MID].path}.sig.json`);
    },
  },
  {
    name: 're-ordered: two digests swapped on disk',
    damage: async (f) => {
      const [x, y] = [f.digests[MID].path, f.digests[MID + 1].path];
      const [bx, by] = [await readFile(x), await readFile(y)];
      await writeFile(x, by);
      await writeFile(y, bx);
    },
  },
  { name: 'missing log file', damage: async (f) => unlink(join(f.root, f.digests[MID + 3].data.logFiles![0].s3Object)) },
  { name: 'digest without signature metadata', damage: async (f) => unlink(`${f.digests[MID].path}.sig.json`) },
  {
    name: 'signature of another digest',
    damage: async (f) => writeFile(`${f.digests[MID].path}.sig.json`, JSON.stringify({ signature: f.digests[MID - 1].signature, 'signature-algorithm': 'SHA256withRSA' })),
  },
];

describe('same verdicts as aws-cli validate-logs (its own Python code as the oracle)', { skip }, () => {
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  for (const c of cases) {
    it(c.name, async () => {
      const f = await build(signer);
      try {
        await c.damage(f);
        const reference = oracle(f);
        const r = await validateDigests({ digests: [f.root], logs: [f.root], publicKeys: f.keysFile, period: DAY });
        assert.ok(Object.keys(reference.digests).length + reference.missing.length >= 20, 'aws-cli saw (nearly) the whole day');
        assert.deepEqual(differences(ours(r, f), reference), []);
      } finally {
        await rm(f.root, { recursive: true, force: true });
        await rm(f.keysFile, { force: true });
      }
    });
  }
});
