import check from '../../src/evaluate/checks/waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence, terraform, terraformDir } from '../support/evidence.js';

const TRAIL = 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = aws_s3_bucket.logs.id\n}\nresource "aws_s3_bucket" "logs" {\n  bucket = "trail-logs"\n}\n';
const pab = (bucket: string, flags: string[]) =>
  `resource "aws_s3_bucket_public_access_block" "p" {\n  bucket = ${bucket}\n${flags.map((f) => `  ${f} = true\n`).join('')}}\n`;
/** A trail whose bucket name is `trailName`, next to a bucket (and its block, by the same expression) named from var.env and the account id. */
const SYMBOLIC = (trailName: string) =>
  'data "aws_caller_identity" "c" {}\nvariable "env" {}\nlocals {\n  bucket = "trail-${var.env}-${data.aws_caller_identity.c.account_id}"\n}\n' +
  'resource "aws_s3_bucket" "logs" {\n  bucket = local.bucket\n}\n' +
  `resource "aws_s3_bucket_public_access_block" "p" {\n  bucket = local.bucket\n${['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].map((f) => `  ${f} = true\n`).join('')}}\n` +
  `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = ${trailName}\n}\n`;
const ALL = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
const ACCOUNT_BLOCK = `resource "aws_s3_account_public_access_block" "a" {\n${ALL.map((f) => `  ${f} = true\n`).join('')}}\n`;

checkTable(check, {
  pass: [
    { name: "seed 000's compliant example", evidence: terraformDir('test/fixtures/terraform/seed-compliant') },
    { name: 'block on the trail bucket by reference', evidence: terraform({ 'main.tf': TRAIL + pab('aws_s3_bucket.logs.id', ALL) }) },
    { name: 'block on the trail bucket by literal name', evidence: terraform({ 'main.tf': TRAIL + pab('"trail-logs"', ALL) }) },
    { name: 'a literal bucket made elsewhere, with a complete block by name', evidence: terraform({ 'main.tf': 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "org-trail-logs"\n}\n' + pab('"org-trail-logs"', ALL) }) },
    {
      name: 'account-level block covers the bucket',
      evidence: terraform({ 'main.tf': TRAIL + ACCOUNT_BLOCK }),
    },
    // Whichever bucket the trail writes to, the account's complete block covers it.
    { name: 'bucket name from a variable without default, with a complete account-level block', evidence: terraform({ 'main.tf': 'variable "bucket" {}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = var.bucket\n}\n' + ACCOUNT_BLOCK }), reason: /its bucket cannot be known statically .*, but bucket \(whichever it is\) has a complete public-access block/ },
    // A name that cannot be known, written the same way for the trail and the bucket, is the same bucket.
    { name: 'trail and bucket named by the same expression of a data source and a variable', evidence: terraform({ 'main.tf': SYMBOLIC('"trail-${var.env}-${data.aws_caller_identity.c.account_id}"') }), reason: /trail-\$\{var\.env\}-\$\{data\.aws_caller_identity\.c\.account_id\} has a complete public-access block/ },
  ],
  fail: [
    { name: "seed 000's non-compliant example (one flag)", evidence: terraformDir('test/fixtures/terraform/seed-noncompliant'), reason: /block_public_policy is not set/, locations: [/^s3\.tf:1\b/] },
    // The fix goes next to the bucket: the finding is anchored there, not at the trail.
    { name: 'no block for the trail bucket', evidence: terraform({ 'main.tf': TRAIL }), reason: /aws_s3_bucket\.logs \(bucket trail-logs\), the bucket aws_cloudtrail\.t writes to, has no public-access block/, locations: [/^main\.tf:5\b/] },
    { name: 'block exists but on another bucket', evidence: terraform({ 'main.tf': TRAIL + 'resource "aws_s3_bucket" "other" {\n  bucket = "other"\n}\n' + pab('aws_s3_bucket.other.id', ALL) }), reason: /no public-access block/ },
    { name: 'one flag false', evidence: terraform({ 'main.tf': TRAIL + pab('aws_s3_bucket.logs.id', ALL.slice(0, 3)) }), reason: /restrict_public_buckets is not set/ },
    {
      name: 'complete block but a public bucket policy',
      evidence: terraform({
        'main.tf':
          TRAIL +
          pab('aws_s3_bucket.logs.id', ALL) +
          'resource "aws_s3_bucket_policy" "p" {\n  bucket = aws_s3_bucket.logs.id\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::trail-logs/*" }] })\n}\n',
      }),
      reason: /bucket policy grants public access/,
    },
  ],
  unknown: [
    { name: 'IaC not configured', evidence: () => baseEvidence(), reason: /not collected/ },
    { name: 'no trail: the trail bucket cannot be identified', evidence: terraform({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' + pab('aws_s3_bucket.b.id', ALL) }), reason: /cannot be identified/ },
    // Without a trail, other buckets are not judged, even with an incomplete block.
    { name: 'no trail and an incomplete block on some bucket', evidence: terraform({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' + pab('aws_s3_bucket.b.id', ALL.slice(0, 1)) }), reason: /^no CloudTrail trail is defined in \., so the trail's bucket cannot be identified$/ },
    // A literal bucket made elsewhere: what blocks its public access is not in the sources (the Object Lock check agrees).
    { name: 'trail bucket named by a literal, not defined in the sources', evidence: terraform({ 'main.tf': 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "org-trail-logs"\n}\n' }), reason: /its bucket org-trail-logs is not defined in the sources read/, locations: [/^main\.tf:3\b/] },
    { name: 'a name built from another variable is another bucket', evidence: terraform({ 'main.tf': SYMBOLIC('"trail-${var.other}-${data.aws_caller_identity.c.account_id}"') + 'variable "other" {}\n' }), reason: /cannot be known statically \(variable "other"/ },
    // Each root module has its own variables: the same words in two roots are two values.
    { name: 'the same expression in two root modules', evidence: terraform({ 'a/main.tf': 'variable "env" {}\nresource "aws_s3_bucket" "b" {\n  bucket = "trail-${var.env}"\n}\n' + pab('aws_s3_bucket.b.id', ALL), 'b/main.tf': 'variable "env" {}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "trail-${var.env}"\n}\n' }), reason: /cannot be known statically/ },
    { name: 'bucket name from a variable without default', evidence: terraform({ 'main.tf': 'variable "bucket" {}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = var.bucket\n}\n' }), reason: /cannot be known statically/ },
    { name: 'bucket name from a variable without default, an account-level block missing a flag', evidence: terraform({ 'main.tf': 'variable "bucket" {}\nresource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = var.bucket\n}\nresource "aws_s3_account_public_access_block" "a" {\n  block_public_acls = true\n}\n' }), reason: /cannot be known statically/ },
  ],
});
