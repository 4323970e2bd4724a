// RFC 3161 timestamps (PAdES/CAdES B-T) against a real TSA on loopback (openssl ts -reply): tokens checked by
// `openssl ts -verify` independently of our code, the trusted signing time in verify and on the cover, the
// tokens verify must reject, the TSA answers the writer must refuse, and what stays reproducible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { verifyPack, verifyDetachedCms, verifyPdfSignature, type VerifyResult } from '../../src/pack/index.js';
import { loadTimestamper, timestampRequest } from '../../src/pack/tsa.js';
import { isEvidencePackError } from '../../src/errors.js';
import { makeCa } from '../support/pki.js';
import { startTsa, tokenOver, type TestTsa } from '../support/tsa.js';
import { cli, cliAsync } from '../support/cli.js';
import { tempDir, trialKey, writeSamplePack } from './helpers.js';

let work: { dir: string; cleanup: () => Promise<void> };
let tsa: TestTsa;
let packDir: string;
let started: Date;
before(async () => {
  work = await tempDir('ep-tsa-');
  tsa = await startTsa(join(work.dir, 'tsa'));
  packDir = join(work.dir, 'pack');
  started = new Date(Math.floor(Date.now() / 1000) * 1000);
  await writeSamplePack(packDir, (await trialKey()).signer, { timestamp: await loadTimestamper({ url: tsa.url, caFile: tsa.ca.certPath }) });
});
after(async () => {
  await tsa?.stop();
  await work?.cleanup();
});

const TOKEN_OID = '1.2.840.113549.1.9.16.2.14';
/** The CMS with its signature-time-stamp token replaced (or removed): unsigned attributes are outside the signature. */
function withToken(cms: Buffer, token: Buffer | undefined): Buffer {
  const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(new Uint8Array(cms)).result });
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0];
  if (token) si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [new pkijs.Attribute({ type: TOKEN_OID, values: [asn1js.fromBER(new Uint8Array(token)).result] })] });
  else delete si.unsignedAttrs;
  return Buffer.from(new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) }).toSchema().toBER(false));
}
const read = (dir: string, p: string) => readFile(join(dir, p));
const dsseSignature = async (dir: string) => Buffer.from(JSON.parse((await read(dir, 'attestation.dsse.json')).toString('utf8')).signatures[0].sig, 'base64');
let copies = 0;
async function copyPack(): Promise<string> {
  const dir = join(work.dir, `copy-${copies++}`);
  await cp(packDir, dir, { recursive: true });
  return dir;
}
const problemsOf = (r: VerifyResult, path: string) => (r.files.find((f) => f.path === path)?.problems ?? []).join('; ');

test('a pack signed with a TSA is B-T: verify --tsa-trust shows the trusted signing time of every signature', async () => {
  const r = await verifyPack(packDir, { tsaTrust: tsa.ca.certPath });
  assert.equal(r.ok, true, JSON.stringify(r.files.filter((f) => f.status !== 'ok')));
  assert.equal(r.level, 'B-T');
  for (const t of [r.timestamps.manifest, r.timestamps.pdf, r.timestamps.attestation]) {
    assert.equal(t?.ok, true, JSON.stringify(t));
    assert.equal(t?.anchored, true);
    assert.equal(t?.tsa, 'CN=Test TSA');
    const when = new Date(t!.time!);
    assert.ok(when >= started && when.getTime() <= Date.now(), `${t!.time} is the time of signing`);
  }
  assert.equal(r.signingTime, [r.timestamps.manifest!.time!, r.timestamps.pdf!.time!, r.timestamps.attestation!.time!].sort().at(-1));
  const manifest = JSON.parse((await read(packDir, 'manifest.json')).toString('utf8'));
  assert.equal(manifest.signatureLevel, 'B-T');
  assert.ok(manifest.notListed.some((n: { path: string }) => n.path === 'attestation.dsse.json.tst'));
});

test('openssl ts -verify accepts the token of the PAdES signature, the manifest CMS and the attestation (imprint, TSA signature and chain)', async () => {
  const pdf = verifyPdfSignature(await read(packDir, 'report.pdf'));
  const cms = verifyDetachedCms(await read(packDir, 'manifest.json'), await read(packDir, 'manifest.json.p7s'));
  const cases: [string, Buffer, Buffer][] = [
    ['pades', pdf.timestampTokens[0], pdf.signatureValue!],
    ['cms', cms.timestampTokens[0], cms.signatureValue!],
    ['dsse', await read(packDir, 'attestation.dsse.json.tst'), await dsseSignature(packDir)],
  ];
  for (const [name, token, signature] of cases) {
    await writeFile(join(work.dir, `${name}.tst`), token);
    await writeFile(join(work.dir, `${name}.sig`), signature);
    const ok = spawnSync('openssl', ['ts', '-verify', '-data', `${name}.sig`, '-in', `${name}.tst`, '-token_in', '-CAfile', tsa.ca.certPath], { cwd: work.dir, encoding: 'utf8' });
    assert.equal(ok.status, 0, `${name}: ${ok.stderr}`);
    assert.match(ok.stdout, /Verification: OK/);
    // The same token does not vouch for other bytes: openssl sees the imprint mismatch too.
    await writeFile(join(work.dir, `${name}.other`), Buffer.concat([signature, Buffer.from([0])]));
    const bad = spawnSync('openssl', ['ts', '-verify', '-data', `${name}.other`, '-in', `${name}.tst`, '-token_in', '-CAfile', tsa.ca.certPath], { cwd: work.dir, encoding: 'utf8' });
    assert.notEqual(bad.status, 0, `${name}: a token over other data must not verify`);
    assert.match(bad.stdout + bad.stderr, /message imprint mismatch/);
  }
});

test('pdfsig and openssl cms -verify still accept the B-T signatures; the PDF cover shows the trusted signing time', async () => {
  const sig = spawnSync('pdfsig', [join(packDir, 'report.pdf')], { encoding: 'utf8' }).stdout;
  assert.match(sig, /Signature is Valid/);
  assert.match(sig, /Total document signed/);
  assert.doesNotMatch(sig, /Digest Mismatch/);
  const cms = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', 'manifest.json', '-in', 'manifest.json.p7s', '-CAfile', 'cert.pem', '-out', '/dev/null'], { cwd: packDir, encoding: 'utf8' });
  assert.equal(cms.status, 0, cms.stderr);
  const cover = execFileSync('pdftotext', ['-l', '1', join(packDir, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  const manifestTime = (await verifyPack(packDir, { tsaTrust: tsa.ca.certPath })).timestamps.manifest!.time!;
  assert.match(cover, /PAdES baseline B-T/);
  assert.ok(cover.includes(`Trusted signing time ${manifestTime} (RFC 3161 timestamp by CN=Test TSA`), cover);
});

test('the CLI: run --tsa-url prints the signing time; verify --tsa-trust prints it as trusted, without --tsa-trust as not anchored', async () => {
  const keys = await trialKey();
  const out = join(work.dir, 'cli-pack');
  const run = await cliAsync(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', out, '--sign-key', keys.keyPath, '--sign-cert', keys.certPath, '--tsa-url', tsa.url]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /signed by .* at \d{4}-\d\d-\d\dT[\d:.]+Z \(RFC 3161 timestamp, PAdES B-T\)/);
  const trusted = cli(['verify', out, '--tsa-trust', tsa.ca.certPath]);
  assert.equal(trusted.code, 0, trusted.stdout);
  assert.match(trusted.stdout, /timestamp \(report\.pdf\)\s+\S+Z by CN=Test TSA \[anchored\]/);
  assert.match(trusted.stdout, /signing time\s+\S+Z \(trusted: RFC 3161, level B-T\)/);
  const asserted = cli(['verify', out]);
  assert.equal(asserted.code, 0, asserted.stdout);
  assert.match(asserted.stdout, /\[not anchored: pass --tsa-trust\]/);
  assert.match(asserted.stdout, /signing time\s+not trusted/);
});

test('attest --tsa-url: the release attestation (no PDF) carries its token beside it and verifies with a trusted time', async () => {
  const keys = await trialKey();
  const out = join(work.dir, 'attest');
  const r = await cliAsync(['attest', 'samples/acme-bank/evidence-pack.yaml', '--out', out, '--sign-key', keys.keyPath, '--sign-cert', keys.certPath, '--tsa-url', tsa.url]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /signed by .* at \S+Z \(RFC 3161 timestamp\)/);
  const v = await verifyPack(out, { tsaTrust: tsa.ca.certPath });
  assert.equal(v.ok, true, JSON.stringify(v.files.filter((f) => f.status !== 'ok')));
  assert.deepEqual([!!v.timestamps.manifest?.ok, v.timestamps.pdf, !!v.timestamps.attestation?.ok], [true, undefined, true]);
  assert.ok(v.signingTime);
});

test('with trusted timestamps the signer certificate is judged when the pack was signed: still valid after it expired', async () => {
  const later = new Date('2040-01-01T00:00:00Z');
  const bt = await verifyPack(packDir, { tsaTrust: tsa.ca.certPath, at: later });
  assert.equal(bt.ok, true, JSON.stringify(bt.certificate));
  const untrustedTime = await verifyPack(packDir, { at: later });
  assert.equal(untrustedTime.ok, false, 'without --tsa-trust the time is not trusted, so the certificate is judged now');
  assert.match(untrustedTime.certificate.problems.join(' '), /not valid at 2040/);
});

// Tokens verify must reject: which file it names and why. Tokens are unsigned attributes / a side file, so an
// attacker can swap them without touching any signature.
const REJECT: { name: string; apply: (dir: string) => Promise<void>; tsaTrust?: () => string; file: string; problem: RegExp }[] = [
  {
    name: 'wrong imprint: the attestation token moved into the manifest signature',
    apply: async (d) => writeFile(join(d, 'manifest.json.p7s'), withToken(await read(d, 'manifest.json.p7s'), await read(d, 'attestation.dsse.json.tst'))),
    file: 'manifest.json.p7s',
    problem: /timestamp: imprint mismatch/,
  },
  {
    name: 'wrong imprint: the manifest token as the attestation token',
    apply: async (d) => writeFile(join(d, 'attestation.dsse.json.tst'), verifyDetachedCms(await read(d, 'manifest.json'), await read(d, 'manifest.json.p7s')).timestampTokens[0]),
    file: 'attestation.dsse.json.tst',
    problem: /timestamp: imprint mismatch/,
  },
  {
    name: 'an expired TSA certificate (token made after it expired, over the right imprint)',
    apply: async (d) => {
      const expired = await startTsa(join(work.dir, `expired-${copies}`), { ca: tsa.ca, startDate: '20200101000000Z', endDate: '20210101000000Z', commonName: 'Expired TSA' });
      await expired.stop();
      await writeFile(join(d, 'attestation.dsse.json.tst'), await tokenOver(expired, work.dir, await dsseSignature(d)));
    },
    file: 'attestation.dsse.json.tst',
    problem: /timestamp: TSA certificate not valid at .* \(valid .*2020.* to .*2021/,
  },
  {
    name: 'an untrusted TSA (--tsa-trust names another CA)',
    apply: async () => undefined,
    tsaTrust: () => makeCa(join(work.dir, `other-ca-${copies}`), 'Some Other TSA CA').certPath,
    file: 'report.pdf',
    problem: /timestamp: the TSA certificate does not chain to the trusted TSA certificate \(--tsa-trust\)/,
  },
  {
    name: 'a token stripped from the manifest signature (downgrade to B-B)',
    apply: async (d) => writeFile(join(d, 'manifest.json.p7s'), withToken(await read(d, 'manifest.json.p7s'), undefined)),
    file: 'manifest.json.p7s',
    problem: /timestamp: missing: manifest\.json says the pack is B-T/,
  },
  {
    name: 'the attestation token deleted',
    apply: (d) => rm(join(d, 'attestation.dsse.json.tst')),
    file: 'attestation.dsse.json.tst',
    problem: /required for a signed pack but absent/,
  },
  {
    name: 'the attestation token replaced by garbage',
    apply: (d) => writeFile(join(d, 'attestation.dsse.json.tst'), 'not a token'),
    file: 'attestation.dsse.json.tst',
    problem: /timestamp: not a CMS SignedData structure/,
  },
  {
    name: 'one byte of the TSA-signed TSTInfo changed',
    apply: async (d) => {
      const t = Buffer.from(await read(d, 'attestation.dsse.json.tst'));
      const at = t.indexOf(Buffer.from('Test TSA')); // the tsa name inside TSTInfo comes before the certificates
      t[at] ^= 0x01;
      await writeFile(join(d, 'attestation.dsse.json.tst'), t);
    },
    file: 'attestation.dsse.json.tst',
    problem: /timestamp: TSA signature: content digest mismatch/,
  },
];
for (const c of REJECT) {
  test(`verify rejects a bad timestamp and names the file: ${c.name}`, async () => {
    const dir = await copyPack();
    await c.apply(dir);
    const r = await verifyPack(dir, { tsaTrust: c.tsaTrust?.() ?? tsa.ca.certPath });
    assert.equal(r.ok, false);
    assert.match(problemsOf(r, c.file), c.problem, JSON.stringify(r.files.filter((f) => f.status !== 'ok')));
    assert.equal(r.signingTime, undefined, 'no trusted signing time from a pack with a bad token');
  });
}

test('a swapped-in token keeps the signer signature valid: only the timestamp check catches it', async () => {
  const dir = await copyPack();
  await writeFile(join(dir, 'manifest.json.p7s'), withToken(await read(dir, 'manifest.json.p7s'), await read(dir, 'attestation.dsse.json.tst')));
  const r = await verifyPack(dir, { tsaTrust: tsa.ca.certPath });
  assert.equal(r.signatures.manifest.ok, true, 'the CMS signature itself still verifies');
  assert.equal(r.timestamps.manifest?.ok, false);
});

// What the writer refuses: a TSA answer it would have to embed unchecked. Each is a SIGNING error naming the TSA,
// and no pack is written.
const WRITER: { name: string; setup: () => Promise<{ url: string; caFile?: string; done?: () => Promise<void> }>; message: RegExp }[] = [
  { name: 'HTTP 500', setup: async () => ((tsa.mode = 'http-500'), { url: tsa.url }), message: /answered HTTP 500/ },
  { name: 'an answer that is not a TimeStampResp', setup: async () => ((tsa.mode = 'not-der'), { url: tsa.url }), message: /did not answer with an RFC 3161 TimeStampResp/ },
  { name: 'an endless answer (read no further than 1 MiB)', setup: async () => ((tsa.mode = 'endless'), { url: tsa.url }), message: /sent more than 1048576 bytes/ },
  { name: 'a refusal', setup: async () => ((tsa.mode = 'rejection'), { url: tsa.url }), message: /refused the request: rejection/ },
  { name: 'a token for other data', setup: async () => ((tsa.mode = 'foreign-imprint'), { url: tsa.url }), message: /imprint mismatch.*nonce is not the one sent/ },
  { name: 'a TSA outside signing.tsa.caFile', setup: async () => ({ url: tsa.url, caFile: makeCa(join(work.dir, 'writer-other-ca'), 'Other CA').certPath }), message: /does not chain to .*writer-other-ca/ },
  {
    name: 'an expired TSA certificate',
    setup: async () => {
      const expired = await startTsa(join(work.dir, 'writer-expired'), { startDate: '20200101000000Z', endDate: '20210101000000Z' });
      return { url: expired.url, done: expired.stop };
    },
    message: /TSA certificate not valid at/,
  },
  {
    name: 'nobody listening',
    setup: async () => {
      const gone = await startTsa(join(work.dir, 'writer-gone'), { ca: tsa.ca });
      await gone.stop();
      return { url: gone.url };
    },
    message: /cannot reach the TSA http:\/\/127\.0\.0\.1:\d+\/tsr \(ECONNREFUSED\)/,
  },
];
for (const w of WRITER) {
  test(`the writer refuses a TSA answer and writes nothing: ${w.name}`, async () => {
    const { url, caFile, done } = await w.setup();
    const out = join(work.dir, `refused-${w.name.replace(/\W+/g, '-')}`);
    try {
      await assert.rejects(writeSamplePack(out, (await trialKey()).signer, { timestamp: await loadTimestamper({ url, caFile }) }), (e) => {
        assert.ok(isEvidencePackError(e), String(e));
        assert.equal(e.code, 'SIGNING');
        assert.match(e.message, w.message);
        return true;
      });
      assert.equal(existsSync(out), false, 'no pack, not even a half-signed one');
    } finally {
      tsa.mode = 'ok';
      await done?.();
    }
  });
}

test('a connection the TSA reset is retried: the pack is written', async () => {
  tsa.mode = 'reset-once';
  const before = tsa.requests;
  const r = await writeSamplePack(join(work.dir, 'after-reset'), (await trialKey()).signer, { timestamp: await loadTimestamper({ url: tsa.url }) });
  assert.equal(tsa.requests - before, 4, 'one reset, then three tokens');
  assert.ok(r.timestamps?.attestation);
});

// The nonce is random: whatever its bytes, the request must be DER a strict TSA (OpenSSL) accepts, or one pack in
// a few hundred fails to sign. Rows: the random bytes that once made a non-minimal INTEGER, and the edges.
const NONCE_RANDOM: { name: string; random: string }[] = [
  { name: 'a zero byte then one below 0x80 (non-minimal INTEGER if kept)', random: '0005010203040506' },
  { name: 'two zero bytes', random: '0000000000000000' },
  { name: 'a zero byte then one from 0x80', random: '0080010203040506' },
  { name: 'a first byte from 0x80 (a negative INTEGER if kept)', random: '80ffffffffffffff' },
  { name: 'all ones', random: 'ffffffffffffffff' },
  { name: '0x7f first', random: '7f00000000000000' },
];
for (const row of NONCE_RANDOM) {
  test(`a timestamp request is DER OpenSSL parses, its nonce a positive minimal INTEGER: ${row.name}`, async () => {
    const { body, nonce } = timestampRequest(Buffer.from('signature'), Buffer.from(row.random, 'hex'));
    assert.ok(nonce[0] >= 0x01 && nonce[0] <= 0x7f, nonce.toString('hex'));
    assert.equal(nonce.length, 8);
    const file = join(work.dir, `nonce-${row.random}.tsq`);
    await writeFile(file, body);
    const text = spawnSync('openssl', ['ts', '-query', '-in', file, '-text'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`Nonce: 0x${nonce.toString('hex').toUpperCase()}`));
  });
}

test('TSA URLs: credentials go as basic authentication and, like the query, never into messages; non-http URLs are usage errors', async () => {
  const gone = await startTsa(join(work.dir, 'secret-url'), { ca: tsa.ca });
  await gone.stop();
  const secret = (u: string) => u.replace('http://', 'http://user:s3cret@') + '?apikey=t0ken';
  await assert.rejects(writeSamplePack(join(work.dir, 'secret'), (await trialKey()).signer, { timestamp: await loadTimestamper({ url: secret(gone.url) }) }), (e: Error) => {
    assert.match(e.message, /cannot reach the TSA/);
    assert.doesNotMatch(e.message + (e as { hint?: string }).hint, /s3cret|t0ken/);
    return true;
  });
  const before = tsa.requests;
  const withAuth = await writeSamplePack(join(work.dir, 'with-auth'), (await trialKey()).signer, { timestamp: await loadTimestamper({ url: secret(tsa.url) }) });
  assert.equal(tsa.requests - before, 3, 'three tokens: manifest, PDF, attestation');
  assert.equal(tsa.lastAuthorization, `Basic ${Buffer.from('user:s3cret').toString('base64')}`);
  assert.ok(withAuth.timestamps);
  await assert.rejects(loadTimestamper({ url: 'file:///etc/passwd' }), { code: 'USAGE', message: /is not an http\(s\) URL/ });
});

test('a TSA without a signing key is a usage error before anything is collected', () => {
  const r = cli(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', join(work.dir, 'tsa-no-key'), '--tsa-url', tsa.url]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /time-stamping authority .* but no signing key is given/);
});

test('reproducible: two B-T packs differ only in the timestamp tokens and what embeds or lists them', async () => {
  const again = join(work.dir, 'again');
  await writeSamplePack(again, (await trialKey()).signer, { timestamp: await loadTimestamper({ url: tsa.url }) });
  for (const p of ['manifest.json', 'report.json', 'report.html', 'cert.pem', 'evidence/runbook/break-glass.md']) {
    assert.ok((await read(packDir, p)).equals(await read(again, p)), `${p} is byte-identical`);
  }
  const [a, b] = [await read(packDir, 'manifest.json.p7s'), await read(again, 'manifest.json.p7s')];
  assert.ok(!a.equals(b), 'the tokens differ (time, serial, nonce)');
  assert.ok(withToken(a, undefined).equals(withToken(b, undefined)), 'the CMS signatures are identical apart from their tokens');
  // report.pdf shows the manifest signature's trusted time on its cover, and the attestation lists the digests of
  // both: those differ too (docs/verifying-a-pack.md, "Reproducible packs").
  for (const p of ['report.pdf', 'attestation.dsse.json', 'attestation.dsse.json.tst']) assert.ok(!(await read(packDir, p)).equals(await read(again, p)), `${p} differs`);
});

test("docs/verifying-a-pack.md Step 6, run literally: the auditor's openssl ts -verify accepts all three tokens", async () => {
  const doc = await readFile('docs/verifying-a-pack.md', 'utf8');
  const step = doc.slice(doc.indexOf('## Step 6'), doc.indexOf('## With evidence-pack'));
  const script = /```sh\n([\s\S]*?)```/.exec(step)?.[1];
  assert.ok(script, 'Step 6 has a sh block');
  const scratch = join(work.dir, 'auditor');
  await cp(join(work.dir, 'tsa', 'ca', 'ca.pem'), join(scratch, 'tsa-ca.pem'));
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: scratch, encoding: 'utf8', env: { ...process.env, PACK: packDir, TSA_CA: 'tsa-ca.pem' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.match(/^Verification: OK$/gm)?.length, 3, r.stdout);
  assert.equal(r.stdout.match(/^Time stamp: \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/gm)?.length, 3, r.stdout);
  // The same script on a pack whose manifest token was swapped: openssl refuses it.
  const swapped = await copyPack();
  await writeFile(join(swapped, 'manifest.json.p7s'), withToken(await read(swapped, 'manifest.json.p7s'), await read(swapped, 'attestation.dsse.json.tst')));
  const bad = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: scratch, encoding: 'utf8', env: { ...process.env, PACK: swapped, TSA_CA: 'tsa-ca.pem' } });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout + bad.stderr, /message imprint mismatch/);
});
