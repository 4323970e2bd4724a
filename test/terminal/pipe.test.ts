// A reader that goes away: stdout is a pipe whose read end is already closed (what `| head -1` and `| true`
// leave behind). The command ends quietly — no stack trace — with the exit code of what it did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, cli } from '../support/cli.js';
import { tempTree } from '../support/evidence.js';

/** Runs the CLI with stdout on a pipe nobody reads (python3 closes the read end before the CLI starts). */
function closedStdout(args: string[]): { code: number; stderr: string } {
  const script = [
    'import os, subprocess, sys',
    'r, w = os.pipe()',
    'os.close(r)',
    'p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE, env=dict(os.environ, NO_COLOR="1"))',
    'sys.stderr.buffer.write(p.stderr)',
    'sys.exit(p.returncode)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, ...CLI, ...args], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stderr: r.stderr };
}

const signed = (() => {
  let dir: string | undefined;
  return () => {
    if (dir) return dir;
    const root = tempTree({});
    assert.equal(cli(['keygen', '--out', join(root, 'keys')]).code, 0);
    dir = join(root, 'pack');
    const r = cli(['run', 'samples/northwind-sovereign/evidence-pack.yaml', '--out', dir, '-q', '--sign-key', join(root, 'keys/signing-key.pem'), '--sign-cert', join(root, 'keys/signing-cert.pem')]);
    assert.equal(r.code, 0, r.stderr);
    return dir;
  };
})();

const cases: { name: string; args: () => string[]; code: number }[] = [
  { name: '--help', args: () => ['--help'], code: 0 },
  { name: 'run --help', args: () => ['run', '--help'], code: 0 },
  { name: 'completion bash', args: () => ['completion', 'bash'], code: 0 },
  { name: 'verify of a good pack', args: () => ['verify', signed()], code: 0 },
  { name: 'verify --json of a good pack', args: () => ['verify', signed(), '--json'], code: 0 },
  { name: 'iac with findings', args: () => ['iac', 'samples/acme-bank/infra'], code: 1 },
  { name: 'a usage error', args: () => ['run', 'no/such.yaml', '--out', join(tempTree({}), 'p')], code: 2 },
];
for (const c of cases) {
  test(`stdout closed by its reader: ${c.name} exits ${c.code} without a stack trace`, () => {
    const r = closedStdout(c.args());
    assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at |internal error/, r.stderr);
    assert.equal(r.code, c.code, r.stderr);
  });
}

test('`evidence-pack --help | head -1` and `verify <pack> | head -1` in a real shell: first line, exit 0, nothing on stderr', () => {
  const line = CLI.map((a) => `'${a}'`).join(' ');
  const sh = `set -o pipefail; ${line} --help | head -1; ${line} verify '${signed()}' | head -1`;
  const r = spawnSync('bash', ['-c', sh], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^Usage: evidence-pack \[options\] \[command\]\n(ok|unexpected) /);
});
