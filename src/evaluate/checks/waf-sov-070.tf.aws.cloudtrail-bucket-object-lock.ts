// Recommendation (seed 000 guidance 8): the bucket each trail writes to has S3 Object Lock, so delivered logs cannot be rewritten.

import type { Finding } from '../../model/check.js';
import { worstOf } from '../../model/status.js';
import { isUnknown } from '../../model/infra.js';
import { defineCheck } from '../define-check.js';
import { bucketsFor, describeLink, infraOf } from '../infra.js';

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
    const trails = infra.of('trail');
    const buckets = infra.of('bucket');
    const findings: Finding[] = [...infra.unreadable];
    if (trails.length === 0) return { status: infra.unreadable.length ? 'error' : 'unknown', reason: `no CloudTrail trail is defined in ${infra.roots}, so the trail's bucket cannot be identified`, findings };
    for (const t of trails) {
      const link = t.bucket.value;
      if (isUnknown(link)) {
        findings.push({ status: 'unknown', subject: t.id, message: `${t.id}: the trail's bucket cannot be known statically (${link.unknown})`, location: link.location ?? t.bucket.at });
        continue;
      }
      const defined = bucketsFor(link, buckets);
      if (defined.length === 0) {
        findings.push({ status: 'unknown', subject: t.id, message: `${t.id}: its bucket ${describeLink(link)} is not defined in the sources read, so Object Lock cannot be checked`, location: t.bucket.at });
        continue;
      }
      for (const b of defined) {
        const ol = b.objectLock;
        if (!ol) findings.push({ status: 'unknown', subject: b.id, message: `${b.id}: the source does not say whether Object Lock is enabled`, location: b.at });
        else if (isUnknown(ol.value)) findings.push({ status: 'unknown', subject: b.id, message: `${b.id}: Object Lock cannot be known statically (${ol.value.unknown})`, location: ol.value.location ?? ol.at });
        else if (ol.value) findings.push({ status: 'pass', subject: b.id, message: `${b.id}: Object Lock is enabled`, location: ol.at });
        else findings.push({ status: 'fail', subject: b.id, message: `${b.id}: Object Lock is not enabled${ol.defaulted ? ' (not set; default off)' : ''}: delivered logs can be deleted or overwritten`, location: ol.at });
      }
    }
    const status = worstOf(findings.map((f) => f.status));
    return { status, reason: findings.filter((f) => f.status === status).map((f) => f.message).join('; '), findings };
  },
});
