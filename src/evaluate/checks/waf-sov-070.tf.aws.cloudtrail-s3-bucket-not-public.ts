// Seed 000 check: the bucket each trail writes to has a public-access block with all four flags true.

import type { Finding } from '../../model/check.js';
import { worstOf } from '../../model/status.js';
import { isUnknown, type PublicAccessBlock } from '../../model/infra.js';
import { defineCheck } from '../define-check.js';
import { bucketsFor, describeLink, infraOf, publicAccessBlocksFor, requireTrue } from '../infra.js';

const FLAGS = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'] as const;

function flagFindings(pab: PublicAccessBlock): Finding[] {
  return FLAGS.map((f) => requireTrue(pab, pab[f], f));
}

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public',
    title: "The trail's S3 bucket blocks all public access",
    description:
      'The S3 bucket each CloudTrail trail writes to must have a public-access block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true, and no public bucket policy or ACL (WAF-SOV-070 requirement 3).',
    severity: 'high',
    evidence: ['iac'],
    remediation: 'Add an aws_s3_bucket_public_access_block for the trail bucket with all four settings true; never grant public access in its policy or ACL.',
  },
  evaluate(ev) {
    const infra = infraOf(ev);
    const trails = infra.of('trail');
    const buckets = infra.of('bucket');
    const blocks = infra.of('public-access-block');
    const findings: Finding[] = [...infra.unreadable];
    if (trails.length === 0) {
      // Without a trail the trail's bucket cannot be identified; still report blocks that are incomplete.
      const incomplete = blocks.flatMap(flagFindings).filter((f) => f.status !== 'pass');
      findings.push(...incomplete);
      return incomplete.some((f) => f.status === 'fail')
        ? { status: 'fail', reason: `no CloudTrail trail is defined in ${infra.roots}, and public-access blocks are incomplete: ${incomplete.map((f) => f.message).join('; ')}`, findings }
        : { status: 'unknown', reason: `no CloudTrail trail is defined in ${infra.roots}, so the trail's bucket cannot be identified`, findings };
    }
    for (const t of trails) {
      const link = t.bucket.value;
      if (isUnknown(link)) {
        findings.push({ status: 'unknown', subject: t.id, message: `${t.id}: the trail's bucket cannot be known statically (${link.unknown})`, location: t.bucket.at });
        continue;
      }
      const name = describeLink(link);
      const pabs = publicAccessBlocksFor(link, buckets, blocks);
      if (pabs.length === 0) {
        // A block defined in a module that was not evaluated may exist: absence is then not proven.
        const opaque = infra.opaque.map((o) => o.message).join('; ');
        findings.push({ status: opaque ? 'unknown' : 'fail', subject: t.id, message: `${t.id}: no public-access block found for its bucket ${name}${opaque ? `, but ${opaque}` : ''}`, location: t.bucket.at });
      } else {
        // One complete block (bucket or account level) is enough; otherwise report the closest one's gaps.
        const perBlock = pabs.map((p) => ({ p, f: flagFindings(p) }));
        const complete = perBlock.find((x) => x.f.every((f) => f.status === 'pass'));
        if (complete) findings.push({ status: 'pass', subject: t.id, message: `${t.id}: bucket ${name} has a complete public-access block (${complete.p.id})`, location: complete.p.at });
        else for (const x of perBlock) findings.push(...x.f.filter((f) => f.status !== 'pass').map((f) => ({ ...f, message: `bucket ${name}: ${f.message}` })));
      }
      for (const b of bucketsFor(link, buckets)) {
        for (const [what, f] of [['bucket policy', b.publicByPolicy], ['ACL', b.publicByAcl]] as const) {
          if (f && f.value === true) findings.push({ status: 'fail', subject: b.id, message: `bucket ${name}: its ${what} grants public access`, location: f.at });
        }
      }
    }
    const status = worstOf(findings.map((f) => f.status));
    const reason = status === 'pass' ? findings.map((f) => f.message).join('; ') : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return { status, reason, findings };
  },
});
