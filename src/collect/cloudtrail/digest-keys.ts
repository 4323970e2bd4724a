// CloudTrail's digest-signing public keys from the ListPublicKeys API, one client per region (keys are per region).

import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import type { PublicKeyInput } from '../../model/cloudtrail-integrity.js';
import type { Period } from '../../model/period.js';

/**
 * Every key that signed digests in the period's window (its start to one hour after its end, the digests
 * `validateDigests` reads), from each region's CloudTrail endpoint. API errors propagate: the caller
 * records them (no keys means every digest reads `unknown-key`, never valid).
 */
export async function fetchPublicKeys(clients: CloudTrailClient | CloudTrailClient[], period: Period): Promise<PublicKeyInput[]> {
  const keys: PublicKeyInput[] = [];
  const seen = new Set<string>();
  for (const client of Array.isArray(clients) ? clients : [clients]) {
    let token: string | undefined;
    do {
      const out = await client.send(
        new ListPublicKeysCommand({ StartTime: period.start, EndTime: new Date(period.end.getTime() + 3_600_000), NextToken: token }),
      );
      for (const k of out.PublicKeyList ?? []) {
        if (!k.Value) continue;
        const id = k.Fingerprint ?? Buffer.from(k.Value).toString('base64');
        if (seen.has(id)) continue;
        seen.add(id);
        keys.push({ Value: k.Value, Fingerprint: k.Fingerprint, ValidityStartTime: k.ValidityStartTime, ValidityEndTime: k.ValidityEndTime });
      }
      token = out.NextToken;
    } while (token);
  }
  return keys;
}
