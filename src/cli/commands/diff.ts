// `evidence-pack diff <old-pack> <new-pack>`: quarter-over-quarter comparison of two verified packs.

import type { Command } from 'commander';
import { diffPacks, type PackDiff } from '../../diff/index.js';
import { makeOut, paint, STATUS_COLOUR, type Out } from '../output.js';

function printDiff(out: Out, d: PackDiff): void {
  const w = (s: string) => out.stdout.write(s + '\n');
  w(`${d.old.organisation} ${d.old.period} → ${d.new.organisation} ${d.new.period}`);
  const arrow = d.level.change > 0 ? paint(out, 'green', `+${d.level.change}`) : d.level.change < 0 ? paint(out, 'red', String(d.level.change)) : 'unchanged';
  w(`maturity level ${d.level.from} → ${d.level.to} (${arrow})`);
  const section = (title: string, rows: string[]) => {
    if (!rows.length) return;
    w(`${title} (${rows.length}):`);
    for (const r of rows) w(`  ${r}`);
  };
  section('criteria gained', d.criteria.gained.map((c) => `${paint(out, 'green', '+')} ${c.id} (L${c.level}): ${c.text}`));
  section('criteria lost', d.criteria.lost.map((c) => `${paint(out, 'red', '-')} ${c.id} (L${c.level}): ${c.text} [now ${c.to}]`));
  const st = (s: string | null) => (s ? paint(out, STATUS_COLOUR[s] ?? 'dim', s) : 'absent');
  section('checks regressed', d.checks.regressed.map((c) => `${c.id}: ${st(c.from)} → ${st(c.to)}`));
  section('checks improved', d.checks.improved.map((c) => `${c.id}: ${st(c.from)} → ${st(c.to)}`));
  section('checks added', d.checks.added.map((c) => `${c.id}: ${st(c.to)}`));
  section('checks removed', d.checks.removed.map((c) => `${c.id}: was ${st(c.from)}`));
  section('new activations', d.activations.new);
  section('resolved activations (in the old pack only)', d.activations.resolved);
  w(d.regression ? paint(out, 'red', 'regression: yes') : 'regression: no');
}

export function register(program: Command): void {
  program
    .command('diff')
    .description('compare two signed packs (e.g. last quarter and this one): maturity, criteria, checks, activations')
    .argument('<old-pack>', 'the earlier pack folder (from `run` or `attest`)')
    .argument('<new-pack>', 'the later pack folder')
    .option('--json', 'print the comparison as JSON on stdout')
    .option('--fail-on-regression', 'exit 1 when the level dropped, a criterion was lost or a check got worse')
    .addHelpText(
      'after',
      `
Both packs are verified first (signatures and every file hash); an unsigned or tampered pack, a folder
that is not a pack, or packs of different report.json schema versions stop the comparison (exit 2).

Example:
  $ evidence-pack diff packs/2026-Q2 packs/2026-Q3 --fail-on-regression

Exit codes: 0 compared (no regression, or --fail-on-regression not given), 1 regression with
--fail-on-regression, 2 usage or input error (including unverifiable packs).`,
    )
    .action(async (oldPack: string, newPack: string, opts: { json?: boolean; failOnRegression?: boolean }) => {
      const out = makeOut();
      const d = await diffPacks(oldPack, newPack);
      if (opts.json) out.stdout.write(JSON.stringify(d, null, 2) + '\n');
      else printDiff(out, d);
      process.exitCode = opts.failOnRegression && d.regression ? 1 : 0;
    });
}
