// Table test of the trust-policy reading shared by the Terraform and CloudFormation IAM normalisers (IAM condition semantics).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readTrustPolicy, type PolicyValue } from '../../src/collect/iam-trust.js';
import { isUnknown } from '../../src/model/infra.js';

const BROKER = { AWS: 'arn:aws:iam::111122223333:role/broker' };
const allow = (extra: Record<string, PolicyValue> = {}): PolicyValue => ({ Effect: 'Allow', Principal: BROKER, Action: 'sts:AssumeRole', ...extra });
const doc = (...statements: PolicyValue[]): PolicyValue => ({ Version: '2012-10-17', Statement: statements });

const cases: { name: string; policy: PolicyValue; mfa: boolean | 'unknown'; detail?: RegExp }[] = [
  { name: 'Bool aws:MultiFactorAuthPresent "true"', policy: doc(allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })), mfa: true },
  { name: 'condition keys are case-insensitive', policy: doc(allow({ Condition: { Bool: { 'AWS:multifactorauthpresent': true } } })), mfa: true },
  { name: 'NumericLessThan aws:MultiFactorAuthAge', policy: doc(allow({ Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '900' } } })), mfa: true },
  { name: 'Null aws:MultiFactorAuthAge false (the key must be present)', policy: doc(allow({ Condition: { Null: { 'aws:MultiFactorAuthAge': 'false' } } })), mfa: true },
  { name: 'a single statement object, not a list', policy: { Statement: allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) }, mfa: true },
  { name: 'SAML federation (Identity Center)', policy: doc({ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/AWSSSO_abc_DO_NOT_DELETE' }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'] }), mfa: true },
  { name: 'a Deny to everyone without MFA covers the Allow', policy: doc(allow(), { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }), mfa: true, detail: /Deny/ },
  { name: 'statements that grant no assumption are ignored', policy: doc({ Effect: 'Allow', Principal: BROKER, Action: 'sts:TagSession' }), mfa: true, detail: /no statement allows assuming/ },
  { name: 'no condition', policy: doc(allow()), mfa: false, detail: /statement 0 \(AWS:arn:aws:iam::111122223333:role\/broker\) allows sts:AssumeRole without requiring MFA/ },
  { name: 'BoolIfExists true passes without MFA', policy: doc(allow({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } })), mfa: false },
  { name: 'Bool false is the opposite of MFA', policy: doc(allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })), mfa: false },
  { name: 'NumericLessThanIfExists on the age passes without MFA', policy: doc(allow({ Condition: { NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '900' } } })), mfa: false },
  { name: 'Action wildcard sts:Assume*', policy: doc(allow({ Action: 'sts:Assume*' })), mfa: false, detail: /sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity/ },
  { name: 'NotAction grants every assume action it does not list', policy: doc({ Effect: 'Allow', Principal: BROKER, NotAction: 'sts:AssumeRoleWithSAML' }), mfa: false },
  { name: 'NotPrincipal is everyone else', policy: doc({ Effect: 'Allow', NotPrincipal: BROKER, Action: 'sts:AssumeRole' }), mfa: false, detail: /NotPrincipal/ },
  { name: 'web identity (OIDC) is not SAML federation', policy: doc({ Effect: 'Allow', Principal: { Federated: 'token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }), mfa: false },
  { name: 'a Deny limited to one principal does not cover everyone', policy: doc(allow(), { Effect: 'Deny', Principal: BROKER, Action: 'sts:AssumeRole', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }), mfa: false },
  { name: 'unknown condition value', policy: doc(allow({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': { unknown: 'var.mfa has no value' } } } })), mfa: 'unknown', detail: /var\.mfa has no value/ },
  { name: 'unknown Effect', policy: doc(allow({ Effect: { unknown: 'var.effect has no value' } })), mfa: 'unknown', detail: /statement 0 Effect/ },
  { name: 'a failing statement outweighs an unknown one', policy: doc(allow({ Condition: { unknown: 'x' } }), allow()), mfa: false, detail: /statement 1/ },
];

describe('readTrustPolicy', () => {
  for (const c of cases) {
    test(c.name, () => {
      const r = readTrustPolicy(c.policy);
      assert.ok(!isUnknown(r), 'a document is read');
      const got = isUnknown(r.mfaRequired) ? 'unknown' : r.mfaRequired;
      assert.equal(got, c.mfa, r.detail);
      if (c.detail) assert.match(r.detail, c.detail);
    });
  }
  test('a document that is not an object, or an unknown one, is unknown', () => {
    assert.ok(isUnknown(readTrustPolicy('nope')));
    assert.deepEqual(readTrustPolicy({ unknown: 'from a data source' }), { unknown: 'from a data source' });
  });
});
