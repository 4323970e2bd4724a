// Builds real CloudTrail archives (gzipped logs in the S3 layout, optionally signed digests) and collects them.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { validateDigests } from '../../src/collect/cloudtrail/digests.js';
import { publicKeyList, writeDigestChain, writeLogFile } from '../../src/collect/cloudtrail/digest-fixtures.js';
import { baseEvidence, Q3_2026, tempTree } from './evidence.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { replayFilters } from '../../src/collect/replay.js';
import type { Period } from '../../src/model/period.js';

export const ACCOUNT = '111122223333';
let n = 0;

/** A CloudTrail record with realistic fields; `over` replaces or adds fields. */
export function event(eventName: string, eventTime: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
    eventTime,
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    ...over,
  };
}

export interface ArchiveOptions {
  /** Records per delivery hour (ISO hour → records). */
  files: { at: string; records: Record<string, unknown>[] }[];
  digests?: { hours: number; start: string; tamper?: boolean };
  allowedCidrs?: string[];
  /** Defaults to 2026-Q3. */
  period?: Period;
  /** Terraform files whose metric filters are replayed over the logs. */
  terraform?: Record<string, string>;
}

export function cloudtrailEvidence(o: ArchiveOptions): () => Promise<EvidenceSet> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), 'ep-ct-'));
    const keys: string[] = [];
    for (const [i, f] of o.files.entries()) keys.push(await writeLogFile(root, { account: ACCOUNT, region: 'us-east-1', at: new Date(f.at), records: f.records, seq: i }));
    const breakGlass = { roles: ['arn:aws:iam::*:role/BreakGlass*'], users: ['breakglass-*'], permissionSets: [], allowedCidrs: o.allowedCidrs ?? [], rootIsBreakGlass: true, secrets: [] };
    const period = o.period ?? Q3_2026;
    const tfDir = o.terraform && tempTree(o.terraform);
    const snapshots = tfDir ? await collectTerraform({ paths: [tfDir], baseDir: tfDir }) : [];
    const { filters, replayed } = replayFilters(snapshots);
    const ct = await collectCloudTrail({ config: { logs: [root] }, breakGlass, period, workers: 0, filters });
    let integrity: EvidenceSet['integrity'] = { state: 'not-configured', reason: 'not configured (config key `cloudtrail.digests`)' };
    if (o.digests) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await writeDigestChain({ root, bucket: 'trail-bucket', account: ACCOUNT, region: 'us-east-1', trail: 'main', privateKey, start: new Date(o.digests.start), hours: o.digests.hours, logFiles: keys });
      const keyFile = join(root, 'keys.json');
      writeFileSync(keyFile, JSON.stringify(publicKeyList(publicKey)));
      if (o.digests.tamper) await writeLogFile(root, { account: ACCOUNT, region: 'us-east-1', at: new Date(o.files[0].at), records: [...o.files[0].records, event('ListUsers', o.files[0].at)], seq: 0 });
      integrity = { state: 'collected', value: await validateDigests({ digests: [root], logs: [root], publicKeys: keyFile, period }) };
    }
    const iacPart: Partial<EvidenceSet> = tfDir ? { iac: { state: 'collected', value: snapshots }, replay: { state: 'collected', value: replayed } } : {};
    return baseEvidence({ ...iacPart, period, breakGlass, breakGlassDeclared: true, cloudtrail: { state: 'collected', value: ct }, integrity });
  };
}
