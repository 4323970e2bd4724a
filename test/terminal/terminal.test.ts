// Terminal behaviour through real processes: pipes get no escape codes or progress; a pseudo-TTY (script -qc) gets colours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.js';
import { TOOL_VERSION } from '../../src/paths.js';
import { CLI } from '../support/cli.js';

const ESC = /\x1b/;
const CLI_LINE = CLI.map((a) => `"${a}"`).join(' ');
const SAMPLE = 'samples/acme-bank/evidence-pack.yaml';
const out = () => join(mkdtempSync(join(tmpdir(), 'ep-term-')), 'pack');

test('stdout piped to a file: no escape codes and no progress, even without NO_COLOR and with FORCE_COLOR set', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ep-term-')), 'stdout.txt');
  const sh = `${CLI_LINE} run ${SAMPLE} --out "${out()}" > "${file}" 2> "${file}.err"`;
  const r = spawnSync('bash', ['-c', sh], { env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: '1', TERM: 'xterm-256color' } as NodeJS.ProcessEnv, encoding: 'utf8' });
  assert.equal(r.status, 0, readFileSync(`${file}.err`, 'utf8'));
  const stdout = readFileSync(file, 'utf8');
  assert.match(stdout, /maturity level 2 of 5/);
  assert.doesNotMatch(stdout, ESC, 'no escape codes in piped stdout');
  assert.doesNotMatch(stdout, /…|\r/, 'no progress lines in stdout');
  assert.doesNotMatch(readFileSync(`${file}.err`, 'utf8'), ESC, 'stderr is not a terminal either: no progress');
});

test('--json stdout is exactly one JSON document; --quiet prints nothing', () => {
  const j = cli(['run', SAMPLE, '--out', out(), '--json'], { env: { NO_COLOR: undefined } });
  assert.equal(j.code, 0, j.stderr);
  assert.equal(JSON.parse(j.stdout).level, 2);
  const q = cli(['run', SAMPLE, '--out', out(), '--quiet'], { env: { NO_COLOR: undefined } });
  assert.deepEqual([q.code, q.stdout, q.stderr], [0, '', '']);
});

const hasScript = spawnSync('script', ['--version']).status === 0;
test('on a pseudo-terminal (script -qc) colours appear; NO_COLOR turns them off', { skip: hasScript ? false : 'util-linux script not installed' }, () => {
  const cmd = `${CLI_LINE} run ${SAMPLE} --out "${out()}"`;
  const tty = (env: Record<string, string | undefined>) =>
    spawnSync('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, TERM: 'xterm-256color', ...env } as NodeJS.ProcessEnv, encoding: 'utf8' });
  const coloured = tty({ NO_COLOR: undefined });
  assert.equal(coloured.status, 0, coloured.stdout);
  assert.match(coloured.stdout, /\x1b\[3[12]m/, 'colours on a terminal');
  const plain = tty({ NO_COLOR: '1' });
  assert.equal(plain.status, 0);
  assert.doesNotMatch(plain.stdout.replace(/\x1b\[2K|\r/g, ''), /\x1b\[3\dm/, 'NO_COLOR: no colours');
});

test('errors are one line each with a hint and no stack trace; --version prints the version', () => {
  const table: [string[], RegExp][] = [
    [['run', 'does/not/exist.yaml', '--out', out()], /^error: .*does\/not\/exist\.yaml/],
    [['diff', 'nope-a', 'nope-b'], /^error: nope-a: no such pack folder/],
    [['attest', SAMPLE, '--out', out()], /^error: attest needs a signing key[^\n]*\nhint: /],
  ];
  for (const [args, msg] of table) {
    const r = cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, msg);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, '');
  }
  const v = cli(['--version']);
  assert.deepEqual([v.code, v.stdout.trim()], [0, TOOL_VERSION]);
});
