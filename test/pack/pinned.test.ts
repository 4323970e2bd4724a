// Pins the bytes of a signed pack's manifest, CMS signature and attestation (fixed key, SOURCE_DATE_EPOCH), so refactoring the writer cannot change `run`'s packs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSigner } from '../../src/pack/index.js';
import { tempDir, writeSamplePack } from './helpers.js';

const KEY_DIR = 'test/pack/fixtures/pinned-key'; // a test-only key, committed so signatures are reproducible across machines
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// sha256 of the bytes writePack produced before attest was moved onto it (commit "pin a pack's bytes"); re-pinned when the
// fixture report's frameworks were re-evaluated with the framework catalogues (the input changed, not the writer), and
// when signed manifests began to state their level: manifest.json gained exactly the line `"signatureLevel": "B-B",`
// (without it the bytes hash to the previous pin 24333665…), so its signature and the attestation changed with it.
const PINNED: Record<string, string> = {
  'manifest.json': '143da5e373f249d862634ea81b63b7a75e052ba030cac31334b10070e65b6c49',
  'manifest.json.p7s': '7ce0adab9ff87b0821cfa3061e7514866a9a8265822ebb7a096011c1731ff470',
  'cert.pem': '9e6b38b3d86da312badf083ea53bd220454a360537be14ccb348de79c84705fd',
  'report.json': 'c8e46360fde496018b81293baebf91246884df86be649504360c355f6df5e9dc',
};
// The PDF's bytes belong to the renderer (other work changes them), so the attestation is pinned with the PDF's digest taken out.
const PINNED_STATEMENT_WITHOUT_PDF = '253b642d94e435012039946ad4545af77f17d4160ace227f76c6e6ede9e6f7ad';

test('a signed pack from writePack keeps the exact bytes of its manifest, CMS signature and attestation', async () => {
  const work = await tempDir();
  try {
    const material = await loadSigner({ key: join(KEY_DIR, 'signing-key.pem'), cert: join(KEY_DIR, 'signing-cert.pem') });
    const out = join(work.dir, 'pack');
    await writeSamplePack(out, material);
    const got: Record<string, string> = {};
    for (const p of Object.keys(PINNED)) got[p] = sha256(await readFile(join(out, p)));
    const envelope = JSON.parse(await readFile(join(out, 'attestation.dsse.json'), 'utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    const pdfSubject = statement.subject.find((s: { name: string }) => s.name === 'report.pdf');
    assert.equal(pdfSubject.digest.sha256, sha256(await readFile(join(out, 'report.pdf'))), 'the PDF subject is the PDF on disk');
    pdfSubject.digest.sha256 = '(pdf)';
    const statementWithoutPdf = sha256(Buffer.from(JSON.stringify(statement)));
    if (process.env.PRINT_PINS) console.log(JSON.stringify({ got, statementWithoutPdf }, null, 2));
    assert.deepEqual(got, PINNED);
    assert.equal(statementWithoutPdf, PINNED_STATEMENT_WITHOUT_PDF);
    assert.deepEqual(Object.keys(envelope), ['payloadType', 'payload', 'signatures'], 'envelope fields and their order');
  } finally {
    await work.cleanup();
  }
});
