// Seed 003 aws-ir-01: break-glass roles declared in IaC require MFA in their trust policy; roles and permission sets allow sessions of at most 1 hour.

import picomatch from 'picomatch';
import type { Finding } from '../../model/check.js';
import { isUnknown, type IamRole, type PermissionSet } from '../../model/infra.js';
import { worstOf } from '../../model/status.js';
import { defineCheck } from '../define-check.js';
import { infraOf } from '../infra.js';

/** One hour: seed 003 aws-ir-01 ("session duration deliberately short (1 hour) so a forgotten session expires fast"). */
const MAX_SESSION_SECONDS = 3600;

/**
 * `breakGlass.roles` holds role ARN globs; the role's name is the part after the last `/` of `role/path/name`.
 * A pattern without `:role/` is taken as a name glob.
 */
export function roleNameGlob(pattern: string): string {
  const i = pattern.indexOf(':role/');
  const resource = i >= 0 ? pattern.slice(i + ':role/'.length) : pattern;
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** Seconds of an ISO 8601 duration of the form IAM Identity Center accepts (PnDTnHnMnS), or undefined when it is not one. */
export function isoDurationSeconds(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  if ([d, h, min, s].every((x) => x === undefined)) return undefined;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
}

function roleFindings(r: IamRole): Finding[] {
  const out: Finding[] = [];
  const trust = r.trustPolicy.value;
  if (isUnknown(trust)) out.push({ status: 'unknown', subject: r.id, message: `${r.id}: the trust policy cannot be read statically (${trust.unknown})`, location: trust.location ?? r.trustPolicy.at });
  else if (isUnknown(trust.mfaRequired)) out.push({ status: 'unknown', subject: r.id, message: `${r.id}: whether the trust policy requires MFA cannot be known statically (${trust.mfaRequired.unknown})`, location: trust.mfaRequired.location ?? r.trustPolicy.at });
  else if (trust.mfaRequired) out.push({ status: 'pass', subject: r.id, message: `${r.id}: the trust policy requires MFA (${trust.detail})`, location: r.trustPolicy.at });
  else out.push({ status: 'fail', subject: r.id, message: `${r.id}: the trust policy does not require MFA: ${trust.detail}`, location: r.trustPolicy.at });
  const d = r.maxSessionDuration.value;
  const dflt = r.maxSessionDuration.defaulted ? ' (not set; default)' : '';
  if (isUnknown(d)) out.push({ status: 'unknown', subject: r.id, message: `${r.id}: the maximum session duration cannot be known statically (${d.unknown})`, location: d.location ?? r.maxSessionDuration.at });
  else if (d <= MAX_SESSION_SECONDS) out.push({ status: 'pass', subject: r.id, message: `${r.id}: sessions last at most ${d} s${dflt}`, location: r.maxSessionDuration.at });
  else out.push({ status: 'fail', subject: r.id, message: `${r.id}: the maximum session duration is ${d} s, longer than 1 hour`, location: r.maxSessionDuration.at });
  return out;
}

function permissionSetFindings(p: PermissionSet): Finding[] {
  const d = p.sessionDuration.value;
  const at = p.sessionDuration.at;
  if (isUnknown(d)) return [{ status: 'unknown', subject: p.id, message: `${p.id}: the session duration cannot be known statically (${d.unknown})`, location: d.location ?? at }];
  const seconds = isoDurationSeconds(d);
  if (seconds === undefined) return [{ status: 'unknown', subject: p.id, message: `${p.id}: session duration "${d}" is not an ISO 8601 duration such as PT1H`, location: at }];
  const dflt = p.sessionDuration.defaulted ? ' (not set; default)' : '';
  if (seconds <= MAX_SESSION_SECONDS) return [{ status: 'pass', subject: p.id, message: `${p.id}: sessions last at most ${d}${dflt}`, location: at }];
  return [{ status: 'fail', subject: p.id, message: `${p.id}: the session duration ${d} is longer than 1 hour (PT1H)`, location: at }];
}

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
    const findings: Finding[] = [...infra.unreadable];
    const roles = infra.of('iam-role');
    const sets = infra.of('permission-set');

    const matched = new Set<string>();
    const unmatched: string[] = [];
    const check = <E extends IamRole | PermissionSet>(patterns: string[], entities: E[], nameGlob: (p: string) => string, what: string, evaluate: (e: E) => Finding[]) => {
      const unnamed = entities.filter((e) => isUnknown(e.name.value));
      for (const pattern of patterns) {
        const match = picomatch(nameGlob(pattern), { dot: true });
        const hits = entities.filter((e) => typeof e.name.value === 'string' && match(e.name.value));
        for (const e of hits) {
          if (matched.has(e.id)) continue;
          matched.add(e.id);
          findings.push(...evaluate(e));
        }
        if (hits.length > 0) continue;
        unmatched.push(`${what} ${pattern}`);
        const maybe = unnamed.length ? `; ${unnamed.map((e) => e.id).join(', ')} ha${unnamed.length === 1 ? 's a name' : 've names'} not known statically` : '';
        // The place searched: the first IaC root (each root is a folder or file relative to the config).
        const root = infra.snapshots[0]?.root;
        findings.push({ status: 'unknown', subject: pattern, message: `declared break-glass ${what} ${pattern} is not defined in the sources read (${infra.roots})${maybe}, so its MFA and session settings cannot be checked`, ...(root ? { location: { file: root } } : {}) });
      }
    };
    check(rolePatterns, roles, roleNameGlob, 'role', roleFindings);
    check(setPatterns, sets, (p) => p, 'permission set', permissionSetFindings);

    // A registry module or macro that was not evaluated may define the missing identity.
    if (unmatched.length > 0) findings.push(...infra.opaque);
    const status = worstOf(findings.map((f) => f.status));
    const reason =
      matched.size === 0
        ? `none of the declared break-glass identities (${unmatched.join(', ')}) is defined in the IaC: ${findings.map((f) => f.message).join('; ')}`
        : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return { status, reason, findings };
  },
});
