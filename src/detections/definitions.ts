// Detection definitions (mappings/detections/*.yaml): what the log engines select (a predicate), the canonical events a
// CloudWatch metric filter must match and ignore (tiers), and the golden events of the selection. Loaded and validated here.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { DetectionDataError, DetectionParameterError, type DetectionDataProblem } from './filter-pattern/errors.js';
import { evaluatePredicate, operatorOf, PredicateError, type Predicate, type PredicateParams } from './predicate.js';

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

/** The evidence lists the engines' selections feed (src/model/cloudtrail.ts DetectionKind, those a selection names). */
export type SelectEvidence =
  | 'root-activity'
  | 'console-login'
  | 'assume-role'
  | 'break-glass-role-assumption'
  | 'break-glass-activity'
  | 'access-key-event'
  | 'logging-tampering'
  | 'iam-policy-change'
  | 'credential-rotation'
  | 'root-session';

/** The configuration values a selection's predicate reads (`globIn` / `inParam`); see selectParams(). */
export const SELECT_PARAMS = ['roles', 'users', 'permissionSetRoles', 'permissionSetRoleArns', 'trailBuckets', 'secrets'] as const;
export type SelectParam = (typeof SELECT_PARAMS)[number];

export interface Selection {
  evidence: SelectEvidence;
  /** `count`: SQL engines fetch only the number of matching records (too many to fetch). */
  volume: 'rows' | 'count';
  where: Predicate;
}

/** Golden records of a selection: each `match` record must be selected, each `ignore` record must not. */
export interface SelectCases {
  params: PredicateParams;
  match: DetectionCase[];
  ignore: DetectionCase[];
}

export interface DetectionDefinition {
  id: string;
  title: string;
  description: string;
  sources: string[];
  parameters: DetectionParameter[];
  tiers?: { required: DetectionTier; complete?: DetectionTier };
  select?: Selection;
  /** The golden records of `select`, references to tier cases resolved (placeholders not yet substituted). */
  events?: { params: Partial<Record<SelectParam, string[]>>; match: DetectionCase[]; ignore: DetectionCase[] };
  /** The YAML file it was loaded from. */
  file: string;
}

/** A definition with filter-pattern tiers: what the alarm checks assess metric filters against. */
export type Detection = DetectionDefinition & { tiers: { required: DetectionTier; complete?: DetectionTier } };

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
export function loadDefinitions(dir: string = defaultDetectionsDir()): DetectionDefinition[] {
  const key = dir;
  const cached = cache.get(key);
  if (cached) return cached;
  const loaded = readDefinitions(dir);
  cache.set(key, loaded);
  return loaded;
}

/** The definitions with filter-pattern tiers (the metric-filter requirement sets of the alarm checks). */
export function loadDetections(dir: string = defaultDetectionsDir()): Detection[] {
  return loadDefinitions(dir).filter((d): d is Detection => d.tiers !== undefined);
}

/** The definitions with a selection, in file order. */
export function loadSelections(dir: string = defaultDetectionsDir()): (DetectionDefinition & { select: Selection })[] {
  return loadDefinitions(dir).filter((d): d is DetectionDefinition & { select: Selection } => d.select !== undefined);
}

const cache = new Map<string, DetectionDefinition[]>();

function readDefinitions(dir: string): DetectionDefinition[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
  } catch (e) {
    throw new DetectionDataError([{ file: dir, path: '', message: `cannot read the detections folder: ${(e as Error).message}` }]);
  }
  if (names.length === 0) throw new DetectionDataError([{ file: dir, path: '', message: 'no detection files (*.yaml) found' }]);
  const schemaPath = existsSync(join(dir, SCHEMA_FILE)) ? join(dir, SCHEMA_FILE) : join(defaultDetectionsDir(), SCHEMA_FILE);
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

  const problems: DetectionDataProblem[] = [];
  const detections: DetectionDefinition[] = [];
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
      type RawCase = DetectionCase | { ref: string };
      const d = data as Omit<DetectionDefinition, 'file' | 'parameters' | 'select' | 'events'> & {
        parameters?: DetectionParameter[];
        select?: { evidence: SelectEvidence; volume?: 'rows' | 'count'; where: Predicate };
        events?: { params?: Partial<Record<SelectParam, string[]>>; match: RawCase[]; ignore?: RawCase[] };
      };
      const expectedId = basename(name).replace(/\.ya?ml$/, '');
      if (d.id !== expectedId) add('/id', `id "${d.id}" must equal the file name "${expectedId}"`);
      if (seen.has(d.id)) add('/id', `duplicate detection id "${d.id}" (also in ${seen.get(d.id)})`);
      seen.set(d.id, file);
      const declared = new Set((d.parameters ?? []).map((p) => p.name));
      (d.parameters ?? []).forEach((p, i) => {
        if (p.derivedFrom && !declared.has(p.derivedFrom.parameter)) add(`/parameters/${i}/derivedFrom/parameter`, `unknown parameter "${p.derivedFrom.parameter}"`);
      });
      const caseIds = new Map<string, string>();
      const tierCases = new Map<string, DetectionCase>();
      for (const tierName of TIER_NAMES) {
        const tier = d.tiers?.[tierName];
        if (!tier) continue;
        for (const list of ['mustMatch', 'mustIgnore'] as const) {
          (tier[list] ?? []).forEach((c, i) => {
            const path = `/tiers/${tierName}/${list}/${i}`;
            if (caseIds.has(c.id)) add(`${path}/id`, `duplicate event id "${c.id}" (also at ${caseIds.get(c.id)})`);
            caseIds.set(c.id, path);
            tierCases.set(c.id, c);
            for (const used of placeholdersIn(c.event)) {
              if (!declared.has(used)) add(`${path}/event`, `placeholder \${${used}} is not a declared parameter`);
            }
          });
        }
      }
      if (d.tiers && d.tiers.required.mustMatch.length === 0) add('/tiers/required/mustMatch', 'the required tier needs at least one event to match');
      if (d.select) checkPredicate(d.select.where, '/select/where', add);
      if (d.events && !d.select) add('/events', 'golden events need a `select` to test');
      const resolve = (list: RawCase[] | undefined, at: string): DetectionCase[] =>
        (list ?? []).flatMap((c, i) => {
          if (!('ref' in c)) {
            if (caseIds.has(c.id)) add(`${at}/${i}/id`, `duplicate event id "${c.id}" (also at ${caseIds.get(c.id)})`);
            caseIds.set(c.id, `${at}/${i}`);
            for (const used of placeholdersIn(c.event)) if (!declared.has(used)) add(`${at}/${i}/event`, `placeholder \${${used}} is not a declared parameter`);
            return [c];
          }
          const found = tierCases.get(c.ref);
          if (!found) add(`${at}/${i}/ref`, `no tier case has the id "${c.ref}"`);
          return found ? [found] : [];
        });
      const events = d.events && { params: d.events.params ?? {}, match: resolve(d.events.match, '/events/match'), ignore: resolve(d.events.ignore, '/events/ignore') };
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
          ...(d.tiers && { tiers: d.tiers.complete ? { required: tier(d.tiers.required), complete: tier(d.tiers.complete) } : { required: tier(d.tiers.required) } }),
          ...(d.select && { select: { evidence: d.select.evidence, volume: d.select.volume ?? 'rows', where: d.select.where } }),
          ...(events && { events }),
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
export function resolveParameters(detection: DetectionDefinition, params: Record<string, string> = {}): Record<string, string> {
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


/** A predicate the schema accepts but the engines could not evaluate (two operators in one condition). */
function checkPredicate(p: Predicate, at: string, add: (path: string, message: string) => void): void {
  if ('all' in p) p.all.forEach((q, i) => checkPredicate(q, `${at}/all/${i}`, add));
  else if ('any' in p) p.any.forEach((q, i) => checkPredicate(q, `${at}/any/${i}`, add));
  else if ('not' in p) checkPredicate(p.not, `${at}/not`, add);
  else {
    try {
      operatorOf(p);
    } catch (e) {
      add(at, (e as PredicateError).message);
    }
  }
}

/**
 * The golden records of a definition's selection, placeholders filled with the parameters' examples: what the
 * scanner and every SQL engine must select (`match`) and leave out (`ignore`).
 */
export function selectCases(d: DetectionDefinition): { params: PredicateParams; match: DetectionCase[]; ignore: DetectionCase[] }[] {
  if (!d.select || !d.events) return [];
  const examples: Record<string, string> = {};
  for (const p of d.parameters) if (p.example !== undefined) examples[p.name] = p.example;
  const values = d.parameters.length ? resolveParameters(d, examples) : {};
  const fill = (c: DetectionCase): DetectionCase => ({ ...c, event: substitute(c.event, values) });
  const params: PredicateParams = Object.fromEntries(SELECT_PARAMS.map((k) => [k, d.events!.params[k] ?? []]));
  return [{ params, match: d.events.match.map(fill), ignore: d.events.ignore.map(fill) }];
}

/** Does the definition's selection take this record (parsed JSON)? */
export function selects(d: DetectionDefinition & { select: Selection }, record: unknown, params: PredicateParams): boolean {
  return evaluatePredicate(d.select.where, record, params);
}
