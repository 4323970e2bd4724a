import check from '../../src/evaluate/checks/waf-sov-070.tf.aws.cloudtrail-enabled-all-regions.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence, terraform, terraformDir } from '../support/evidence.js';

const trail = (attrs: string) => ({ 'main.tf': `resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n${attrs}}\n` });

checkTable(check, {
  pass: [
    { name: "seed 000's compliant example", evidence: terraformDir('test/fixtures/terraform/seed-compliant'), reason: /multi-region/ },
    { name: 'all three set explicitly', evidence: terraform(trail('  is_multi_region_trail = true\n  enable_log_file_validation = true\n  include_global_service_events = true\n')) },
    { name: 'global service events by default (true)', evidence: terraform(trail('  is_multi_region_trail = true\n  enable_log_file_validation = true\n')) },
    { name: 'value from a variable default', evidence: terraform({ ...trail('  is_multi_region_trail = var.multi\n  enable_log_file_validation = true\n'), 'vars.tf': 'variable "multi" {\n  default = true\n}\n' }) },
  ],
  fail: [
    { name: "seed 000's non-compliant example (defaults)", evidence: terraformDir('test/fixtures/terraform/seed-noncompliant'), reason: /is_multi_region_trail is not set \(default false\)/, locations: [/^cloudtrail\.tf:1\b/] },
    { name: 'multi-region explicitly false', evidence: terraform(trail('  is_multi_region_trail = false\n  enable_log_file_validation = true\n')), reason: /is_multi_region_trail = false/, locations: [/^main\.tf:4\b/] },
    { name: 'validation missing', evidence: terraform(trail('  is_multi_region_trail = true\n')), reason: /enable_log_file_validation is not set/ },
    { name: 'global service events off', evidence: terraform(trail('  is_multi_region_trail = true\n  enable_log_file_validation = true\n  include_global_service_events = false\n')), reason: /include_global_service_events = false/ },
    { name: 'one of two trails non-compliant', evidence: terraform({ ...trail('  is_multi_region_trail = true\n  enable_log_file_validation = true\n'), 'b.tf': 'resource "aws_cloudtrail" "b" {\n  name = "b"\n  s3_bucket_name = "x"\n}\n' }), reason: /aws_cloudtrail\.b/ },
    { name: 'no trail at all', evidence: terraform({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' }), reason: /no CloudTrail trail is defined/ },
  ],
  unknown: [
    { name: 'IaC not configured', evidence: () => baseEvidence(), reason: /not collected/ },
    { name: 'variable without default', evidence: terraform({ ...trail('  is_multi_region_trail = var.multi\n  enable_log_file_validation = true\n'), 'vars.tf': 'variable "multi" {}\n' }), reason: /cannot be known statically/ },
  ],
  error: [
    { name: 'the only file has a syntax error', evidence: terraform({ 'main.tf': 'resource "aws_cloudtrail" "t" {\n  name = \n' }) },
  ],
});
