// No pack presents the seed's "BSI C5:2020 IAM-03 / LOG-01 / BCM-02" (nor EUCS's draft ids) as criteria: in every
// output format of every sample's pack they appear only as the seed's statements, beside the catalogue criteria.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from '../../src/index.js';

const SAMPLES = readdirSync('samples').filter((d) => existsSync(join('samples', d, 'evidence-pack.yaml')));
const SEED_IDS = /\b(IAM-03|LOG-01|BCM-02)\b(?![.\d])/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

/** The text a reader (or grep) sees in a pack file; the PDF through pdftotext. */
function textOf(path: string): string {
  if (path.endsWith('.pdf')) {
    // -raw keeps each table cell's text together (with -layout, wrapped cells interleave with their neighbours).
    const r = spawnSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  }
  return readFileSync(path, 'utf8');
}

/** Every string of a JSON document with its path. */
function* leaves(v: unknown, path = '$'): Generator<[string, string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* leaves(x, `${path}[${i}]`);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* leaves(x, `${path}.${k}`);
}

/** Every place a seed id occurs, with the 60 characters before it (whitespace and line breaks flattened). */
function occurrences(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ');
  return [...flat.matchAll(SEED_IDS)].map((m) => flat.slice(Math.max(0, m.index! - 60), m.index! + m[0].length));
}

for (const sample of SAMPLES) {
  test(`${sample}: every format of the pack shows the seed's C5:2020 ids only as its statements`, async () => {
    const out = mkdtempSync(join(tmpdir(), 'ep-seed-ids-'));
    try {
      const r = await run(join('samples', sample, 'evidence-pack.yaml'), join(out, 'pack'), { sourceDateEpoch: 1_790_000_000 });
      const formats = new Set<string>();
      let seen = 0;
      for (const path of files(r.outDir).filter((p) => /\.(json|html|pdf|csv|sarif)$/.test(p))) {
        const name = relative(r.outDir, path);
        formats.add(name.split('.').pop()!);
        const text = textOf(path);
        assert.ok(!/BSI C5:2020 (IAM-03|LOG-01|BCM-02)\b/.test(text.replace(/\s+/g, ' ')), `${name} names a seed id as a BSI C5:2020 criterion`);
        // In JSON, a statement's own `id` field is the seed id by design; anywhere else it must read as the seed's statement.
        const texts = name.endsWith('.json') ? [...leaves(JSON.parse(text))].filter(([p]) => !/\.seed\.statements\[\d+\]\.id$/.test(p)).map(([p, v]) => [`${name} ${p}`, v]) : [[name, text]];
        for (const [where, t] of texts) {
          for (const o of occurrences(t!)) {
            seen++;
            assert.match(o, /states (C5:2020|EUCS) (IAM-03|LOG-01|BCM-02)$/, `${where}: "${o}" is not the seed's statement`);
          }
        }
      }
      assert.deepEqual([...formats].sort(), ['csv', 'html', 'json', 'pdf', 'sarif'], 'every format was read');
      assert.ok(seen >= 3, 'the statements are shown (the test can see them)');
      const c5 = r.report.frameworks.find((f) => f.id === 'bsi-c5-2020')!;
      assert.ok(c5.controls.some((c) => c.id === 'IDM-06') && !c5.controls.some((c) => /^(IAM|LOG)-/.test(c.id)));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test('the check above can fail: a seed id printed as a criterion is caught', () => {
  assert.deepEqual(occurrences('<tr><th>BSI C5:2020</th><td>IAM-03 Privileged access</td></tr>').length, 1);
  assert.doesNotMatch(occurrences('BSI C5:2020 IAM-03 Privileged access')[0]!, /states (C5:2020|EUCS) (IAM-03|LOG-01|BCM-02)$/);
  assert.deepEqual(occurrences('C5:2026 IAM-03.02B and IAM-03.04B'), [], 'C5:2026 sub-criteria are not the seed ids');
});
