// Tamper evidence: seeded single-byte changes at random places in every file of a signed pack; verifyPack must reject each, naming the file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyPack } from '../../src/pack/index.js';
import { tempDir, trialKey, writeSamplePack } from './helpers.js';

/** mulberry32: a tiny seeded PRNG, so a failing mutation can be replayed exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 0x5eed070;
const PER_FILE = 30;

let work: { dir: string; cleanup: () => Promise<void> };
let pack: string;
before(async () => {
  work = await tempDir();
  pack = join(work.dir, 'pack');
  await writeSamplePack(pack, (await trialKey()).signer);
});
after(() => work.cleanup());

async function files(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    out.push(...(e.isDirectory() ? await files(dir, p) : [p]));
  }
  return out.sort();
}

test(`every single-byte change in every file is rejected and names the file (${PER_FILE} per file, seed ${SEED})`, async () => {
  const rand = prng(SEED);
  const paths = await files(pack);
  assert.ok(paths.length >= 8);
  let mutations = 0;
  for (const path of paths) {
    const original = await readFile(join(pack, path));
    for (let i = 0; i < PER_FILE; i++) {
      const at = Math.floor(rand() * original.length);
      const mutated = Buffer.from(original);
      mutated[at] ^= 1 + Math.floor(rand() * 255); // never 0: the byte always changes
      await writeFile(join(pack, path), mutated);
      const r = await verifyPack(pack);
      const verdict = r.files.find((f) => f.path === path);
      assert.equal(r.ok, false, `${path}: byte ${at} changed but the pack verified`);
      assert.notEqual(verdict?.status, 'ok', `${path}: byte ${at} changed but the file is reported ok (${JSON.stringify(r.files.filter((f) => f.status !== 'ok'))})`);
      mutations++;
    }
    await writeFile(join(pack, path), original);
  }
  assert.ok(mutations >= 200, `only ${mutations} mutations`);
  assert.equal((await verifyPack(pack)).ok, true, 'the restored pack verifies again');
});
