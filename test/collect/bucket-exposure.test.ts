// The shared public-bucket decision: one table over a neutral document, and both collectors' adapters agreeing on it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cannedAclIsPublic, granteeIsPublic, policyExposure, type ValueKinds } from '../../src/collect/bucket-exposure.js';
import { policyIsPublic as tfPolicyIsPublic } from '../../src/collect/terraform/policy.js';
import { Ref, Unk, type Val } from '../../src/collect/terraform/values.js';
import { policyIsPublic as cfnPolicyIsPublic } from '../../src/collect/cloudformation/policy.js';
import { ResourceRef, UnknownValue, type Resolved } from '../../src/collect/cloudformation/resolve.js';

/** Neutral markers the table is written with; each adapter test converts them to its own value types. */
class U {
  constructor(readonly why = 'var.x has no default') {}
}
class R {
  constructor(readonly target = 'aws_iam_role.reader.arn') {}
}
const KINDS: ValueKinds = { isUnknown: (v) => v instanceof U, isReference: (v) => v instanceof R };

type Want = 'public' | 'not-public' | 'unknown';
const allow = (extra: Record<string, unknown>) => ({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra }] });
const star = (cond?: Record<string, unknown>) => allow(cond ? { Principal: '*', Condition: cond } : { Principal: '*' });

// `was`: what the Terraform and CloudFormation implementations said before they were merged, where they disagreed.
const CASES: { name: string; doc: unknown; want: Want; path?: string; was?: { tf: Want; cfn: Want } }[] = [
  { name: 'Allow to "*" without condition', doc: star(), want: 'public' },
  { name: 'Allow to {AWS: "*"}', doc: allow({ Principal: { AWS: '*' } }), want: 'public' },
  { name: 'Allow to AWS "*" in a list', doc: allow({ Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] } }), want: 'public' },
  { name: 'Allow with NotPrincipal', doc: allow({ NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }), want: 'public' },
  { name: 'Allow to a service', doc: allow({ Principal: { Service: 'cloudtrail.amazonaws.com' } }), want: 'not-public' },
  { name: 'Allow to one account', doc: allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }), want: 'not-public' },
  { name: 'Allow to a referenced role', doc: allow({ Principal: { AWS: new R() } }), want: 'not-public' },
  { name: 'Deny to "*"', doc: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] }, want: 'not-public' },
  { name: 'a single statement object, not a list', doc: { Statement: { Effect: 'Allow', Principal: '*', Action: 's3:GetObject' } }, want: 'public' },
  { name: 'no statements', doc: { Statement: [] }, want: 'not-public' },
  { name: 'no Statement key', doc: { Version: '2012-10-17' }, want: 'not-public' },
  { name: 'pinned by aws:SourceAccount', doc: star({ StringEquals: { 'aws:SourceAccount': '111122223333' } }), want: 'not-public' },
  { name: 'pinned by aws:SourceArn', doc: star({ ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-central-1:111122223333:trail/t' } }), want: 'not-public' },
  { name: 'pinned by aws:PrincipalOrgID', doc: star({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }), want: 'not-public' },
  { name: 'key matched case-insensitively', doc: star({ StringEquals: { 'AWS:SOURCEVPCE': 'vpce-1' } }), want: 'not-public' },
  { name: 'pinned by a CIDR', doc: star({ IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }), want: 'not-public' },
  { name: 'from 0.0.0.0/0', doc: star({ IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } }), want: 'public' },
  { name: 'one CIDR of two is ::/0', doc: star({ IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '::/0'] } }), want: 'public' },
  { name: 'negated operator', doc: star({ StringNotEquals: { 'aws:SourceAccount': '111122223333' } }), want: 'public' },
  { name: 'unrelated condition', doc: star({ Bool: { 'aws:SecureTransport': 'true' } }), want: 'public' },
  { name: 'pinned by a referenced value', doc: star({ ArnEquals: { 'aws:SourceArn': new R('aws_cloudtrail.t.arn') } }), want: 'not-public' },
  { name: 'pinned by an unknown account id (a deploy-time constant)', doc: star({ StringEquals: { 'aws:SourceAccount': new U('AWS::AccountId') } }), want: 'not-public' },
  { name: 'Deny with an unknown principal', doc: { Statement: [{ Effect: 'Deny', Principal: new U() }] }, want: 'not-public' },
  { name: 'unknown principal pinned by a condition', doc: allow({ Principal: new U(), Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }), want: 'not-public' },
  { name: 'a public statement wins over an earlier unknown one', doc: { Statement: [{ Effect: 'Allow', Principal: new U() }, { Effect: 'Allow', Principal: '*' }] }, want: 'public' },
  { name: 'an unknown statement next to a private one', doc: { Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' } }, new U()] }, want: 'unknown', path: 'Statement[1]' },
  { name: 'the whole document unknown', doc: new U(), want: 'unknown', path: '' },
  { name: 'Statement unknown', doc: { Statement: new U() }, want: 'unknown', path: 'Statement' },
  { name: 'Condition unknown', doc: allow({ Principal: '*', Condition: new U() }), want: 'unknown', path: 'Statement[0].Condition' },
  { name: 'a statement that is not an object', doc: { Statement: ['Allow'] }, want: 'unknown', path: 'Statement[0]' },
  // Where the two implementations disagreed before:
  { name: 'IfExists operator does not pin (passes when the key is absent)', doc: star({ StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } }), want: 'public', was: { tf: 'public', cfn: 'not-public' } },
  { name: 'a wildcard value does not pin', doc: star({ StringLike: { 'aws:PrincipalOrgID': '*' } }), want: 'public', was: { tf: 'not-public', cfn: 'public' } },
  { name: 'aws:userid in the pattern "AROLEID:*" does not pin', doc: star({ StringLike: { 'aws:userid': 'AROAEXAMPLEID:*' } }), want: 'public', was: { tf: 'not-public', cfn: 'public' } },
  { name: 'NotPrincipal pinned by a condition', doc: allow({ NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }), want: 'not-public', was: { tf: 'public', cfn: 'not-public' } },
  { name: 'aws:PrincipalOrgPaths pins', doc: star({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc/r-ab12/ou-ab12-11111111/' } }), want: 'not-public', was: { tf: 'not-public', cfn: 'public' } },
  { name: 'aws:PrincipalServiceName pins', doc: star({ StringEquals: { 'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com' } }), want: 'not-public', was: { tf: 'not-public', cfn: 'public' } },
  { name: 'the KMS key id of the S3 guide pins', doc: star({ StringEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-central-1:111122223333:key/k' } }), want: 'not-public', was: { tf: 'public', cfn: 'public' } },
  { name: 'an empty value list does not pin', doc: star({ StringEquals: { 'aws:SourceAccount': [] } }), want: 'public', was: { tf: 'not-public', cfn: 'public' } },
  { name: 'Null tests presence, not a value', doc: star({ Null: { 'aws:SourceVpc': 'false' } }), want: 'public', was: { tf: 'not-public', cfn: 'not-public' } },
  { name: 'ForAllValues holds for an absent key', doc: star({ 'ForAllValues:StringEquals': { 'aws:SourceVpc': 'vpc-1' } }), want: 'public', was: { tf: 'not-public', cfn: 'not-public' } },
  { name: 'unknown Effect', doc: { Statement: [{ Effect: new U(), Principal: '*' }] }, want: 'unknown', path: 'Statement[0].Effect', was: { tf: 'not-public', cfn: 'unknown' } },
  { name: 'unknown Principal', doc: allow({ Principal: new U() }), want: 'unknown', path: 'Statement[0].Principal', was: { tf: 'not-public', cfn: 'unknown' } },
  { name: 'unknown element of Principal.AWS', doc: allow({ Principal: { AWS: ['arn:aws:iam::111122223333:root', new U()] } }), want: 'unknown', path: 'Statement[0].Principal.AWS[1]', was: { tf: 'not-public', cfn: 'unknown' } },
  { name: 'unknown statement', doc: { Statement: [new U()] }, want: 'unknown', path: 'Statement[0]', was: { tf: 'not-public', cfn: 'unknown' } },
  { name: 'unknown CIDR (may be 0.0.0.0/0)', doc: star({ IpAddress: { 'aws:SourceIp': new U() } }), want: 'unknown', path: 'Statement[0].Condition.IpAddress["aws:SourceIp"]', was: { tf: 'public', cfn: 'not-public' } },
  { name: 'an unknown CIDR next to a pinning key', doc: star({ IpAddress: { 'aws:SourceIp': new U() }, StringEquals: { 'aws:SourceVpce': 'vpce-1' } }), want: 'not-public' },
];

describe('policyExposure over a neutral document', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const v = policyExposure(c.doc, KINDS);
      assert.equal(v.verdict, c.want, v.reason);
      if (v.verdict === 'unknown') {
        assert.equal(v.path, c.path);
        assert.ok(v.reason.length > 0);
      }
      if (v.verdict === 'public') assert.equal(typeof v.statement, 'number');
    });
  }

  it('names the first public statement', () => {
    const v = policyExposure({ Statement: [{ Effect: 'Deny', Principal: '*' }, { Effect: 'Allow', Principal: { Service: 'x' } }, { Effect: 'Allow', Principal: '*' }] }, KINDS);
    assert.deepEqual([v.verdict, v.verdict === 'public' && v.statement], ['public', 2]);
  });

  it('hands back the caller\'s unknown value, so the caller keeps its location', () => {
    const u = new U('data.aws_iam_policy_document.x.json');
    const v = policyExposure(allow({ Principal: u }), KINDS);
    assert.ok(v.verdict === 'unknown' && v.cause === u);
  });
});

/** Converts the neutral markers to Terraform values. */
function toTf(v: unknown): Val {
  if (v instanceof U) return new Unk(v.why, { file: 'main.tf', line: 7, column: 3 });
  if (v instanceof R) return new Ref(v.target.split('.').slice(0, 2).join('.'), v.target.split('.').slice(2));
  if (Array.isArray(v)) return v.map(toTf);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toTf(x)]));
  return v as Val;
}

/** Converts the neutral markers to resolved CloudFormation values. */
function toCfn(v: unknown): Resolved {
  if (v instanceof U) return new UnknownValue(v.why, { line: 9, column: 5, endLine: 9, endColumn: 20 });
  if (v instanceof R) return new ResourceRef('Reader', 'Arn');
  if (Array.isArray(v)) return v.map(toCfn);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCfn(x)]));
  return v as Resolved;
}

describe('both collectors give the shared verdict', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const tf = tfPolicyIsPublic(toTf(c.doc));
      const cfn = cfnPolicyIsPublic(toCfn(c.doc));
      const tfWant = tf instanceof Unk ? 'unknown' : tf.public ? 'public' : 'not-public';
      const cfnWant = cfn instanceof UnknownValue ? 'unknown' : cfn ? 'public' : 'not-public';
      assert.deepEqual({ tf: tfWant, cfn: cfnWant }, { tf: c.want, cfn: c.want });
      // An unknown that came from the source keeps where it was written.
      if (tf instanceof Unk && !/must be a JSON object/.test(tf.reason)) assert.equal(tf.location?.line, 7, tf.reason);
      if (cfn instanceof UnknownValue && !/must be a JSON object/.test(cfn.reason)) assert.equal(cfn.pos?.line, 9, cfn.reason);
    });
  }

  it('Terraform: a computed reference keeps its place; a configured one is read through', () => {
    const configured = new Ref('aws_s3_bucket.b', ['bucket'], '*');
    assert.deepEqual(tfPolicyIsPublic({ Statement: [{ Effect: 'Allow', Principal: { AWS: configured } }] }), { public: true, statement: 0 });
    assert.deepEqual(tfPolicyIsPublic({ Statement: [{ Effect: 'Allow', Principal: { AWS: new Ref('aws_iam_role.r', ['arn']) } }] }), { public: false });
  });

  it('Terraform: policy JSON text is parsed; bad JSON is unknown with the parser\'s message', () => {
    assert.deepEqual(tfPolicyIsPublic('{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:GetObject"}]}'), { public: true, statement: 0 });
    const bad = tfPolicyIsPublic('{"Statement": [');
    assert.ok(bad instanceof Unk && /bucket policy is not valid JSON/.test(bad.reason), String(bad));
  });

  it('an unknown keeps the reason and location it was written with', () => {
    const tf = tfPolicyIsPublic(toTf(allow({ Principal: new U('var.reader has no default') })));
    assert.ok(tf instanceof Unk);
    assert.equal(tf.reason, 'bucket policy Statement[0].Principal: var.reader has no default');
    assert.equal(tf.location?.line, 7);
    const cfn = cfnPolicyIsPublic(toCfn(allow({ Principal: new U('parameter Reader has no value') })));
    assert.ok(cfn instanceof UnknownValue);
    assert.equal(cfn.reason, 'PolicyDocument.Statement[0].Principal: parameter Reader has no value');
    assert.equal(cfn.pos?.line, 9);
  });
});

describe('ACL rule', () => {
  const acls: [string, boolean][] = [
    ['public-read', true],
    ['public-read-write', true],
    ['authenticated-read', true],
    ['private', false],
    ['log-delivery-write', false],
    ['bucket-owner-full-control', false],
    ['PublicRead', true],
    ['PublicReadWrite', true],
    ['AuthenticatedRead', true],
    ['Private', false],
    ['LogDeliveryWrite', false],
    ['BucketOwnerFullControl', false],
  ];
  for (const [acl, want] of acls) it(`canned ACL ${acl} → ${want}`, () => assert.equal(cannedAclIsPublic(acl), want));

  const uris: [string, boolean][] = [
    ['http://acs.amazonaws.com/groups/global/AllUsers', true],
    ['http://acs.amazonaws.com/groups/global/AuthenticatedUsers', true],
    ['http://acs.amazonaws.com/groups/s3/LogDelivery', false],
  ];
  for (const [uri, want] of uris) it(`grantee ${uri} → ${want}`, () => assert.equal(granteeIsPublic(uri), want));
});
