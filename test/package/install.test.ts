// The published artefact as a user gets it: `npm pack` of a copy of the repository, the tarball installed into an
// empty prefix, and the installed `evidence-pack` run from a folder unrelated to the clone.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from '../support/git.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ep-package-'));
const prefix = join(work, 'prefix');
let tarball = '';
let packed: string[] = [];

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

before(() => {
  // A copy of the working tree (tracked and new files, as git lists them), so that `prepack` rebuilding dist/
  // never disturbs the tests running from the clone's own dist/.
  const copy = join(work, 'clone-copy');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const rel of listed) {
    if (!existsSync(join(REPO, rel)) || rel.split('/')[0] === 'node_modules') continue; // deleted, not yet committed; or a linked node_modules
    mkdirSync(dirname(join(copy, rel)), { recursive: true });
    cpSync(join(REPO, rel), join(copy, rel));
  }
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'));
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], copy));
  tarball = join(work, info.filename);
  packed = info.files.map((f: { path: string }) => f.path);
  npm(['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], work);
});

/** Runs the installed command in `cwd` with nothing of the clone on PATH. */
function installed(args: string[], cwd: string) {
  const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, NO_COLOR: '1' };
  const r = spawnSync('evidence-pack', args, { cwd, env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('the tarball holds the built CLI and its data, and nothing dev-only', () => {
  for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/evidence-pack.js', 'dist/cli/main.js', 'dist/index.d.ts', 'schemas/evidence-pack.schema.json', 'mappings/controls/waf-sov-070.yaml', 'templates/report.hbs', 'assets/fonts/DejaVuSans.ttf', 'queries/root-activity.sql', 'docs/checks.md']) {
    assert.ok(packed.includes(f), `${f} is packed`);
  }
  const devOnly = packed.filter((f) => /^(src|test|bench|samples|scripts|\.ci|docs\/screenshots|node_modules)\//.test(f) || /^tsconfig|\.tsbuildinfo$|\.test\.|\.ts$/.test(f.replace(/\.d\.ts$/, '')));
  assert.deepEqual(devOnly, []);
  const manifest = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', '@evidence-pack', 'cli', 'package.json'), 'utf8'));
  assert.match(manifest.engines.node, /22/);
});

test('installed into an empty prefix, it runs from an unrelated folder: run, keygen, verify', () => {
  const repo = join(work, 'their-repo');
  cpSync(join(REPO, 'samples', 'level4-helvetia-health'), repo, { recursive: true });
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'break-glass evidence'], { GIT_AUTHOR_DATE: '2026-06-01T09:00:00Z', GIT_COMMITTER_DATE: '2026-06-01T09:00:00Z' });

  const version = installed(['--version'], repo);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);

  const keys = installed(['keygen', '--out', 'keys'], repo);
  assert.equal(keys.code, 0, keys.stderr);
  const run = installed(['run', 'evidence-pack.yaml', '--out', 'pack', '--sign-key', 'keys/signing-key.pem', '--sign-cert', 'keys/signing-cert.pem'], repo);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /maturity level 4 of 5/);
  const verify = installed(['verify', 'pack', '--trust', 'keys/signing-cert.pem'], repo);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /pack verified/);
  writeFileSync(join(repo, 'pack', 'report.json'), '{}');
  assert.equal(installed(['verify', 'pack'], repo).code, 1, 'a modified pack does not verify');
});
