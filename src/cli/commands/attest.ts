// `evidence-pack attest <config> --out <dir>`: assess, write report.json + exports + a signed in-toto attestation; CI gates.

import type { Command } from 'commander';
import { relative } from 'node:path';
import { attest } from '../../attest.js';
import { renderJunit } from '../../render/junit.js';
import { clearProgress, makeOut, paint, progress } from '../output.js';
import { sourceDateEpoch } from '../env.js';
import { addFrameworkOptions } from '../frameworks.js';
import { printSummary } from './run.js';
import { FAIL_ON, FORMATS, appendStepSummary, evaluateGates, parseFailOn, parseFormat, parseMinMaturity, signingSourceOf } from '../gates.js';

interface AttestCliOptions {
  out: string;
  failOn: string;
  minMaturity?: string;
  signKey?: string;
  signCert?: string;
  signP12?: string;
  signPassphraseEnv?: string;
  signKmsKey?: string;
  tsaUrl?: string;
  pdf?: boolean;
  format?: string;
  json?: boolean;
  quiet?: boolean;
  framework?: string[];
}

export function register(program: Command): void {
  const cmd = program
    .command('attest')
    .description('assess like `run`, then write report.json, the OSCAL export and a signed in-toto attestation (DSSE) to --out; gate on maturity and check status')
    .argument('<config>', 'path of an evidence-pack.yaml')
    .requiredOption('-o, --out <dir>', 'folder to write to (replaced atomically if it holds an earlier pack)')
    .option('--min-maturity <level>', 'exit 1 when the achieved maturity level is below this (0-5)')
    .option('--fail-on <status>', `exit 1 when any check is at least this bad: ${FAIL_ON.join('|')}`, 'none')
    .option('--sign-key <pem>', 'PEM private key (RSA); with --sign-cert')
    .option('--sign-cert <pem>', 'PEM certificate chain of the signing key, signer first')
    .option('--sign-p12 <file>', 'PKCS#12 file with key and certificate chain')
    .option('--sign-passphrase-env <VAR>', 'NAME of the environment variable holding the key or PKCS#12 passphrase')
    .option('--sign-kms-key <id>', 'AWS KMS key (id, ARN or alias/…) that signs through KMS Sign; --sign-cert is its certificate')
    .option('--tsa-url <url>', 'RFC 3161 time-stamping authority: every signature gets a trusted timestamp (PAdES B-T)')
    .option('--pdf', 'also render and PAdES-sign report.pdf (slow on large packs)')
    .option('--format <format>', `stdout format: ${FORMATS.join('|')} (junit also writes junit.xml to the pack)`)
    .option('--json', 'same as --format json')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Writes report.json, oscal-assessment-results.json, the evidence files, cert.pem, manifest.json and
attestation.dsse.json: an in-toto Statement in a DSSE envelope whose subjects are every file (sha256) and
the git commit of the repository holding <config>. docs/ci.md shows how to check it with openssl.

Examples:
  $ evidence-pack attest evidence-pack.yaml --out attestation --min-maturity 3 --fail-on fail \\
      --sign-key keys/signing-key.pem --sign-cert keys/signing-cert.pem
  $ EP_P12_PASS=… evidence-pack attest evidence-pack.yaml --out attestation --sign-p12 signer.p12 --sign-passphrase-env EP_P12_PASS
  $ evidence-pack attest evidence-pack.yaml --out attestation --sign-key k.pem --sign-cert c.pem --format junit > junit.xml

When GITHUB_STEP_SUMMARY is set (GitHub Actions), a Markdown summary is appended to that file.

Exit codes: 0 written, gates passed; 1 written, a gate failed; 2 usage, configuration, input or signing
error (nothing written; attest never writes an unsigned attestation).`,
    )
    .action(async (configPath: string, opts: AttestCliOptions) => {
      const failOn = parseFailOn(opts.failOn);
      const minMaturity = parseMinMaturity(opts.minMaturity);
      const format = parseFormat(opts.format, opts.json);
      const out = makeOut({ quiet: opts.quiet });
      const signing = signingSourceOf(opts);
      const r = await attest(configPath, opts.out, { sourceDateEpoch: sourceDateEpoch(), onProgress: progress(out), signing, tsaUrl: opts.tsaUrl, pdf: opts.pdf, junit: format === 'junit', frameworks: opts.framework });
      clearProgress(out);
      const gates = evaluateGates(r.report, failOn, minMaturity);
      const tripped = gates.some((g) => g.tripped);
      appendStepSummary(out, r.report, gates);
      if (r.repository.state !== 'git') out.stderr.write(`${paint(out, 'yellow', 'warning:')} no git commit in the attestation: ${r.repository.reason}\n`);
      else if (r.repository.dirty && !out.quiet) out.stderr.write(`${paint(out, 'yellow', 'warning:')} the working tree has uncommitted changes; the attestation names commit ${r.repository.commit.slice(0, 12)} and records dirty: true\n`);
      if (format === 'json') {
        out.stdout.write(
          JSON.stringify(
            {
              outDir: r.outDir,
              files: r.written,
              level: r.report.maturity.level,
              checks: r.report.summary.checks,
              repository: r.repository,
              signer: r.signer,
              gates,
              gate: tripped ? 'failed' : 'passed',
              problems: r.report.problems,
              coverage: r.report.coverage,
            },
            null,
            2,
          ) + '\n',
        );
      } else if (format === 'junit') {
        out.stdout.write(renderJunit(r.report));
      } else if (!out.quiet) {
        printSummary(out, r.report);
        const where = relative(process.cwd(), r.outDir) || '.';
        out.stdout.write(`attested ${r.repository.state === 'git' ? `commit ${r.repository.commit.slice(0, 12)}` : '(no git commit)'}; signed by ${r.signer}${r.signingTime ? ` at ${r.signingTime} (RFC 3161 timestamp)` : ''}\n`);
        out.stdout.write(`wrote ${where}/attestation.dsse.json and ${r.written.length - 1} other file(s)\n`);
        for (const g of gates) out.stdout.write(`gate ${g.gate}: ${g.tripped ? paint(out, 'red', 'FAILED') : paint(out, 'green', 'passed')}\n`);
      }
      process.exitCode = tripped ? 1 : 0;
    });
  addFrameworkOptions(cmd);
}
