// signDsse / verifyDsse (reused by the attest command): PAE bytes, and a table of envelopes that must not verify.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pae, signDsse, verifyDsse, IN_TOTO_STATEMENT_TYPE, AUDIT_PACK_PREDICATE_TYPE, type DsseEnvelope } from '../../src/pack/index.js';
import { keygen, loadSigner } from '../../src/pack/index.js';
import { tempDir, trialKey } from './helpers.js';

const statement = {
  _type: IN_TOTO_STATEMENT_TYPE,
  subject: [{ name: 'report.json', digest: { sha256: 'ab'.repeat(32) } }],
  predicateType: AUDIT_PACK_PREDICATE_TYPE,
  predicate: { maturity: { level: 3 } },
};

test('PAE is "DSSEv1 <len type> <type> <len body> <body>" with byte lengths', () => {
  assert.equal(pae('application/vnd.in-toto+json', Buffer.from('{"a":"ü"}')).toString('utf8'), 'DSSEv1 28 application/vnd.in-toto+json 10 {"a":"ü"}');
});

test('a signed statement verifies, decodes, and signing twice gives the same envelope', async () => {
  const { signer: material } = await trialKey();
  const env = await signDsse(statement, material);
  assert.deepEqual(await signDsse(statement, material), env);
  const v = verifyDsse(env, { certificate: material.certificate });
  assert.equal(v.ok, true, v.problems.join('; '));
  assert.deepEqual(v.statement, statement);
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const BAD: { name: string; change: (e: DsseEnvelope) => unknown; problem: RegExp }[] = [
  { name: 'not an object', change: () => 'envelope', problem: /not a JSON object/ },
  { name: 'payload changed', change: (e) => ({ ...e, payload: b64(JSON.stringify({ ...statement, predicate: { maturity: { level: 5 } } })) }), problem: /does not verify over the PAE/ },
  { name: 'payloadType changed', change: (e) => ({ ...e, payloadType: 'application/json' }), problem: /payloadType is "application\/json"/ },
  { name: 'payload not canonical base64', change: (e) => ({ ...e, payload: e.payload + '!' }), problem: /payload is not canonical base64/ },
  { name: 'signature not canonical base64', change: (e) => ({ ...e, signatures: [{ ...e.signatures[0], sig: e.signatures[0].sig + '\n' }] }), problem: /sig is not canonical base64/ },
  { name: 'signature of other bytes', change: (e) => ({ ...e, signatures: [{ ...e.signatures[0], sig: Buffer.alloc(384, 1).toString('base64') }] }), problem: /does not verify/ },
  { name: 'unknown keyid', change: (e) => ({ ...e, signatures: [{ ...e.signatures[0], keyid: 'ff'.repeat(32) }] }), problem: /is not the trusted key/ },
  { name: 'no signatures', change: (e) => ({ ...e, signatures: [] }), problem: /no signatures/ },
  { name: 'payload not a statement', change: (e) => ({ ...e, payload: b64('{"hello":1}') }), problem: /_type is undefined/ },
];
for (const c of BAD) {
  test(`verifyDsse rejects: ${c.name}`, async () => {
    const { signer: material } = await trialKey();
    const v = verifyDsse(c.change(await signDsse(statement, material)), { certificate: material.certificate });
    assert.equal(v.ok, false);
    assert.match(v.problems.join('; '), c.problem);
  });
}

test('verifyDsse rejects a valid envelope checked against another certificate', async () => {
  const { signer: material } = await trialKey();
  const { dir, cleanup } = await tempDir();
  try {
    const other = await keygen(dir);
    const otherMaterial = await loadSigner({ key: other.keyPath, cert: other.certPath });
    const v = verifyDsse(await signDsse(statement, material), { certificate: otherMaterial.certificate });
    assert.equal(v.ok, false);
    assert.match(v.problems.join('; '), /is not the trusted key/);
  } finally {
    await cleanup();
  }
});
