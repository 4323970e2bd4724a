// The CLI entry: builds the commander program, runs it, and maps errors to the documented exit codes.

import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../paths.js';
import { makeOut, reportError } from './output.js';
import { register as registerRun } from './commands/run.js';
import { register as registerKeygen } from './commands/keygen.js';
import { register as registerVerify } from './commands/verify.js';
import { register as registerAttest } from './commands/attest.js';
import { register as registerDiff } from './commands/diff.js';
import { register as registerInit } from './commands/init.js';
import { register as registerCompletion } from './commands/completion.js';
import { register as registerIac } from './commands/iac.js';

export function buildProgram(): Command {
  const program = new Command('evidence-pack')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .description('Collect, evaluate and package audit evidence that the AWS break-glass process (control WAF-SOV-070) is real.')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Pipeline: collect (git runbook, Terraform, CloudFormation) → evaluate (WAF-SOV-070 checks) → map (GDPR,
BSI C5, EUCS, ISO 27001, SOC 2, maturity levels 1-5) → render (report.json, report.html).

Examples:
  $ evidence-pack run samples/acme-bank/evidence-pack.yaml --out out/acme-bank
  $ evidence-pack run --help

Exit codes: 0 success, 1 gate failed (--fail-on), 2 usage, configuration or input error.
Docs: README.md and docs/ in the package.`,
    );
  registerRun(program);
  registerKeygen(program);
  registerVerify(program);
  registerAttest(program);
  registerDiff(program);
  registerInit(program);
  registerCompletion(program);
  registerIac(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    return reportError(makeOut(), e);
  }
}
