// The break-glass identity rule (seed 003 aws-ir-01), one for IaC and live state: MFA in the role's trust policy,
// sessions of at most one hour, and which declared identities were found.

import picomatch from 'picomatch';
import type { Finding } from '../model/check.js';
import { isUnknown, type IamRole, type PermissionSet } from '../model/infra.js';
import type { SourceLocation } from '../model/location.js';

/** One hour: seed 003 aws-ir-01 ("session duration deliberately short (1 hour) so a forgotten session expires fast"). */
export const MAX_SESSION_SECONDS = 3600;

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

/** IaC values may be unknown "statically" (an unset variable); a live value is unknown for its own reason. */
const how = (e: { origin: string }) => (e.origin === 'aws-live' ? '' : ' statically');

export function roleFindings(r: IamRole): Finding[] {
  const out: Finding[] = [];
  const trust = r.trustPolicy.value;
  if (isUnknown(trust)) out.push({ status: 'unknown', subject: r.id, message: `${r.id}: the trust policy cannot be read${how(r)} (${trust.unknown})`, location: trust.location ?? r.trustPolicy.at });
  else if (isUnknown(trust.mfaRequired)) out.push({ status: 'unknown', subject: r.id, message: `${r.id}: whether the trust policy requires MFA cannot be known${how(r)} (${trust.mfaRequired.unknown})`, location: trust.mfaRequired.location ?? r.trustPolicy.at });
  else if (trust.mfaRequired) out.push({ status: 'pass', subject: r.id, message: `${r.id}: the trust policy requires MFA (${trust.detail})`, location: r.trustPolicy.at });
  else out.push({ status: 'fail', subject: r.id, message: `${r.id}: the trust policy does not require MFA: ${trust.detail}`, location: r.trustPolicy.at });
  const d = r.maxSessionDuration.value;
  const dflt = r.maxSessionDuration.defaulted ? ' (not set; default)' : '';
  if (isUnknown(d)) out.push({ status: 'unknown', subject: r.id, message: `${r.id}: the maximum session duration cannot be known${how(r)} (${d.unknown})`, location: d.location ?? r.maxSessionDuration.at });
  else if (d <= MAX_SESSION_SECONDS) out.push({ status: 'pass', subject: r.id, message: `${r.id}: sessions last at most ${d} s${dflt}`, location: r.maxSessionDuration.at });
  else out.push({ status: 'fail', subject: r.id, message: `${r.id}: the maximum session duration is ${d} s, longer than 1 hour`, location: r.maxSessionDuration.at });
  return out;
}

export function permissionSetFindings(p: PermissionSet): Finding[] {
  const d = p.sessionDuration.value;
  const at = p.sessionDuration.at;
  if (isUnknown(d)) return [{ status: 'unknown', subject: p.id, message: `${p.id}: the session duration cannot be known${how(p)} (${d.unknown})`, location: d.location ?? at }];
  const seconds = isoDurationSeconds(d);
  if (seconds === undefined) return [{ status: 'unknown', subject: p.id, message: `${p.id}: session duration "${d}" is not an ISO 8601 duration such as PT1H`, location: at }];
  const dflt = p.sessionDuration.defaulted ? ' (not set; default)' : '';
  if (seconds <= MAX_SESSION_SECONDS) return [{ status: 'pass', subject: p.id, message: `${p.id}: sessions last at most ${d}${dflt}`, location: at }];
  return [{ status: 'fail', subject: p.id, message: `${p.id}: the session duration ${d} is longer than 1 hour (PT1H)`, location: at }];
}

/**
 * Findings for every declared pattern (`breakGlass.roles`, `breakGlass.permissionSets`): the rule's findings for
 * each identity it matches (once per identity), and an `unknown` finding for a pattern that matches none, naming
 * where it was looked for.
 */
export function matchIdentities(o: { rolePatterns: string[]; setPatterns: string[]; roles: IamRole[]; sets: PermissionSet[]; searched: string; at?: SourceLocation }): { findings: Finding[]; matched: Set<string>; unmatched: string[] } {
  const findings: Finding[] = [];
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
      findings.push({ status: 'unknown', subject: pattern, message: `declared break-glass ${what} ${pattern} is not defined in the sources read (${o.searched})${maybe}, so its MFA and session settings cannot be checked`, ...(o.at ? { location: o.at } : {}) });
    }
  };
  check(o.rolePatterns, o.roles, roleNameGlob, 'role', roleFindings);
  check(o.setPatterns, o.sets, (p) => p, 'permission set', permissionSetFindings);
  return { findings, matched, unmatched };
}
