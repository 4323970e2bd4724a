// `evidence-pack keygen`: a trial RSA key and self-signed certificate for signing packs.

import type { Command } from 'commander';
import { EvidencePackError } from '../../errors.js';
import { keygen } from '../../pack/keys.js';
import { makeOut, paint } from '../output.js';

export function register(program: Command): void {
  program
    .command('keygen')
    .description('create a trial signing key (RSA-3072, PKCS#8 PEM, mode 0600) and a self-signed certificate')
    .requiredOption('--out <dir>', 'folder for signing-key.pem and signing-cert.pem (existing files are never overwritten)')
    .option('--cn <name>', 'certificate common name', 'evidence-pack trial signer')
    .option('--org <name>', 'certificate organisation')
    .option('--days <n>', 'validity in days', '730')
    .addHelpText(
      'after',
      `
A self-signed certificate proves only that the pack was not changed since it was signed by whoever holds
the key. For audits, sign with a key whose certificate the auditor receives separately (--trust).

Example:
  $ evidence-pack keygen --out keys/ --org "Acme Bank AG"
  $ evidence-pack run evidence-pack.yaml --out out/pack --sign-key keys/signing-key.pem --sign-cert keys/signing-cert.pem`,
    )
    .action(async (opts: { out: string; cn: string; org?: string; days: string }) => {
      const out = makeOut();
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1) {
        throw new EvidencePackError('USAGE', `--days must be a positive whole number, got "${opts.days}"`);
      }
      const r = await keygen(opts.out, { commonName: opts.cn, organisation: opts.org, validDays: days });
      out.stdout.write(`${paint(out, 'green', 'created')} ${r.keyPath} (private key, keep it secret)\n`);
      out.stdout.write(`${paint(out, 'green', 'created')} ${r.certPath}\n`);
      out.stdout.write(`subject ${r.subject}\nsha256 fingerprint ${r.fingerprint}\n`);
    });
}
