// `evidence-pack verify`: check every hash and signature of a pack; exit 0 only when everything verifies.

import type { Command } from 'commander';
import { verifyPack, type VerifyResult } from '../../pack/verify.js';
import { makeOut, paint, type Out } from '../output.js';

export function register(program: Command): void {
  program
    .command('verify')
    .description('verify a pack: file hashes, manifest CMS signature, PDF PAdES signature, DSSE attestation, certificate')
    .argument('<pack>', 'the pack folder')
    .option('--trust <cert.pem>', "certificate(s) to anchor trust in; without it the pack's own cert.pem is used (self-asserted)")
    .option('--json', 'print the full result as JSON on stdout')
    .addHelpText(
      'after',
      `
Each file is reported ok, modified, missing or unexpected. Exit 0 only when the pack is signed and
everything verifies; 1 when anything does not (including unsigned packs); 2 on usage errors.

Example:
  $ evidence-pack verify out/acme-bank --trust acme-signing-cert.pem`,
    )
    .action(async (pack: string, opts: { trust?: string; json?: boolean }) => {
      const out = makeOut();
      const result = await verifyPack(pack, { trust: opts.trust });
      if (opts.json) out.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else printResult(out, result);
      process.exitCode = result.ok ? 0 : 1;
    });
}

const FILE_COLOUR = { ok: 'green', modified: 'red', missing: 'red', unexpected: 'yellow' } as const;

function printResult(out: Out, r: VerifyResult): void {
  const w = (s: string) => out.stdout.write(s + '\n');
  for (const f of r.files) {
    w(`${paint(out, FILE_COLOUR[f.status], f.status.padEnd(10))} ${f.path}`);
    for (const p of f.problems) w(`           ${paint(out, 'dim', p)}`);
  }
  const sig = (name: string, v: { ok: boolean; problems: string[]; notMade?: string }) =>
    w(`${name.padEnd(24)} ${v.notMade ? paint(out, 'dim', `none made (${v.notMade})`) : v.ok ? paint(out, 'green', 'valid') : paint(out, 'red', `INVALID: ${v.problems.join('; ')}`)}`);
  if (r.signed) {
    sig('manifest (CMS)', r.signatures.manifest);
    sig('report.pdf (PAdES)', r.signatures.pdf);
    sig('attestation (DSSE)', r.signatures.attestation);
    sig('certificate', r.certificate);
    // Subjects that are not files (the git commit of `attest`): covered by the signature, checkable only against their source.
    for (const c of r.claims) w(`${'signed claim'.padEnd(24)} ${c.name} ${Object.entries(c.digest).map(([alg, d]) => `${alg}:${d}`).join(' ')}`);
    w(`${'signer'.padEnd(24)} ${r.signer ?? '(none)'}  [${r.trust === 'self-asserted' ? paint(out, 'yellow', 'self-asserted: pass --trust to anchor it') : r.trust}]`);
  }
  for (const p of r.problems) w(paint(out, 'red', p));
  if (r.manifestSha256) w(`${'manifest sha256'.padEnd(24)} ${r.manifestSha256}`);
  w(r.ok ? paint(out, 'green', 'pack verified') : paint(out, 'red', 'pack NOT verified'));
}
