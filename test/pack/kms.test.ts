// Signing through AWS KMS against moto_server on loopback: real keys made by CreateKey, the certificate issued by a
// test CA over the KMS public key, packs checked by openssl, pdfsig and verify; and every way KMS signing can fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, GetPublicKeyCommand, KMSClient, UpdateAliasCommand, type KeySpec, type KeyUsageType } from '@aws-sdk/client-kms';
import { loadSigner, verifyPack, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../../src/pack/index.js';
import { kmsSigningStatement } from '../../src/pack/kms.js';
import { isEvidencePackError } from '../../src/errors.js';
import { startMoto, type Moto } from '../support/moto.js';
import { issueForPublicKey, makeCa, type TestCa } from '../support/pki.js';
import { cli } from '../support/cli.js';
import { tempDir, writeSamplePack } from './helpers.js';

const REGION = 'eu-central-1';
let moto: Moto;
let kms: KMSClient;
let ca: TestCa;
let work: { dir: string; cleanup: () => Promise<void> };
/** The SDK reaches moto the way a user's environment would point it elsewhere: AWS_ENDPOINT_URL_KMS. */
let awsEnv: Record<string, string>;

before(async () => {
  work = await tempDir('ep-kms-');
  moto = await startMoto({ kmsSignDigest: true });
  awsEnv = { AWS_ENDPOINT_URL_KMS: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: REGION };
  Object.assign(process.env, awsEnv);
  kms = new KMSClient(moto.clientConfig(REGION));
  ca = makeCa(join(work.dir, 'ca'), 'Acme Signing CA');
});
after(async () => {
  await moto?.stop();
  await work?.cleanup();
});

async function kmsKey(spec: KeySpec, usage: KeyUsageType = 'SIGN_VERIFY'): Promise<{ arn: string; id: string; publicKeyPem: string }> {
  const k = await kms.send(new CreateKeyCommand({ KeyUsage: usage, KeySpec: spec }));
  const id = k.KeyMetadata!.KeyId!;
  const pub = usage === 'SIGN_VERIFY' ? await kms.send(new GetPublicKeyCommand({ KeyId: id })) : undefined;
  const publicKeyPem = pub ? (createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }) as string) : '';
  return { arn: k.KeyMetadata!.Arn!, id, publicKeyPem };
}

const pdfsig = (pdf: string) => {
  const r = spawnSync('pdfsig', [pdf], { encoding: 'utf8' });
  return r.stdout + r.stderr;
};

// One row per signature algorithm the issue names: the pack must pass verify --trust, openssl cms -verify, pdfsig
// and openssl's DSSE check; only RSA PKCS#1 v1.5 is deterministic (two packs byte-identical).
const ALGORITHMS: { spec: KeySpec; algorithm?: SignatureAlgorithm; expect: SignatureAlgorithm; pkeyopts: string[] }[] = [
  { spec: 'RSA_3072', expect: 'RSASSA_PKCS1_V1_5_SHA_256', pkeyopts: [] },
  { spec: 'RSA_2048', algorithm: 'RSASSA_PSS_SHA_256', expect: 'RSASSA_PSS_SHA_256', pkeyopts: ['-pkeyopt', 'rsa_padding_mode:pss', '-pkeyopt', 'rsa_pss_saltlen:32'] },
  { spec: 'ECC_NIST_P256', expect: 'ECDSA_SHA_256', pkeyopts: [] },
  { spec: 'ECC_NIST_P384', expect: 'ECDSA_SHA_384', pkeyopts: [] },
];
for (const row of ALGORITHMS) {
  test(`a pack signed through KMS (${row.spec}, ${row.expect}) passes verify --trust, openssl cms -verify, pdfsig and openssl's DSSE check`, async () => {
    const key = await kmsKey(row.spec);
    const certificate = issueForPublicKey(ca, row.spec, `Acme pack signer (KMS ${row.spec})`, key.publicKeyPem);
    const signer = await loadSigner({ kms: { keyId: key.arn, certificate, signingAlgorithm: row.algorithm } });
    assert.equal(signer.algorithm, row.expect);
    assert.equal(signer.keyRef, `AWS KMS key ${key.arn}`);
    const out = join(work.dir, `pack-${row.spec}`);
    await writeSamplePack(out, signer);

    const v = await verifyPack(out, { trust: ca.certPath });
    assert.equal(v.ok, true, JSON.stringify(v.files.filter((f) => f.status !== 'ok')));
    assert.equal(v.trust, 'anchored');
    const cms = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-content', 'manifest.json', '-in', 'manifest.json.p7s', '-CAfile', ca.certPath, '-out', '/dev/null'], { cwd: out, encoding: 'utf8' });
    assert.equal(cms.status, 0, cms.stderr);
    assert.match(cms.stderr, /Verification successful/);
    const sig = pdfsig(join(out, 'report.pdf'));
    assert.match(sig, /Signature is Valid/);
    assert.match(sig, /Total document signed/);
    assert.doesNotMatch(sig, /Digest Mismatch/); // pdfsig exits 0 even then: read its text
    const env = JSON.parse(await readFile(join(out, 'attestation.dsse.json'), 'utf8'));
    const body = Buffer.from(env.payload, 'base64');
    await writeFile(join(out, '..', `pae-${row.spec}.bin`), Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(env.payloadType)} ${env.payloadType} ${body.length} `), body]));
    await writeFile(join(out, '..', `sig-${row.spec}.bin`), Buffer.from(env.signatures[0].sig, 'base64'));
    const digest = SIGNATURE_ALGORITHMS[row.expect].hash;
    const pkey = spawnSync('openssl', ['pkeyutl', '-verify', '-rawin', '-digest', digest, '-certin', '-inkey', certificate, ...row.pkeyopts, '-in', `pae-${row.spec}.bin`, '-sigfile', `sig-${row.spec}.bin`], { cwd: work.dir, encoding: 'utf8' });
    assert.equal(pkey.status, 0, pkey.stderr + pkey.stdout);

    const again = join(work.dir, `again-${row.spec}`);
    await writeSamplePack(again, signer);
    const same = await readFile(join(again, 'manifest.json.p7s')).then((b) => b.equals(Buffer.from(execFileSync('cat', [join(out, 'manifest.json.p7s')]))));
    assert.equal(same, SIGNATURE_ALGORITHMS[row.expect].deterministic, 'only RSA PKCS#1 v1.5 signatures are reproducible');
  });
}

test('a pack signed through KMS from the config (signing.kms, by alias) passes `verify --trust`; iam-policy --config grants kms:Sign on it', async () => {
  const key = await kmsKey('RSA_3072');
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/evidence-pack', TargetKeyId: key.id }));
  const certificate = issueForPublicKey(ca, 'config-key', 'Acme pack signer (KMS)', key.publicKeyPem);
  const sample = resolve('samples/acme-bank');
  const config = join(work.dir, 'evidence-pack.yaml');
  await writeFile(
    config,
    [
      'organisation: Acme Bank AG',
      'period: 2026-Q3',
      `runbook: { repo: ${sample}, path: runbooks/break-glass.md }`,
      `terraform: { paths: [${join(sample, 'infra')}] }`,
      `signing: { kms: { keyId: alias/evidence-pack, region: ${REGION}, certificate: ${certificate} } }`,
      '',
    ].join('\n'),
  );
  const out = join(work.dir, 'cli-pack');
  const run = cli(['run', config, '--out', out], { env: awsEnv });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /signed by O=Acme Bank AG, CN=Acme pack signer \(KMS\)/);
  const verify = cli(['verify', out, '--trust', ca.certPath]);
  assert.equal(verify.code, 0, verify.stdout);
  assert.match(verify.stdout, /\[anchored\]/);
  assert.match(verify.stdout, /signing time\s+none \(level B-B/);
  assert.ok(!(await readdir(out)).some((f) => /key/i.test(f)), 'no key material in the pack');

  const policy = cli(['iam-policy', '--config', config]);
  assert.equal(policy.code, 0, policy.stderr);
  assert.deepEqual(JSON.parse(policy.stdout).Statement.at(-1), kmsSigningStatement('alias/evidence-pack', REGION));
});

test("docs/ci.md 'A certificate for a KMS key', run literally (aws CLI against moto): the certificate it issues signs a pack that verify anchors", async () => {
  const doc = await readFile('docs/ci.md', 'utf8');
  const section = doc.slice(doc.indexOf('### A certificate for a KMS key'));
  const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(script?.includes('aws kms get-public-key'), 'the section has the sh block');
  const key = await kmsKey('ECC_NIST_P256');
  const alias = 'alias/evidence-pack';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.id })).catch(async (e: Error) => {
    if (e.name !== 'AlreadyExistsException') throw e;
    await kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: key.id }));
  });
  const scratch = join(work.dir, 'doc-ci');
  await mkdir(scratch, { recursive: true });
  await cp(ca.certPath, join(scratch, 'ca.pem'));
  await cp(join(ca.dir, 'ca.key'), join(scratch, 'ca.key'));
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script!], { cwd: scratch, encoding: 'utf8', env: { ...process.env, ...awsEnv, AWS_DEFAULT_REGION: REGION } });
  assert.equal(r.status, 0, r.stderr);
  const certificate = join(scratch, 'kms-cert.pem');
  const signer = await loadSigner({ kms: { keyId: alias, region: REGION, certificate } });
  assert.equal(signer.algorithm, 'ECDSA_SHA_256');
  const out = join(work.dir, 'doc-ci-pack');
  await writeSamplePack(out, signer);
  const v = await verifyPack(out, { trust: ca.certPath });
  assert.equal(v.ok, true, JSON.stringify(v.files.filter((f) => f.status !== 'ok')));
  assert.equal(v.trust, 'anchored');
});

// The IAM statement for each way of naming the key: ARNs are exact, aliases become a kms:ResourceAliases condition.
const STATEMENTS: { keyId: string; region?: string; resource: string; alias?: string }[] = [
  { keyId: 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', resource: 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
  { keyId: 'arn:aws:kms:eu-central-1:111122223333:alias/evidence-pack', resource: 'arn:aws:kms:eu-central-1:111122223333:key/*', alias: 'alias/evidence-pack' },
  { keyId: 'alias/evidence-pack', region: 'eu-west-1', resource: 'arn:aws:kms:eu-west-1:*:key/*', alias: 'alias/evidence-pack' },
  { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', resource: 'arn:aws:kms:*:*:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
  { keyId: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/x', resource: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*', alias: 'alias/x' },
];
for (const s of STATEMENTS) {
  test(`iam-policy --sign-kms-key ${s.keyId}: kms:GetPublicKey and kms:Sign on ${s.resource}`, () => {
    const st = kmsSigningStatement(s.keyId, s.region);
    assert.deepEqual(st.Action, ['kms:GetPublicKey', 'kms:Sign']);
    assert.equal(st.Resource, s.resource);
    assert.deepEqual(st.Condition, s.alias ? { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': s.alias } } : undefined);
  });
}

test('iam-policy --sign-kms-key puts the statement in the caller policy when there is one, else in the read policy', () => {
  const arn = STATEMENTS[0].keyId;
  const alone = JSON.parse(cli(['iam-policy', '--sign-kms-key', arn]).stdout);
  assert.deepEqual(alone.Statement.at(-1), kmsSigningStatement(arn));
  const withCaller = JSON.parse(cli(['iam-policy', '--role-name', 'EvidencePackReadOnly', '--sign-kms-key', arn]).stdout);
  assert.deepEqual(withCaller.caller.Statement.at(-1), kmsSigningStatement(arn));
  assert.ok(!withCaller.read.Statement.some((x: { Sid: string }) => x.Sid === 'EvidencePackSignWithKms'), 'the read role in each account never signs');
  assert.ok(!JSON.parse(cli(['iam-policy']).stdout).Statement.some((x: { Sid: string }) => x.Sid === 'EvidencePackSignWithKms'), 'no KMS grant unless asked');
});

// Every way loading a KMS signer fails: a typed error naming the key or file, with a hint, before anything is written.
const FAILURES: { name: string; source: () => Promise<Parameters<typeof loadSigner>[0]>; code: string; message: RegExp; hint?: RegExp }[] = [
  {
    name: 'the certificate belongs to another key',
    source: async () => ({ kms: { keyId: (await kmsKey('RSA_2048')).arn, certificate: issueForPublicKey(ca, 'other', 'other', (await kmsKey('RSA_2048')).publicKeyPem) } }),
    code: 'SIGNING',
    message: /no certificate matches the public key of AWS KMS key arn:aws:kms:/,
  },
  {
    name: 'an encryption key (key usage ENCRYPT_DECRYPT)',
    source: async () => ({ kms: { keyId: (await kmsKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')).arn, certificate: ca.certPath } }),
    code: 'SIGNING',
    message: /AWS KMS (GetPublicKey .* failed|key .* has key usage)/,
  },
  {
    name: 'an algorithm the key cannot make (ECDSA_SHA_384 on P-256)',
    source: async () => {
      const k = await kmsKey('ECC_NIST_P256');
      return { kms: { keyId: k.arn, certificate: issueForPublicKey(ca, 'p256-wrong-alg', 'p256', k.publicKeyPem), signingAlgorithm: 'ECDSA_SHA_384' } };
    },
    code: 'SIGNING',
    message: /cannot sign with ECDSA_SHA_384/,
    hint: /It can sign with ECDSA_SHA_256/,
  },
  {
    name: 'a secp256k1 key (no algorithm evidence-pack signs with)',
    source: async () => {
      const k = await kmsKey('ECC_SECG_P256K1');
      return { kms: { keyId: k.arn, certificate: issueForPublicKey(ca, 'k1', 'k1', k.publicKeyPem) } };
    },
    code: 'SIGNING',
    message: /offers none of the algorithms evidence-pack signs with/,
  },
  {
    name: 'an unknown key',
    source: async () => ({ kms: { keyId: `arn:aws:kms:${REGION}:123456789012:key/00000000-0000-0000-0000-000000000000`, certificate: ca.certPath } }),
    code: 'SIGNING',
    message: /AWS KMS GetPublicKey on arn:.* failed: NotFoundException/,
    hint: /key id or alias and the region/,
  },
  { name: 'no certificate', source: async () => ({ kms: { keyId: 'alias/x' } }), code: 'USAGE', message: /the AWS KMS key alias\/x needs its certificate/ },
  { name: 'a KMS key and a PEM key together', source: async () => ({ key: 'k.pem', kms: { keyId: 'alias/x', certificate: 'c.pem' } }), code: 'USAGE', message: /give one signing key/ },
  { name: 'a certificate file that does not exist', source: async () => ({ kms: { keyId: (await kmsKey('RSA_2048')).arn, certificate: join(work.dir, 'nope.pem') } }), code: 'INPUT_NOT_FOUND', message: /nope\.pem: cannot read the certificate of the KMS key \(ENOENT\)/ },
];
for (const f of FAILURES) {
  test(`a KMS signer is refused with a named error: ${f.name}`, async () => {
    const source = await f.source();
    await assert.rejects(loadSigner(source), (e) => {
      assert.ok(isEvidencePackError(e), String(e));
      assert.equal(e.code, f.code);
      assert.match(e.message, f.message);
      if (f.hint) assert.match(e.hint ?? '', f.hint);
      return true;
    });
  });
}

test('run with --sign-kms-key but no reachable credentials exits 2 with the KMS error and writes nothing', async () => {
  const out = join(work.dir, 'no-creds');
  const r = cli(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', out, '--sign-kms-key', 'alias/evidence-pack', '--sign-cert', ca.certPath], {
    env: { ...awsEnv, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: 'evidence-pack-no-such-profile', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /AWS KMS GetPublicKey on alias\/evidence-pack failed/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(spawnSync('test', ['-e', out]).status, 1, 'nothing written');
});
