// Applies the risk-acceptance register: an active acceptance marks a non-passing result `accepted` (never `pass`); an expired one stops applying and is flagged.

import type { CheckResult } from '../model/check.js';
import type { RiskAcceptance, RiskAcceptanceEntry } from '../model/process.js';
import { formatLocation } from '../model/location.js';
import type { ControlDef } from './mappings.js';

export interface AppliedAcceptances {
  /** The results, with `accepted` set on those an active acceptance covers (status unchanged). */
  checks: CheckResult[];
  register: RiskAcceptanceEntry[];
  problems: { source: string; level: 'error' | 'warning'; message: string; location?: string }[];
}

/**
 * An entry applies to its target check, or to every check of its target requirement, while the period end is on or
 * before its `expires` day. Only results that do not pass are marked; their status stays as evaluated.
 */
export function applyRiskAcceptances(checks: CheckResult[], control: ControlDef, entries: RiskAcceptance[], periodEnd: string): AppliedAcceptances {
  const out = checks.map((c) => ({ ...c }));
  const byId = new Map(out.map((c) => [c.id, c]));
  const problems: AppliedAcceptances['problems'] = [];
  const register: RiskAcceptanceEntry[] = [];
  for (const e of [...entries].sort((a, b) => a.id.localeCompare(b.id))) {
    const location = formatLocation(e.at);
    const req = control.requirements.find((r) => r.id === e.target);
    const targets = req ? (req.checks ?? []) : byId.has(e.target) ? [e.target] : undefined;
    if (!targets) {
      problems.push({ source: 'riskAcceptances', level: 'error', message: `risk acceptance ${e.id}: target "${e.target}" is neither a check id nor a requirement id of ${control.id}; it applies to nothing`, location });
    }
    const state: RiskAcceptanceEntry['state'] = e.expires >= periodEnd ? 'active' : 'expired';
    const appliesTo: string[] = [];
    if (state === 'expired') {
      const still = (targets ?? []).filter((id) => { const s = byId.get(id)?.status; return s !== undefined && s !== 'pass' && s !== 'not_applicable'; });
      problems.push({
        source: 'riskAcceptances',
        level: 'warning',
        message: `risk acceptance ${e.id} for ${e.target} (approved by ${e.approver}) expired on ${e.expires}, before the period end ${periodEnd}: it no longer applies${still.length ? `; ${still.join(', ')} count${still.length === 1 ? 's' : ''} as evaluated` : ''}`,
        location,
      });
    } else {
      for (const id of targets ?? []) {
        const c = byId.get(id);
        if (!c || c.status === 'pass' || c.status === 'not_applicable' || c.accepted) continue;
        c.accepted = { id: e.id, by: e.approver, until: e.expires, ticket: e.ticket, justification: e.justification, residualRisk: e.residualRisk };
        appliesTo.push(id);
      }
    }
    register.push({ id: e.id, target: e.target, approver: e.approver, ticket: e.ticket, justification: e.justification, expires: e.expires, residualRisk: e.residualRisk, state, appliesTo, location });
  }
  return { checks: out, register, problems };
}

/** Says, in requirement and criterion reasons, which non-passing checks are accepted risks (still not met). */
export function noteAccepted<T extends { checks: string[]; reason: string; status: string }>(rows: T[], checks: CheckResult[]): T[] {
  const accepted = new Map(checks.filter((c) => c.accepted).map((c) => [c.id, c.accepted!]));
  return rows.map((r) => {
    const notes = r.checks.filter((id) => accepted.has(id)).map((id) => `${id} is an accepted risk (${accepted.get(id)!.id ?? 'register'}, approved by ${accepted.get(id)!.by} until ${accepted.get(id)!.until}) — accepted, not passed`);
    return notes.length ? { ...r, reason: `${r.reason}; ${notes.join('; ')}` } : r;
  });
}
