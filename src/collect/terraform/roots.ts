// Root modules of a folder tree (`iac .`, `terraform.paths: [.]`): folders with .tf files that are not used only as local modules.

import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { parseHclWith } from './hcl.js';
import { parseTerraformJson } from './json-syntax.js';
import { MAX_FILE_BYTES } from './files.js';

/** Folders never searched: dependencies and vendored code (hidden folders, .terraform and .git included, are skipped too). */
const SKIPPED = new Set(['node_modules', 'vendor', 'vendored', 'third_party', 'third-party']);

/** A bound on the walk, so a hostile tree cannot make it endless (links are not followed, so it cannot loop). */
export const MAX_FOLDERS = 20000;

export interface ModuleTree {
  /** The folder searched (absolute). */
  top: string;
  /** Every folder holding .tf files, absolute, sorted. */
  moduleFolders: string[];
  /** Root module folders, absolute, sorted. */
  roots: string[];
  /** Local module folder → folders whose module blocks call it. */
  callers: Map<string, Set<string>>;
  /** True when the walk stopped at the folder bound: the folders beyond were not searched. */
  truncated: boolean;
}

/** Local module sources called from a folder's .tf files (`source = "./x"` / `"../x"`), resolved; files that do not parse are skipped. */
function localCalls(parser: Parser, dir: string, files: string[]): { calls: string[]; rootMarker: boolean } {
  const calls: string[] = [];
  let rootMarker = false;
  for (const f of files) {
    let text: string;
    try {
      // A link to a FIFO or device is never opened; the reader reports such files when it reads the root.
      const st = statSync(join(dir, f));
      if (!st.isFile() || st.size > MAX_FILE_BYTES) continue;
      text = readFileSync(join(dir, f), 'utf8');
    } catch {
      continue;
    }
    const parsed = f.endsWith('.json') ? parseTerraformJson(parser, text) : parseHclWith(parser, text);
    if (!parsed.ok) continue;
    for (const b of parsed.body.blocks) {
      if (b.type === 'module') {
        const src = b.attrs.get('source')?.expr;
        if (src?.k === 'lit' && typeof src.value === 'string' && /^\.\.?(\/|$)/.test(src.value)) calls.push(resolve(dir, src.value));
      }
      // A backend or Terraform Cloud block is configured only in a root module.
      if (b.type === 'terraform' && b.blocks.some((x) => x.type === 'backend' || x.type === 'cloud')) rootMarker = true;
    }
  }
  return { calls, rootMarker };
}

/**
 * Finds the module folders under `top` and which of them are roots. A folder is a root unless other folders of
 * the tree call it as a local module and nothing marks it as a root of its own (a backend block, variable files
 * that Terraform loads automatically, a `.terraform` folder or lock file from `terraform init`). `top` itself,
 * when it holds .tf files, is a root: it was named.
 */
export function findModuleTree(parser: Parser, topDir: string, maxFolders = MAX_FOLDERS): ModuleTree {
  const top = resolve(topDir);
  const moduleFolders: string[] = [];
  const callers = new Map<string, Set<string>>();
  const marked = new Set<string>();
  const queue = [top];
  let seen = 0;
  let truncated = false;
  while (queue.length) {
    const dir = queue.shift()!;
    if (++seen > maxFolders) {
      truncated = true;
      break;
    }
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    const tf: string[] = [];
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!n.startsWith('.') && !SKIPPED.has(n)) queue.push(p);
      } else if (n.endsWith('.tf') && !n.startsWith('.') && (st.isFile() || st.isSymbolicLink())) tf.push(n);
      else if (n.endsWith('.tf.json') && !n.startsWith('.')) tf.push(n);
    }
    if (tf.length === 0) continue;
    moduleFolders.push(dir);
    const { calls, rootMarker } = localCalls(parser, dir, tf);
    for (const c of calls) {
      if (c === dir) continue;
      const set = callers.get(c) ?? new Set<string>();
      set.add(dir);
      callers.set(c, set);
    }
    const autoVars = names.some((n) => n === 'terraform.tfvars' || n === 'terraform.tfvars.json' || n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json'));
    if (rootMarker || autoVars || existsSync(join(dir, '.terraform')) || existsSync(join(dir, '.terraform.lock.hcl'))) marked.add(dir);
  }
  moduleFolders.sort();
  const roots = moduleFolders.filter((d) => d === top || marked.has(d) || ![...(callers.get(d) ?? [])].some((c) => c !== d));
  return { top, moduleFolders, roots, callers, truncated };
}

/**
 * The roots a module folder belongs to: itself when it is a root, else every root that calls it, directly or
 * through other local modules. A folder the tree does not know is its own root.
 */
export function rootsOf(tree: ModuleTree, dir: string): string[] {
  const abs = resolve(dir);
  if (tree.roots.includes(abs) || !tree.moduleFolders.includes(abs)) return [abs];
  const out = new Set<string>();
  const seen = new Set<string>([abs]);
  const queue = [abs];
  while (queue.length) {
    const d = queue.shift()!;
    for (const c of tree.callers.get(d) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      if (tree.roots.includes(c)) out.add(c);
      else queue.push(c);
    }
  }
  return out.size ? [...out].sort() : [abs];
}
