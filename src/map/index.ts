// Maps check results to the control's requirements, to frameworks, and to the maturity model (pure functions).

import type { CheckResult } from '../model/check.js';
import type { CriterionStatus, FrameworkResult, RelatedControlResult, Maturity, MaturityCriterion, MaturityLevel, RequirementResult } from '../model/report.js';
import { worstOf, type Status } from '../model/status.js';
import type { CatalogueDef, ControlDef, CriterionDef, FrameworkDef, RelatedControlDef, SeedStatementDef } from './mappings.js';
import { versionRuns } from './mappings.js';

/** Supporting checks count unless their (optional) evidence was simply not configured. */
function counted(ids: string[] | undefined, byId: Map<string, CheckResult>): CheckResult[] {
  return (ids ?? []).map((id) => byId.get(id)).filter((c): c is CheckResult => !!c && c.evidenceMissing !== 'not-configured');
}

function present(ids: string[] | undefined, byId: Map<string, CheckResult>): CheckResult[] {
  return (ids ?? []).map((id) => byId.get(id)).filter((c): c is CheckResult => !!c);
}

export function evaluateRequirements(control: ControlDef, results: CheckResult[]): RequirementResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return control.requirements.map((req) => {
    const checks = [...present(req.checks, byId), ...counted(req.supporting, byId)];
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

/** The citation of a seed statement: "WAF-SOV-070 states C5:2020 IAM-03 “Privileged access management”". */
export function seedCitation(controlId: string, f: FrameworkDef, st: SeedStatementDef): string {
  return `${controlId} states ${f.catalogue.shortName} ${st.id} “${st.text}”`;
}

/**
 * Each framework control's status is the worst of its requirements, its own checks and its counted supporting
 * checks, and at best `manual` when part of it must be verified by hand. Its maturity criteria (named ones and
 * those sharing a check with it) are listed with their state but do not decide it.
 */
export function evaluateFrameworks(frameworks: FrameworkDef[], control: ControlDef, requirements: RequirementResult[], results: CheckResult[], maturity: Maturity): FrameworkResult[] {
  const reqById = new Map(requirements.map((r) => [r.id, r]));
  const byId = new Map(results.map((r) => [r.id, r]));
  return frameworks.map((f) => {
    const statements = (f.seed?.statements ?? []).map((st) => ({
      id: st.id,
      text: st.text,
      citation: seedCitation(control.id, f, st),
      inCatalogue: f.catalogue.items.some((i) => i.id === st.id),
      correspondsTo: st.correspondsTo,
      ...(st.note ? { note: st.note } : {}),
    }));
    const controls = f.controls.map((c) => {
      const reqs = (c.requirements ?? []).map((id) => reqById.get(id)).filter((r): r is RequirementResult => !!r);
      const own = [...present(c.checks, byId), ...counted(c.supporting, byId)];
      const checks = [...new Set([...reqs.flatMap((r) => r.checks), ...own.map((x) => x.id)])];
      const parts: { id: string; status: Status; reason: string }[] = [...reqs, ...own];
      if (c.manual) parts.push({ id: 'manual', status: 'manual', reason: c.manual });
      const status = worstOf(parts.map((p) => p.status));
      const reason =
        parts.length === 0
          ? 'no requirement or check demonstrates it'
          : status === 'pass'
            ? `all ${parts.length} requirement(s) and check(s) pass`
            : parts.filter((p) => p.status === status).map((p) => (p.id === 'manual' ? `verify manually: ${p.reason}` : `${p.id} is ${p.status}: ${p.reason}`)).join('; ');
      const shared = new Set(checks);
      const criteria = maturity.criteria
        .filter((m) => (c.criteria ?? []).includes(m.id) || m.checks.some((k) => shared.has(k)))
        .map((m) => ({ id: m.id, level: m.level, status: m.status }));
      const evidence = [...new Set(checks.flatMap((id) => byId.get(id)?.evidenceRefs ?? []))].sort();
      const seed = statements.filter((st) => st.correspondsTo.includes(c.key)).map((st) => st.citation);
      return {
        id: c.id,
        title: c.title,
        status,
        reason,
        requirements: reqs.map((r) => r.id),
        checks,
        criteria,
        evidence,
        ...(c.manual ? { manual: c.manual } : {}),
        ...(c.note ? { note: c.note } : {}),
        ...(seed.length ? { seed } : {}),
        ...(c.idsByVersion ? { idsByVersion: c.idsByVersion } : {}),
      };
    });
    const cat = f.catalogue;
    return {
      id: f.id,
      name: f.name,
      version: f.version,
      status: cat.status,
      ...(cat.statusNote ? { statusNote: cat.statusNote } : {}),
      source: { publisher: cat.publisher, ...cat.source },
      titles: cat.titles,
      partial: cat.partial,
      ...(cat.scope ? { scope: cat.scope } : {}),
      controls,
      ...(f.seed ? { seed: { source: f.seed.source, statements } } : {}),
    };
  });
}

function evaluateCriterion(def: CriterionDef, level: number, byId: Map<string, CheckResult>): MaturityCriterion {
  // Supporting checks count unless their (optional) evidence was simply not configured, as for requirements.
  const supporting = (def.supporting ?? []).map((id) => byId.get(id)!).filter((c) => c && c.evidenceMissing !== 'not-configured');
  const checks = [...(def.checks ?? []).map((id) => byId.get(id)!).filter(Boolean), ...supporting];
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

/**
 * A related control's framework references by framework name: catalogue ids become the catalogue's name, and a
 * versioned catalogue's stable keys become its official ids per version range ("4.3 (v1.4.0–v5.0.0)").
 */
function namedReferences(frameworks: Record<string, string[]>, catalogues: Map<string, CatalogueDef>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(frameworks).map(([catId, ids]) => {
      const cat = catalogues.get(catId);
      if (!cat) return [catId, ids];
      if (!cat.versions) return [cat.name, ids];
      const versions = cat.versions;
      return [cat.name, ids.flatMap((key) => versionRuns(versions, cat.items.find((i) => i.id === key)?.ids ?? {}).map((r) => `${r.id} (${r.range})`))];
    }),
  );
}

/** Related controls (aws-ir-*, CIS root usage): worst of their checks, or `manual` with what to verify. */
export function evaluateRelated(related: RelatedControlDef[], results: CheckResult[], catalogues: Map<string, CatalogueDef> = new Map()): RelatedControlResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return related.map((c) => {
    const checks = (c.checks ?? []).map((id) => byId.get(id)!).filter(Boolean);
    const base = { id: c.id, title: c.title, source: c.source, severity: c.severity, checks: checks.map((x) => x.id), frameworks: namedReferences(c.frameworks, catalogues) };
    if (!checks.length) return { ...base, status: 'manual' as Status, reason: `no automated check: ${c.manual ?? 'verify manually'}` };
    const status = worstOf(checks.map((x) => x.status));
    const worst = checks.filter((x) => x.status === status);
    return { ...base, status, reason: status === 'pass' ? `all ${checks.length} check(s) pass` : worst.map((x) => `${x.id}: ${x.reason}`).join('; ') };
  });
}
