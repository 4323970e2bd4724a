import assert from 'node:assert/strict';
import check from '../../src/evaluate/checks/waf-sov-070.live.aws.break-glass-identity-hardened.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { ACCOUNT, role, withLive } from '../support/live-evidence.js';

const trust = (condition?: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }] });
const MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
const set = (name: string, sessionDuration: string) => ({ arn: `arn:aws:sso:::permissionSet/ssoins-1/ps-${name}`, name, sessionDuration, instanceArn: 'arn:aws:sso:::instance/ssoins-1', region: 'eu-central-1' });
const declared = (roles: string[], permissionSets: string[] = []) => ({ breakGlass: { roles, users: [], permissionSets, allowedCidrs: [], rootIsBreakGlass: true, secrets: [] } });
const BG_ROLE = ['arn:aws:iam::*:role/BreakGlass*'];

checkTable(check, {
  pass: [
    { name: 'the live role requires MFA and allows 1 h sessions', evidence: withLive({ roles: [role('BreakGlassAdmin', trust(MFA))] }), reason: /requires MFA .* sessions last at most 3600 s/ },
    { name: 'a permission set of PT1H', evidence: withLive({ permissionSets: [set('BreakGlass', 'PT1H')] }, declared([], ['BreakGlass'])), reason: /sessions last at most PT1H/ },
  ],
  fail: [
    { name: 'the live trust policy has no MFA condition (changed by hand)', evidence: withLive({ roles: [role('BreakGlassAdmin', trust())] }), reason: /the trust policy does not require MFA/, locations: [/^iam:GetRole 111122223333 arn:aws:iam::111122223333:role\/BreakGlassAdmin$/] },
    { name: 'MultiFactorAuthPresent with BoolIfExists does not count', evidence: withLive({ roles: [role('BreakGlassAdmin', trust({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }))] }), reason: /does not require MFA/ },
    { name: '12 h sessions', evidence: withLive({ roles: [role('BreakGlassAdmin', trust(MFA), 43200)] }), reason: /maximum session duration is 43200 s, longer than 1 hour/ },
    { name: 'a permission set of PT8H', evidence: withLive({ permissionSets: [set('BreakGlass', 'PT8H')] }, declared([], ['BreakGlass'])), reason: /session duration PT8H is longer than 1 hour/ },
  ],
  unknown: [
    { name: 'live state not configured and nothing declared: still only "not configured"', evidence: () => baseEvidence(), reason: /live AWS state not collected/, assert: (r) => assert.equal(r.evidenceMissing, 'not-configured') },
    { name: 'no identity declared', evidence: withLive({ roles: [role('BreakGlassAdmin', trust(MFA))] }, declared([])), reason: /no break-glass identities are declared/ },
    { name: 'the declared role exists in no account read', evidence: withLive({ roles: [] }, declared(BG_ROLE)), reason: /none of the declared break-glass identities \(role arn:aws:iam::\*:role\/BreakGlass\*\) exists in the accounts 111122223333/ },
    { name: 'a trust policy IAM returned that is not JSON', evidence: withLive({ roles: [role('BreakGlassAdmin', '%7Bnot-json')] }), reason: /the trust policy cannot be read \(the trust policy IAM returned is not JSON\)/ },
    { name: 'ListRoles denied: a pass is not demonstrated', evidence: withLive({ roles: [role('BreakGlassAdmin', trust(MFA))], unavailable: [{ api: 'iam:ListRoles', account: ACCOUNT, region: 'eu-central-1', code: 'AccessDenied', message: 'not authorized', area: 'aws-identities' }] }), reason: /not read completely/ },
    { name: 'live state not configured', evidence: () => baseEvidence(declared(BG_ROLE)), reason: /live AWS state not collected/, assert: (r) => assert.equal(r.evidenceMissing, 'not-configured', 'optional evidence: left out of requirements and criteria') },
  ],
});
