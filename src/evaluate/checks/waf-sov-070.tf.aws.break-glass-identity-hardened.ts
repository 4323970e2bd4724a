// Seed 003 aws-ir-01: break-glass roles declared in IaC require MFA in their trust policy; roles and permission sets allow sessions of at most 1 hour.

import type { Finding } from '../../model/check.js';
import { worstOf } from '../../model/status.js';
import { defineCheck } from '../define-check.js';
import { infraOf, settle } from '../infra.js';
import { matchIdentities } from '../identity.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.tf.aws.break-glass-identity-hardened',
    title: 'Break-glass roles require MFA and sessions last at most 1 hour (IaC)',
    description:
      'Seed 003 aws-ir-01: every IAM role matching breakGlass.roles (matched on the role name) and every IAM Identity Center permission set named in breakGlass.permissionSets that the IaC defines must require MFA in its trust policy (roles: every Allow of sts:AssumeRole* needs Bool aws:MultiFactorAuthPresent = true or an aws:MultiFactorAuthAge test — …IfExists does not count — or is SAML / Identity Center federation) and allow sessions of at most 1 hour (MaxSessionDuration ≤ 3600 s, SessionDuration ≤ PT1H). No declared identity, a declared identity not defined in the IaC, or a value not known statically gives unknown.',
    severity: 'high',
    evidence: ['iac', 'break-glass-identities'],
    remediation:
      'In the trust policy of the break-glass role add Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}, NumericLessThan: {"aws:MultiFactorAuthAge": "900"}} to every Allow statement, set max_session_duration = 3600 (MaxSessionDuration: 3600), and give the break-glass permission set session_duration = "PT1H" (SessionDuration: PT1H).',
  },
  evaluate(ev) {
    const bg = ev.breakGlass;
    const rolePatterns = bg.roles ?? [];
    const setPatterns = bg.permissionSets ?? [];
    if (rolePatterns.length === 0 && setPatterns.length === 0) {
      return { status: 'unknown', reason: 'no break-glass identities are declared as roles or permission sets (config keys breakGlass.roles and breakGlass.permissionSets), so none can be checked' };
    }
    const infra = infraOf(ev);
    const findings: Finding[] = [];
    const roles = infra.of('iam-role');
    const sets = infra.of('permission-set');

    // The place searched: the first IaC root (each root is a folder or file relative to the config).
    const root = infra.firstRoot;
    const { findings: identityFindings, matched, unmatched } = matchIdentities({ rolePatterns, setPatterns, roles, sets, searched: infra.roots, at: root ? { file: root } : undefined });
    findings.push(...identityFindings);

    // A registry module or macro that was not evaluated may define the missing identity.
    if (unmatched.length > 0) findings.push(...infra.gaps);
    const status = worstOf(findings.map((f) => f.status));
    const reason =
      matched.size === 0
        ? `none of the declared break-glass identities (${unmatched.join(', ')}) is defined in the IaC: ${findings.map((f) => f.message).join('; ')}`
        : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return settle(infra, { status, reason, findings }, { absence: false });
  },
});
