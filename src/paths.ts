// Locates the package's data folders (templates/, mappings/, schemas/) from both src/ (tsx) and dist/.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'mappings'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`evidence-pack: cannot find the package root above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const MAPPINGS_DIR = join(PACKAGE_ROOT, 'mappings');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
export const SCHEMAS_DIR = join(PACKAGE_ROOT, 'schemas');

export const TOOL_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
