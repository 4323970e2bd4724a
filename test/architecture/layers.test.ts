// Imports point one way, down the pipeline (ARCHITECTURE.md rule 13): no file imports a module of a higher layer.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Lowest first; a file may import its own layer and any layer before it. */
const LAYERS: { name: string; paths: string[] }[] = [
  { name: 'model', paths: ['model/', 'errors.ts', 'hash.ts', 'paths.ts', 'public-url.ts'] },
  { name: 'detections', paths: ['detections/'] },
  { name: 'config', paths: ['config/'] },
  { name: 'collect', paths: ['collect/'] },
  { name: 'evaluate', paths: ['evaluate/'] },
  { name: 'map', paths: ['map/'] },
  { name: 'render', paths: ['render/'] },
  { name: 'pack', paths: ['pack/'] },
  { name: 'library API', paths: ['index.ts', 'attest.ts', 'iac.ts', 'diff/'] },
  { name: 'cli', paths: ['cli/'] },
];

function layerOf(rel: string): number {
  const i = LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith('/') ? rel.startsWith(p) : rel === p)));
  assert.ok(i >= 0, `src/${rel} belongs to no layer: add it to LAYERS`);
  return i;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts)$/.test(n) ? [p] : [];
  });
}

/** Relative module specifiers of a source file: static imports, `export … from`, `import type` and `import()`. */
export function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]);
}

describe('layers', () => {
  it('the import scanner finds every form of import (so the rule below can fail)', () => {
    const text = [`import { a } from './a.js';`, `import type { B } from "../b.js";`, `export { c } from './c.js';`, `const d = await import('./d.js');`, `import {\n  e,\n} from './e.js';`].join('\n');
    assert.deepEqual(importsOf(text), ['./a.js', '../b.js', './c.js', './d.js', './e.js']);
  });

  const violations: string[] = [];
  for (const file of files(SRC)) {
    const rel = relative(SRC, file);
    const own = layerOf(rel);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
      if (target.startsWith('..')) continue;
      const theirs = layerOf(target);
      if (theirs > own) violations.push(`src/${rel} (${LAYERS[own].name}) imports src/${target} (${LAYERS[theirs].name})`);
    }
  }
  it('no module imports a higher layer', () => assert.deepEqual(violations, []));
});
