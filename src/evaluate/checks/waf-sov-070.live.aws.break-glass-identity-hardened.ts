// Live: the break-glass roles and permission sets as they exist require MFA and allow sessions of at most 1 hour (the IaC rule).

import type { Finding } from '../../model/check.js';
import type { IamRole, PermissionSet } from '../../model/infra.js';
import type { SourceLocation } from '../../model/location.js';
import { worstOf } from '../../model/status.js';
import { defineCheck } from '../define-check.js';
import { matchIdentities } from '../identity.js';
import { liveOf } from '../live.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.live.aws.break-glass-identity-hardened',
    title: 'Live break-glass roles require MFA and sessions last at most 1 hour',
    description:
      'The rule of waf-sov-070.tf.aws.break-glass-identity-hardened (seed 003 aws-ir-01), applied to what runs: every IAM role matching breakGlass.roles in each account read (GetRole / ListRoles, the trust policy read the same way as in IaC) must require MFA for every Allow of sts:AssumeRole* and allow sessions of at most 1 hour (MaxSessionDuration ≤ 3600 s), and every IAM Identity Center permission set named in breakGlass.permissionSets (DescribePermissionSet) a SessionDuration of at most PT1H (maturity level 5). A declared identity found in no account read, or a trust policy that cannot be read, is unknown.',
    severity: 'high',
    evidence: ['aws-identities', 'break-glass-identities'],
    remediation:
      'Update the live roles: add Condition {"Bool": {"aws:MultiFactorAuthPresent": "true"}} to every Allow in the trust policy (aws iam update-assume-role-policy), set MaxSessionDuration to 3600 (aws iam update-role), and set the permission set’s session duration to PT1H (aws sso-admin update-permission-set); then bring the IaC in line so the next apply keeps it.',
  },
  evaluate(ev) {
    // Without live state the check is not configured (optional evidence), whatever else is declared.
    const live = liveOf(ev);
    const bg = ev.breakGlass;
    const rolePatterns = bg.roles ?? [];
    const setPatterns = bg.permissionSets ?? [];
    if (rolePatterns.length === 0 && setPatterns.length === 0) {
      return { status: 'unknown', reason: 'no break-glass identities are declared as roles or permission sets (config keys breakGlass.roles and breakGlass.permissionSets), so none can be checked' };
    }
    const roles: IamRole[] = live.accounts.flatMap((a) =>
      a.roles.map((r): IamRole => {
        const at: SourceLocation = { api: 'iam:GetRole', account: a.account, pointer: r.arn };
        return { type: 'iam-role', id: r.arn, origin: 'aws-live', resourceType: 'AWS::IAM::Role', at, account: a.account, name: { value: r.name, at }, trustPolicy: { value: r.trust, at }, maxSessionDuration: { value: r.maxSessionDurationSeconds, at } };
      }),
    );
    const sets: PermissionSet[] = [
      ...new Map(
        live.accounts.flatMap((a) =>
          a.permissionSets.map((p): [string, PermissionSet] => {
            const at: SourceLocation = { api: 'sso:DescribePermissionSet', account: a.account, region: p.region, pointer: p.arn };
            return [p.arn, { type: 'permission-set', id: p.arn, origin: 'aws-live', resourceType: 'AWS::SSO::PermissionSet', at, account: a.account, region: p.region, name: { value: p.name, at }, sessionDuration: { value: p.sessionDuration, at } }];
          }),
        ),
      ).values(),
    ];
    const searched = `accounts ${live.accounts.map((a) => a.account).join(', ') || '(none read)'}`;
    const { findings, matched, unmatched } = matchIdentities({ rolePatterns, setPatterns, roles, sets, searched, at: { api: 'iam:ListRoles' } });
    const status = worstOf(findings.map((f: Finding) => f.status));
    const reason =
      matched.size === 0
        ? `none of the declared break-glass identities (${unmatched.join(', ')}) exists in the ${searched}: ${findings.map((f) => f.message).join('; ')}`
        : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return { status, reason, findings };
  },
});
