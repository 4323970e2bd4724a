// Recommendation (seed 000 guidance 8): the bucket each trail writes to has S3 Object Lock, so delivered logs cannot be rewritten.

import type { Finding } from '../../model/check.js';
import { worstOf } from '../../model/status.js';
import { isUnknown } from '../../model/infra.js';
import { defineCheck } from '../define-check.js';
import { infraOf, mayAllBeAbsent, onEntity, settle, trailBucketUnjudged, trailBuckets } from '../infra.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.cloudtrail-bucket-object-lock',
    title: "The trail's S3 bucket has Object Lock (recommendation)",
    description:
      'Seed 000 implementation guidance 8 ("consider Object Lock for logs"): where the bucket a trail writes to is defined in the sources, Object Lock should be enabled so that delivered log files cannot be deleted or overwritten. A recommendation: it does not affect the public-access check.',
    severity: 'low',
    evidence: ['iac'],
    remediation: 'Set object_lock_enabled = true on the trail bucket (CloudFormation: ObjectLockEnabled: true) and add a default retention (aws_s3_bucket_object_lock_configuration, COMPLIANCE or GOVERNANCE mode).',
  },
  evaluate(ev) {
    const infra = infraOf(ev);
    const readings = trailBuckets(infra);
    if (readings.length === 0) return settle(infra, { status: 'unknown', reason: `no CloudTrail trail is defined in ${infra.roots}, so the trail's bucket cannot be identified` }, { absence: false });
    const findings: Finding[] = [];
    for (const tb of readings) {
      if (tb.state !== 'defined') {
        findings.push(trailBucketUnjudged(tb, 'Object Lock', infra.roots)!);
        continue;
      }
      for (const b of tb.buckets) {
        const ol = b.objectLock;
        const on = (f: Finding) => onEntity(tb.trail, onEntity(b, { ...f, defect: `object-lock:${b.id}` }));
        if (!ol) findings.push({ status: 'unknown', subject: b.id, message: `${b.id}: the source does not say whether Object Lock is enabled`, location: b.at });
        else if (isUnknown(ol.value)) findings.push({ status: 'unknown', subject: b.id, message: `${b.id}: Object Lock cannot be known statically (${ol.value.unknown})`, location: ol.value.location ?? ol.at });
        else if (ol.value) findings.push({ status: 'pass', subject: b.id, message: `${b.id}: Object Lock is enabled`, location: ol.at });
        else findings.push(on({ status: 'fail', subject: b.id, message: `${b.id}: Object Lock is not enabled${ol.defaulted ? ' (not set; default off)' : ''}: delivered logs can be deleted or overwritten`, location: ol.defaulted ? b.at : ol.at }));
      }
    }
    const none = mayAllBeAbsent(readings.map((r) => r.trail), 'trail');
    if (none) findings.push(none);
    const status = worstOf(findings.map((f) => f.status));
    return settle(infra, { status, reason: findings.filter((f) => f.status === status).map((f) => f.message).join('; '), findings }, { absence: false });
  },
});
