// Terraform collector: .tf configurations and `terraform show -json` plans → InfraSnapshot[] (one per root / plan).

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { Entity, InfraSnapshot } from '../../model/infra.js';
import { ConfigLoader, ModuleInstance } from './config.js';
import { FileReader, relPath } from './files.js';
import { hclParser } from './hcl.js';
import { normalise } from './normalise.js';
import { readPlan } from './plan.js';
import { findModuleTree, MAX_FOLDERS } from './roots.js';

export { parseHcl, parseHclWith, hclParser, type HclBody, type HclBlock, type HclAttribute, type Expr, type ParseResult } from './hcl.js';
export { SUPPORTED_TYPES } from './normalise.js';

export interface TerraformOptions {
  /**
   * Folders searched for root modules (the folder itself when it holds .tf files, and every root module below it,
   * see roots.ts), or single .tf files; relative to baseDir or absolute.
   */
  paths: string[];
  /** Root module folders read as they are, without searching below them (a changed-file list mapped to its roots). */
  roots?: string[];
  /** `terraform show -json <planfile>` documents. */
  planJson?: string[];
  /** Extra .tfvars / .tfvars.json files, applied after the auto-loaded ones, in order. */
  varFiles?: string[];
  /** The config file's folder: relative paths resolve against it and locations are relative to it. */
  baseDir: string;
  /** Folders searched below each path at most (default MAX_FOLDERS in roots.ts); beyond, the search stops and says so. */
  maxFolders?: number;
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
    problems.push({ level: 'error', message: `Terraform path ${root} does not exist`, location: { file: root }, skip: 'not-found' });
    return snapshot();
  }
  const isDir = statSync(abs).isDirectory();
  if (isDir && reader.moduleFiles(abs).length === 0) {
    problems.push({ level: 'error', message: `Terraform path ${root} contains no .tf files in it or its sub-folders`, location: { file: root } });
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
    problems.push({ level: 'error', message: `plan file ${root} does not exist`, location: { file: root }, skip: 'not-found' });
  } else {
    const f = reader.read(abs, { evidence: true });
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

/**
 * The root modules to read: each folder path stands for the root modules found in its tree (itself included
 * when it holds .tf files); a file path, a missing path or a folder with no Terraform stays as given (its
 * snapshot reports why). Roots reached twice are read once.
 */
export async function rootPaths(opts: Pick<TerraformOptions, 'paths' | 'roots' | 'baseDir' | 'maxFolders'>, problems: EvidenceProblem[] = []): Promise<string[]> {
  const out: string[] = [];
  const add = (p: string) => {
    if (!out.includes(p)) out.push(p);
  };
  for (const p of opts.paths) {
    const abs = resolve(opts.baseDir, p);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      add(abs);
      continue;
    }
    const tree = findModuleTree(await hclParser(), abs, opts.maxFolders);
    if (tree.truncated) {
      // Never a silent pass: root modules beyond the bound are not read, so an absence is not proven.
      const rel = relPath(opts.baseDir, abs);
      problems.push({ level: 'warning', message: `${rel}: the search for root modules stopped after ${opts.maxFolders ?? MAX_FOLDERS} folders; root modules beyond them are not read (give their folders instead)`, location: { file: rel }, skip: 'too-large' });
    }
    if (tree.roots.length === 0) add(abs);
    for (const r of tree.roots) add(r);
  }
  for (const r of opts.roots ?? []) add(resolve(opts.baseDir, r));
  return out;
}

/**
 * One snapshot per root module, then one per plan file; problems are recorded, never thrown. When more than one
 * is read, every entity id is prefixed with its root (`infra/logging#aws_cloudtrail.main`), so findings name
 * their root and the same address in two roots stays two resources.
 */
export async function collectTerraform(opts: TerraformOptions): Promise<InfraSnapshot[]> {
  const out: InfraSnapshot[] = [];
  const searchProblems: EvidenceProblem[] = [];
  for (const p of await rootPaths(opts, searchProblems)) {
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
  if (searchProblems.length && out.length) out[0] = { ...out[0], problems: [...searchProblems, ...out[0].problems] };
  return out.length > 1 ? out.map((s) => ({ ...s, entities: prefixIds(s.entities, `${s.root}#`) })) : out;
}

/** Prefixes entity ids, the references between them and the resource addresses in locations. */
function prefixIds(entities: Entity[], prefix: string): Entity[] {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (k === 'ref' || k === 'pointer' || k === 'symbol') && typeof x === 'string' ? `${prefix}${x}` : walk(x)]));
  };
  return entities.map((e) => ({ ...(walk(e) as Entity), id: `${prefix}${e.id}` }));
}
