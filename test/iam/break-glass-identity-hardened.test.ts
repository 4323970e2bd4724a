// Check table for waf-sov-070.tf.aws.break-glass-identity-hardened: real Terraform and CloudFormation through the collectors.

import assert from 'node:assert/strict';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import check from '../../src/evaluate/checks/waf-sov-070.tf.aws.break-glass-identity-hardened.js';
import type { BreakGlassConfig } from '../../src/model/cloudtrail.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence, tempTree } from '../support/evidence.js';

const ROLE = { roles: ['arn:aws:iam::*:role/BreakGlass*'] };
const PS = { permissionSets: ['BreakGlassAdmin'] };

function declared(bg: Partial<BreakGlassConfig>): Partial<EvidenceSet> {
  return { breakGlass: { roles: [], users: [], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: true, secrets: [], ...bg }, breakGlassDeclared: true };
}

function tf(bg: Partial<BreakGlassConfig>, files: Record<string, string>): () => Promise<EvidenceSet> {
  return async () => {
    const dir = tempTree(files);
    return baseEvidence({ ...declared(bg), iac: { state: 'collected', value: await collectTerraform({ paths: [dir], baseDir: dir }) } });
  };
}

/** A `terraform show -json` plan with one aws_iam_role whose values are given. */
function plan(bg: Partial<BreakGlassConfig>, values: Record<string, unknown>): () => Promise<EvidenceSet> {
  return async () => {
    const doc = {
      format_version: '1.2',
      terraform_version: '1.9.0',
      planned_values: { root_module: { resources: [{ address: 'aws_iam_role.bg', mode: 'managed', type: 'aws_iam_role', name: 'bg', provider_name: 'registry.terraform.io/hashicorp/aws', values }] } },
      configuration: { root_module: { resources: [{ address: 'aws_iam_role.bg', mode: 'managed', type: 'aws_iam_role', name: 'bg', expressions: {} }] } },
    };
    const dir = tempTree({ 'plan.json': JSON.stringify(doc) });
    return baseEvidence({ ...declared(bg), iac: { state: 'collected', value: await collectTerraform({ paths: [], planJson: ['plan.json'], baseDir: dir }) } });
  };
}

const PLAN_TRUST = (condition: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/broker' }, Action: 'sts:AssumeRole', Condition: condition }] });

function cfn(bg: Partial<BreakGlassConfig>, template: string): () => Promise<EvidenceSet> {
  return async () => {
    const dir = tempTree({ 'stack.yaml': template });
    return baseEvidence({ ...declared(bg), iac: { state: 'collected', value: await collectCloudFormation({ paths: ['stack.yaml'], baseDir: dir }) } });
  };
}

/** A Terraform break-glass role; `condition` is the HCL of the statement's Condition object (or '' for none). */
function tfRole(condition: string, extra = '', name = 'BreakGlassJIT'): Record<string, string> {
  return {
    'main.tf': `
variable "broker_role_arn" {}
resource "aws_iam_role" "break_glass" {
  name = "${name}"
  ${extra}
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.broker_role_arn }
      Action    = "sts:AssumeRole"
      ${condition ? `Condition = ${condition}` : ''}
    }]
  })
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
`,
  };
}

/** A role whose trust policy is a data "aws_iam_policy_document"; `condition` is HCL inside its statement. */
const dataDocRole = (condition: string, principals = 'principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::384756192837:role/jit-broker"]\n    }') => ({
  'main.tf': `
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    ${principals}
    ${condition}
  }
}
resource "aws_iam_role" "bg" {
  name                 = "BreakGlassJIT"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
}
`,
});

const DATA_MFA = 'condition {\n      test     = "Bool"\n      variable = "aws:MultiFactorAuthPresent"\n      values   = ["true"]\n    }';

const MFA = '{ Bool = { "aws:MultiFactorAuthPresent" = "true" }, NumericLessThan = { "aws:MultiFactorAuthAge" = "900" } }';

const cfnRole = (condition: string, maxSession = 'MaxSessionDuration: 3600') => `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EmergencyResponderArn:
    Type: String
Resources:
  BreakGlassRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: BreakGlassEmergency
      ${maxSession}
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Ref EmergencyResponderArn
            Action: sts:AssumeRole
${condition}
`;

const CFN_MFA = `            Condition:
              Bool:
                aws:MultiFactorAuthPresent: 'true'`;

const permissionSet = (duration: string) => `
resource "aws_ssoadmin_permission_set" "break_glass" {
  name         = "BreakGlassAdmin"
  instance_arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
  ${duration}
}
`;

checkTable(check, {
  pass: [
    { name: 'Terraform role with MFA condition (jsonencode, principal from an unset variable) and 1 h sessions', evidence: tf(ROLE, tfRole(MFA, 'max_session_duration = 3600')), reason: /requires MFA/, locations: [/main\.tf:6/] },
    { name: 'Terraform role: MFA age test only, max_session_duration left at the 1 h default', evidence: tf(ROLE, tfRole('{ NumericLessThan = { "aws:MultiFactorAuthAge" = 900 } }')), reason: /default/ },
    {
      name: 'Terraform heredoc trust policy with MFA',
      evidence: tf(ROLE, {
        'main.tf': `
resource "aws_iam_role" "bg" {
  name = "BreakGlassAdmin"
  assume_role_policy = <<POLICY
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/broker"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true}}}]}
POLICY
}`,
      }),
    },
    {
      name: 'Identity Center (SAML federation) role trust and a PT1H permission set',
      evidence: tf({ ...PS, roles: ['arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_BreakGlassAdmin_*'] }, {
        'main.tf': `
resource "aws_iam_role" "sso" {
  name = "AWSReservedSSO_BreakGlassAdmin_0123456789abcdef"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Federated = "arn:aws:iam::111122223333:saml-provider/AWSSSO_0123_DO_NOT_DELETE" }, Action = ["sts:AssumeRoleWithSAML", "sts:TagSession"] }] })
}
${permissionSet('session_duration = "PT1H"')}`,
      }),
    },
    { name: 'permission set without session_duration (default PT1H)', evidence: tf(PS, { 'main.tf': permissionSet('') }), reason: /PT1H \(not set; default\)/ },
    { name: 'permission set of 45 minutes', evidence: tf(PS, { 'main.tf': permissionSet('session_duration = "PT45M"') }) },
    { name: 'Terraform data "aws_iam_policy_document" with an MFA condition block', evidence: tf(ROLE, dataDocRole(DATA_MFA)), reason: /AWS:arn:aws:iam::384756192837:role\/jit-broker/ },
    { name: 'plan JSON: trust policy string with MFA, 3600 s', evidence: plan(ROLE, { name: 'BreakGlassJIT', max_session_duration: 3600, assume_role_policy: PLAN_TRUST({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) }), reason: /requires MFA/ },
    { name: 'CloudFormation role with MFA and MaxSessionDuration 3600 (seed 003 remediation)', evidence: cfn({ roles: ['BreakGlassEmergency'] }, cfnRole(CFN_MFA)), locations: [/stack\.yaml:13:9 \(Resources\.BreakGlassRole\.Properties\.AssumeRolePolicyDocument\)/, /stack\.yaml:11:27/] },
  ],
  fail: [
    { name: 'Terraform role without any condition', evidence: tf(ROLE, tfRole('')), reason: /does not require MFA: statement 0/ },
    { name: 'BoolIfExists passes without MFA (long-term keys carry no MFA key)', evidence: tf(ROLE, tfRole('{ BoolIfExists = { "aws:MultiFactorAuthPresent" = "true" } }')), reason: /does not require MFA/ },
    { name: 'MFA required but sessions of 12 h', evidence: tf(ROLE, tfRole(MFA, 'max_session_duration = 43200')), reason: /43200 s, longer than 1 hour/ },
    { name: 'permission set of 8 hours', evidence: tf(PS, { 'main.tf': permissionSet('session_duration = "PT8H"') }), reason: /PT8H is longer than 1 hour/ },
    { name: 'Terraform data "aws_iam_policy_document" without a condition', evidence: tf(ROLE, dataDocRole('')), reason: /statement 0 \(AWS:arn:aws:iam::384756192837:role\/jit-broker\) allows sts:AssumeRole without requiring MFA/ },
    { name: 'Terraform data "aws_iam_policy_document" with a Service principal and an IfExists test', evidence: tf(ROLE, dataDocRole(DATA_MFA.replace('"Bool"', '"BoolIfExists"'), 'principals {\n      type        = "Service"\n      identifiers = ["ec2.amazonaws.com"]\n    }')), reason: /Service:ec2\.amazonaws\.com/ },
    { name: 'plan JSON: 4 h sessions', evidence: plan(ROLE, { name: 'BreakGlassJIT', max_session_duration: 14400, assume_role_policy: PLAN_TRUST({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) }), reason: /14400 s/ },
    { name: 'CloudFormation role without MFA condition', evidence: cfn({ roles: ['BreakGlassEmergency'] }, cfnRole('')), reason: /does not require MFA/ },
    { name: 'CloudFormation role of 2 h', evidence: cfn({ roles: ['BreakGlassEmergency'] }, cfnRole(CFN_MFA, 'MaxSessionDuration: 7200')), reason: /7200 s/ },
    {
      name: 'one of two statements lacks MFA',
      evidence: tf(ROLE, {
        'main.tf': `
resource "aws_iam_role" "bg" {
  name = "BreakGlassJIT"
  assume_role_policy = jsonencode({ Statement = [
    { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/a" }, Action = "sts:AssumeRole", Condition = { Bool = { "aws:MultiFactorAuthPresent" = true } } },
    { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:*" },
  ] })
}`,
      }),
      reason: /statement 1 \(AWS:arn:aws:iam::111122223333:root\)/,
    },
  ],
  unknown: [
    { name: 'no break-glass identity declared', evidence: async () => ({ ...(await tf({}, tfRole(MFA))()), breakGlassDeclared: false }), reason: /no break-glass identities are declared/ },
    { name: 'declared role not defined in the IaC', evidence: tf({ roles: ['arn:aws:iam::111122223333:role/Emergency'] }, tfRole(MFA)), reason: /none of the declared break-glass identities \(role arn:aws:iam::111122223333:role\/Emergency\)/ },
    { name: 'declared permission set not defined in the IaC, the role is fine', evidence: tf({ ...ROLE, ...PS }, tfRole(MFA)), reason: /permission set BreakGlassAdmin is not defined/ },
    { name: 'trust policy from a data source (read at plan time)', evidence: tf(ROLE, { 'main.tf': 'resource "aws_iam_role" "bg" {\n  name = "BreakGlassJIT"\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n' }), reason: /trust policy cannot be read statically \(.*data\.aws_iam_policy_document\.trust/ },
    { name: 'data "aws_iam_policy_document" merging other documents', evidence: tf(ROLE, { 'main.tf': dataDocRole(DATA_MFA)['main.tf'].replace('statement {', 'source_policy_documents = [var.extra]\n  statement {'), 'vars.tf': 'variable "extra" {}\n' }), reason: /uses source_policy_documents, which is not rendered statically/ },
    { name: 'MFA condition value from an unset variable', evidence: tf(ROLE, { ...tfRole('{ Bool = { "aws:MultiFactorAuthPresent" = var.mfa } }'), 'vars.tf': 'variable "mfa" {}\n' }), reason: /whether the trust policy requires MFA cannot be known statically \(.*variable "mfa"/ },
    { name: 'max_session_duration from an unset variable', evidence: tf(ROLE, { ...tfRole(MFA, 'max_session_duration = var.session'), 'vars.tf': 'variable "session" {}\n' }), reason: /maximum session duration cannot be known statically/ },
    { name: 'permission set duration not ISO 8601', evidence: tf(PS, { 'main.tf': permissionSet('session_duration = "1h"') }), reason: /"1h" is not an ISO 8601 duration/ },
    { name: 'CloudFormation MaxSessionDuration from a parameter without default', evidence: cfn({ roles: ['BreakGlassEmergency'] }, cfnRole(CFN_MFA, 'MaxSessionDuration: !Ref Session').replace('Parameters:\n', 'Parameters:\n  Session:\n    Type: Number\n')), reason: /maximum session duration cannot be known statically/ },
    { name: 'role name generated by Terraform', evidence: tf(ROLE, { 'main.tf': 'resource "aws_iam_role" "bg" {\n  name_prefix = "BreakGlass"\n  assume_role_policy = "{}"\n}\n' }), reason: /aws_iam_role\.bg has a name not known statically/, assert: (r) => assert.ok(r.findings.some((f) => f.subject === 'arn:aws:iam::*:role/BreakGlass*')) },
  ],
  error: [
    { name: 'a Terraform syntax error is reported, never passed', evidence: tf(ROLE, { ...tfRole(MFA), 'broken.tf': 'resource "aws_iam_role" "x" {\n  name = \n' }), reason: /an IaC file could not be read, so this is not decided \(broken\.tf:\d+:\d+\)/, assert: (r) => assert.ok(r.findings.some((f) => f.status === 'error' && /syntax error in broken\.tf/.test(f.message))) },
  ],
});
