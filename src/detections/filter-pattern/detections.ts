// Detections: canonical CloudTrail events a metric filter must match / ignore, loaded from mappings/detections/,
// and the semantic assessment of a filter pattern against them (complete / partial / missing / invalid).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { DetectionDataError, DetectionParameterError, FilterPatternSyntaxError, type DetectionDataProblem } from './errors.js';
import { parseFilterPattern } from './parser.js';
import { matchesEvent } from './evaluate.js';
import type { FilterPattern } from './ast.js';

export type TierName = 'required' | 'complete';
export const TIER_NAMES: readonly TierName[] = ['required', 'complete'];

export interface DetectionCase {
  id: string;
  /** Noun phrase, e.g. "a root ConsoleLogin". */
  description: string;
  source?: string;
  /** A CloudTrail record; may contain ${parameter} placeholders. */
  event: Record<string, unknown>;
}

export interface DetectionTier {
  description: string;
  mustMatch: DetectionCase[];
  mustIgnore: DetectionCase[];
}

export interface DetectionParameter {
  name: string;
  description: string;
  example?: string;
  derivedFrom?: { parameter: string; part: 'account' | 'resourceName' };
}

export interface Detection {
  id: string;
  title: string;
  description: string;
  sources: string[];
  parameters: DetectionParameter[];
  tiers: { required: DetectionTier; complete?: DetectionTier };
  /** The YAML file it was loaded from. */
  file: string;
}

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

const SCHEMA_FILE = 'detection.schema.json';
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** mappings/detections/ of this package, found from src/… or dist/… by walking up to package.json. */
export function defaultDetectionsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'mappings', 'detections');
    const parent = dirname(dir);
    if (parent === dir) throw new DetectionDataError([{ file: fileURLToPath(import.meta.url), path: '', message: 'cannot find the package root (package.json) above this module' }]);
    dir = parent;
  }
}

/**
 * Loads and validates every `<id>.yaml` in `dir` against `detection.schema.json` (also in `dir`, else in the
 * package's mappings/detections/). Throws DetectionDataError listing every problem with file, JSON path and line.
 */
export function loadDetections(dir: string = defaultDetectionsDir()): Detection[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
  } catch (e) {
    throw new DetectionDataError([{ file: dir, path: '', message: `cannot read the detections folder: ${(e as Error).message}` }]);
  }
  if (names.length === 0) throw new DetectionDataError([{ file: dir, path: '', message: 'no detection files (*.yaml) found' }]);
  const schemaPath = existsSync(join(dir, SCHEMA_FILE)) ? join(dir, SCHEMA_FILE) : join(defaultDetectionsDir(), SCHEMA_FILE);
  const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

  const problems: DetectionDataProblem[] = [];
  const detections: Detection[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const lineCounter = new LineCounter();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ file, path: '', message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) problems.push({ file, path: '', line: lineCounter.linePos(err.pos[0]).line, message: `YAML: ${err.message.split('\n')[0]}` });
      continue;
    }
    const data: unknown = doc.toJS();
    const lineOf = (pointer: string): number | undefined => {
      const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      for (let n = segments.length; n >= 0; n--) {
        const node = doc.getIn(segments.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s)), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    };
    const fileProblems: DetectionDataProblem[] = [];
    const add = (path: string, message: string) => fileProblems.push({ file, path, line: lineOf(path), message });
    if (!validate(data)) {
      for (const err of validate.errors ?? []) add(err.instancePath, schemaMessage(err));
    } else {
      const d = data as Omit<Detection, 'file' | 'parameters'> & { parameters?: DetectionParameter[] };
      const expectedId = basename(name).replace(/\.ya?ml$/, '');
      if (d.id !== expectedId) add('/id', `id "${d.id}" must equal the file name "${expectedId}"`);
      if (seen.has(d.id)) add('/id', `duplicate detection id "${d.id}" (also in ${seen.get(d.id)})`);
      seen.set(d.id, file);
      const declared = new Set((d.parameters ?? []).map((p) => p.name));
      (d.parameters ?? []).forEach((p, i) => {
        if (p.derivedFrom && !declared.has(p.derivedFrom.parameter)) add(`/parameters/${i}/derivedFrom/parameter`, `unknown parameter "${p.derivedFrom.parameter}"`);
      });
      const caseIds = new Map<string, string>();
      for (const tierName of TIER_NAMES) {
        const tier = d.tiers[tierName];
        if (!tier) continue;
        for (const list of ['mustMatch', 'mustIgnore'] as const) {
          (tier[list] ?? []).forEach((c, i) => {
            const path = `/tiers/${tierName}/${list}/${i}`;
            if (caseIds.has(c.id)) add(`${path}/id`, `duplicate event id "${c.id}" (also at ${caseIds.get(c.id)})`);
            caseIds.set(c.id, path);
            for (const used of placeholdersIn(c.event)) {
              if (!declared.has(used)) add(`${path}/event`, `placeholder \${${used}} is not a declared parameter`);
            }
          });
        }
      }
      if (d.tiers.required.mustMatch.length === 0) add('/tiers/required/mustMatch', 'the required tier needs at least one event to match');
      if (fileProblems.length === 0) {
        const tier = (t: { description: string; mustMatch: DetectionCase[]; mustIgnore?: DetectionCase[] }): DetectionTier => ({
          description: t.description,
          mustMatch: t.mustMatch,
          mustIgnore: t.mustIgnore ?? [],
        });
        detections.push({
          id: d.id,
          title: d.title,
          description: d.description,
          sources: d.sources,
          parameters: d.parameters ?? [],
          tiers: d.tiers.complete ? { required: tier(d.tiers.required), complete: tier(d.tiers.complete) } : { required: tier(d.tiers.required) },
          file,
        });
      }
    }
    problems.push(...fileProblems);
  }
  if (problems.length > 0) throw new DetectionDataError(problems);
  return detections;
}

function schemaMessage(err: ErrorObject): string {
  if (err.keyword === 'additionalProperties') return `unknown property "${(err.params as { additionalProperty: string }).additionalProperty}"`;
  if (err.keyword === 'required') return `missing required property "${(err.params as { missingProperty: string }).missingProperty}"`;
  if (err.keyword === 'enum') return `${err.message}: ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return err.message ?? err.keyword;
}

function placeholdersIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) out.add(m[1]);
  else if (Array.isArray(value)) value.forEach((v) => placeholdersIn(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => placeholdersIn(v, out));
  return out;
}

/**
 * The values for a detection's placeholders: given ones, plus those derived from an ARN parameter.
 * Throws DetectionParameterError naming every parameter that is neither given nor derivable.
 */
export function resolveParameters(detection: Detection, params: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of detection.parameters) if (typeof params[p.name] === 'string' && params[p.name] !== '') values[p.name] = params[p.name];
  for (const p of detection.parameters) {
    if (values[p.name] !== undefined || !p.derivedFrom) continue;
    const arn = values[p.derivedFrom.parameter];
    const derived = arn === undefined ? undefined : arnPart(arn, p.derivedFrom.part);
    if (derived) values[p.name] = derived;
  }
  const missing = detection.parameters.filter((p) => values[p.name] === undefined).map((p) => p.name);
  if (missing.length > 0) throw new DetectionParameterError(detection.id, missing);
  return values;
}

function arnPart(arn: string, part: 'account' | 'resourceName'): string | undefined {
  const m = /^arn:[^:]+:[^:]*:[^:]*:([0-9]{12}|aws)?:(.+)$/.exec(arn);
  if (!m) return undefined;
  if (part === 'account') return m[1] && m[1] !== 'aws' ? m[1] : undefined;
  const name = m[2].split(/[/:]/).pop();
  return name === '' ? undefined : name;
}

/** Replaces ${name} in every string of `value` (deep copy). */
export function substitute<T>(value: T, values: Record<string, string>): T {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole) as T;
  if (Array.isArray(value)) return value.map((v) => substitute(v, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)])) as T;
  }
  return value;
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
