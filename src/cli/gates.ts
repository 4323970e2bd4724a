// CLI gates and shared option parsing for `run` and `attest`: --fail-on, --min-maturity, --format, signing flags, job summary.

import { appendFileSync } from 'node:fs';
import { EvidencePackError, messageOf } from '../errors.js';
import type { CheckResult } from '../model/check.js';
import type { Report } from '../model/report.js';
import { isAtLeast, type Status } from '../model/status.js';
import { renderStepSummary, type GateOutcome } from '../render/step-summary.js';
import { paint, type Out } from './output.js';
import type { SignerSource } from '../pack/keys.js';

export const FAIL_ON = ['fail', 'error', 'unknown', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** True when the gate trips: any check at or worse than the threshold. */
export function gateTrips(checks: CheckResult[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return checks.some((c) => isAtLeast(c.status, failOn as Status));
}

/** The signing source named by --sign-key / --sign-cert / --sign-p12 / --sign-kms-key / --sign-passphrase-env, if any. */
export function signingSourceOf(opts: { signKey?: string; signCert?: string; signP12?: string; signKmsKey?: string; signPassphraseEnv?: string }): SignerSource | undefined {
  // With a KMS key, --sign-cert is the certificate of its public key; loadSigner refuses a second key beside it.
  if (opts.signKmsKey) return { key: opts.signKey, p12: opts.signP12, kms: { keyId: opts.signKmsKey, certificate: opts.signCert } };
  return opts.signKey || opts.signCert || opts.signP12 ? { key: opts.signKey, cert: opts.signCert, p12: opts.signP12, passphraseEnv: opts.signPassphraseEnv } : undefined;
}

export const FORMATS = ['text', 'json', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string | undefined, json: boolean | undefined): Format {
  if (value === undefined) return json ? 'json' : 'text';
  if (!(FORMATS as readonly string[]).includes(value)) throw new EvidencePackError('USAGE', `--format: expected one of ${FORMATS.join(', ')}, got "${value}"`, { hint: 'e.g. --format junit > junit.xml' });
  return value as Format;
}

export function parseFailOn(value: string): FailOn {
  if (!(FAIL_ON as readonly string[]).includes(value)) throw new EvidencePackError('USAGE', `--fail-on: expected one of ${FAIL_ON.join(', ')}, got "${value}"`, { hint: 'e.g. --fail-on fail' });
  return value as FailOn;
}

export function parseMinMaturity(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-5]$/.test(value)) throw new EvidencePackError('USAGE', `--min-maturity: expected a level from 0 to 5, got "${value}"`, { hint: 'e.g. --min-maturity 3' });
  return Number(value);
}

/** The gates of a run: --min-maturity (level below N) and --fail-on (any check at least that bad). */
export function evaluateGates(report: Report, failOn: FailOn, minMaturity?: number): GateOutcome[] {
  const gates: GateOutcome[] = [];
  if (minMaturity !== undefined) gates.push({ gate: `--min-maturity ${minMaturity}`, tripped: report.maturity.level < minMaturity });
  if (failOn !== 'none') gates.push({ gate: `--fail-on ${failOn}`, tripped: gateTrips(report.checks, failOn) });
  return gates;
}

/** Appends the Markdown job summary when GitHub Actions provides $GITHUB_STEP_SUMMARY; a failure to write is a warning only. */
export function appendStepSummary(out: Out, report: Report, gates: GateOutcome[], env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, renderStepSummary(report, gates) + '\n');
  } catch (e) {
    out.stderr.write(`${paint(out, 'yellow', 'warning:')} cannot append the job summary to GITHUB_STEP_SUMMARY=${file} (${messageOf(e)})\n`);
  }
}
