// Seed 000 check: the bucket each trail writes to has a public-access block with all four flags true.

import type { Finding } from '../../model/check.js';
import { worstOf } from '../../model/status.js';
import type { PublicAccessBlock } from '../../model/infra.js';
import { defineCheck } from '../define-check.js';
import { ifCreated, infraOf, mayAllBeAbsent, onEntity, publicAccessBlocksFor, requireTrue, settle, trailBucketUnjudged, trailBuckets } from '../infra.js';

const FLAGS = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'] as const;

/**
 * One finding per public-access block: pass when all four flags are true, else one defect naming every flag to
 * set, anchored at the first flag written as false (or at the block, when the flags are merely missing).
 */
function blockFinding(pab: PublicAccessBlock, bucket: string): Finding {
  const flags = FLAGS.map((f) => requireTrue(pab, pab[f], f));
  const failing = flags.filter((f) => f.status === 'fail');
  const unknown = flags.filter((f) => f.status === 'unknown');
  const scope = pab.scope === 'account' ? 'the account-level public-access block' : `public-access block ${pab.id}`;
  if (failing.length) {
    const anchor = failing.find((f) => !/is not set/.test(f.message))?.location ?? failing[0].location;
    const what = failing.map((f) => f.message.replace(`${pab.id}: `, '')).join(', ');
    return onEntity(pab, { status: 'fail', subject: pab.id, message: `bucket ${bucket}: ${scope} is incomplete (${what})`, location: anchor, defect: `public-access-block:${pab.id}` });
  }
  if (unknown.length) return { ...unknown[0], message: `bucket ${bucket}: ${unknown.map((f) => f.message).join('; ')}` };
  return { status: 'pass', subject: pab.id, message: `bucket ${bucket} has a complete public-access block (${pab.id})`, location: pab.at };
}

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public',
    title: "The trail's S3 bucket blocks all public access",
    description:
      'The S3 bucket each CloudTrail trail writes to must have a public-access block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true (the bucket\'s own, or the account\'s), and no public bucket policy or ACL (WAF-SOV-070 requirement 3). Without a trail, or when the trail\'s bucket is not defined in the sources and no block applies to it, the result is unknown.',
    severity: 'high',
    evidence: ['iac'],
    remediation: 'Add an aws_s3_bucket_public_access_block for the trail bucket with all four settings true; never grant public access in its policy or ACL.',
  },
  evaluate(ev) {
    const infra = infraOf(ev);
    const buckets = infra.of('bucket');
    const blocks = infra.of('public-access-block');
    const readings = trailBuckets(infra);
    // Without a trail, the trail's bucket cannot be identified: other buckets are not judged.
    if (readings.length === 0) return settle(infra, { status: 'unknown', reason: `no CloudTrail trail is defined in ${infra.roots}, so the trail's bucket cannot be identified` }, { absence: false });
    const findings: Finding[] = [];
    for (const tb of readings) {
      const t = tb.trail;
      if (tb.state === 'unknown') {
        // Whichever bucket it is, a complete account-level block that surely exists blocks its public access.
        const account = blocks.filter((p) => p.scope === 'account' && !p.conditional).map((p) => blockFinding(p, '(whichever it is)')).find((f) => f.status === 'pass');
        if (account) findings.push(onEntity(t, { ...account, subject: t.id, message: `${t.id}: its bucket cannot be known statically (${tb.reason}), but ${account.message}` }));
        else findings.push(trailBucketUnjudged(tb, 'its public access', infra.roots)!);
        continue;
      }
      const pabs = publicAccessBlocksFor(tb.link, buckets, blocks);
      const perBlock = pabs.map((p) => ({ p, f: blockFinding(p, tb.name) }));
      // One complete block that surely exists (the bucket's own or the account's) is enough.
      const complete = perBlock.find((x) => x.f.status === 'pass' && !x.p.conditional);
      const defined = tb.state === 'defined' ? tb.buckets : [];
      if (complete) findings.push(onEntity(t, { ...complete.f, subject: t.id, message: `${t.id}: ${complete.f.message}` }));
      else if (perBlock.length) findings.push(...perBlock.map((x) => (x.f.status === 'pass' ? { ...x.f, status: 'unknown' as const, message: `${x.f.message}${ifCreated(x.p)}` } : onEntity(t, x.f))));
      else if (tb.state === 'outside') findings.push(trailBucketUnjudged(tb, 'its public access', infra.roots)!);
      else {
        // The bucket is defined here and nothing blocks public access to it: the fix goes next to the bucket.
        const opaque = infra.gaps.length ? `, but ${infra.gaps.map((g) => g.message).join('; ')}` : '';
        for (const b of defined) {
          const named = typeof b.name.value === 'string' ? ` (bucket ${b.name.value})` : '';
          const f: Finding = { status: opaque ? 'unknown' : 'fail', subject: b.id, message: `${b.id}${named}, the bucket ${t.id} writes to, has no public-access block${opaque}`, location: b.at, defect: `public-access-block-missing:${b.id}` };
          findings.push(onEntity(t, onEntity(b, f)));
        }
      }
      for (const b of defined) {
        for (const [what, f] of [['bucket policy', b.publicByPolicy], ['ACL', b.publicByAcl]] as const) {
          if (f && f.value === true) findings.push(onEntity(t, onEntity(b, { status: 'fail', subject: b.id, message: `bucket ${tb.name}: its ${what} grants public access`, location: f.at, defect: `public-${what}:${b.id}` })));
        }
      }
    }
    const none = mayAllBeAbsent(readings.map((r) => r.trail), 'trail');
    if (none) findings.push(none);
    const status = worstOf(findings.map((f) => f.status));
    const reason = status === 'pass' ? findings.map((f) => f.message).join('; ') : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return settle(infra, { status, reason, findings }, { absence: false });
  },
});
