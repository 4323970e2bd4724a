import assert from 'node:assert/strict';
import check from '../../src/evaluate/checks/waf-sov-070.live.aws.trail-delivering.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { denied, trail, withLive } from '../support/live-evidence.js';

// Collected 2026-10-01T00:00Z: logs at most 24 h old, digests at most 2 h old.
checkTable(check, {
  pass: [
    { name: 'logging, a log file 10 min ago, a digest 30 min ago', evidence: withLive({ trailStatus: [trail()] }), reason: /1 trail\(s\) logging and delivering at 2026-10-01T00:00:00.000Z/, locations: [/^cloudtrail:GetTrailStatus 111122223333 eu-central-1 arn:aws:cloudtrail:/] },
    { name: 'started logging 20 min ago: the first digest is not yet due', evidence: withLive({ trailStatus: [trail({ startLoggingTime: '2026-09-30T23:40:00.000Z', latestDigestDeliveryTime: undefined })] }) },
  ],
  fail: [
    { name: 'logging stopped', evidence: withLive({ trailStatus: [trail({ isLogging: false })] }), reason: /org-trail \(111122223333\/eu-central-1\): logging is off/ },
    { name: 'a delivery error (the bucket policy no longer lets CloudTrail write)', evidence: withLive({ trailStatus: [trail({ latestDeliveryError: 'AccessDenied' })] }), reason: /log delivery error: AccessDenied/ },
    { name: 'the latest log file is 30 h old', evidence: withLive({ trailStatus: [trail({ latestDeliveryTime: '2026-09-29T18:00:00.000Z' })] }), reason: /latest log file was delivered 2026-09-29T18:00:00.000Z, 30\.0 h before collection \(more than 24 h\)/ },
    { name: 'the latest digest is 5 h old', evidence: withLive({ trailStatus: [trail({ latestDigestDeliveryTime: '2026-09-30T19:00:00.000Z' })] }), reason: /latest digest was delivered .* 5\.0 h before collection \(more than 2 h\)/ },
    { name: 'digest delivery error (the KMS key)', evidence: withLive({ trailStatus: [trail({ latestDigestDeliveryError: 'KMS.DisabledException' })] }), reason: /digest delivery error: KMS\.DisabledException/ },
    { name: 'log file validation off: no digests', evidence: withLive({ trailStatus: [trail({ logFileValidation: false, latestDigestDeliveryTime: undefined })] }), reason: /log file validation is off/ },
    { name: 'logging for a week and never a digest', evidence: withLive({ trailStatus: [trail({ startLoggingTime: '2026-09-24T00:00:00.000Z', latestDigestDeliveryTime: undefined })] }), reason: /no digest file has been delivered/ },
    { name: 'an account with no trail, every call answered', evidence: withLive({ trailStatus: [] }), reason: /111122223333: no trail records this account/ },
  ],
  unknown: [
    { name: 'live state not configured', evidence: () => baseEvidence(), reason: /live AWS state not collected/, assert: (r) => assert.equal(r.evidenceMissing, 'not-configured', 'optional evidence: left out of requirements and criteria') },
    { name: 'GetTrailStatus denied', evidence: withLive({ trailStatus: [trail({ unavailable: { unknown: 'cloudtrail:GetTrailStatus failed: AccessDeniedException' }, isLogging: undefined })] }), reason: /status not read: cloudtrail:GetTrailStatus failed/ },
    { name: 'DescribeTrails denied: whether a trail exists is unknown, not "no trail"', evidence: withLive({ trailStatus: [], unavailable: [denied('cloudtrail:DescribeTrails', 'aws-trails')] }), reason: /whether it has a trail is unknown: cloudtrail:DescribeTrails in eu-central-1: AccessDeniedException/ },
    { name: 'a trail delivering, but DescribeTrails failed in another region: not demonstrated', evidence: withLive({ trailStatus: [trail()], unavailable: [{ ...denied('cloudtrail:DescribeTrails', 'aws-trails'), region: 'eu-west-1' }] }), reason: /not read completely/ },
    { name: 'no account could be read', evidence: withLive({ noAccounts: true, unavailable: [denied('organizations:ListAccounts', 'all')] }), reason: /no AWS account was read: organizations:ListAccounts: AccessDeniedException/ },
  ],
});
