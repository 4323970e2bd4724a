// Terraform collector: .tf configurations and `terraform show -json` plans → InfraSnapshot[] (one per root / plan).

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { InfraSnapshot } from '../../model/infra.js';
import { ConfigLoader, ModuleInstance } from './config.js';
import { FileReader, relPath } from './files.js';
import { hclParser } from './hcl.js';
import { normalise } from './normalise.js';
import { readPlan } from './plan.js';

export { parseHcl, parseHclWith, hclParser, type HclBody, type HclBlock, type HclAttribute, type Expr, type ParseResult } from './hcl.js';
export { SUPPORTED_TYPES } from './normalise.js';

export interface TerraformOptions {
  /** Root module folders (or single .tf files), relative to baseDir or absolute. */
  paths: string[];
  /** `terraform show -json <planfile>` documents. */
  planJson?: string[];
  /** Extra .tfvars / .tfvars.json files, applied after the auto-loaded ones, in order. */
  varFiles?: string[];
  /** The config file's folder: relative paths resolve against it and locations are relative to it. */
  baseDir: string;
}

function dedupe(problems: EvidenceProblem[]): EvidenceProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.level, p.message, p.location]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Collects one root module (folder or file) with its local modules into a snapshot. */
export async function collectTerraformRoot(path: string, baseDir: string, varFiles: string[] = []): Promise<InfraSnapshot> {
  const abs = resolve(baseDir, path);
  const root = relPath(baseDir, abs);
  const reader = new FileReader(baseDir, abs);
  const problems: EvidenceProblem[] = [];
  const snapshot = (extra: Partial<InfraSnapshot> = {}): InfraSnapshot => ({
    origin: 'terraform',
    root,
    entities: [],
    files: reader.files,
    problems: dedupe([...reader.problems, ...problems]),
    ...extra,
  });
  if (!existsSync(abs)) {
    problems.push({ level: 'error', message: `Terraform path ${root} does not exist`, location: { file: root } });
    return snapshot();
  }
  const isDir = statSync(abs).isDirectory();
  if (isDir && reader.moduleFiles(abs).length === 0) {
    problems.push({ level: 'error', message: `Terraform path ${root} contains no .tf files (Terraform reads only the folder itself, not sub-folders)`, location: { file: root } });
    return snapshot();
  }
  const loader = new ConfigLoader(await hclParser(), reader, problems);
  const rootDir = isDir ? abs : dirname(abs);
  const def = loader.loadModule(abs);
  const vars = loader.loadVarFiles(rootDir, varFiles.map((v) => resolve(baseDir, v)));
  for (const [name, v] of vars) {
    if (!def.variables.has(name)) problems.push({ level: 'warning', message: `value given for undeclared variable "${name}"`, location: v.at });
  }
  const rootModule = new ModuleInstance(loader, def, '', vars, [rootDir]);
  const entities = normalise(rootModule.allResources(), 'terraform', problems);
  // Variable files may hold secrets: hash them for the index, but never offer their bytes for copying.
  const files = reader.files.map((f) => (/\.tfvars(\.json)?$/.test(f.path) ? { path: f.path, sha256: f.sha256, size: f.size } : f));
  return snapshot({ entities, files });
}

/** Collects a plan document (`terraform show -json plan.out > plan.json`) into a snapshot. */
export function collectTerraformPlan(path: string, baseDir: string): InfraSnapshot {
  const abs = resolve(baseDir, path);
  const root = relPath(baseDir, abs);
  const reader = new FileReader(baseDir, dirname(abs));
  const problems: EvidenceProblem[] = [];
  let entities: InfraSnapshot['entities'] = [];
  if (!existsSync(abs)) {
    problems.push({ level: 'error', message: `plan file ${root} does not exist`, location: { file: root } });
  } else {
    const f = reader.read(abs);
    if (f) entities = normalise(readPlan(f.text, f.rel, problems), 'terraform-plan', problems);
  }
  // Plans carry sensitive values in clear text: hashed for the index, bytes never offered for copying.
  const files = reader.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size }));
  return { origin: 'terraform-plan', root, entities, files, problems: dedupe([...reader.problems, ...problems]) };
}

/** An unexpected failure still yields a snapshot for its root, with the failure as its problem. */
function failed(origin: InfraSnapshot['origin'], path: string, baseDir: string, e: unknown): InfraSnapshot {
  const root = relPath(baseDir, resolve(baseDir, path));
  const message = `internal error while collecting ${root}: ${(e as Error)?.message ?? String(e)}; nothing from it counts as evidence`;
  return { origin, root, entities: [], files: [], problems: [{ level: 'error', message, location: { file: root } }] };
}

/** One snapshot per configured root path, then one per plan file; problems are recorded, never thrown. */
export async function collectTerraform(opts: TerraformOptions): Promise<InfraSnapshot[]> {
  const out: InfraSnapshot[] = [];
  for (const p of opts.paths) {
    try {
      out.push(await collectTerraformRoot(p, opts.baseDir, opts.varFiles ?? []));
    } catch (e) {
      out.push(failed('terraform', p, opts.baseDir, e));
    }
  }
  for (const p of opts.planJson ?? []) {
    try {
      out.push(collectTerraformPlan(p, opts.baseDir));
    } catch (e) {
      out.push(failed('terraform-plan', p, opts.baseDir, e));
    }
  }
  return out;
}
