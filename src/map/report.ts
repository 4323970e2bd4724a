// Builds the Report — the single model every renderer reads — from config, collected evidence and check results.

import type { Config } from '../config/load.js';
import type { CheckResult } from '../model/check.js';
import type { FrameworkResult, Report } from '../model/report.js';
import { STATUSES, type Status } from '../model/status.js';
import type { CollectResult } from '../collect/index.js';
import { TOOL_VERSION } from '../paths.js';
import { evaluateFrameworks, evaluateMaturity, evaluateRelated, evaluateRequirements } from './index.js';
import { selectFrameworks, type Mappings } from './mappings.js';
import { applyRiskAcceptances, noteAccepted } from './risk-acceptance.js';
import { computeDrift } from '../evaluate/drift.js';

export function countByStatus(statuses: Status[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const s of statuses) counts[s]++;
  return counts;
}

/**
 * Builds the Report. `frameworks` selects the frameworks it holds by id (default: each framework's default, which
 * for a versioned catalogue such as CIS is its latest version); see selectFrameworks.
 */
export function buildReport(config: Config, collected: CollectResult, evaluated: CheckResult[], mappings: Mappings, generatedAt: string, frameworks?: string[]): Report {
  const register = collected.riskAcceptances?.state === 'collected' ? collected.riskAcceptances.value.records : [];
  const { checks, register: riskAcceptances, problems: acceptanceProblems } = applyRiskAcceptances(evaluated, mappings.control, register, config.period.to);
  const requirements = noteAccepted(evaluateRequirements(mappings.control, checks), checks);
  const evaluatedMaturity = evaluateMaturity(mappings.control, checks);
  const maturity = { ...evaluatedMaturity, levels: evaluatedMaturity.levels.map((l) => ({ ...l, criteria: noteAccepted(l.criteria, checks) })), criteria: noteAccepted(evaluatedMaturity.criteria, checks) };
  return {
    schemaVersion: 1,
    tool: { name: 'evidence-pack', version: TOOL_VERSION },
    organisation: config.organisation,
    period: { label: config.period.label, from: config.period.from, to: config.period.to },
    generatedAt,
    control: { id: mappings.control.id, title: mappings.control.title, description: mappings.control.description, source: mappings.control.source },
    summary: {
      level: maturity.level,
      checks: countByStatus(checks.filter((c) => !c.accepted).map((c) => c.status)),
      requirements: countByStatus(requirements.map((r) => r.status)),
      accepted: checks.filter((c) => c.accepted).length,
    },
    maturity,
    requirements,
    checks,
    frameworks: noteAcceptedFrameworks(evaluateFrameworks(selectFrameworks(mappings.frameworks, frameworks), mappings.control, requirements, checks, maturity), checks),
    riskAcceptances: collected.riskAcceptances ? riskAcceptances : undefined,
    relatedControls: evaluateRelated(mappings.related, checks, mappings.catalogues),
    evidence: collected.items.map(({ rawPath: _raw, ...item }) => item),
    populations: collected.populations,
    sections: collected.sections,
    drift: computeDrift(collected.evidence, evaluated, mappings.control),
    coverage: collected.coverage,
    problems: [...collected.problems, ...acceptanceProblems],
  };
}

function noteAcceptedFrameworks(frameworks: FrameworkResult[], checks: CheckResult[]): FrameworkResult[] {
  return frameworks.map((f) => ({ ...f, controls: noteAccepted(f.controls, checks) }));
}
