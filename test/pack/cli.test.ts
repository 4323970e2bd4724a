// The keygen and verify commands through commander: output, exit codes, and usage errors as typed errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadSigner } from '../../src/pack/index.js';
import { tempDir, writeSamplePack } from './helpers.js';

const CHILD = fileURLToPath(new URL('./cli-child.ts', import.meta.url));

function cli(args: string[]): { stdout: string; stderr: string; exitCode: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status };
}

test('keygen writes a 0600 key and a certificate that loads as signing material; verify exits 0 on a good pack and 1 after tampering', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const keys = join(dir, 'keys');
    const k = cli(['keygen', '--out', keys, '--org', 'Acme Bank AG']);
    assert.match(k.stdout, /signing-key\.pem/);
    assert.equal((await stat(join(keys, 'signing-key.pem'))).mode & 0o777, 0o600);
    const material = await loadSigner({ key: join(keys, 'signing-key.pem'), cert: join(keys, 'signing-cert.pem') });
    assert.match(material.subject, /O=Acme Bank AG/);
    const again = cli(['keygen', '--out', keys]);
    assert.equal(again.exitCode, 2);
    assert.match(again.stderr, /^error: .*never overwrites/m);

    const pack = join(dir, 'pack');
    await writeSamplePack(pack, material);
    const ok = cli(['verify', pack, '--trust', join(keys, 'signing-cert.pem')]);
    assert.equal(ok.exitCode, 0, ok.stdout);
    assert.match(ok.stdout, /pack verified/);
    await writeFile(join(pack, 'report.json'), '{}');
    const bad = cli(['verify', pack]);
    assert.equal(bad.exitCode, 1);
    assert.match(bad.stdout, /modified\s+report\.json/);
    const json = cli(['verify', pack, '--json']);
    assert.equal(JSON.parse(json.stdout).ok, false);
  } finally {
    await cleanup();
  }
});

const USAGE: [string, string[], RegExp][] = [
  ['missing pack folder', ['verify', '/nonexistent/pack'], /no such pack folder/],
  ['unreadable trust anchor', ['verify', '.', '--trust', '/nonexistent/cert.pem'], /cannot read the trust anchor/],
  ['bad --days', ['keygen', '--out', '/tmp/x', '--days', 'soon'], /--days must be a positive whole number/],
];
for (const [name, args, message] of USAGE) {
  test(`usage error: ${name}`, async () => {
    const r = cli(args);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace for user mistakes');
  });
}

test('--help of both commands carries an example', () => {
  for (const cmd of ['keygen', 'verify']) {
    const r = cli([cmd, '--help']);
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, new RegExp(`Example:\\n\\s+\\$ evidence-pack ${cmd}`));
  }
});
