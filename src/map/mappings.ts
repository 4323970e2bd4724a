// Loads mappings/ (controls, frameworks): schema-validated YAML; unknown or duplicate ids are errors.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
export interface FrameworkDef {
  id: string;
  name: string;
  version: string;
  controls: { id: string; title: string; maps: Record<string, string[]> }[];
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
  frameworks: FrameworkDef[];
  /** aws-ir-01 … 07 (seed 003) and CIS root-usage monitoring (seed 004). */
  related: RelatedControlDef[];
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

/**
 * Loads and cross-checks the mappings against the registered check ids: every referenced check and
 * requirement must exist, ids must be unique.
 */
export function loadMappings(checkIds: Set<string>, dir = MAPPINGS_DIR): Mappings {
  const controls = loadDir<ControlDef>(join(dir, 'controls'), 'control.schema.json');
  const frameworks = loadDir<FrameworkDef>(join(dir, 'frameworks'), 'framework.schema.json');
  const related = loadDir<{ controls: RelatedControlDef[] }>(join(dir, 'related'), 'related.schema.json').flatMap((f) => f.data.controls);
  const problems: string[] = [];
  const control = controls.find((c) => c.data.id === 'WAF-SOV-070')?.data;
  if (!control) throw new EvidencePackError('INPUT_INVALID', `mappings: control WAF-SOV-070 not found in ${join(dir, 'controls')}`);

  const dup = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) (seen.has(id) ? problems.push(`duplicate ${what} id ${id}`) : seen.add(id));
  };
  dup(control.requirements.map((r) => r.id), 'requirement');
  dup(control.maturity.flatMap((l) => l.criteria.map((c) => c.id)), 'criterion');
  dup(frameworks.map((f) => f.data.id), 'framework');
  const referenced = [...control.requirements.flatMap((r) => [...(r.checks ?? []), ...(r.supporting ?? [])]), ...control.maturity.flatMap((l) => l.criteria.flatMap((c) => c.checks ?? []))];
  for (const id of referenced) if (!checkIds.has(id)) problems.push(`${control.id}: unknown check id ${id}`);
  dup(related.map((c) => c.id), 'related control');
  for (const c of related) for (const id of c.checks ?? []) if (!checkIds.has(id)) problems.push(`related control ${c.id}: unknown check id ${id}`);
  const reqIds = new Set(control.requirements.map((r) => r.id));
  for (const { file, data } of frameworks) {
    dup(data.controls.map((c) => c.id), `${data.id} control`);
    for (const c of data.controls) {
      for (const [controlId, reqs] of Object.entries(c.maps)) {
        if (controlId !== control.id) problems.push(`${file}: ${c.id} maps to unknown control ${controlId}`);
        for (const r of reqs) if (!reqIds.has(r)) problems.push(`${file}: ${c.id} maps to unknown requirement ${r}`);
      }
    }
  }
  const levels = control.maturity.map((l) => l.level);
  if (levels.some((l, i) => l !== i + 1)) problems.push(`${control.id}: maturity levels must be 1..N in order, got ${levels.join(', ')}`);
  if (problems.length) throw new EvidencePackError('INPUT_INVALID', `mappings in ${dir} are inconsistent`, { details: problems });
  return { control, frameworks: frameworks.map((f) => f.data), related };
}
