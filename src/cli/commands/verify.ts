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
    .option('--tsa-trust <ca.pem>', 'certificate(s) of the time-stamping authorities you trust; without it timestamps are checked but their time is not trusted')
    .option('--json', 'print the full result as JSON on stdout')
    .addHelpText(
      'after',
      `
Each file is reported ok, modified, missing or unexpected. Exit 0 only when the pack is signed and
everything verifies; 1 when anything does not (including unsigned packs); 2 on usage errors.

A pack signed with a time-stamping authority (baseline B-T) carries an RFC 3161 token per signature. With
--tsa-trust, verify prints the trusted signing time and judges the signer certificate at that time (it
may have expired since); otherwise, and for B-B packs, the certificate must be valid now.

Example:
  $ evidence-pack verify out/acme-bank --trust acme-signing-cert.pem
  $ evidence-pack verify out/acme-bank --trust acme-ca.pem --tsa-trust tsa-ca.pem`,
    )
    .action(async (pack: string, opts: { trust?: string; tsaTrust?: string; json?: boolean }) => {
      const out = makeOut();
      const result = await verifyPack(pack, { trust: opts.trust, tsaTrust: opts.tsaTrust });
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
    for (const [name, t] of [['manifest', r.timestamps.manifest], ['report.pdf', r.timestamps.pdf], ['attestation', r.timestamps.attestation]] as const) {
      if (!t) continue;
      const when = t.time ? `${t.time} by ${t.tsa ?? 'an unknown TSA'}` : '';
      const state = !t.ok ? paint(out, 'red', `INVALID: ${t.problems.join('; ')}`) : t.anchored ? paint(out, 'green', `${when} [anchored]`) : `${when} ${paint(out, 'yellow', '[not anchored: pass --tsa-trust]')}`;
      w(`${`timestamp (${name})`.padEnd(24)} ${state}`);
    }
    w(
      `${'signing time'.padEnd(24)} ${
        r.signingTime
          ? paint(out, 'green', `${r.signingTime} (trusted: RFC 3161, level ${r.level})`)
          : r.level === 'B-T'
            ? paint(out, 'yellow', 'not trusted (the timestamps are not anchored or not valid); the certificate was judged now')
            : `none (level ${r.level ?? 'B-B'}: no trusted timestamp; the certificate was judged now)`
      }`,
    );
    // Subjects that are not files (the git commit of `attest`): covered by the signature, checkable only against their source.
    for (const c of r.claims) w(`${'signed claim'.padEnd(24)} ${c.name} ${Object.entries(c.digest).map(([alg, d]) => `${alg}:${d}`).join(' ')}`);
    w(`${'signer'.padEnd(24)} ${r.signer ?? '(none)'}  [${r.trust === 'self-asserted' ? paint(out, 'yellow', 'self-asserted: pass --trust to anchor it') : r.trust}]`);
  }
  for (const p of r.problems) w(paint(out, 'red', p));
  if (r.manifestSha256) w(`${'manifest sha256'.padEnd(24)} ${r.manifestSha256}`);
  w(r.ok ? paint(out, 'green', 'pack verified') : paint(out, 'red', 'pack NOT verified'));
}
