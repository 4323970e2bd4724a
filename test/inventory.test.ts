// Keeps every check registered, tested with a check table, and mapped (after ESLint's checkRuleFiles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../src/evaluate/checks/index.js';
import { getMappings } from '../src/index.js';

const checkFiles = readdirSync('src/evaluate/checks').filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
const testSources = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.test.ts') ? [readFileSync(join(dir, f), 'utf8')] : []));
})('test');

test('every check file is registered once, under its file name', () => {
  const ids = CHECKS.map((c) => c.meta.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate check ids');
  assert.deepEqual([...ids].sort(), [...checkFiles].sort());
});

test('every check has a check table test', () => {
  const untested = checkFiles.filter((id) => !testSources.some((src) => src.includes(`checks/${id}.js'`) && src.includes('checkTable(')));
  assert.deepEqual(untested, []);
});

test('every check is mapped to a requirement, a maturity criterion or a related control', () => {
  const { control, related } = getMappings();
  const mapped = new Set([
    ...control.requirements.flatMap((r) => [...(r.checks ?? []), ...(r.supporting ?? [])]),
    ...control.maturity.flatMap((l) => l.criteria.flatMap((c) => [...(c.checks ?? []), ...(c.supporting ?? [])])),
    ...related.flatMap((c) => c.checks ?? []),
  ]);
  assert.deepEqual(CHECKS.map((c) => c.meta.id).filter((id) => !mapped.has(id)), []);
});

test('check metadata names no framework control (mappings/ is the one place for that)', () => {
  for (const c of CHECKS) {
    const text = JSON.stringify(c.meta);
    assert.doesNotMatch(text, /\b(Art\. ?3[23]|IAM-03|LOG-01|BCM-02|A\.5\.26|A\.8\.1[56]|CC7\.4)\b/, c.meta.id);
  }
});

test('docs/checks.md is current (regenerate with `npm run docs`)', async () => {
  const { renderCatalogue } = await import('../src/render/catalogue.js');
  assert.equal(readFileSync('docs/checks.md', 'utf8'), renderCatalogue(CHECKS, getMappings()));
});

test('docs/frameworks.md is current (regenerate with `npm run docs`)', async () => {
  const { renderFrameworksDoc } = await import('../src/render/frameworks-doc.js');
  const { frameworkListing } = await import('../src/cli/frameworks.js');
  assert.equal(readFileSync('docs/frameworks.md', 'utf8'), renderFrameworksDoc(getMappings(), frameworkListing()));
});
