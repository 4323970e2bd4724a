// Signing material: keygen output, PEM (plain and encrypted) and PKCS#12 loading, and every way loading can fail.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keygen, loadSigner, signDetachedCms, verifyDetachedCms } from '../../src/pack/index.js';
import { isEvidencePackError } from '../../src/errors.js';
import { tempDir } from './helpers.js';

let work: { dir: string; cleanup: () => Promise<void> };
let key: string;
let cert: string;
const ENV = { EP_TEST_PASS: 'correct horse battery staple' };
const osl = (...args: string[]) => execFileSync('openssl', args, { cwd: work.dir, stdio: ['ignore', 'pipe', 'pipe'] });

before(async () => {
  work = await tempDir('ep-keys-');
  const k = await keygen(join(work.dir, 'trial'), { organisation: 'Acme Bank AG', commonName: 'Acme pack signer', validDays: 30 });
  key = k.keyPath;
  cert = k.certPath;
  // Fixtures made with openssl, as a user would: encrypted PEM, PKCS#12 (AES, PBKDF2), a chain, an EC key.
  osl('pkcs8', '-topk8', '-in', key, '-out', 'enc.pem', '-v2', 'aes-256-cbc', '-passout', `pass:${ENV.EP_TEST_PASS}`);
  osl('pkcs12', '-export', '-inkey', key, '-in', cert, '-out', 'bundle.p12', '-passout', `pass:${ENV.EP_TEST_PASS}`);
  osl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  osl('req', '-new', '-newkey', 'rsa:3072', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=Leaf signer');
  osl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2');
  await writeFile(join(work.dir, 'chain.pem'), Buffer.concat([await readFile(join(work.dir, 'leaf.pem')), await readFile(join(work.dir, 'ca.pem'))]));
  osl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key');
  osl('req', '-x509', '-key', 'ec.key', '-out', 'ec.pem', '-subj', '/CN=EC', '-days', '2');
});
after(() => work.cleanup());

test('keygen: RSA-3072 PKCS#8 key with mode 0600 and a self-signed, non-CA signing certificate', async () => {
  assert.equal((await stat(key)).mode & 0o777, 0o600);
  assert.match(await readFile(key, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  const x = new X509Certificate(await readFile(cert));
  assert.equal(x.subject, 'O=Acme Bank AG\nCN=Acme pack signer');
  assert.equal(x.issuer, x.subject);
  assert.ok(x.verify(x.publicKey), 'self-signature verifies');
  assert.equal(x.publicKey.asymmetricKeyDetails?.modulusLength, 3072);
  assert.equal(x.ca, false);
  assert.match(x.keyUsage?.join(',') ?? osl('x509', '-in', cert, '-noout', '-ext', 'keyUsage').toString(), /Digital Signature/i);
  const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86_400_000;
  assert.equal(Math.round(days), 30);
});

const SOURCES: { name: string; src: () => Parameters<typeof loadSigner>[0]; subject: RegExp; chain: number }[] = [
  { name: 'PEM key + certificate', src: () => ({ key, cert }), subject: /CN=Acme pack signer/, chain: 0 },
  { name: 'encrypted PEM key, passphrase from env', src: () => ({ key: join(work.dir, 'enc.pem'), cert, passphraseEnv: 'EP_TEST_PASS' }), subject: /CN=Acme pack signer/, chain: 0 },
  { name: 'PKCS#12, passphrase from env', src: () => ({ p12: join(work.dir, 'bundle.p12'), passphraseEnv: 'EP_TEST_PASS' }), subject: /CN=Acme pack signer/, chain: 0 },
  { name: 'key + certificate chain (leaf, CA)', src: () => ({ key: join(work.dir, 'leaf.key'), cert: join(work.dir, 'chain.pem') }), subject: /CN=Leaf signer/, chain: 1 },
];
for (const s of SOURCES) {
  test(`loads signing material: ${s.name}`, async () => {
    const m = await loadSigner(s.src(), ENV);
    assert.match(m.subject, s.subject);
    assert.equal(m.chain.length, s.chain);
    const sig = await signDetachedCms(Buffer.from('content'), m);
    assert.equal(verifyDetachedCms(Buffer.from('content'), sig).ok, true);
    assert.equal(verifyDetachedCms(Buffer.from('Content'), sig).ok, false);
  });
}

const FAILURES: { name: string; src: () => Parameters<typeof loadSigner>[0]; env?: NodeJS.ProcessEnv; code: string; message: RegExp }[] = [
  { name: 'key without certificate', src: () => ({ key }), code: 'USAGE', message: /needs its certificate/ },
  { name: 'PKCS#12 and PEM together', src: () => ({ p12: 'x.p12', key, cert }), code: 'USAGE', message: /not both/ },
  { name: 'missing key file', src: () => ({ key: join(work.dir, 'nope.pem'), cert }), code: 'INPUT_NOT_FOUND', message: /nope\.pem: cannot read the signing key \(ENOENT\)/ },
  { name: 'encrypted key without passphrase', src: () => ({ key: join(work.dir, 'enc.pem'), cert }), code: 'INPUT_INVALID', message: /enc\.pem: cannot read the private key/ },
  { name: 'passphrase variable not set', src: () => ({ key: join(work.dir, 'enc.pem'), cert, passphraseEnv: 'EP_UNSET_VAR' }), env: {}, code: 'USAGE', message: /EP_UNSET_VAR .* is not set/ },
  { name: 'passphrase given instead of a variable name', src: () => ({ p12: join(work.dir, 'bundle.p12'), passphraseEnv: 'correct horse' }), code: 'USAGE', message: /takes the NAME of an environment variable, got "cor…"/ },
  { name: 'wrong PKCS#12 passphrase', src: () => ({ p12: join(work.dir, 'bundle.p12'), passphraseEnv: 'EP_TEST_PASS' }), env: { EP_TEST_PASS: 'wrong' }, code: 'INPUT_INVALID', message: /bundle\.p12: cannot open the PKCS#12 file/ },
  { name: 'certificate of another key', src: () => ({ key, cert: join(work.dir, 'leaf.pem') }), code: 'SIGNING', message: /no certificate matches the private key/ },
  { name: 'EC key (signatures would not be reproducible)', src: () => ({ key: join(work.dir, 'ec.key'), cert: join(work.dir, 'ec.pem') }), code: 'SIGNING', message: /the key is ec; evidence-pack signs with RSA/ },
  { name: 'certificate file without PEM', src: () => ({ key, cert: key }), code: 'INPUT_INVALID', message: /no PEM certificate found/ },
];
for (const f of FAILURES) {
  test(`loading fails with a named, typed error: ${f.name}`, async () => {
    await assert.rejects(loadSigner(f.src(), f.env ?? ENV), (e) => {
      assert.ok(isEvidencePackError(e), String(e));
      assert.equal(e.code, f.code);
      assert.match(e.message, f.message);
      assert.doesNotMatch(e.message + (e.hint ?? ''), /correct horse battery staple/, 'the passphrase never appears in messages');
      return true;
    });
  });
}

test('a pack signed by a CA-issued key verifies anchored to the CA, and not to an unrelated certificate', async () => {
  const { writeSamplePack } = await import('./helpers.js');
  const { verifyPack } = await import('../../src/pack/index.js');
  const m = await loadSigner({ key: join(work.dir, 'leaf.key'), cert: join(work.dir, 'chain.pem') });
  const out = join(work.dir, 'ca-pack');
  await writeSamplePack(out, m);
  const anchored = await verifyPack(out, { trust: join(work.dir, 'ca.pem') });
  assert.equal(anchored.ok, true, JSON.stringify(anchored.certificate));
  assert.equal(anchored.trust, 'anchored');
  const wrong = await verifyPack(out, { trust: cert });
  assert.equal(wrong.ok, false);
});
