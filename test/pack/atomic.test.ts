// Atomic writing: a writer killed mid-way (SIGKILL) leaves no partial pack and the earlier pack intact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPack } from '../../src/pack/index.js';
import { isEvidencePackError } from '../../src/errors.js';
import { tempDir, trialKey, writeSamplePack } from './helpers.js';

const CHILD = fileURLToPath(new URL('./write-child.ts', import.meta.url));

/** Starts a writer paused at `stage`, waits until it says so, and SIGKILLs it. */
async function killWriterAt(stage: string, outDir: string): Promise<void> {
  const { keyPath, certPath } = await trialKey();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, outDir, keyPath, certPath], {
    env: { ...process.env, EVIDENCE_PACK_TEST_PAUSE: `${stage}:30000` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`writer never paused at ${stage}: ${stderr}`)), 30_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes(`paused at ${stage}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before pausing: ${stderr}`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function snapshot(dir: string, rel = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await snapshot(dir, p)) out.set(k, v);
    else out.set(p, await readFile(join(dir, p)));
  }
  return out;
}

for (const stage of ['file', 'before-rename']) {
  test(`killed at "${stage}": the earlier pack at the path stays intact and verifies`, async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const out = join(dir, 'pack');
      await writeSamplePack(out, (await trialKey()).signer);
      const before = await snapshot(out);
      await killWriterAt(stage, out);
      assert.deepEqual(await snapshot(out), before);
      assert.equal((await verifyPack(out)).ok, true);
      // The dead writer's temp folder is hidden, and the next run clears it.
      const leftovers = (await readdir(dir)).filter((n) => n !== 'pack');
      assert.ok(leftovers.every((n) => n.startsWith('.pack.tmp-')), leftovers.join(','));
      await writeSamplePack(out, (await trialKey()).signer, { sourceDateEpoch: 1_800_000_000 });
      assert.deepEqual(await readdir(dir), ['pack']);
      assert.equal((await verifyPack(out)).ok, true);
    } finally {
      await cleanup();
    }
  });
}

test('killed with no earlier pack: nothing appears at the path', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'fresh');
    await killWriterAt('before-rename', out);
    assert.deepEqual((await readdir(dir)).filter((n) => !n.startsWith('.fresh.tmp-')), []);
  } finally {
    await cleanup();
  }
});

test('writePack refuses to replace a folder that is not a pack', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'src');
    await mkdir(out);
    await writeFile(join(out, 'main.ts'), 'precious');
    await assert.rejects(writeSamplePack(out), (e) => isEvidencePackError(e) && e.code === 'OUTPUT' && /not an evidence pack/.test(e.message));
    assert.equal(await readFile(join(out, 'main.ts'), 'utf8'), 'precious');
  } finally {
    await cleanup();
  }
});

const BAD_PATHS: [string, RegExp][] = [
  ['../escape.txt', /relative/],
  ['/etc/passwd', /relative/],
  ['evidence/./x', /normalised/],
  ['evidence\\x', /"\/"-separated/],
  ['manifest.json', /reserved/],
  ['report.pdf', /reserved/],
];
for (const [path, message] of BAD_PATHS) {
  test(`writePack rejects pack file path ${JSON.stringify(path)}`, async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await assert.rejects(writeSamplePack(join(dir, 'p'), undefined, { files: [{ path, bytes: Buffer.from('x') }] }), (e) => isEvidencePackError(e) && e.code === 'USAGE' && message.test(e.message));
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await cleanup();
    }
  });
}

test('two separate processes with the same SOURCE_DATE_EPOCH write byte-identical packs', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { keyPath, certPath } = await trialKey();
    const outs = [join(dir, 'a'), join(dir, 'b')];
    await Promise.all(
      outs.map(
        (out) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', CHILD, out, keyPath, certPath], { stdio: ['ignore', 'ignore', 'pipe'] });
            let err = '';
            child.stderr.on('data', (d) => (err += d));
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer failed (${code}): ${err}`))));
          }),
      ),
    );
    const [a, b] = [await snapshot(outs[0]), await snapshot(outs[1])];
    assert.deepEqual([...a.keys()], [...b.keys()]);
    for (const [path, bytes] of a) assert.ok(bytes.equals(b.get(path)!), `${path} differs between processes`);
  } finally {
    await cleanup();
  }
});
