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
    { name: 'logs not configured', evidence: () => baseEvidence(), reason: /CloudTrail logs .*not collected/ },
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

import alarmed from '../../src/evaluate/checks/waf-sov-070.logs.activations-alarmed.js';

const ROOT_ALARM = {
  'alarms.tf': `resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root"
  pattern        = "{$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent}"
  log_group_name = "trail"
  metric_transformation {
    name      = "RootUsage"
    namespace = "Sec"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "RootUsage"
  namespace           = "Sec"
  period              = 60
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:alerts"]
}
`,
};
const roleUse = [
  event('AssumeRole', T, {
    eventSource: 'sts.amazonaws.com',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ops`, userName: 'ops', accountId: ACCOUNT },
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`, roleSessionName: 'incident-42' },
    responseElements: { credentials: { accessKeyId: 'ASIAEXAMPLEBREAKGLASS', expiration: 'Aug 4, 2026, 11:15:00 AM' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlassAdmin/incident-42` } },
  }),
];

checkTable(alarmed, {
  pass: [{ name: 'root sign-in matched by the root-usage filter with an alarm', evidence: cloudtrailEvidence({ files: [{ at: T, records: [rootLogin('Yes')] }], terraform: ROOT_ALARM }), reason: /would have raised an alarm \(aws_cloudwatch_log_metric_filter\.root 1×\)/ }],
  fail: [
    { name: 'break-glass role session but only a root filter', evidence: cloudtrailEvidence({ files: [{ at: T, records: roleUse }], terraform: ROOT_ALARM }), reason: /would have raised no alarm/ },
    { name: 'root filter without an alarm', evidence: cloudtrailEvidence({ files: [{ at: T, records: [rootLogin('Yes')] }], terraform: { 'a.tf': ROOT_ALARM['alarms.tf'].replace(/resource "aws_cloudwatch_metric_alarm"[\s\S]*$/, '') } }), reason: /no alarmed metric filter/ },
  ],
  not_applicable: [{ name: 'no activation', evidence: cloudtrailEvidence({ files: [{ at: T, records: quiet }], terraform: ROOT_ALARM }) }],
  unknown: [{ name: 'no IaC to replay', evidence: cloudtrailEvidence({ files: [{ at: T, records: [rootLogin('Yes')] }] }), reason: /metric-filter replay .* not collected/ }],
});
