// Live AWS evidence for collectAll: runs the collectors (and CloudTrail Lake queries) and returns pack items and problems.

import type { Config } from '../../config/load.js';
import type { Collected, EvidenceItem, PopulationRecord } from '../../model/evidence.js';
import { LIVE_AREAS, type AwsLiveEvidence, type LiveArea } from '../../model/aws.js';
import { CoverageRecorder, type SourceCoverage } from '../../model/coverage.js';
import { formatLocation } from '../../model/location.js';
import { messageOf } from '../../errors.js';
import { collectAws, type AwsClientFactory, sdkClientFactory } from './collect.js';
import { AwsCaller, CALL_AREA, type AwsCall } from './calls.js';
import { runLakeQueries, type LakeResult } from './lake.js';
import { sha256Hex } from '../../hash.js';

export { collectAws, sdkClientFactory, mapLimit, type AwsClientFactory, type AwsService, type AwsCredentials } from './collect.js';
export { AWS_CALLS, CALL_AREA, CALLER_ONLY, AwsCaller, AwsCallError, type AwsCall } from './calls.js';
export { iamPolicy, type IamPolicyDocument } from './policy.js';
export { loadLakeQueries, renderLakeQuery, runLakeQuery, runLakeQueries, QUERIES_DIR, type LakeQuery, type LakeResult } from './lake.js';

/** Human names of the live areas, for the coverage section. */
const AREA_NAMES: Record<LiveArea, string> = {
  'aws-trails': 'live AWS: trails and their buckets (DescribeTrails)',
  'aws-buckets': 'live AWS: public-access blocks (bucket and account)',
  'aws-alarms': 'live AWS: metric filters, alarms, topics and subscriptions',
  'aws-alarm-history': 'live AWS: alarm history (DescribeAlarmHistory)',
  'aws-identities': 'live AWS: break-glass roles and permission sets',
  'aws-secrets': 'live AWS: break-glass secrets (DescribeSecret)',
  'aws-activations': 'live AWS: activations from LookupEvents',
};

/**
 * Coverage of live evidence, one record per area: the calls made, those answered, and each failure that leaves
 * the area incomplete (with its account and region, so a check judged on one account sees only that account's
 * gaps). A region that is not enabled holds nothing and is no gap — unless no region of the account answered,
 * which says more about the credentials than about the regions.
 */
export function liveCoverage(live: Collected<AwsLiveEvidence>, asked: string[]): SourceCoverage[] {
  if (live.state !== 'collected') {
    return LIVE_AREAS.map((area) => new CoverageRecorder(area, AREA_NAMES[area], asked).skip('AWS APIs', 'unavailable', live.reason).result());
  }
  const v = live.value;
  const key = (c: { api: string; account: string; region: string; target?: string }) => `${c.api}|${c.account}|${c.region}|${c.target ?? ''}`;
  const failed = new Set(v.unavailable.map(key));
  const disabledEverywhere = new Set(v.accounts.map((a) => a.account).filter((a) => v.scopes.filter((s) => s.account === a).every((s) => !s.enabled)));
  return LIVE_AREAS.map((area) => {
    const rec = new CoverageRecorder(area, AREA_NAMES[area], asked);
    const calls = v.calls.filter((c) => CALL_AREA[c.api as AwsCall] === area);
    // A call that failed with an answer (NoSuchEntity, NoSuchPublicAccessBlockConfiguration …) read what it asked.
    rec.list(calls.length).read(calls.filter((c) => c.ok || !failed.has(key(c))).length);
    for (const u of v.unavailable) {
      if (u.area !== area && u.area !== 'all' && !(u.regionDisabled && disabledEverywhere.has(u.account))) continue;
      if (u.regionDisabled && !disabledEverywhere.has(u.account)) continue;
      // A failed AssumeRole is made by the caller, but it is the target account that was not read.
      const account = u.api === 'sts:AssumeRole' && u.target ? (u.target.split(':')[4] ?? u.account) : u.account;
      rec.skip(`${u.api} ${u.account}/${u.region}${u.target ? ` ${u.target}` : ''}`, 'unavailable', `${u.code}: ${u.message}`, { api: u.api, account, region: u.region });
    }
    return rec.result();
  });
}

export interface AwsCollectResult {
  live: Collected<AwsLiveEvidence>;
  /** One coverage record per live area (LIVE_AREAS). */
  coverage: SourceCoverage[];
  lake?: Collected<LakeResult>;
  items: EvidenceItem[];
  files: { path: string; bytes: Buffer }[];
  problems: { source: string; level: 'error' | 'warning'; message: string; location?: string }[];
  populations: PopulationRecord[];
  refs: string[];
}


/** Called only when `aws.enabled` is true. AWS failures become problems and `unavailable` evidence, never a crash. */
export async function collectAwsEvidence(config: Config, opts: { collectedAt: string; clients?: AwsClientFactory }): Promise<AwsCollectResult> {
  const aws = config.aws!;
  const clients = opts.clients ?? sdkClientFactory(aws.profile);
  // Live state is judged as of when it was read: the wall clock, even when SOURCE_DATE_EPOCH fixes the report's date.
  const now = () => new Date();
  const out: AwsCollectResult = { live: { state: 'not-configured', reason: 'aws.enabled is false' }, coverage: [], items: [], files: [], problems: [], populations: [], refs: [] };
  const asked = [`accounts: ${Array.isArray(aws.accounts) ? aws.accounts.join(', ') || 'the caller' : aws.accounts}`, `regions: ${aws.regions.join(', ')}`];

  // LookupEvents only stands in for a log archive; with logs (or Lake) configured it would only repeat them.
  const lookupEvents = !config.cloudtrail;
  let live: AwsLiveEvidence;
  try {
    live = await collectAws({ config: aws, breakGlass: config.breakGlass, period: config.period, clients, now, lookupEvents });
  } catch (e) {
    // AWS failures are handled per call; anything else (e.g. no credentials at all) must still not end the run.
    out.live = { state: 'unavailable', reason: `reading live AWS state failed: ${messageOf(e)}` };
    out.problems.push({ source: 'aws', level: 'error', message: out.live.reason });
    out.coverage = liveCoverage(out.live, asked);
    return out;
  }
  out.live = { state: 'collected', value: live };
  out.coverage = liveCoverage(out.live, asked);
  for (const u of live.unavailable) out.problems.push({ source: 'aws', level: 'error', message: `${u.api} failed: ${u.code}: ${u.message}${u.target ? ` (${u.target})` : ''}`, location: formatLocation({ api: u.api, account: u.account, region: u.region }) });
  const bytes = Buffer.from(JSON.stringify(live, null, 2));
  out.files.push({ path: 'evidence/aws/live.json', bytes });
  out.items.push({ id: 'aws-live', kind: 'aws-live', source: `AWS APIs: ${live.calls.length} calls in ${new Set(live.scopes.map((s) => s.account)).size} account(s), regions ${aws.regions.join(', ')}`, sha256: sha256Hex(bytes), size: bytes.length, collectedAt: opts.collectedAt, packPath: 'evidence/aws/live.json' });
  out.refs.push('aws-live');
  const calls = live.calls.map((c) => ({ api: c.api, account: c.account, region: c.region, target: c.target, ok: c.ok, error: c.error?.code }));
  out.populations.push({ population: 'AWS API calls', sourceSystem: 'AWS APIs', selection: 'every call the live collectors made', parameters: { regions: aws.regions.join(','), accounts: Array.isArray(aws.accounts) ? aws.accounts.join(',') || 'caller' : aws.accounts }, extractedAt: opts.collectedAt, recordCount: calls.length, sha256: sha256Hex(Buffer.from(JSON.stringify(calls))) });

  const lake = config.cloudtrail?.lake;
  if (lake) {
    const region = lake.region ?? lake.eventDataStore.split(':')[3] ?? aws.regions[0];
    const caller = new AwsCaller({ maxAttempts: aws.maxAttempts });
    const account = lake.eventDataStore.startsWith('arn:') ? lake.eventDataStore.split(':')[4] : 'caller';
    const trailBuckets = [...new Set(live.scopes.flatMap((s) => s.snapshot.entities.flatMap((e) => (e.type === 'trail' && !('unknown' in (e.bucket.value as object)) ? [(e.bucket.value as { name?: string }).name ?? ''] : []))).filter(Boolean))].sort();
    const result = await runLakeQueries({ caller, client: clients('cloudtrail', region), where: { account, region }, eventDataStore: lake.eventDataStore, period: config.period, trailBuckets, maxRows: lake.maxRows });
    live.calls.push(...caller.calls);
    out.lake = { state: 'collected', value: result };
    for (const f of result.failures) out.problems.push({ source: 'cloudtrail lake', level: 'error', message: `query ${f.query}: ${f.message}` });
    const lb = Buffer.from(JSON.stringify(result, null, 2));
    out.files.push({ path: 'evidence/aws/lake.json', bytes: lb });
    out.items.push({ id: 'cloudtrail-lake', kind: 'aws-live', source: `CloudTrail Lake ${lake.eventDataStore}: ${Object.keys(result.rows).length} saved queries`, sha256: sha256Hex(lb), size: lb.length, collectedAt: opts.collectedAt, packPath: 'evidence/aws/lake.json' });
    out.refs.push('cloudtrail-lake');
  }
  return out;
}
