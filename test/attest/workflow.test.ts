// docs/ci/github-actions.yml stays runnable: every evidence-pack command and option it uses exists in the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';

const workflow = parse(readFileSync('docs/ci/github-actions.yml', 'utf8'));
const steps: { name?: string; uses?: string; run?: string; with?: Record<string, unknown> }[] = workflow.jobs.attest.steps;

/** Every `evidence-pack <command> …` invocation in the workflow's run scripts, continuation lines joined. */
function invocations(): string[][] {
  const script = steps.map((s) => s.run ?? '').join('\n').replace(/\\\n\s*/g, ' ');
  return [...script.matchAll(/evidence-pack (\w[\w-]*)([^\n|>&]*)/g)].map((m) => [m[1], ...m[2].trim().split(/\s+/).filter(Boolean)]);
}

test('the workflow installs, attests with gates, uploads the pack and iac.sarif', () => {
  // Installed from a checked release tarball, never from a registry name the project has not published (README, Install).
  assert.ok(steps.some((s) => /sha256sum --check/.test(s.run ?? '') && /npm install --global "\.\/\$EVIDENCE_PACK_TGZ"/.test(s.run ?? '')));
  assert.ok(!steps.some((s) => /npm (install|i)\b[^\n]*\bevidence-pack(@|\s|$)|npx evidence-pack/.test(s.run ?? '')), 'no registry install of an unpublished name');
  const attest = invocations().find((i) => i[0] === 'attest');
  assert.ok(attest && attest.includes('--min-maturity') && attest.includes('--fail-on'));
  assert.ok(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@') && String(s.with?.path).includes('attestation/')));
  assert.ok(steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@') && s.with?.sarif_file === 'iac.sarif'));
  assert.equal(workflow.permissions['security-events'], 'write');
});

test('every evidence-pack command and long option in the workflow exists in the CLI', () => {
  const program = buildProgram();
  const byName = new Map<string, Command>(program.commands.map((c) => [c.name(), c]));
  const calls = invocations();
  assert.ok(calls.length >= 2);
  for (const [name, ...args] of calls) {
    const cmd = byName.get(name);
    assert.ok(cmd, `unknown command ${name}`);
    const longs = new Set(cmd.options.map((o) => o.long));
    for (const a of args.filter((a) => a.startsWith('--'))) assert.ok(longs.has(a), `${name} ${a}`);
  }
});
