// Shell completion: the bash script, sourced in a real bash, completes commands and each command's options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cli } from '../support/cli.js';
import { buildProgram } from '../../src/cli/main.js';

const script = cli(['completion', 'bash']);

function complete(words: string[]): string[] {
  const sh = `${script.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _evidence_pack_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', sh], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

test('bash: commands and options complete', () => {
  assert.equal(script.code, 0, script.stderr);
  const table: [string[], string[]][] = [
    [['evidence-pack', 'at'], ['attest', 'athena-ddl']],
    [['evidence-pack', 'ath'], ['athena-ddl']],
    [['evidence-pack', 'athena-ddl', '--acc'], ['--accounts']],
    [['evidence-pack', 'd'], ['diff']],
    [['evidence-pack', 'attest', '--min'], ['--min-maturity']],
    [['evidence-pack', 'diff', '--fail'], ['--fail-on-regression']],
    [['evidence-pack', 'init', '--f'], ['--force']],
  ];
  for (const [words, want] of table) assert.deepEqual(complete(words), want, words.join(' '));
});

test('every registered command is offered, by bash and zsh', () => {
  const names = buildProgram().commands.map((c) => c.name());
  assert.deepEqual(complete(['evidence-pack', '']).filter((w) => !w.startsWith('-')).sort(), [...names].sort());
  const zsh = cli(['completion', 'zsh']);
  assert.equal(zsh.code, 0);
  assert.match(zsh.stdout, /^#compdef evidence-pack/);
  for (const n of names) assert.match(zsh.stdout, new RegExp(`^    '${n}:`, 'm'), n);
});

test('an unknown shell is a usage error', () => {
  const r = cli(['completion', 'fish']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: completion: expected bash or zsh, got "fish"\nhint: /);
});
