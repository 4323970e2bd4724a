// Runs every test/**/*.test.ts through node's test runner with tsx; fails when no test file is found.
// Usage: npm test [-- <substring filter of test file paths>]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}
const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error(`run-tests: no test files match ${filters.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}
// Most tests wait on child processes (the CLI, git, openssl, Chromium): run a few files at a time.
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 3);
const args = [process.execPath, '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
// Several checkouts on one machine (worktrees) running the whole suite at once starve each other of CPU until
// timeouts fire: whole-suite runs take turns through a machine-wide lock (flock(1), where it exists).
// EVIDENCE_PACK_TEST_LOCK=0 turns the queue off.
const queue = filters.length === 0 && process.env.EVIDENCE_PACK_TEST_LOCK !== '0' && spawnSync('flock', ['--version']).status === 0;
if (queue) console.error('run-tests: waiting for the machine-wide whole-suite lock (/tmp/evidence-pack-suite.lock)…');
const r = queue
  ? spawnSync('flock', ['/tmp/evidence-pack-suite.lock', ...args], { stdio: 'inherit' })
  : spawnSync(args[0], args.slice(1), { stdio: 'inherit' });
process.exit(r.status ?? 1);
