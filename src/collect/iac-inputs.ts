// Sorts the paths given to `evidence-pack iac` into Terraform folders and roots, plan JSON, var files and CloudFormation templates; finds the git root.

import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { EvidencePackError } from '../errors.js';
import { hclParser } from './terraform/hcl.js';
import { findModuleTree, rootsOf, type ModuleTree } from './terraform/roots.js';

export interface IacInputs {
  /** Folders searched for Terraform root modules (each folder given that holds Terraform in its tree). */
  terraform: string[];
  /** Root module folders of the Terraform files given (a changed-file list), read without searching below them. */
  roots: string[];
  /** `terraform show -json` documents. */
  planJson: string[];
  varFiles: string[];
  /** CloudFormation / CDK templates or folders of them. */
  cloudformation: string[];
  /** Files given that are not IaC (a pre-commit list holds any changed file): not read. */
  ignored: string[];
}

const TEMPLATE_EXT = new Set(['.yaml', '.yml', '.json', '.template']);
const SKIPPED_DIRS = new Set(['node_modules', 'vendor', 'vendored', 'third_party', 'third-party']);

/** The first bytes of a file, enough to tell a plan document or a template from other JSON / YAML. */
function head(path: string, bytes = 65536): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `terraform show -json` output starts with format_version and carries terraform_version / planned_values / values. */
export function looksLikePlan(text: string): boolean {
  return /^\s*\{\s*"format_version"/.test(text) && /"terraform_version"|"planned_values"|"values"\s*:/.test(text);
}

/** A CloudFormation template (YAML or JSON, CDK synth output included): a format version, or Resources with AWS:: types. */
export function looksLikeTemplate(text: string): boolean {
  if (/AWSTemplateFormatVersion/.test(text)) return true;
  const json = /^\s*\{/.test(text);
  return json ? /"Resources"\s*:\s*\{/.test(text) && /"Type"\s*:\s*"AWS::/.test(text) : /^Resources\s*:/m.test(text) && /Type\s*:\s*['"]?AWS::/.test(text);
}

/**
 * The IaC documents in a folder tree (hidden, dependency and vendored folders skipped), sorted: CloudFormation /
 * CDK templates and `terraform show -json` output (plans and states), recognised by their first bytes.
 */
function documentsIn(dir: string): { templates: string[]; plans: string[] } {
  const templates: string[] = [];
  const plans: string[] = [];
  const queue = [dir];
  while (queue.length && templates.length + plans.length < 10000) {
    const d = queue.shift()!;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = join(d, n);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        if (!SKIPPED_DIRS.has(n)) queue.push(p);
        continue;
      }
      const ext = extname(n).toLowerCase();
      if (!st.isFile() || !TEMPLATE_EXT.has(ext) || st.size > 10 * 1024 * 1024 || n.toLowerCase().endsWith('.tf.json') || n.toLowerCase().endsWith('.tfvars.json')) continue;
      const text = head(p);
      if (ext === '.json' && looksLikePlan(text)) plans.push(p);
      else if (looksLikeTemplate(text)) templates.push(p);
    }
  }
  return { templates: templates.sort(), plans: plans.sort() };
}

/** Variable files Terraform loads by itself from a root module folder. */
const isAutoVarFile = (name: string) => name === 'terraform.tfvars' || name === 'terraform.tfvars.json' || name.endsWith('.auto.tfvars') || name.endsWith('.auto.tfvars.json');

/**
 * Sorts the paths (relative to `cwd`):
 * - a folder is searched for Terraform root modules, `terraform show -json` documents (plans, states) and, next to
 *   them, CloudFormation templates; a folder with templates only is a CloudFormation / CDK folder;
 * - a .tf file (or one Terraform loads by itself: terraform.tfvars, *.auto.tfvars) stands for the root module(s)
 *   it belongs to: its folder, or the roots that call its folder as a local module (a pre-commit list of changed
 *   files checks whole roots); a deleted .tf file stands for its folder;
 * - another .tfvars is a var file; a .json that looks like `terraform show -json` output is a plan; JSON / YAML
 *   that looks like a CloudFormation template is one;
 * - any other file is not IaC and is ignored (listed in `ignored`).
 * A missing path (other than a deleted .tf file) and a folder with no IaC at all are usage errors.
 */
export async function classifyIacPaths(paths: string[], cwd: string): Promise<IacInputs> {
  const out: IacInputs = { terraform: [], roots: [], planJson: [], varFiles: [], cloudformation: [], ignored: [] };
  const problems: string[] = [];
  const rel = (abs: string) => relative(cwd, abs) || '.';
  const add = (list: string[], p: string) => {
    if (!list.includes(p)) list.push(p);
  };
  let tree: ModuleTree | undefined;
  const rootsFor = async (dir: string) => {
    tree ??= findModuleTree(await hclParser(), gitTopLevel(cwd) ?? cwd);
    const inside = !relative(tree.top, dir).startsWith('..');
    for (const r of inside ? rootsOf(tree, dir) : [dir]) add(out.roots, rel(r));
  };
  for (const given of paths) {
    const abs = resolve(cwd, given);
    const name = basename(abs).toLowerCase();
    const isTf = name.endsWith('.tf') || name.endsWith('.tf.json');
    if (!existsSync(abs)) {
      // A deleted .tf file still changes its root module.
      if (isTf && existsSync(dirname(abs)) && readdirSync(dirname(abs)).some((n) => n.endsWith('.tf'))) await rootsFor(dirname(abs));
      else problems.push(`${given}: no such file or folder`);
      continue;
    }
    if (statSync(abs).isDirectory()) {
      const hasTerraform = findModuleTree(await hclParser(), abs).moduleFolders.length > 0;
      const { templates, plans } = documentsIn(abs);
      if (hasTerraform) add(out.terraform, rel(abs));
      if (hasTerraform || plans.length) for (const t of templates) add(out.cloudformation, rel(t));
      else if (templates.length) add(out.cloudformation, rel(abs));
      for (const p of plans) add(out.planJson, rel(p));
      if (!hasTerraform && !templates.length && !plans.length) problems.push(`${given}: no Terraform (.tf), \`terraform show -json\` output or CloudFormation template in this folder or below it`);
      continue;
    }
    // Only regular files are opened to look inside: a FIFO or device named x.json would block or never end.
    const regular = statSync(abs).isFile();
    if (isTf || isAutoVarFile(name)) await rootsFor(dirname(abs));
    else if (name.endsWith('.tfvars') || name.endsWith('.tfvars.json')) add(out.varFiles, rel(abs));
    else if (regular && extname(name) === '.json' && looksLikePlan(head(abs))) add(out.planJson, rel(abs));
    else if (regular && TEMPLATE_EXT.has(extname(name)) && looksLikeTemplate(head(abs))) add(out.cloudformation, rel(abs));
    else add(out.ignored, rel(abs));
  }
  if (problems.length) {
    throw new EvidencePackError('USAGE', problems.length === 1 ? problems[0] : `${problems.length} paths cannot be checked`, {
      details: problems.length > 1 ? problems : [],
      hint: 'pass folders (searched for Terraform root modules), .tf files, `terraform show -json` output, or CloudFormation / CDK templates (cdk.out)',
    });
  }
  return out;
}

/** The git top-level folder holding `dir`, or undefined when `dir` is not in a git working tree. */
export function gitTopLevel(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `dir` relative to its repository root in POSIX form ('' at the root or outside any repository), for SARIF URIs. */
export function repoPrefixOf(dir: string): string {
  const top = gitTopLevel(dir);
  if (!top) return '';
  return relative(realpathSync(top), realpathSync(resolve(dir))).split('\\').join('/');
}
