import check from '../../src/evaluate/checks/waf-sov-070.tf.aws.cloudtrail-logging-enabled.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence, terraform, terraformDir } from '../support/evidence.js';

checkTable(check, {
  pass: [
    { name: "seed 000's non-compliant trail still logs (defaults)", evidence: terraformDir('test/fixtures/terraform/seed-noncompliant'), reason: /CloudTrail enabled: aws_cloudtrail\.trail/ },
    { name: 'one of two trails logs', evidence: terraform({ 'a.tf': 'resource "aws_cloudtrail" "off" {\n  name = "a"\n  s3_bucket_name = "x"\n  enable_logging = false\n}\nresource "aws_cloudtrail" "on" {\n  name = "b"\n  s3_bucket_name = "x"\n}\n' }) },
  ],
  fail: [
    { name: 'logging disabled', evidence: terraform({ 'a.tf': 'resource "aws_cloudtrail" "t" {\n  name = "a"\n  s3_bucket_name = "x"\n  enable_logging = false\n}\n' }), reason: /logging is disabled \(enable_logging = false\)/, locations: [/^a\.tf:4\b/] },
    { name: 'no trail', evidence: terraform({ 'a.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' }), reason: /no CloudTrail trail is defined/ },
    {
      name: 'management events excluded',
      evidence: terraform({ 'a.tf': 'resource "aws_cloudtrail" "t" {\n  name = "a"\n  s3_bucket_name = "x"\n  event_selector {\n    read_write_type = "All"\n    include_management_events = false\n  }\n}\n' }),
      reason: /management events are not recorded/,
    },
  ],
  unknown: [
    { name: 'IaC not configured', evidence: () => baseEvidence(), reason: /IaC .* not collected/ },
    { name: 'enable_logging from a variable without default', evidence: terraform({ 'a.tf': 'variable "on" {}\nresource "aws_cloudtrail" "t" {\n  name = "a"\n  s3_bucket_name = "x"\n  enable_logging = var.on\n}\n' }), reason: /cannot be known statically/ },
  ],
});
