// User errors exit 2 with a one-line reason and a hint, never 3 (internal error) and never a stack trace.
// The run/config/--out rows of the damaged-evidence corpus cover `run`; these are `verify` and git's refusals.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, cli } from '../support/cli.js';
import { makeRepo } from '../support/git.js';
import { NOBODY, giveToUnprivileged, unprivilegedPrefix } from '../support/unprivileged.js';

const STACK = /^\s+at .+:\d+:\d+\)?$/m;

function asNobody(args: string[], cwd: string) {
  const [cmd, ...rest] = [...unprivilegedPrefix(), ...CLI, ...args];
  const r = spawnSync(cmd, rest, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: cwd } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('user errors exit 2', () => {
  const packOf = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ep-ue-'));
    chmodSync(dir, 0o755);
    const r = cli(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', join(dir, 'pack')]);
    assert.equal(r.code, 0, r.stderr);
    giveToUnprivileged(dir);
    return join(dir, 'pack');
  };

  const unreadable: { name: string; damage: (pack: string) => void; names: RegExp }[] = [
    { name: 'the pack folder', damage: (p) => chmodSync(p, 0o000), names: /cannot read the pack \(EACCES on \.\); nothing was verified/ },
    { name: 'one file of the pack', damage: (p) => chmodSync(join(p, 'report.json'), 0o000), names: /cannot read the pack \(EACCES on report\.json\); nothing was verified/ },
    { name: 'a folder inside the pack', damage: (p) => chmodSync(join(p, readdirSync(p).includes('evidence') ? 'evidence' : 'frameworks'), 0o000), names: /cannot read the pack \(EACCES on (evidence|frameworks)\)/ },
  ];
  for (const c of unreadable)
    it(`verify on a pack this user cannot read: ${c.name} (non-root)`, () => {
      const pack = packOf();
      c.damage(pack);
      const r = asNobody(['verify', pack], tmpdir());
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, c.names);
      assert.match(r.stderr, /hint: run verify as a user who can read every file of the pack/);
      assert.doesNotMatch(r.stderr, STACK);
    });

  it('git refusing a repository owned by another user is said as such, with the safe.directory fix', () => {
    if (unprivilegedPrefix().length === 0) assert.fail('needs root (as in CI) to hand the repository to another user');
    const repo = makeRepo([{ date: '2026-06-01T10:00:00Z', message: 'runbook', files: { 'runbooks/break-glass.md': '# Break-glass\n', 'ep.yaml': 'organisation: X\nperiod: 2026-Q3\nrunbook: {repo: ., path: runbooks/break-glass.md}\n' } }]);
    chownSync(repo, NOBODY, NOBODY);
    giveToUnprivileged(repo);
    const out = join(mkdtempSync(join(tmpdir(), 'ep-ue-out-')), 'pack');
    const r = spawnSync(CLI[0], [CLI[1], 'run', join(repo, 'ep.yaml'), '--out', out], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: mkdtempSync(join(tmpdir(), 'ep-home-')), GIT_CONFIG_NOSYSTEM: '1' } });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /git refuses to read the runbook repository .*: it is owned by another user \("dubious ownership"\)/);
    assert.match(r.stderr, /hint: if you trust it, run: git config --global --add safe\.directory '/);
    assert.doesNotMatch(r.stderr + r.stdout, /not inside a git repository/);
    assert.doesNotMatch(r.stderr, STACK);
  });

  it('a config this user cannot read, and a YAML bomb, are configuration errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ep-ue-cfg-'));
    writeFileSync(join(dir, 'bomb.yaml'), 'organisation: X\nperiod: 2026-Q3\na: &a [l,l,l,l,l,l,l,l,l]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n');
    const bomb = cli(['run', join(dir, 'bomb.yaml'), '--out', join(dir, 'o')]);
    assert.equal(bomb.code, 2, bomb.stderr);
    assert.match(bomb.stderr, /bomb\.yaml: not a usable configuration/);
    cpSync('samples/acme-bank/evidence-pack.yaml', join(dir, 'secret.yaml'));
    chmodSync(dir, 0o755);
    giveToUnprivileged(dir);
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    const r = asNobody(['run', join(dir, 'secret.yaml'), '--out', join(dir, 'o2')], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /secret\.yaml: cannot read the configuration \(EACCES\)/);
    assert.doesNotMatch(bomb.stderr + r.stderr, STACK);
  });
});
