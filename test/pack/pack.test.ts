// Signed and unsigned packs end to end: real openssl and pdfsig, verifyPack, reproducibility and tamper detection.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, readdir, writeFile, rm, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyPack, keygen, PACK_FILES } from '../../src/pack/index.js';
import { EVIDENCE_FILES, tempDir, trialKey, writeSamplePack } from './helpers.js';

let work: { dir: string; cleanup: () => Promise<void> };
let packDir: string;
before(async () => {
  work = await tempDir();
  packDir = join(work.dir, 'pack');
  await writeSamplePack(packDir, (await trialKey()).signer);
});
after(() => work.cleanup());

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, p)));
    else out.push(p);
  }
  return out.sort();
}

test('pdfsig reports the PAdES signature valid and covering the whole document', () => {
  const r = spawnSync('pdfsig', [join(packDir, 'report.pdf')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Signature Type: ETSI\.CAdES\.detached/);
  assert.match(r.stdout, /Total document signed/);
  assert.match(r.stdout, /Signature is Valid/);
  assert.doesNotMatch(r.stdout, /Digest Mismatch/);
});

test('openssl cms -verify accepts manifest.json.p7s with the pack certificate', () => {
  const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', 'manifest.json', '-in', 'manifest.json.p7s', '-CAfile', 'cert.pem', '-out', '/dev/null'], { cwd: packDir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /Verification successful/);
});

test('the CMS signed attributes are CAdES B-B: contentType, messageDigest, signing-certificate-v2, no signingTime', () => {
  const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(packDir, 'manifest.json.p7s')], { encoding: 'utf8' });
  assert.match(printed, /contentType/);
  assert.match(printed, /messageDigest/);
  assert.match(printed, /signingCertificateV2/);
  assert.doesNotMatch(printed, /signingTime/);
});

test('openssl pkeyutl verifies the DSSE signature over the PAE bytes', async () => {
  const env = JSON.parse(await readFile(join(packDir, PACK_FILES.attestation), 'utf8'));
  const body = Buffer.from(env.payload, 'base64');
  const paeBytes = Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(env.payloadType)} ${env.payloadType} ${body.length} `), body]);
  await writeFile(join(work.dir, 'pae.bin'), paeBytes);
  await writeFile(join(work.dir, 'sig.bin'), Buffer.from(env.signatures[0].sig, 'base64'));
  const r = spawnSync('openssl', ['pkeyutl', '-verify', '-rawin', '-digest', 'sha256', '-certin', '-inkey', join(packDir, 'cert.pem'), '-in', join(work.dir, 'pae.bin'), '-sigfile', join(work.dir, 'sig.bin')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const statement = JSON.parse(body.toString('utf8'));
  assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
  assert.equal(statement.predicateType, 'https://evidence-pack.dev/attestation/audit-pack/v1');
  assert.equal(statement.predicate.maturity.level, 2);
  const names = statement.subject.map((s: { name: string }) => s.name);
  assert.deepEqual(names, (await listFiles(packDir)).filter((p) => p !== PACK_FILES.attestation));
});

test('manifest.json lists every file except the PDF and the signature files, and says how those are covered', async () => {
  const manifest = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8'));
  const listed = manifest.files.map((f: { path: string }) => f.path);
  const all = await listFiles(packDir);
  assert.deepEqual(listed, all.filter((p) => !['report.pdf', 'manifest.json', 'manifest.json.p7s', 'attestation.dsse.json'].includes(p)));
  assert.deepEqual(manifest.notListed.map((n: { path: string }) => n.path).sort(), ['attestation.dsse.json', 'manifest.json', 'manifest.json.p7s', 'report.pdf']);
  assert.equal(manifest.tool.version, '0.1.0');
  assert.equal(manifest.inputs[0].name, 'evidence-pack.yaml');
});

test('report.json and OSCAL files are embedded in the PDF as attachments, byte-identical', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'p');
    const oscal = Buffer.from('{"assessment-results":{"uuid":"8f0e…"}}\n');
    await writeSamplePack(out, undefined, { files: [...EVIDENCE_FILES, { path: 'report.oscal.json', bytes: oscal }] });
    const saved = join(dir, 'att');
    await mkdir(saved);
    execFileSync('pdfdetach', ['-saveall', '-o', saved, join(out, 'report.pdf')]);
    assert.deepEqual((await readdir(saved)).sort(), ['report.json', 'report.oscal.json']);
    assert.ok((await readFile(join(saved, 'report.oscal.json'))).equals(oscal));
    assert.ok((await readFile(join(saved, 'report.json'))).equals(await readFile(join(out, 'report.json'))));
  } finally {
    await cleanup();
  }
});

test('evidence files keep their original bytes', async () => {
  for (const f of EVIDENCE_FILES) assert.deepEqual(await readFile(join(packDir, f.path)), f.bytes, f.path);
});

test('verifyPack accepts the signed pack, self-asserted without --trust and anchored with it', async () => {
  const self = await verifyPack(packDir);
  assert.equal(self.ok, true, JSON.stringify(self, null, 1));
  assert.equal(self.trust, 'self-asserted');
  assert.ok(self.files.every((f) => f.status === 'ok'));
  const anchored = await verifyPack(packDir, { trust: (await trialKey()).certPath });
  assert.equal(anchored.ok, true);
  assert.equal(anchored.trust, 'anchored');
});

test('verifyPack rejects a pack whose signer is not the trusted certificate', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const other = await keygen(dir, { commonName: 'someone else' });
    const r = await verifyPack(packDir, { trust: other.certPath });
    assert.equal(r.ok, false);
    assert.equal(r.trust, 'untrusted');
    assert.match(r.certificate.problems.join(' '), /does not chain to the trusted certificate/);
  } finally {
    await cleanup();
  }
});

test('verifyPack rejects an expired signer certificate (baseline B is judged at verification time)', async () => {
  const r = await verifyPack(packDir, { at: new Date('2040-01-01T00:00:00Z') });
  assert.equal(r.ok, false);
  assert.match(r.certificate.problems.join(' '), /not valid at 2040/);
});

test('two writePack runs with the same SOURCE_DATE_EPOCH give byte-identical files, signatures included', async () => {
  const second = join(work.dir, 'again');
  await writeSamplePack(second, (await trialKey()).signer);
  const a = await listFiles(packDir);
  assert.deepEqual(await listFiles(second), a);
  for (const p of a) assert.ok((await readFile(join(packDir, p))).equals(await readFile(join(second, p))), `${p} differs between runs`);
});

// Every kind of pack damage, one row each: what is done, and which file verifyPack must name and how.
const DAMAGE: { name: string; apply: (dir: string) => Promise<void>; file: string; status: string }[] = [
  { name: 'evidence file deleted', apply: (d) => rm(join(d, EVIDENCE_FILES[0].path)), file: EVIDENCE_FILES[0].path, status: 'missing' },
  { name: 'PDF deleted', apply: (d) => rm(join(d, 'report.pdf')), file: 'report.pdf', status: 'missing' },
  { name: 'manifest signature deleted', apply: (d) => rm(join(d, 'manifest.json.p7s')), file: 'manifest.json.p7s', status: 'missing' },
  { name: 'file added', apply: (d) => writeFile(join(d, 'evidence', 'extra.txt'), 'smuggled'), file: 'evidence/extra.txt', status: 'unexpected' },
  { name: 'symlink added', apply: (d) => symlink('/etc/hostname', join(d, 'link')), file: 'link', status: 'unexpected' },
  { name: 'bytes appended to the PDF (incremental update)', apply: async (d) => writeFile(join(d, 'report.pdf'), Buffer.concat([await readFile(join(d, 'report.pdf')), Buffer.from('\n% appended\n')])), file: 'report.pdf', status: 'modified' },
  { name: 'attestation re-indented', apply: async (d) => writeFile(join(d, 'attestation.dsse.json'), JSON.stringify(JSON.parse(await readFile(join(d, 'attestation.dsse.json'), 'utf8')), null, 2)), file: 'attestation.dsse.json', status: 'modified' },
];

for (const c of DAMAGE) {
  test(`verifyPack names the damage: ${c.name}`, async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const copy = join(dir, 'pack');
      await mkdir(copy);
      execFileSync('cp', ['-a', `${packDir}/.`, copy]);
      await c.apply(copy);
      const r = await verifyPack(copy);
      assert.equal(r.ok, false);
      const f = r.files.find((x) => x.path === c.file);
      assert.equal(f?.status, c.status, JSON.stringify(r.files.filter((x) => x.status !== 'ok')));
    } finally {
      await cleanup();
    }
  });
}

test('an unsigned pack says UNSIGNED, hashes still verify, and verifyPack fails it as unsigned', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'unsigned');
    const res = await writeSamplePack(out);
    assert.equal(res.signed, false);
    assert.deepEqual(res.files, ['evidence/aws-live/111122223333.json.gz', 'evidence/iac/infra/cloudtrail.tf', 'evidence/runbook/break-glass.md', 'manifest.json', 'report.html', 'report.json', 'report.pdf']);
    const r = await verifyPack(out);
    assert.equal(r.ok, false);
    assert.equal(r.signed, false);
    assert.match(r.problems.join(' '), /UNSIGNED/);
    assert.ok(r.files.every((f) => f.status === 'ok'), JSON.stringify(r.files));
    const pdfsig = spawnSync('pdfsig', [join(out, 'report.pdf')], { encoding: 'utf8' });
    assert.match(pdfsig.stdout + pdfsig.stderr, /does not contain any signatures/);
  } finally {
    await cleanup();
  }
});
