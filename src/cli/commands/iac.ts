// `evidence-pack iac <paths…>`: the IaC checks only, for pre-commit hooks and pull-request checks; exit 1 on findings.

import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { checkIac, firstIacFile, iacSarif, type IacCheck } from '../../iac.js';
import { EvidencePackError } from '../../errors.js';
import { formatLocation } from '../../model/location.js';
import { STATUSES } from '../../model/status.js';
import type { CheckResult } from '../../model/check.js';
import { makeOut, paint, STATUS_COLOUR, type Out } from '../output.js';
import { gateTrips } from '../gates.js';
import { countByStatus } from '../../map/report.js';

export const IAC_FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof IAC_FORMATS)[number];

/** A demonstrated failure or an evaluation error fails the hook; `unknown` is reported but does not. */
const iacFindingsTrip = (results: CheckResult[]) => gateTrips(results, 'error');

function inputsLine(r: IacCheck): string {
  const parts = [
    [r.snapshots.filter((s) => s.origin === 'terraform').length, 'Terraform root'],
    [r.inputs.planJson.length, 'plan'],
    [r.inputs.cloudformation.length, 'CloudFormation path'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}${(n as number) > 1 ? 's' : ''}`);
  const files = r.snapshots.reduce((n, s) => n + s.files.length, 0);
  const ignored = r.inputs.ignored.length ? `; ${r.inputs.ignored.length} file${r.inputs.ignored.length === 1 ? '' : 's'} not IaC, ignored` : '';
  return `${parts.join(', ')} (${files} file${files === 1 ? '' : 's'}${ignored})`;
}

function printText(out: Out, r: IacCheck): void {
  const w = (s: string) => out.stdout.write(s + '\n');
  if (r.nothingToCheck) {
    w(`${paint(out, 'bold', 'evidence-pack iac')} · nothing to check: ${r.nothingToCheck}`);
    return;
  }
  const c = countByStatus(r.results.map((x) => x.status));
  w(`${paint(out, 'bold', 'evidence-pack iac')} · ${inputsLine(r)} · ${r.results.length} checks: ` + STATUSES.filter((s) => c[s] > 0).map((s) => paint(out, STATUS_COLOUR[s], `${c[s]} ${s}`)).join(', '));
  for (const res of r.results.filter((x) => x.status !== 'pass' && x.status !== 'not_applicable')) {
    w(`${paint(out, STATUS_COLOUR[res.status], res.status.toUpperCase().padEnd(7))} ${res.id} (${res.severity})`);
    w(`        ${res.reason}`);
    // A defect an earlier check already printed (reportedBy) is not repeated.
    for (const f of res.findings.filter((x) => x.status === res.status && x.location && !x.reportedBy)) {
      // The reason usually quotes the finding: then its location is all that is new.
      const said = res.reason.includes(f.message.replace(/^link "[^"]+": /, ''));
      w(`        ${paint(out, 'dim', `at ${formatLocation(f.location!)}`)}${said ? '' : `  ${f.message}`}`);
    }
  }
  const problems = r.snapshots.flatMap((s) => s.problems.filter((p) => p.level === 'warning'));
  for (const p of problems) w(`${paint(out, 'yellow', 'warning')} ${p.location ? formatLocation(p.location) + ': ' : ''}${p.message}`);
}

function jsonOf(r: IacCheck): unknown {
  return {
    inputs: r.inputs,
    ...(r.nothingToCheck ? { nothingToCheck: r.nothingToCheck } : {}),
    roots: r.snapshots.map((s) => s.root),
    summary: countByStatus(r.results.map((x) => x.status)),
    checks: r.results.map((c) => ({ id: c.id, title: c.title, severity: c.severity, status: c.status, reason: c.reason, locations: c.locations, findings: c.findings })),
    problems: r.snapshots.flatMap((s) => s.problems),
  };
}

export function register(program: Command): void {
  program
    .command('iac')
    .description('run the IaC checks (CloudTrail, trail bucket, alarm chains) on Terraform, plan JSON and CloudFormation/CDK; exit 1 on findings')
    .argument('[paths...]', 'folders (searched for Terraform root modules and templates), changed files (a .tf file stands for its root module; files that are not IaC are ignored), .tfvars, `terraform show -json` output, CloudFormation templates or cdk.out')
    .option('-f, --format <format>', `output format: ${IAC_FORMATS.join('|')}`, 'text')
    .option('-o, --output <file>', 'write the output to this file instead of stdout')
    .option('-c, --config <file>', 'an evidence-pack.yaml whose breakGlass roles/users parameterise the break-glass alarm check')
    .addHelpText(
      'after',
      `
Examples:
  $ evidence-pack iac .                                        # every Terraform root module in the repository
  $ evidence-pack iac infra/ infra/prod.tfvars --config evidence-pack.yaml
  $ evidence-pack iac plan.json cdk.out/                       # terraform show -json output and CDK synth output
  $ git diff --cached --name-only -z --diff-filter=d | xargs -0 evidence-pack iac   # pre-commit: staged files
  $ evidence-pack iac infra/ --format sarif --output iac.sarif # GitHub code scanning upload

Paths are read relative to the current folder; SARIF file URIs are relative to its git top-level.
A folder is searched for root modules (skipping .terraform, hidden, vendored and local-module folders);
each root is read with its own variables, tfvars and modules (.terraform/modules after terraform init),
and the checks read all roots together. A changed file stands for its root module; files that are not
IaC are ignored, and nothing to check (no paths, or no IaC among them) exits 0.
Exit codes: 0 no failing check, 1 a check failed or could not be evaluated (fail/error; 'unknown' is
reported but does not fail), 2 usage or input error.`,
    )
    .action(async (paths: string[], opts: { format: string; output?: string; config?: string }) => {
      if (!(IAC_FORMATS as readonly string[]).includes(opts.format)) {
        throw new EvidencePackError('USAGE', `--format: expected one of ${IAC_FORMATS.join(', ')}, got "${opts.format}"`, { hint: 'e.g. --format sarif' });
      }
      const format = opts.format as Format;
      const out = makeOut();
      const result = await checkIac(paths, { configPath: opts.config });
      let text: string | Buffer;
      if (format === 'sarif') text = iacSarif(result.results, result.repoPrefix, firstIacFile(result.snapshots));
      else if (format === 'json') text = JSON.stringify(jsonOf(result), null, 2) + '\n';
      else {
        if (opts.output) {
          // Plain text to a file: no colours.
          const chunks: string[] = [];
          printText({ ...out, color: false, stdout: { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream }, result);
          text = chunks.join('');
        } else {
          printText(out, result);
          text = '';
        }
      }
      if (opts.output) {
        try {
          writeFileSync(opts.output, text);
        } catch (e) {
          throw new EvidencePackError('OUTPUT', `cannot write ${opts.output}: ${(e as Error).message}`);
        }
      } else if (text) out.stdout.write(text);
      process.exitCode = iacFindingsTrip(result.results) ? 1 : 0;
    });
}
