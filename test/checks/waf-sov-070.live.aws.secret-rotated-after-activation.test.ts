import assert from 'node:assert/strict';
import check from '../../src/evaluate/checks/waf-sov-070.live.aws.secret-rotated-after-activation.js';
import { parsePeriod } from '../../src/config/period.js';
import type { Period } from '../../src/model/period.js';
import type { SecretLive } from '../../src/model/aws.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { activation, withLive, ACCOUNT, REGION, type LiveCase } from '../support/live-evidence.js';
import { BG, cloudtrailFrom, roleActivation } from '../process/helpers.js';
import { event } from '../cloudtrail/helpers.js';

const SEPT = parsePeriod('2026-09') as Period;
const at = { collectedAt: '2026-09-30T12:00:00.000Z' };
const secret = (o: Partial<SecretLive> = {}): SecretLive => ({ arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:break-glass/admin-AbCdEf`, name: 'break-glass/admin', rotationEnabled: true, lastRotatedDate: '2026-09-20T11:00:00.000Z', lastChangedDate: '2026-09-20T11:00:00.000Z', ...o });
const acts = [activation('ev-1', '2026-09-20T10:00:00Z')];
const lookup = (c: LiveCase) => withLive(c, { period: SEPT, breakGlass: BG });
const rotate = (time: string) => event({ eventTime: time, eventSource: 'secretsmanager.amazonaws.com', eventName: 'RotateSecret', readOnly: false, requestParameters: { secretId: 'break-glass/admin' } });
/** Live secrets beside the CloudTrail logs of the quarter (real archive, real scanner): activations from the logs. */
const logs = (c: LiveCase, events: Record<string, unknown>[]) => async (): Promise<EvidenceSet> => ({ ...withLive({ collectedAt: '2026-10-01T00:00:00.000Z', ...c }, { breakGlass: BG })(), cloudtrail: await cloudtrailFrom(events) });
// A break-glass session 2026-09-20 09:00–09:05 (AssumeRole, one write call), without the session revocation.
const session = roleActivation('2026-09-20T09:00:00Z', 'alice', { rotate: false }).events;

checkTable(check, {
  pass: [
    { name: 'rotated an hour after the activation (LookupEvents)', evidence: lookup({ ...at, activations: acts, secrets: [secret()] }), reason: /1 break-glass secret\(s\) rotated after the 1 activation\(s\) in LookupEvents/ },
    { name: 'rotated in the second the activation ended (the logs write 10:00:00Z, the SDK 10:00:00.000Z)', evidence: lookup({ ...at, activations: acts, secrets: [secret({ lastRotatedDate: '2026-09-20T10:00:00.000Z' })] }) },
    { name: 'the logs and the secret agree (RotateSecret after the activation)', evidence: logs({ secrets: [secret({ lastRotatedDate: '2026-09-20T09:30:00.000Z' })] }, [...session, rotate('2026-09-20T09:30:00Z')]), reason: /rotated after the 1 activation\(s\) in the CloudTrail logs/ },
  ],
  fail: [
    { name: 'last rotated before the activation', evidence: lookup({ ...at, activations: acts, secrets: [secret({ lastRotatedDate: '2026-08-01T00:00:00.000Z', lastChangedDate: '2026-08-01T00:00:00.000Z' })] }), reason: /break-glass\/admin: last rotated 2026-08-01T00:00:00.000Z, before activation 2026-09-20T10:00:00Z .*event ev-1/ },
    { name: 'never rotated', evidence: lookup({ ...at, activations: acts, secrets: [secret({ lastRotatedDate: undefined, lastChangedDate: '2026-01-01T00:00:00.000Z' })] }), reason: /last rotated never/ },
    { name: 'RotateSecret in the logs, but the secret was not rotated: the rotation did not complete', evidence: logs({ secrets: [secret({ lastRotatedDate: '2026-08-01T00:00:00.000Z', lastChangedDate: '2026-08-01T00:00:00.000Z' })] }, [...session, rotate('2026-09-20T09:30:00Z')]), reason: /the logs show a rotation at 2026-09-20T09:30:00Z .* but the secret's LastRotatedDate is 2026-08-01T00:00:00.000Z: the rotation did not complete/ },
    {
      name: 'an earlier activation with no rotation of the secret before the next one (logs)',
      evidence: logs({ secrets: [secret({ lastRotatedDate: '2026-09-25T09:30:00.000Z' })] }, [...roleActivation('2026-09-10T09:00:00Z', 'bob', { rotate: false }).events, ...roleActivation('2026-09-25T09:00:00Z', 'carol', { rotate: false }).events, rotate('2026-09-25T09:30:00Z')]),
      reason: /the logs show no rotation of it before the next activation at 2026-09-25T09:00:00Z/,
    },
  ],
  manual: [
    { name: 'the secret says rotated, the logs show no rotation of it: the disagreement is reported', evidence: logs({ secrets: [secret({ lastRotatedDate: '2026-09-20T11:00:00.000Z' })] }, session), reason: /LastRotatedDate 2026-09-20T11:00:00.000Z is after .* but the logs hold no rotation of it .* disagree/ },
    { name: 'changed in the second the activation ended, not rotated', evidence: lookup({ ...at, activations: acts, secrets: [secret({ lastRotatedDate: '2026-08-01T00:00:00.000Z', lastChangedDate: '2026-09-20T10:00:00.000Z' })] }), reason: /but not rotated/ },
    { name: 'changed after the activation but not rotated', evidence: lookup({ ...at, activations: acts, secrets: [secret({ lastRotatedDate: '2026-08-01T00:00:00.000Z', lastChangedDate: '2026-09-21T00:00:00.000Z' })] }), reason: /changed 2026-09-21T00:00:00.000Z .* but not rotated/ },
  ],
  unknown: [
    { name: 'live state not configured and nothing declared: still only "not configured"', evidence: () => baseEvidence(), reason: /live AWS state not collected/, assert: (r) => assert.equal(r.evidenceMissing, 'not-configured') },
    { name: 'no secret declared', evidence: withLive({ ...at, activations: acts, secrets: [secret()] }, { period: SEPT, breakGlass: { ...BG, secrets: [] } }), reason: /no break-glass secret is declared/ },
    { name: 'the declared secret is in no account read', evidence: lookup({ ...at, activations: acts, secrets: [] }), reason: /declared break-glass secret break-glass\/admin was not found/ },
    { name: 'earlier activations, and no log archive to see their rotations', evidence: lookup({ ...at, activations: [activation('ev-0', '2026-09-05T10:00:00Z'), ...acts], secrets: [secret()] }), reason: /without the CloudTrail logs .* no earlier rotation can be seen/ },
    { name: 'DescribeSecret denied: the rotation is not demonstrated', evidence: lookup({ ...at, activations: acts, secrets: [secret()], unavailable: [{ api: 'secretsmanager:DescribeSecret', account: ACCOUNT, region: 'eu-west-1', code: 'AccessDeniedException', message: 'not authorized', area: 'aws-secrets' }] }), reason: /not read completely/ },
    { name: 'live state not configured', evidence: () => baseEvidence({ period: SEPT, breakGlass: BG }), reason: /live AWS state not collected/, assert: (r) => assert.equal(r.evidenceMissing, 'not-configured', 'optional evidence: left out of requirements and criteria') },
  ],
  not_applicable: [{ name: 'no activation in the period', evidence: lookup({ ...at, activations: [], secrets: [secret()] }) }],
});
