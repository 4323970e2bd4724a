// ListPublicKeys (mocked at the SDK client, shaped like the API reference) feeding digest validation.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { fetchPublicKeys } from '../../src/collect/cloudtrail/digest-keys.js';
import { validateDigests } from '../../src/collect/cloudtrail/digests.js';
import { writeDigestChain, writeLogFile } from '../../src/collect/cloudtrail/digest-fixtures.js';
import type { Period } from '../../src/model/period.js';

const DAY: Period = { label: '2026-07-01', from: '2026-07-01', to: '2026-07-01', start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-07-02T00:00:00Z') };

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** A `PublicKey` as the API returns it: PKCS#1 DER bytes, MD5 fingerprint, validity timestamps. */
function apiKey(pub: KeyObject) {
  const der = pub.export({ format: 'der', type: 'pkcs1' });
  return {
    Value: new Uint8Array(der),
    ValidityStartTime: new Date('2026-06-01T00:00:00Z'),
    ValidityEndTime: new Date('2026-08-01T00:00:00Z'),
    Fingerprint: md5(der),
  };
}

describe('fetchPublicKeys (ListPublicKeys)', () => {
  it("asks each region's endpoint for the period's window and returns every key once", async () => {
    const eu = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const us = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const euClient = new CloudTrailClient({ region: 'eu-central-1' });
    const usClient = new CloudTrailClient({ region: 'us-east-1' });
    const euMock = mockClient(euClient);
    const usMock = mockClient(usClient);
    euMock.on(ListPublicKeysCommand).resolves({ PublicKeyList: [apiKey(eu.publicKey)] });
    usMock.on(ListPublicKeysCommand).resolves({ PublicKeyList: [apiKey(us.publicKey), apiKey(eu.publicKey)] });
    const keys = await fetchPublicKeys([euClient, usClient], DAY);
    assert.deepEqual(keys.map((k) => k.Fingerprint), [md5(eu.publicKey.export({ format: 'der', type: 'pkcs1' })), md5(us.publicKey.export({ format: 'der', type: 'pkcs1' }))]);
    assert.deepEqual(euMock.commandCalls(ListPublicKeysCommand)[0].args[0].input, { StartTime: DAY.start, EndTime: new Date('2026-07-02T01:00:00Z'), NextToken: undefined });
  });

  it('keys from the API validate a chain signed with them; a key missing from the API leaves its digests unknown-key', async () => {
    const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const root = await mkdtemp(join(tmpdir(), 'ep-digest-keys-'));
    try {
      const start = new Date('2026-06-30T23:01:31Z');
      const logs = [await writeLogFile(root, { account: '111122223333', region: 'eu-central-1', at: new Date('2026-07-01T10:05:00Z'), records: [] })];
      await writeDigestChain({ root, bucket: 'b-logs', account: '111122223333', region: 'eu-central-1', trail: 't', privateKey: signer.privateKey, start, hours: 26, logFiles: logs });
      const client = new CloudTrailClient({ region: 'eu-central-1' });
      const mock = mockClient(client);
      mock.on(ListPublicKeysCommand).resolves({ PublicKeyList: [apiKey(signer.publicKey)] });
      const ok = await validateDigests({ digests: [root], logs: [root], publicKeys: await fetchPublicKeys(client, DAY), period: DAY });
      assert.equal(ok.verdict, 'valid', ok.verdictReasons.join('; '));
      mock.on(ListPublicKeysCommand).resolves({ PublicKeyList: [] });
      const none = await validateDigests({ digests: [root], logs: [root], publicKeys: await fetchPublicKeys(client, DAY), period: DAY });
      assert.equal(none.verdict, 'unknown');
      assert.equal(none.summary.digests['unknown-key'], none.digests.length);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
