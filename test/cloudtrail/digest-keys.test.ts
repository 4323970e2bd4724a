// ListPublicKeys (moto lacks it: answered on the wire as the API reference documents it) feeding digest validation.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { fetchPublicKeys } from '../../src/collect/cloudtrail/digest-keys.js';
import { validateDigests } from '../../src/collect/cloudtrail/digests.js';
import { writeDigestChain, writeLogFile } from '../../src/collect/cloudtrail/digest-fixtures.js';
import type { Period } from '../../src/model/period.js';
import { emptyState, emulatorOnly, type EmulatedState } from '../support/aws-world.js';

const DAY: Period = { label: '2026-07-01', from: '2026-07-01', to: '2026-07-01', start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-07-02T00:00:00Z') };

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** A region's digest-signing key as CloudTrail holds it: PKCS#1 DER bytes and a validity window. */
function apiKey(region: string, pub: KeyObject) {
  return { region, value: new Uint8Array(pub.export({ format: 'der', type: 'pkcs1' })), start: '2026-06-01T00:00:00Z', end: '2026-08-01T00:00:00Z' };
}

function cloudtrail(state: EmulatedState, region: string) {
  const { wire, clients } = emulatorOnly(state);
  return { client: clients('cloudtrail', region) as unknown as CloudTrailClient, wire };
}

describe('fetchPublicKeys (ListPublicKeys)', () => {
  it("asks each region's endpoint for the period's window and returns every key once", async () => {
    const eu = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const us = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const state = emptyState();
    state.publicKeys.push(apiKey('eu-central-1', eu.publicKey), apiKey('us-east-1', us.publicKey), apiKey('us-east-1', eu.publicKey));
    const euApi = cloudtrail(state, 'eu-central-1');
    const usApi = cloudtrail(state, 'us-east-1');
    const keys = await fetchPublicKeys([euApi.client, usApi.client], DAY);
    assert.deepEqual(keys.map((k) => k.Fingerprint), [md5(eu.publicKey.export({ format: 'der', type: 'pkcs1' })), md5(us.publicKey.export({ format: 'der', type: 'pkcs1' }))]);
    const asked = euApi.wire.received.find((o) => o.api === 'cloudtrail:ListPublicKeys')!;
    assert.deepEqual([asked.region, asked.input.StartTime, asked.input.EndTime], ['eu-central-1', DAY.start.getTime() / 1000, Date.parse('2026-07-02T01:00:00Z') / 1000]);
  });

  it('keys from the API validate a chain signed with them; a key missing from the API leaves its digests unknown-key', async () => {
    const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const root = await mkdtemp(join(tmpdir(), 'ep-digest-keys-'));
    try {
      const start = new Date('2026-06-30T23:01:31Z');
      const logs = [await writeLogFile(root, { account: '111122223333', region: 'eu-central-1', at: new Date('2026-07-01T10:05:00Z'), records: [] })];
      await writeDigestChain({ root, bucket: 'b-logs', account: '111122223333', region: 'eu-central-1', trail: 't', privateKey: signer.privateKey, start, hours: 26, logFiles: logs });
      const state = emptyState();
      state.publicKeys.push(apiKey('eu-central-1', signer.publicKey));
      const ok = await validateDigests({ digests: [root], logs: [root], publicKeys: await fetchPublicKeys(cloudtrail(state, 'eu-central-1').client, DAY), period: DAY });
      assert.equal(ok.verdict, 'valid', ok.verdictReasons.join('; '));
      state.publicKeys.length = 0;
      const none = await validateDigests({ digests: [root], logs: [root], publicKeys: await fetchPublicKeys(cloudtrail(state, 'eu-central-1').client, DAY), period: DAY });
      assert.equal(none.verdict, 'unknown');
      assert.equal(none.summary.digests['unknown-key'], none.digests.length);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
