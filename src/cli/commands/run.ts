// `evidence-pack run <config> --out <dir>`: collect, evaluate, map and write the pack; print a short summary.

import type { Command } from 'commander';
import { relative } from 'node:path';
import { run } from '../../index.js';
import { formatLocation } from '../../model/location.js';
import { STATUSES } from '../../model/status.js';
import type { Report } from '../../model/report.js';
import { UNREAD_REASONS, type CoverageGap } from '../../model/coverage.js';
import { clearProgress, makeOut, paint, progress, STATUS_COLOUR, type Out } from '../output.js';
import { sourceDateEpoch } from '../env.js';
import { addFrameworkOptions } from '../frameworks.js';
import { FAIL_ON, appendStepSummary, evaluateGates, parseFailOn, parseFormat, signingSourceOf } from '../gates.js';
import { renderJunit } from '../../render/junit.js';


export function printSummary(out: Out, report: Report): void {
  const w = (s: string) => out.stdout.write(s + '\n');
  const span = `${report.period.from} – ${report.period.to}`;
  const period = report.period.label.includes('..') ? span : `${report.period.label} (${span})`;
  w(`${paint(out, 'bold', report.organisation)} · ${period} · ${report.control.id}`);
  w(`maturity level ${paint(out, 'bold', String(report.maturity.level))} of 5 — ${report.maturity.levelName}`);
  w('checks: ' + STATUSES.filter((s) => report.summary.checks[s] > 0).map((s) => paint(out, STATUS_COLOUR[s], `${report.summary.checks[s]} ${s}`)).join(', '));
  // Checks whose evidence was simply not configured are summarised on one line; the rest are listed.
  const notConfigured = report.checks.filter((c) => c.status === 'unknown' && c.evidenceMissing === 'not-configured');
  for (const c of report.checks.filter((c) => c.status !== 'pass' && c.status !== 'not_applicable' && !notConfigured.includes(c))) {
    // A check held back by incomplete evidence names the sources; the objects are listed once, below.
    const incomplete = c.evidenceMissing === 'incomplete';
    const where = c.locations[0] && !incomplete ? ` (${formatLocation(c.locations[0])})` : '';
    w(`  ${paint(out, STATUS_COLOUR[c.status], c.status.toUpperCase().padEnd(7))} ${c.id}${where}`);
    const reason = incomplete ? `not demonstrated: ${(c.incompleteEvidence ?? []).map((s) => s.source).join(', ')} not read completely (listed below)` : c.reason;
    w(`          ${reason.length > 240 ? reason.slice(0, 237) + '...' : reason}`);
  }
  if (notConfigured.length) {
    const keys = [...new Set(notConfigured.map((c) => /config key `([^`]+)`/.exec(c.reason)?.[1]).filter(Boolean))];
    w(`  ${paint(out, 'yellow', 'UNKNOWN'.padEnd(7))} ${notConfigured.length} check(s): evidence not configured${keys.length ? ` (${keys.join(', ')})` : ''}`);
  }
  printCoverage(out, report);
  if (report.maturity.nextStep) w(`next step to level ${report.maturity.nextStep.level}: ${report.maturity.nextStep.action}`);
}

/** Gaps listed in the terminal per source; the rest are counted (report.json has them all). */
const FIRST_FEW = 3;

/** Skipped objects and rejected records, loud: a count, then the first few of each source with file:line and why. */
export function printCoverage(out: Out, report: Report): void {
  const w = (s: string) => out.stdout.write(s + '\n');
  const coverage = report.coverage ?? [];
  const skipped = coverage.reduce((n, c) => n + c.skipped.length, 0);
  const records = coverage.reduce((n, c) => n + c.dropped.reduce((m, g) => m + (g.count ?? 1), 0), 0);
  if (!skipped && !records) return;
  const held = report.checks.filter((c) => c.evidenceMissing === 'incomplete').length;
  w(paint(out, 'yellow', `evidence not read completely: ${skipped} object(s) skipped, ${records} record(s) rejected; ${held} check(s) that would pass on it are not pass`));
  for (const c of coverage) {
    // Objects that could not be read at all first: they are usually why the rest is broken.
    const unread = (g: CoverageGap) => ((UNREAD_REASONS as readonly string[]).includes(g.reason) ? 0 : 1);
    const gaps = [
      ...[...c.skipped].sort((a, b) => unread(a) - unread(b)).map((g) => ({ g, label: 'SKIPPED', colour: 'magenta' as const })),
      ...c.dropped.map((g) => ({ g, label: 'REJECTED', colour: 'yellow' as const })),
    ];
    for (const { g, label, colour } of gaps.slice(0, FIRST_FEW)) {
      const n = g.count && g.count > 1 ? `${g.count} records, ` : '';
      const detail = `${c.source}: ${n}${g.reason}: ${g.detail}`;
      w(`  ${paint(out, colour, label.padEnd(8))} ${g.object}`);
      w(`           ${detail.length > 240 ? detail.slice(0, 237) + '...' : detail}`);
    }
    if (gaps.length > FIRST_FEW) w(`  … and ${gaps.length - FIRST_FEW} more of ${c.source} (report.json "coverage")`);
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description('collect the evidence named in <config>, evaluate WAF-SOV-070, and write the audit pack to --out')
    .argument('<config>', 'path of an evidence-pack.yaml (relative paths inside it resolve against its folder)')
    .requiredOption('-o, --out <dir>', 'folder to write the pack to (replaced atomically if it exists)')
    .option('--fail-on <status>', `exit 1 when any check is at least this bad: ${FAIL_ON.join('|')}`, 'none')
    .option('--sign-key <pem>', 'PEM private key (RSA) that signs the pack; with --sign-cert (or config `signing:`)')
    .option('--sign-cert <pem>', 'PEM certificate chain of the signing key, signer first')
    .option('--sign-p12 <file>', 'PKCS#12 file with key and certificate chain (instead of --sign-key/--sign-cert)')
    .option('--sign-passphrase-env <VAR>', 'NAME of the environment variable holding the key or PKCS#12 passphrase (never the passphrase)')
    .option('--sign-kms-key <id>', 'AWS KMS key (id, ARN or alias/…) that signs through KMS Sign; --sign-cert is its certificate')
    .option('--tsa-url <url>', 'RFC 3161 time-stamping authority: every signature gets a trusted timestamp (PAdES B-T)')
    .option('--json', 'print the summary as JSON on stdout instead of text')
    .option('--format <format>', 'stdout format: text|json|junit (junit also writes junit.xml to the pack)')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Examples:
  $ evidence-pack run samples/acme-bank/evidence-pack.yaml --out out/acme-bank
  $ evidence-pack run evidence-pack.yaml --out pack --fail-on fail     # CI gate: exit 1 on any failing check
  $ SOURCE_DATE_EPOCH=1759276800 evidence-pack run evidence-pack.yaml --out pack   # reproducible output
  $ evidence-pack run evidence-pack.yaml --out pack --framework dora,dora-rts,nis2-ir   # only these frameworks

The pack holds report.json (machine-readable results), report.html (self-contained report), frameworks/
(per framework: <id>.csv for GRC tools and <id>.oscal.json) and evidence/ (the runbook revision in force,
the IaC files read, the config), each listed with its sha256.

Exit codes: 0 pack written (gate passed), 1 pack written but --fail-on tripped, 2 usage, configuration or
input error (nothing written).`,
    )
    .action(async (configPath: string, opts: { out: string; failOn: string; json?: boolean; format?: string; quiet?: boolean; signKey?: string; signCert?: string; signP12?: string; signKmsKey?: string; signPassphraseEnv?: string; tsaUrl?: string; framework?: string[] }) => {
      const failOn = parseFailOn(opts.failOn);
      const format = parseFormat(opts.format, opts.json);
      const out = makeOut({ quiet: opts.quiet });
      const signing = signingSourceOf(opts);
      const result = await run(configPath, opts.out, { sourceDateEpoch: sourceDateEpoch(), onProgress: progress(out), signing, tsaUrl: opts.tsaUrl, junit: format === 'junit', frameworks: opts.framework });
      clearProgress(out);
      const gates = evaluateGates(result.report, failOn);
      const tripped = gates.some((g) => g.tripped);
      const rel = relative(process.cwd(), result.outDir);
      const where = rel === '' ? '.' : rel.startsWith('..') ? result.outDir : rel;
      appendStepSummary(out, result.report, gates);
      if (format === 'junit') {
        out.stdout.write(renderJunit(result.report));
      } else if (format === 'json') {
        out.stdout.write(
          JSON.stringify(
            {
              outDir: result.outDir,
              files: result.written,
              level: result.report.maturity.level,
              checks: result.report.summary.checks,
              gate: tripped ? 'failed' : 'passed',
              problems: result.report.problems,
              coverage: result.report.coverage,
            },
            null,
            2,
          ) + '\n',
        );
      } else if (!out.quiet) {
        printSummary(out, result.report);
        const evidenceFiles = result.written.filter((f) => f.startsWith('evidence/')).length;
        out.stdout.write(`wrote ${where}/: report.pdf, report.html, report.json, manifest.json and ${evidenceFiles} evidence file(s) (${result.written.length} files)\n`);
        out.stdout.write(`frameworks: ${result.report.frameworks.map((f) => f.id).join(', ') || 'none'} (CSV and OSCAL per framework in frameworks/; --list-frameworks for the others)\n`);
        out.stdout.write(
          result.signed
            ? `signed by ${result.report.signature?.signer}${result.signingTime ? ` at ${result.signingTime} (RFC 3161 timestamp, PAdES B-T)` : ''}; manifest sha256 ${result.manifestSha256}; check it with: evidence-pack verify ${where}\n`
            : paint(out, 'yellow', `UNSIGNED pack (manifest sha256 ${result.manifestSha256}): pass --sign-key/--sign-cert or config signing: to sign it`) + '\n',
        );
        if (tripped) out.stdout.write(paint(out, 'red', `gate: --fail-on ${opts.failOn} tripped`) + '\n');
      }
      process.exitCode = tripped ? 1 : 0;
    });
  addFrameworkOptions(cmd);
}
