// Maps check results to the control's requirements, to frameworks, and to the maturity model (pure functions).

import type { CheckResult } from '../model/check.js';
import type { CriterionStatus, FrameworkResult, RelatedControlResult, Maturity, MaturityCriterion, MaturityLevel, RequirementResult } from '../model/report.js';
import { worstOf, type Status } from '../model/status.js';
import type { ControlDef, CriterionDef, FrameworkDef, RelatedControlDef } from './mappings.js';

export function evaluateRequirements(control: ControlDef, results: CheckResult[]): RequirementResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return control.requirements.map((req) => {
    // Supporting checks count unless their (optional) evidence was simply not configured.
    const supporting = (req.supporting ?? []).map((id) => byId.get(id)!).filter((c) => c && c.evidenceMissing !== 'not-configured');
    const checks = [...(req.checks ?? []).map((id) => byId.get(id)!).filter(Boolean), ...supporting];
    if (checks.length === 0) {
      return { id: req.id, text: req.text, status: 'unknown', reason: `evidence not collected: ${req.pending ?? 'no check demonstrates it'}`, checks: [] };
    }
    const status = worstOf(checks.map((c) => c.status));
    const worst = checks.filter((c) => c.status === status);
    const pendingNote = req.pending ? `; evidence not collected: ${req.pending}` : '';
    const finalStatus: Status = req.pending && status === 'pass' ? 'unknown' : status;
    const reason =
      status === 'pass' ? `all ${checks.length} check(s) pass${pendingNote}` : worst.map((c) => `${c.id}: ${c.reason}`).join('; ') + pendingNote;
    return { id: req.id, text: req.text, status: finalStatus, reason, checks: checks.map((c) => c.id) };
  });
}

export function evaluateFrameworks(frameworks: FrameworkDef[], control: ControlDef, requirements: RequirementResult[]): FrameworkResult[] {
  const byId = new Map(requirements.map((r) => [r.id, r]));
  return frameworks.map((f) => ({
    id: f.id,
    name: f.name,
    controls: f.controls.map((c) => {
      const reqs = (c.maps[control.id] ?? []).map((id) => byId.get(id)!).filter(Boolean);
      return {
        id: c.id,
        title: c.title,
        status: worstOf(reqs.map((r) => r.status)),
        requirements: reqs.map((r) => r.id),
        checks: [...new Set(reqs.flatMap((r) => r.checks))],
      };
    }),
  }));
}

function evaluateCriterion(def: CriterionDef, level: number, byId: Map<string, CheckResult>): MaturityCriterion {
  const checks = (def.checks ?? []).map((id) => byId.get(id)!).filter(Boolean);
  const failing = checks.filter((c) => c.status === 'fail');
  const notPassing = checks.filter((c) => c.status !== 'pass' && c.status !== 'not_applicable');
  let status: CriterionStatus;
  let reason: string;
  if (failing.length) {
    status = 'not_met';
    reason = failing.map((c) => `${c.id} fails: ${c.reason}`).join('; ');
  } else if (def.pending) {
    status = 'unknown';
    reason = `unknown — evidence not collected: ${def.pending}`;
  } else if (notPassing.length) {
    status = 'unknown';
    reason = notPassing.map((c) => `${c.id} is ${c.status}: ${c.reason}`).join('; ');
  } else if (checks.length === 0) {
    status = 'unknown';
    reason = 'unknown — no check demonstrates this criterion';
  } else {
    status = 'met';
    reason = checks.map((c) => `${c.id}: ${c.reason}`).join('; ');
  }
  return { id: def.id, level, text: def.text, status, reason, checks: checks.map((c) => c.id) };
}

/** The achieved level is the highest level all of whose criteria, and all lower levels' criteria, are met. */
export function evaluateMaturity(control: ControlDef, results: CheckResult[]): Maturity {
  const byId = new Map(results.map((r) => [r.id, r]));
  const levels: MaturityLevel[] = control.maturity.map((l) => {
    const criteria = l.criteria.map((c) => evaluateCriterion(c, l.level, byId));
    const status: CriterionStatus = criteria.some((c) => c.status === 'not_met') ? 'not_met' : criteria.every((c) => c.status === 'met') ? 'met' : 'unknown';
    return { level: l.level, name: l.name, status, criteria };
  });
  let level = 0;
  for (const l of levels) {
    if (l.status !== 'met') break;
    level = l.level;
  }
  const next = levels.find((l) => l.level === level + 1);
  const blocking = next?.criteria.find((c) => c.status === 'not_met') ?? next?.criteria.find((c) => c.status !== 'met');
  const def = blocking && control.maturity.find((l) => l.level === next!.level)!.criteria.find((c) => c.id === blocking.id)!;
  return {
    level,
    levelName: level === 0 ? 'No level reached' : levels[level - 1].name,
    levels,
    criteria: levels.flatMap((l) => l.criteria),
    nextStep: next && blocking && def ? { level: next.level, criterion: blocking.id, action: def.action } : null,
  };
}

/** Related controls (aws-ir-*, CIS root usage): worst of their checks, or `manual` with what to verify. */
export function evaluateRelated(related: RelatedControlDef[], results: CheckResult[]): RelatedControlResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return related.map((c) => {
    const checks = (c.checks ?? []).map((id) => byId.get(id)!).filter(Boolean);
    const base = { id: c.id, title: c.title, source: c.source, severity: c.severity, checks: checks.map((x) => x.id), frameworks: c.frameworks };
    if (!checks.length) return { ...base, status: 'manual' as Status, reason: `no automated check: ${c.manual ?? 'verify manually'}` };
    const status = worstOf(checks.map((x) => x.status));
    const worst = checks.filter((x) => x.status === status);
    return { ...base, status, reason: status === 'pass' ? `all ${checks.length} check(s) pass` : worst.map((x) => `${x.id}: ${x.reason}`).join('; ') };
  });
}
