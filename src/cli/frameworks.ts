// --framework <id>[,<id>] and --list-frameworks, shared by the program, `run` and `attest`.

import { CommanderError, type Command } from 'commander';
import { listFrameworks } from '../index.js';
import { makeOut } from './output.js';

/** Collects repeated and comma-separated --framework values. */
function collectFrameworks(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** The table `--list-frameworks` prints: id, whether the report holds it by default, controls, status (final or draft) and name. */
export function frameworkListing(): string {
  const rows = listFrameworks().map((f) => [f.id, f.default ? 'yes' : '', String(f.controls), f.status, f.name]);
  const header = ['FRAMEWORK', 'DEFAULT', 'CONTROLS', 'STATUS', 'NAME'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [
    line(header),
    ...rows.map(line),
    '',
    'Select with --framework <id>[,<id>] (repeatable) or --framework all; each id is checked against its catalogue',
    'in mappings/catalogues/ (docs/frameworks.md lists the sources). Without --framework the report holds the',
    'default ones; of CIS AWS Foundations only the latest version.',
  ].join('\n') + '\n';
}

/** Adds --list-frameworks to a command: prints the listing and ends with exit code 0, before any other work. */
export function addListFrameworks(cmd: Command): Command {
  cmd.option('--list-frameworks', 'list the frameworks --framework can select, and exit');
  cmd.on('option:list-frameworks', () => {
    makeOut().stdout.write(frameworkListing());
    throw new CommanderError(0, 'evidence-pack.listFrameworks', '');
  });
  return cmd;
}

/** Adds --framework and --list-frameworks to `run` or `attest`. */
export function addFrameworkOptions(cmd: Command): Command {
  cmd.option('--framework <ids>', 'frameworks the report, PDF, OSCAL and CSV exports hold: ids from --list-frameworks, comma-separated or repeated, or all', collectFrameworks);
  return addListFrameworks(cmd);
}
