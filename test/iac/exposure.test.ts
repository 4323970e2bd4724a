// Trail bucket exposure: the collectors set publicByPolicy / publicByAcl, and the bucket check judges the bucket the trail writes to.

import assert from 'node:assert/strict';
import { tableTest } from '../filter-pattern/table.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';
import { runCheck } from '../../src/evaluate/engine.js';
import { entitiesOf, isUnknown } from '../../src/model/infra.js';
import type { Status } from '../../src/model/status.js';
import { check, evidenceOf } from './helpers.js';
import { tempTree } from '../support/evidence.js';

const NOT_PUBLIC = 'waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public';
const OBJECT_LOCK = 'waf-sov-070.tf.aws.cloudtrail-bucket-object-lock';

const TF_BASE = (bucketExtra = '', other = '') => `
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.logs.id
}
resource "aws_s3_bucket" "logs" {
  bucket = "trail-logs"
${bucketExtra}}
resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
${other}`;
const tfPolicy = (statement: string) => `resource "aws_s3_bucket_policy" "logs" {\n  bucket = aws_s3_bucket.logs.id\n  policy = jsonencode({ Version = "2012-10-17", Statement = [${statement}] })\n}\n`;

const CFN_BASE = (bucketProps = '', other = '') => `Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: trail-logs
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
${bucketProps}${other}`;
const cfnPolicy = (statement: string) => `  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - ${statement}
`;

interface Case {
  name: string;
  source: 'terraform' | 'cloudformation';
  text: string;
  /** Expected collector flags on the trail's bucket (undefined = unknown). */
  publicByPolicy: boolean | undefined;
  publicByAcl: boolean | undefined;
  status: Status;
  reason?: RegExp;
}

const cases: Case[] = [
  { name: 'tf: blocked, no policy, no ACL', source: 'terraform', text: TF_BASE(), publicByPolicy: false, publicByAcl: false, status: 'pass' },
  { name: 'tf: policy to the CloudTrail service only', source: 'terraform', text: TF_BASE('', tfPolicy('{ Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::trail-logs/*" }')), publicByPolicy: false, publicByAcl: false, status: 'pass' },
  { name: 'tf: policy Allow to Principal "*"', source: 'terraform', text: TF_BASE('', tfPolicy('{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::trail-logs/*" }')), publicByPolicy: true, publicByAcl: false, status: 'fail', reason: /bucket aws_s3_bucket\.logs: its bucket policy grants public access/ },
  { name: 'tf: Principal "*" pinned by aws:SourceAccount', source: 'terraform', text: TF_BASE('', tfPolicy('{ Effect = "Allow", Principal = "*", Action = "s3:PutObject", Resource = "arn:aws:s3:::trail-logs/*", Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } } }')), publicByPolicy: false, publicByAcl: false, status: 'pass' },
  { name: 'tf: public-read ACL resource', source: 'terraform', text: TF_BASE('', 'resource "aws_s3_bucket_acl" "logs" {\n  bucket = aws_s3_bucket.logs.id\n  acl    = "public-read"\n}\n'), publicByPolicy: false, publicByAcl: true, status: 'fail', reason: /its ACL grants public access/ },
  { name: 'tf: policy unknown (variable without default), neutralised by the complete public-access block', source: 'terraform', text: 'variable "policy" {}\n' + TF_BASE('', 'resource "aws_s3_bucket_policy" "logs" {\n  bucket = aws_s3_bucket.logs.id\n  policy = var.policy\n}\n'), publicByPolicy: undefined, publicByAcl: false, status: 'pass' },
  {
    name: 'tf: the only public-access block is on another bucket',
    source: 'terraform',
    text: TF_BASE().replace('resource "aws_s3_bucket_public_access_block" "logs" {\n  bucket                  = aws_s3_bucket.logs.id', 'resource "aws_s3_bucket" "other" {\n  bucket = "other"\n}\nresource "aws_s3_bucket_public_access_block" "logs" {\n  bucket                  = aws_s3_bucket.other.id'),
    publicByPolicy: false,
    publicByAcl: false,
    status: 'fail',
    reason: /aws_s3_bucket\.logs \(bucket [^)]*\), the bucket aws_cloudtrail\.t writes to, has no public-access block/,
  },
  { name: 'cfn: blocked, CloudTrail-only policy', source: 'cloudformation', text: CFN_BASE('', cfnPolicy('{Effect: Allow, Principal: {Service: cloudtrail.amazonaws.com}, Action: s3:PutObject, Resource: !Sub "${Logs.Arn}/*"}')), publicByPolicy: false, publicByAcl: false, status: 'pass' },
  { name: 'cfn: policy Allow to {AWS: "*"}', source: 'cloudformation', text: CFN_BASE('', cfnPolicy('{Effect: Allow, Principal: {AWS: "*"}, Action: s3:GetObject, Resource: !Sub "${Logs.Arn}/*"}')), publicByPolicy: true, publicByAcl: false, status: 'fail', reason: /its bucket policy grants public access/ },
  { name: 'cfn: AccessControl PublicRead', source: 'cloudformation', text: CFN_BASE('      AccessControl: PublicRead\n'), publicByPolicy: false, publicByAcl: true, status: 'fail', reason: /its ACL grants public access/ },
];

tableTest('trail bucket exposure', cases, async (c) => {
  const dir = tempTree(c.source === 'terraform' ? { 'main.tf': c.text } : { 'template.yaml': c.text });
  const snapshots = c.source === 'terraform' ? await collectTerraform({ paths: [dir], baseDir: dir }) : await collectCloudFormation({ paths: [dir], baseDir: dir });
  assert.deepEqual(snapshots.flatMap((s) => s.problems.filter((p) => p.level === 'error')), []);
  const bucket = entitiesOf(snapshots, 'bucket').find((b) => b.name.value === 'trail-logs')!;
  const flag = (f: typeof bucket.publicByPolicy) => (f === undefined || isUnknown(f.value) ? undefined : f.value);
  assert.deepEqual([flag(bucket.publicByPolicy), flag(bucket.publicByAcl)], [c.publicByPolicy, c.publicByAcl], 'collector flags');
  const r = runCheck(check(NOT_PUBLIC), evidenceOf(snapshots));
  assert.equal(r.status, c.status, r.reason);
  if (c.reason) assert.match(r.reason, c.reason);
  // Object Lock is a recommendation of its own: it never changes the public-access verdict.
  assert.equal(runCheck(check(OBJECT_LOCK), evidenceOf(snapshots)).status, 'fail');
});
