// Agreement of the four seed checks with the expected verdicts over the real-world corpus: every row right, never a false pass.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkIac } from '../../src/iac.js';
import { CORPUS, SEED_CHECKS } from './expected.js';

const DIR = fileURLToPath(new URL('../fixtures/corpus', import.meta.url));

test('every corpus folder has an expected row, and every row a folder', () => {
  assert.deepEqual(readdirSync(DIR).sort(), CORPUS.map((c) => c.unit).sort());
});

test('corpus agreement: the four seed checks on every unit', async () => {
  const wrong: string[] = [];
  const falsePass: string[] = [];
  let verdicts = 0;
  for (const c of CORPUS) {
    // As `evidence-pack iac <unit>` reads it: the folder searched for root modules and plan / state documents.
    const r = await checkIac([c.unit], { cwd: DIR });
    for (const [key, id] of Object.entries(SEED_CHECKS) as [keyof typeof SEED_CHECKS, string][]) {
      verdicts++;
      const got = r.results.find((x) => x.id === id)!;
      const want = c.expected[key];
      if (got.status === want) continue;
      const line = `${c.unit} ${key}: expected ${want}, got ${got.status}: ${got.reason}`;
      wrong.push(line);
      if (got.status === 'pass') falsePass.push(line);
    }
  }
  const agreement = ((verdicts - wrong.length) / verdicts) * 100;
  console.log(`corpus: ${CORPUS.length} units, ${verdicts} verdicts, agreement ${agreement.toFixed(1)} %, false pass ${falsePass.length}`);
  assert.deepEqual(falsePass, [], 'no false pass');
  assert.deepEqual(wrong, [], 'every verdict as expected');
});
