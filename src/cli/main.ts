// The CLI entry: builds the commander program, runs it, and maps errors to the documented exit codes.

import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../paths.js';
import { endQuietlyOnClosedPipe, makeOut, reportError } from './output.js';
import { register as registerRun } from './commands/run.js';
import { register as registerKeygen } from './commands/keygen.js';
import { register as registerVerify } from './commands/verify.js';
import { register as registerAttest } from './commands/attest.js';
import { register as registerDiff } from './commands/diff.js';
import { register as registerInit } from './commands/init.js';
import { register as registerCompletion } from './commands/completion.js';
import { register as registerIac } from './commands/iac.js';
import { register as registerIamPolicy } from './commands/iam-policy.js';
import { register as registerAthenaDdl } from './commands/athena-ddl.js';
import { addListFrameworks } from './frameworks.js';

export function buildProgram(): Command {
  const program = new Command('evidence-pack')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .description('Collect, evaluate and package audit evidence that the AWS break-glass process (control WAF-SOV-070) is real.')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Pipeline: collect (runbook git history, Terraform / plan JSON / CloudFormation / CDK, CloudTrail logs and
digests, reviews, drills, secret store, tickets, approvals) → evaluate (WAF-SOV-070 checks) → map (maturity
levels 1-5; BSI C5:2020 and C5:2026, DORA and its RTS, NIS2, NIST SP 800-53, CIS AWS Foundations, ISO 27001,
SOC 2, GDPR, EUCS (draft): see --list-frameworks; aws-ir-01…07) → render (report.pdf, report.html,
report.json, OSCAL, per-framework CSV, SARIF) → pack (manifest, CMS / PAdES / DSSE signatures).

Examples:
  $ evidence-pack run samples/acme-bank/evidence-pack.yaml --out out/acme-bank
  $ evidence-pack keygen --out keys/ && evidence-pack run evidence-pack.yaml --out pack \
      --sign-key keys/signing-key.pem --sign-cert keys/signing-cert.pem
  $ evidence-pack verify pack --trust keys/signing-cert.pem
  $ evidence-pack iac infra/                       # pre-commit / pull-request check of IaC only
  $ evidence-pack attest evidence-pack.yaml --out att --min-maturity 3 --sign-key k.pem --sign-cert c.pem
  $ evidence-pack diff packs/2026-Q2 packs/2026-Q3
  $ evidence-pack athena-ddl s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/   # the Athena CloudTrail table
  $ evidence-pack <command> --help                 # every option of a command, with examples

Exit codes: 0 success; 1 pack written but a gate failed (--fail-on, --min-maturity), or verify/diff found a
problem; 2 usage, configuration or input error (nothing written); 3 internal error (a bug: please report).
Docs: README.md and docs/ in the package.`,
    );
  addListFrameworks(program);
  registerRun(program);
  registerKeygen(program);
  registerVerify(program);
  registerAttest(program);
  registerDiff(program);
  registerInit(program);
  registerCompletion(program);
  registerIac(program);
  registerIamPolicy(program);
  registerAthenaDdl(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedPipe();
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' || e.exitCode === 0) return 0;
      return 2;
    }
    return reportError(makeOut(), e);
  }
}
