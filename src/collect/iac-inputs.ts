// Sorts the paths given to `evidence-pack iac` into Terraform roots, plan JSON, var files and CloudFormation templates; finds the git root.

import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import { EvidencePackError } from '../errors.js';

export interface IacInputs {
  /** Terraform root module folders (the folders of the .tf files given, or folders holding .tf files). */
  terraform: string[];
  /** `terraform show -json` documents. */
  planJson: string[];
  varFiles: string[];
  /** CloudFormation / CDK templates or folders of them. */
  cloudformation: string[];
}

const TEMPLATE_EXT = new Set(['.yaml', '.yml', '.json', '.template']);

/** The first bytes of a file, enough to tell a plan document from a template. */
function head(path: string, bytes = 4096): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `terraform show -json` output starts with format_version and carries terraform_version / planned_values. */
export function looksLikePlan(text: string): boolean {
  return /^\s*\{\s*"format_version"/.test(text) && /"terraform_version"|"planned_values"/.test(text);
}

/**
 * Classifies each path (relative to `cwd`): a folder with .tf files is a Terraform root, any other folder is
 * searched for templates; .tf files stand for their folder (so a pre-commit file list checks whole modules);
 * .tfvars are var files; .json is a plan when it looks like one, else a template. Paths that do not exist or are
 * of no IaC kind are a usage error naming each of them.
 */
export function classifyIacPaths(paths: string[], cwd: string): IacInputs {
  const out: IacInputs = { terraform: [], planJson: [], varFiles: [], cloudformation: [] };
  const problems: string[] = [];
  const add = (list: string[], p: string) => {
    if (!list.includes(p)) list.push(p);
  };
  for (const given of paths) {
    const abs = resolve(cwd, given);
    if (!existsSync(abs)) {
      problems.push(`${given}: no such file or folder`);
      continue;
    }
    const rel = relative(cwd, abs) || '.';
    if (statSync(abs).isDirectory()) {
      const names = readdirSync(abs);
      if (names.some((n) => n.endsWith('.tf') || n.endsWith('.tf.json'))) add(out.terraform, rel);
      else add(out.cloudformation, rel);
      continue;
    }
    const name = abs.toLowerCase();
    if (name.endsWith('.tf') || name.endsWith('.tf.json')) add(out.terraform, relative(cwd, dirname(abs)) || '.');
    else if (name.endsWith('.tfvars') || name.endsWith('.tfvars.json')) add(out.varFiles, rel);
    else if (extname(name) === '.json' && looksLikePlan(head(abs))) add(out.planJson, rel);
    else if (TEMPLATE_EXT.has(extname(name))) add(out.cloudformation, rel);
    else problems.push(`${given}: not a Terraform (.tf, .tfvars), plan JSON or CloudFormation (.yaml, .yml, .json, .template) file`);
  }
  if (problems.length) {
    throw new EvidencePackError('USAGE', problems.length === 1 ? problems[0] : `${problems.length} paths cannot be checked`, {
      details: problems.length > 1 ? problems : [],
      hint: 'pass Terraform folders or .tf files, terraform show -json output, or CloudFormation / CDK templates (cdk.out)',
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
