// The semantic assessment of a filter pattern against a detection's canonical events (complete / partial / missing / invalid).

import { FilterPatternSyntaxError } from './errors.js';
import { parseFilterPattern } from './parser.js';
import { matchesEvent } from './evaluate.js';
import type { FilterPattern } from './ast.js';
import { resolveParameters, substitute, TIER_NAMES, type Detection, type TierName } from '../definitions.js';

export type FilterVerdict = 'complete' | 'partial' | 'missing' | 'invalid';

export interface FilterFinding {
  /** Id of the canonical event. */
  event: string;
  /** E.g. "does not match a root ConsoleLogin" or "also matches an AwsServiceEvent by root". */
  description: string;
  tier: TierName;
}

export interface FilterAssessment {
  /**
   * `complete`: every tier satisfied; `partial`: the required tier satisfied, the complete tier not;
   * `missing`: the required tier not satisfied; `invalid`: the pattern does not parse.
   */
  verdict: FilterVerdict;
  misses: FilterFinding[];
  overMatches: FilterFinding[];
  error?: { message: string; column: number; line: number };
}

/**
 * Assesses what a metric filter pattern detects: it satisfies a tier when it matches every mustMatch event
 * and none of the mustIgnore events. Parametric detections need `params` (else DetectionParameterError).
 */
export function assessFilter(patternText: string, detection: Detection, params?: Record<string, string>): FilterAssessment {
  const values = detection.parameters.length > 0 ? resolveParameters(detection, params) : {};
  let pattern: FilterPattern;
  try {
    pattern = parseFilterPattern(patternText);
  } catch (e) {
    if (e instanceof FilterPatternSyntaxError) {
      return { verdict: 'invalid', misses: [], overMatches: [], error: { message: e.message, column: e.column, line: e.line } };
    }
    throw e;
  }
  const misses: FilterFinding[] = [];
  const overMatches: FilterFinding[] = [];
  for (const tierName of TIER_NAMES) {
    const tier = detection.tiers[tierName];
    if (!tier) continue;
    for (const c of tier.mustMatch) {
      if (!matchesEvent(pattern, substitute(c.event, values))) misses.push({ event: c.id, description: `does not match ${c.description}`, tier: tierName });
    }
    for (const c of tier.mustIgnore) {
      if (matchesEvent(pattern, substitute(c.event, values))) overMatches.push({ event: c.id, description: `also matches ${c.description}`, tier: tierName });
    }
  }
  const failed = (t: TierName) => misses.some((f) => f.tier === t) || overMatches.some((f) => f.tier === t);
  const verdict: FilterVerdict = failed('required') ? 'missing' : failed('complete') ? 'partial' : 'complete';
  return { verdict, misses, overMatches };
}

const VERDICT_RANK: Record<FilterVerdict, number> = { complete: 3, partial: 2, missing: 1, invalid: 0 };

/**
 * The pattern that best satisfies the detection (complete > partial > missing > invalid; then fewest
 * findings; then input order), or undefined when `patterns` is empty.
 */
export function bestFilterFor<T extends { id: string; pattern: string }>(
  detection: Detection,
  patterns: readonly T[],
  params?: Record<string, string>,
): { filter: T; assessment: FilterAssessment } | undefined {
  let best: { filter: T; assessment: FilterAssessment } | undefined;
  for (const filter of patterns) {
    const assessment = assessFilter(filter.pattern, detection, params);
    if (!best || better(assessment, best.assessment)) best = { filter, assessment };
  }
  return best;
}

function better(a: FilterAssessment, b: FilterAssessment): boolean {
  if (VERDICT_RANK[a.verdict] !== VERDICT_RANK[b.verdict]) return VERDICT_RANK[a.verdict] > VERDICT_RANK[b.verdict];
  return a.misses.length + a.overMatches.length < b.misses.length + b.overMatches.length;
}

/** One sentence for a report, e.g. "partial: does not match an iam:PutUserPolicy; …". */
export function describeAssessment(a: FilterAssessment): string {
  if (a.verdict === 'invalid') return `invalid: ${a.error?.message ?? 'the pattern does not parse'}`;
  const findings = [...a.misses, ...a.overMatches].map((f) => f.description);
  return findings.length === 0 ? a.verdict : `${a.verdict}: ${findings.join('; ')}`;
}
