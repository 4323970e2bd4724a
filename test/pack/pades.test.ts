// PAdES: our ByteRange + CMS verifier against pdfsig, on a signed report and on damaged variants.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPdf } from '../../src/render/pdf/index.js';
import { signPdf, verifyPdfSignature } from '../../src/pack/index.js';
import { sampleReport } from '../fixtures/report/events.js';
import { tempDir, trialKey } from './helpers.js';

const HASH = 'ab'.repeat(32);
let work: { dir: string; cleanup: () => Promise<void> };
let signed: Buffer;
before(async () => {
  work = await tempDir('ep-pades-');
  signed = await signPdf(await renderPdf(sampleReport(), { manifestSha256: HASH, signed: true, sourceDateEpoch: 1_790_000_000 }), (await trialKey()).signer);
});
after(() => work.cleanup());

async function pdfsig(pdf: Buffer): Promise<string> {
  const p = join(work.dir, `t-${Math.random().toString(16).slice(2)}.pdf`);
  await writeFile(p, pdf);
  const r = spawnSync('pdfsig', [p], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

/** Position of the signature value (the hex string between the two signed ranges). */
function contentsRange(pdf: Buffer): [number, number] {
  const m = /\/ByteRange \[0 (\d+) (\d+) \d+\]/.exec(pdf.toString('latin1'))!;
  return [Number(m[1]), Number(m[2])];
}

test('the signed report verifies: whole document, ETSI.CAdES.detached, B-B attributes, same verdict as pdfsig', async () => {
  const v = verifyPdfSignature(signed);
  assert.equal(v.ok, true, v.problems.join('; '));
  assert.equal(v.coversWholeDocument, true);
  assert.equal(v.subFilter, 'ETSI.CAdES.detached');
  assert.ok(v.signerCertificate?.equals((await trialKey()).signer.certificate));
  assert.match(await pdfsig(signed), /Signature is Valid[\s\S]*Total document signed|Total document signed[\s\S]*Signature is Valid/);
});

const DAMAGE: { name: string; make: (pdf: Buffer) => Buffer; problem: RegExp; pdfsig: RegExp }[] = [
  {
    name: 'a byte of page content changed',
    make: (pdf) => {
      const b = Buffer.from(pdf);
      const at = b.indexOf('/Title (');
      b[at + 9] ^= 0x20;
      return b;
    },
    problem: /content digest mismatch/,
    pdfsig: /Digest Mismatch/,
  },
  {
    name: 'an incremental update appended',
    make: (pdf) => Buffer.concat([pdf, Buffer.from('1 0 obj\n<< >>\nendobj\n%%EOF\n')]),
    problem: /does not cover the whole file/,
    pdfsig: /Not total document signed/,
  },
  {
    name: 'data hidden in the zero padding of /Contents',
    make: (pdf) => {
      const [, end] = contentsRange(pdf);
      const b = Buffer.from(pdf);
      b.write('ff', end - 3, 'latin1');
      return b;
    },
    problem: /non-zero bytes after the signature value/,
    pdfsig: /Signature is Valid/, // pdfsig ignores the padding: only our verifier notices
  },
  {
    name: 'signature value corrupted',
    make: (pdf) => {
      const [start] = contentsRange(pdf);
      const b = Buffer.from(pdf);
      b.write(b.toString('latin1', start + 1, start + 2) === '3' ? '4' : '3', start + 1, 'latin1');
      return b;
    },
    problem: /not DER|not a CMS/,
    pdfsig: /^(?![\s\S]*Signature is Valid)/, // anything but "valid"

  },
];
for (const d of DAMAGE) {
  test(`damaged PDF is rejected: ${d.name}`, async () => {
    const bad = d.make(signed);
    const v = verifyPdfSignature(bad);
    assert.equal(v.ok, false);
    assert.match(v.problems.join('; '), d.problem);
    assert.match(await pdfsig(bad), d.pdfsig);
  });
}

test('a non-PAdES SubFilter (adbe.pkcs7.detached) is reported even though the CMS verifies', async () => {
  const unsignedPdf = await renderPdf(sampleReport(), { manifestSha256: HASH, signed: true, sourceDateEpoch: 1_790_000_000 });
  const swapped = Buffer.from(unsignedPdf.toString('latin1').replace('/SubFilter /ETSI.CAdES.detached', '/SubFilter /adbe.pkcs7.detached'), 'latin1');
  const v = verifyPdfSignature(await signPdf(swapped, (await trialKey()).signer));
  assert.equal(v.ok, false);
  assert.equal(v.coversWholeDocument, true);
  assert.deepEqual(v.problems, ['SubFilter is adbe.pkcs7.detached, expected ETSI.CAdES.detached (PAdES)']);
});

test('an unsigned report has no signature', async () => {
  const v = verifyPdfSignature(await renderPdf(sampleReport(), { manifestSha256: HASH, signed: false }));
  assert.equal(v.present, false);
  assert.deepEqual(v.problems, ['the PDF has no signature']);
});
