// Check tables for the CloudTrail log checks, over real gzipped archives collected by the real collector.
import tampering from '../../src/evaluate/checks/waf-sov-070.logs.no-logging-tampering.js';
import integrity from '../../src/evaluate/checks/waf-sov-070.logs.log-file-integrity.js';
import mfa from '../../src/evaluate/checks/waf-sov-070.logs.break-glass-use-with-mfa.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { ACCOUNT, cloudtrailEvidence, event } from '../support/cloudtrail.js';
import { parsePeriod } from '../../src/config/period.js';
import type { Period } from '../../src/model/period.js';

const DAY = parsePeriod({ from: '2026-08-04', to: '2026-08-04' }) as Period;

const T = '2026-08-04T10:15:00Z';
const quiet = [event('ListUsers', T, { userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/dev`, userName: 'dev', accountId: ACCOUNT }, readOnly: true })];
const rootLogin = (mfaUsed: 'Yes' | 'No', ip = '198.51.100.7') =>
  event('ConsoleLogin', T, { eventSource: 'signin.amazonaws.com', sourceIPAddress: ip, additionalEventData: { MFAUsed: mfaUsed, LoginTo: 'https://console.aws.amazon.com/' }, responseElements: { ConsoleLogin: 'Success' } });

checkTable(tampering, {
  pass: [
    { name: 'ordinary activity only', evidence: cloudtrailEvidence({ files: [{ at: T, records: quiet }] }), reason: /no logging tampering in 1 events/ },
    {
      name: 'a refused StopLogging attempt is listed, not failed',
      evidence: cloudtrailEvidence({ files: [{ at: T, records: [event('StopLogging', T, { eventSource: 'cloudtrail.amazonaws.com', errorCode: 'AccessDenied', requestParameters: { name: 'main' } })] }] }),
      reason: /1 refused attempt/,
    },
  ],
  fail: [
    { name: 'StopLogging', evidence: cloudtrailEvidence({ files: [{ at: T, records: [event('StopLogging', T, { eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: 'main' } })] }] }), reason: /StopLogging by arn:aws:iam::111122223333:root/ },
    { name: 'DeleteTrail', evidence: cloudtrailEvidence({ files: [{ at: T, records: [event('DeleteTrail', T, { eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: 'main' } })] }] }), reason: /DeleteTrail/ },
  ],
  unknown: [
    { name: 'logs not configured', evidence: () => baseEvidence(), reason: /CloudTrail logs not collected/ },
    { name: 'no event in the period', evidence: cloudtrailEvidence({ files: [{ at: '2026-01-05T10:00:00Z', records: [event('ListUsers', '2026-01-05T10:00:00Z')] }] }), reason: /no CloudTrail events in the period/ },
  ],
});

checkTable(integrity, {
  pass: [{ name: 'signed digests for every hour list every log file', evidence: cloudtrailEvidence({ period: DAY, files: [{ at: '2026-08-04T10:15:00Z', records: quiet }], digests: { start: '2026-08-04T00:00:00Z', hours: 24 } }), reason: /integrity verified/ }],
  fail: [{ name: 'a log file changed after delivery', evidence: cloudtrailEvidence({ period: DAY, files: [{ at: '2026-08-04T10:15:00Z', records: quiet }], digests: { start: '2026-08-04T00:00:00Z', hours: 24, tamper: true } }), reason: /integrity violated/ }],
  unknown: [
    { name: 'digests not configured', evidence: () => baseEvidence(), reason: /digest files not collected/ },
    { name: 'digests cover one hour of the day only', evidence: cloudtrailEvidence({ period: DAY, files: [{ at: '2026-08-04T10:15:00Z', records: quiet }], digests: { start: '2026-08-04T10:00:00Z', hours: 1 } }), reason: /integrity not demonstrated/ },
  ],
});

checkTable(mfa, {
  pass: [{ name: 'root console login with MFA from an allowed network', evidence: cloudtrailEvidence({ files: [{ at: T, records: [rootLogin('Yes')] }], allowedCidrs: ['198.51.100.0/24'] }), reason: /used MFA from allowed networks/ }],
  fail: [
    { name: 'root console login without MFA', evidence: cloudtrailEvidence({ files: [{ at: T, records: [rootLogin('No')] }] }), reason: /used without MFA/ },
    { name: 'from outside the allowed networks', evidence: cloudtrailEvidence({ files: [{ at: T, records: [rootLogin('Yes', '203.0.113.9')] }], allowedCidrs: ['198.51.100.0/24'] }), reason: /outside the allowed networks/ },
  ],
  not_applicable: [{ name: 'no break-glass use', evidence: cloudtrailEvidence({ files: [{ at: T, records: quiet }] }), reason: /no break-glass activation/ }],
  unknown: [{ name: 'logs not configured', evidence: () => baseEvidence() }],
});
