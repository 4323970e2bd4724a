// `.terraform/modules/modules.json`, the manifest `terraform init` / `tofu init` writes: where each module call's code was downloaded.

import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parse as parseJson } from '@humanwhocodes/momoa';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { FileReader } from './files.js';

/** One installed module call: `Key` is the call path (`trail`, `trail.label`), `Dir` its folder relative to the root module. */
export interface InstalledModule {
  key: string;
  source: string;
  version?: string;
  /** Absolute folder of the module's code. */
  dir: string;
}

export interface ModuleManifest {
  /** The manifest file, relative to the base folder (for messages). */
  file: string;
  modules: Map<string, InstalledModule>;
}

export const MANIFEST_PATH = join('.terraform', 'modules', 'modules.json');

/**
 * Reads the manifest of a root module folder, or returns undefined when `terraform init` has not been run there.
 * A manifest that cannot be read is reported (and treated as absent); an entry whose folder lies outside
 * `.terraform/modules/` or does not exist is left out with a warning, so a hostile manifest cannot point the
 * reader elsewhere.
 */
export function readModuleManifest(rootDir: string, reader: FileReader, problems: EvidenceProblem[]): ModuleManifest | undefined {
  const abs = join(rootDir, MANIFEST_PATH);
  if (!existsSync(abs)) return undefined;
  const f = reader.read(abs);
  if (!f) return undefined;
  const bad = (message: string, line = 1, column = 1) => {
    problems.push({ level: 'warning', message: `${f.rel}: ${message}; downloaded modules are not read (run \`terraform init\` again)`, location: { file: f.rel, line, column } });
    return undefined;
  };
  let doc;
  try {
    doc = parseJson(f.text);
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    return bad(`invalid JSON (${err.message})`, err.line, err.column);
  }
  const body = doc.body;
  const list = body.type === 'Object' ? body.members.find((m) => m.name.type === 'String' && m.name.value === 'Modules')?.value : undefined;
  if (!list || list.type !== 'Array') return bad('expected {"Modules": [...]}');
  const installed = resolve(rootDir, '.terraform', 'modules');
  const modules = new Map<string, InstalledModule>();
  for (const el of list.elements) {
    const n = el.value;
    if (n.type !== 'Object') return bad('each entry of "Modules" must be an object', n.loc.start.line, n.loc.start.column);
    const get = (name: string) => {
      const v = n.members.find((m) => m.name.type === 'String' && m.name.value === name)?.value;
      return v?.type === 'String' ? v.value : undefined;
    };
    const key = get('Key');
    const dir = get('Dir');
    if (key === undefined || dir === undefined) return bad('an entry lacks "Key" or "Dir"', n.loc.start.line, n.loc.start.column);
    if (key === '') continue; // the root module itself
    const source = get('Source') ?? '';
    // Terraform on Windows may write backslashes.
    const absDir = resolve(rootDir, dir.split('\\').join('/'));
    const local = /^\.\.?(\/|\\|$)/.test(source);
    const r = relative(installed, absDir);
    if (!local && (r.startsWith('..') || r.startsWith(sep) || /^[a-zA-Z]:/.test(r))) {
      problems.push({ level: 'warning', message: `${f.rel}: module "${key}" points outside .terraform/modules (${dir}); it is not read`, location: { file: f.rel, line: n.loc.start.line, column: n.loc.start.column } });
      continue;
    }
    modules.set(key, { key, source, version: get('Version'), dir: absDir });
  }
  return { file: f.rel, modules };
}

/**
 * A module source in a comparable form: Terraform records the normalised address (registry host, `git::`
 * prefix, `https://` and `.git` for GitHub shorthands), configurations often use the short form.
 */
export function comparableSource(s: string): string {
  return s
    .trim()
    .replace(/^git::/, '')
    .replace(/^registry\.(terraform\.io|opentofu\.org)\//, '')
    .replace(/^(https?:\/\/|ssh:\/\/git@|git@)?(github\.com|bitbucket\.org|gitlab\.com)[/:]/, '$2/')
    .replace(/\.git(?=$|\/\/|\?)/, '')
    .toLowerCase();
}

/**
 * The provider a remote module is published for, by the naming rule of module registries: the last part of a
 * registry address (`cloudposse/label/null` → `null`), or the `terraform-<provider>-<name>` repository name of a
 * git source. Undefined when the source follows neither.
 */
export function moduleProvider(source: string): string | undefined {
  const s = comparableSource(source).replace(/\?.*$/, '').replace(/\/\/.*$/, '');
  const registry = /^(?:[a-z0-9.-]+\.[a-z]+\/)?[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*\/([a-z0-9]+)$/.exec(s);
  if (registry && !/^(github\.com|bitbucket\.org|gitlab\.com)\//.test(s)) return registry[1];
  const repo = /(?:^|\/)terraform-([a-z0-9]+)-[a-z0-9_-]+$/.exec(s);
  return repo?.[1];
}
