// Live: every trail of every account read is logging and delivering log files and digests now (GetTrailStatus).

import type { Finding } from '../../model/check.js';
import type { TrailStatusLive } from '../../model/aws.js';
import { worstOf } from '../../model/status.js';
import { defineCheck } from '../define-check.js';
import { liveOf } from '../live.js';

const HOUR_MS = 3_600_000;

export default defineCheck({
  meta: {
    id: 'waf-sov-070.live.aws.trail-delivering',
    title: 'Every trail is logging and delivering log files and digests now (live trail status)',
    description:
      'For every trail of every account read (GetTrailStatus, at collection time): logging is on, no log or digest delivery error is reported, the latest log file delivery is at most aws.deliveryMaxAgeHours old (default 24, as CIS AWS Foundations asks of CloudWatch Logs delivery) and, the trail validating its log files (WAF-SOV-070 requirement 2), the latest digest delivery at most aws.digestMaxAgeHours old (default 2; CloudTrail delivers one every hour). A trail that started logging less than that ago is not yet due. An account with no trail fails; an account or trail whose status could not be read is unknown.',
    severity: 'high',
    evidence: ['aws-trails'],
    remediation:
      'Start logging on the trail (StartLogging), fix what its delivery error names (usually the bucket policy or KMS key policy no longer lets CloudTrail write), and enable log file validation so digests are delivered; then re-run to see fresh delivery times.',
  },
  evaluate(ev) {
    const live = liveOf(ev);
    const c = live.criteria;
    const now = Date.parse(c.collectedAt);
    const findings: Finding[] = [];
    if (live.accounts.length === 0) return { status: 'unknown', reason: `no AWS account was read: ${live.unavailable.map((u) => `${u.api}: ${u.code}`).join('; ') || 'none listed'}` };
    for (const { account } of live.accounts) {
      const scopes = live.scopes.filter((s) => s.account === account);
      const trails = scopes.flatMap((s) => s.trailStatus.map((t) => ({ t, region: s.region })));
      const unread = live.unavailable.filter((u) => (u.account === account || u.target?.split(':')[4] === account) && (u.area === 'aws-trails' || u.area === 'all') && !(u.regionDisabled && scopes.some((s) => s.enabled)));
      if (trails.length === 0) {
        findings.push(
          unread.length
            ? { status: 'unknown', subject: account, message: `${account}: whether it has a trail is unknown: ${unread.map((u) => `${u.api} in ${u.region}: ${u.code}`).join('; ')}`, location: { api: unread[0].api, account, region: unread[0].region } }
            : { status: 'fail', subject: account, message: `${account}: no trail records this account in the regions read (${scopes.map((s) => s.region).join(', ')})`, location: { api: 'cloudtrail:DescribeTrails', account } },
        );
        continue;
      }
      for (const { t, region } of trails) findings.push(judge(t, account, region));
    }

    function age(iso: string): number {
      return Math.max(0, now - Date.parse(iso)) / HOUR_MS;
    }
    function judge(t: TrailStatusLive, account: string, region: string): Finding {
      const at = { api: 'cloudtrail:GetTrailStatus', account, region, pointer: t.trailArn };
      const who = `${t.name} (${account}/${region})`;
      if (t.unavailable) return { status: 'unknown', subject: t.trailArn, message: `${who}: status not read: ${t.unavailable.unknown}`, location: at };
      const problems: string[] = [];
      const started = t.startLoggingTime ? age(t.startLoggingTime) : Infinity;
      if (t.isLogging !== true) problems.push('logging is off');
      if (t.latestDeliveryError) problems.push(`log delivery error: ${t.latestDeliveryError}`);
      if (t.latestDigestDeliveryError) problems.push(`digest delivery error: ${t.latestDigestDeliveryError}`);
      if (!t.latestDeliveryTime) {
        if (started > c.deliveryMaxAgeHours) problems.push('no log file has been delivered');
      } else if (age(t.latestDeliveryTime) > c.deliveryMaxAgeHours) problems.push(`the latest log file was delivered ${t.latestDeliveryTime}, ${age(t.latestDeliveryTime).toFixed(1)} h before collection (more than ${c.deliveryMaxAgeHours} h)`);
      if (!t.logFileValidation) problems.push('log file validation is off, so no digest is delivered');
      else if (!t.latestDigestDeliveryTime) {
        if (started > c.digestMaxAgeHours) problems.push('no digest file has been delivered');
      } else if (age(t.latestDigestDeliveryTime) > c.digestMaxAgeHours) problems.push(`the latest digest was delivered ${t.latestDigestDeliveryTime}, ${age(t.latestDigestDeliveryTime).toFixed(1)} h before collection (more than ${c.digestMaxAgeHours} h)`);
      if (problems.length) return { status: 'fail', subject: t.trailArn, message: `${who}: ${problems.join('; ')}`, location: at };
      const latest = t.latestDeliveryTime ? `latest log file ${t.latestDeliveryTime}` : `logging since ${t.startLoggingTime}, first delivery not yet due`;
      const digest = t.latestDigestDeliveryTime ? `latest digest ${t.latestDigestDeliveryTime}` : 'first digest not yet due';
      return { status: 'pass', subject: t.trailArn, message: `${who}: logging, ${latest}, ${digest}`, location: at };
    }

    const status = worstOf(findings.map((f) => f.status));
    const reason =
      status === 'pass'
        ? `${findings.length} trail(s) logging and delivering at ${c.collectedAt} (logs within ${c.deliveryMaxAgeHours} h, digests within ${c.digestMaxAgeHours} h)`
        : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return { status, reason, findings };
  },
});
