// Loads mappings/ (controls, catalogues, frameworks, related controls): schema-validated YAML; unknown or duplicate ids, and ids not in their catalogue, are errors.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { EvidencePackError } from '../errors.js';
import { MAPPINGS_DIR } from '../paths.js';

export interface ControlRequirement {
  id: string;
  text: string;
  checks?: string[];
  /** Checks on optional evidence, counted only when that evidence was configured. */
  supporting?: string[];
  pending?: string;
}
export interface CriterionDef {
  id: string;
  text: string;
  checks?: string[];
  /** Checks on optional evidence, counted only when that evidence was configured. */
  supporting?: string[];
  pending?: string;
  action: string;
}
export interface LevelDef {
  level: number;
  name: string;
  description: string;
  criteria: CriterionDef[];
}
export interface ControlDef {
  id: string;
  title: string;
  source: string;
  description: string;
  requirements: ControlRequirement[];
  evidence: { type: string; required: boolean; description: string; kinds: string[] }[];
  maturity: LevelDef[];
}
/** A framework's catalogue (mappings/catalogues/): the official ids our mappings may name, with their sources. */
export interface CatalogueDef {
  id: string;
  name: string;
  /** How a citation names the framework before an id ("C5:2020 IDM-06"). */
  shortName: string;
  version: string;
  /** `draft`: not adopted, so its ids cannot be cross-checked against an adopted catalogue. */
  status: 'final' | 'draft';
  statusNote?: string;
  publisher: string;
  source: { document: string; eli?: string; url?: string };
  /** `own-words`: titles are our summaries, the official text not being free to copy. */
  titles: 'official' | 'own-words';
  partial: boolean;
  scope?: string;
  /** A versioned catalogue (CIS): each item's official id per version is in `ids`, its `id` is a stable key. */
  versions?: string[];
  items: { id: string; title: string; ids?: Record<string, string> }[];
}
export interface FrameworkControlDef {
  /** The catalogue id (a versioned catalogue's stable key). */
  id: string;
  requirements?: string[];
  checks?: string[];
  /** Checks on optional evidence, counted only when that evidence was configured. */
  supporting?: string[];
  /** Maturity criteria shown as supporting the control; they do not decide its status. */
  criteria?: string[];
  /** What must be verified by hand; the control is at best `manual` until then. */
  manual?: string;
  note?: string;
}
export interface SeedStatementDef {
  /** The id as seed 000 writes it; it need not be in the catalogue. */
  id: string;
  text: string;
  correspondsTo: string[];
  note?: string;
}
/** mappings/frameworks/<id>.yaml as written. */
export interface FrameworkMappingDef {
  id: string;
  catalogue: string;
  seed?: { source: string; statements: SeedStatementDef[] };
  controls: FrameworkControlDef[];
}
/** A framework as the report sees it: a mapping resolved against its catalogue (one per version of a versioned catalogue). */
export interface FrameworkDef {
  id: string;
  name: string;
  version: string;
  /** In the report unless --framework selects otherwise (of a versioned catalogue, only the latest version). */
  default: boolean;
  catalogue: CatalogueDef;
  seed?: { source: string; statements: SeedStatementDef[] };
  controls: (FrameworkControlDef & { title: string; key: string; idsByVersion?: string })[];
}
export interface RelatedControlDef {
  id: string;
  title: string;
  source: string;
  severity: string;
  checks?: string[];
  manual?: string;
  frameworks: Record<string, string[]>;
}
export interface Mappings {
  control: ControlDef;
  /** Every framework, in id order (a versioned catalogue's versions in catalogue order). */
  frameworks: FrameworkDef[];
  /** aws-ir-01 … 07 (seed 003) and CIS root-usage monitoring (seed 004). */
  related: RelatedControlDef[];
  /** Every catalogue, by id: the official ids each mapping is checked against. */
  catalogues: Map<string, CatalogueDef>;
}

function loadDir<T>(dir: string, schemaFile: string): { file: string; data: T }[] {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(MAPPINGS_DIR, 'schemas', schemaFile), 'utf8')));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const data = parse(readFileSync(file, 'utf8')) as T;
      if (!validate(data)) {
        throw new EvidencePackError('INPUT_INVALID', `mapping ${file} does not match ${schemaFile}`, {
          details: (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message}`),
        });
      }
      return { file, data };
    });
}

/** A versioned item's ids over runs of consecutive versions with the same id. */
export function versionRuns(versions: string[], ids: Record<string, string>): { range: string; id: string }[] {
  const runs: { from: number; to: number; id: string }[] = [];
  versions.forEach((v, i) => {
    const id = ids[v];
    const last = runs[runs.length - 1];
    if (id === undefined) return;
    if (last && last.id === id && last.to === i - 1) last.to = i;
    else runs.push({ from: i, to: i, id });
  });
  return runs.map((r) => ({ id: r.id, range: r.from === r.to ? `v${versions[r.from]}` : `v${versions[r.from]}–v${versions[r.to]}` }));
}

/** "v1.4.0–v5.0.0: 4.3; v6.0.0–v7.0.0: 5.3" */
export function versionRanges(versions: string[], ids: Record<string, string>): string {
  return versionRuns(versions, ids).map((r) => `${r.range}: ${r.id}`).join('; ');
}

/** The frameworks a mapping yields: one, or one per version of a versioned catalogue (the latest is the default). */
function resolveFramework(m: FrameworkMappingDef, cat: CatalogueDef): FrameworkDef[] {
  const byId = new Map(cat.items.map((i) => [i.id, i]));
  if (!cat.versions) {
    return [{ id: m.id, name: cat.name, version: cat.version, default: true, catalogue: cat, seed: m.seed, controls: m.controls.map((c) => ({ ...c, key: c.id, title: byId.get(c.id)!.title })) }];
  }
  const versions = cat.versions;
  return versions.map((v, i) => ({
    id: `${m.id}-v${v}`,
    name: `${cat.name} v${v}`,
    version: v,
    default: i === versions.length - 1,
    catalogue: cat,
    seed: m.seed,
    controls: m.controls
      .filter((c) => byId.get(c.id)!.ids?.[v] !== undefined)
      .map((c) => {
        const item = byId.get(c.id)!;
        const byVersion = versionRanges(versions, item.ids!);
        return { ...c, key: c.id, id: item.ids![v], title: item.title, idsByVersion: byVersion };
      }),
  }));
}

/** Problems of one catalogue: duplicate ids; a versioned catalogue's per-version ids complete and unique. */
function catalogueProblems(file: string, cat: CatalogueDef): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const item of cat.items) {
    if (seen.has(item.id)) problems.push(`${file}: duplicate id ${item.id}`);
    seen.add(item.id);
    if (!cat.versions && item.ids) problems.push(`${file}: ${item.id} has per-version ids but the catalogue lists no versions`);
    if (cat.versions && !item.ids) problems.push(`${file}: ${item.id} has no per-version ids`);
    for (const v of Object.keys(item.ids ?? {})) if (!cat.versions?.includes(v)) problems.push(`${file}: ${item.id} gives an id for version ${v}, which the catalogue does not list`);
  }
  for (const v of cat.versions ?? []) {
    const ids = cat.items.map((i) => i.ids?.[v]).filter((x): x is string => x !== undefined);
    for (const id of ids.filter((x, i) => ids.indexOf(x) !== i)) problems.push(`${file}: id ${id} is given to two items in version ${v}`);
  }
  return problems;
}

/**
 * Loads and cross-checks the mappings: every referenced check, requirement and maturity criterion must exist,
 * every framework and related-control id must be in its catalogue (mappings/catalogues/), ids must be unique.
 */
export function loadMappings(checkIds: Set<string>, dir = MAPPINGS_DIR): Mappings {
  const controls = loadDir<ControlDef>(join(dir, 'controls'), 'control.schema.json');
  const catalogueFiles = loadDir<CatalogueDef>(join(dir, 'catalogues'), 'catalogue.schema.json');
  // In id order ("dora" before "dora-rts"), not file-name order.
  const mappingFiles = loadDir<FrameworkMappingDef>(join(dir, 'frameworks'), 'framework.schema.json').sort((a, b) => (a.data.id < b.data.id ? -1 : a.data.id > b.data.id ? 1 : 0));
  const relatedFiles = loadDir<{ controls: RelatedControlDef[] }>(join(dir, 'related'), 'related.schema.json');
  const related = relatedFiles.flatMap((f) => f.data.controls);
  const problems: string[] = [];
  const control = controls.find((c) => c.data.id === 'WAF-SOV-070')?.data;
  if (!control) throw new EvidencePackError('INPUT_INVALID', `mappings: control WAF-SOV-070 not found in ${join(dir, 'controls')}`);

  const dup = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) (seen.has(id) ? problems.push(`duplicate ${what} id ${id}`) : seen.add(id));
  };
  dup(control.requirements.map((r) => r.id), 'requirement');
  dup(control.maturity.flatMap((l) => l.criteria.map((c) => c.id)), 'criterion');
  const referenced = [...control.requirements.flatMap((r) => [...(r.checks ?? []), ...(r.supporting ?? [])]), ...control.maturity.flatMap((l) => l.criteria.flatMap((c) => [...(c.checks ?? []), ...(c.supporting ?? [])]))];
  for (const id of referenced) if (!checkIds.has(id)) problems.push(`${control.id}: unknown check id ${id}`);

  const catalogues = new Map<string, CatalogueDef>();
  const catalogueFile = new Map<string, string>();
  const namedAfter = (file: string, id: string) => basename(file) === `${id}.yaml` || problems.push(`${file}: the file name must be ${id}.yaml, after its id`);
  for (const { file, data } of catalogueFiles) {
    namedAfter(file, data.id);
    problems.push(...catalogueProblems(file, data));
    if (catalogues.has(data.id)) problems.push(`${file}: duplicate catalogue id ${data.id}`);
    catalogues.set(data.id, data);
    catalogueFile.set(data.id, file);
  }
  const inCatalogue = (catId: string, id: string) => catalogues.get(catId)!.items.some((i) => i.id === id);
  const notIn = (catId: string) => `not in catalogue ${catId} (${catalogueFile.get(catId)})`;

  const reqIds = new Set(control.requirements.map((r) => r.id));
  const criterionIds = new Set(control.maturity.flatMap((l) => l.criteria.map((c) => c.id)));
  const frameworks: FrameworkDef[] = [];
  for (const { file, data } of mappingFiles) {
    namedAfter(file, data.id);
    const cat = catalogues.get(data.catalogue);
    if (!cat) {
      problems.push(`${file}: catalogue ${data.catalogue} not found in ${join(dir, 'catalogues')}`);
      continue;
    }
    dup(data.controls.map((c) => c.id), `${data.id} control`);
    let resolvable = true;
    for (const c of data.controls) {
      if (!inCatalogue(cat.id, c.id)) {
        problems.push(`${file}: control "${c.id}" is ${notIn(cat.id)}`);
        resolvable = false;
      }
      for (const r of c.requirements ?? []) if (!reqIds.has(r)) problems.push(`${file}: ${c.id} names unknown requirement ${r}`);
      for (const k of [...(c.checks ?? []), ...(c.supporting ?? [])]) if (!checkIds.has(k)) problems.push(`${file}: ${c.id} names unknown check id ${k}`);
      for (const k of c.criteria ?? []) if (!criterionIds.has(k)) problems.push(`${file}: ${c.id} names unknown maturity criterion ${k}`);
    }
    for (const st of data.seed?.statements ?? []) {
      for (const id of st.correspondsTo) if (!inCatalogue(cat.id, id)) problems.push(`${file}: seed statement ${st.id} corresponds to "${id}", which is ${notIn(cat.id)}`);
      if (inCatalogue(cat.id, st.id) && !st.correspondsTo.includes(st.id)) problems.push(`${file}: seed statement ${st.id} is a catalogue id but does not correspond to itself`);
      if (!inCatalogue(cat.id, st.id) && !st.note) problems.push(`${file}: seed statement ${st.id} is not a catalogue id: say why in its note`);
    }
    if (resolvable) frameworks.push(...resolveFramework(data, cat));
  }
  dup(frameworks.map((f) => f.id), 'framework');

  dup(related.map((c) => c.id), 'related control');
  for (const c of related) {
    for (const id of c.checks ?? []) if (!checkIds.has(id)) problems.push(`related control ${c.id}: unknown check id ${id}`);
    for (const [catId, ids] of Object.entries(c.frameworks)) {
      if (!catalogues.has(catId)) {
        problems.push(`related control ${c.id}: catalogue ${catId} not found in ${join(dir, 'catalogues')}`);
        continue;
      }
      for (const id of ids) if (!inCatalogue(catId, id)) problems.push(`related control ${c.id}: "${id}" is ${notIn(catId)}`);
    }
  }
  const levels = control.maturity.map((l) => l.level);
  if (levels.some((l, i) => l !== i + 1)) problems.push(`${control.id}: maturity levels must be 1..N in order, got ${levels.join(', ')}`);
  if (problems.length) throw new EvidencePackError('INPUT_INVALID', `mappings in ${dir} are inconsistent`, { details: problems });
  return { control, frameworks, related, catalogues };
}

/**
 * The frameworks named by `ids` (each a framework id in any case, or `all`), in mapping order; without ids, the default ones.
 * An unknown id is a usage error that lists the known ones.
 */
export function selectFrameworks(frameworks: FrameworkDef[], ids?: string[]): FrameworkDef[] {
  if (ids === undefined) return frameworks.filter((f) => f.default);
  const wanted = new Set(ids.map((s) => s.trim().toLowerCase()).filter(Boolean));
  if (wanted.has('all')) return frameworks;
  const unknown = [...wanted].filter((id) => !frameworks.some((f) => f.id === id));
  if (unknown.length || wanted.size === 0) {
    throw new EvidencePackError('USAGE', unknown.length ? `--framework: unknown framework ${unknown.map((u) => `"${u}"`).join(', ')}` : '--framework: no framework named', {
      hint: `known frameworks: ${frameworks.map((f) => f.id).join(', ')}, or all (evidence-pack --list-frameworks describes them)`,
    });
  }
  return frameworks.filter((f) => wanted.has(f.id));
}
