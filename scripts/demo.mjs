// `npm run demo`: runs evidence-pack on every bundled sample (samples/*/evidence-pack.yaml) into out/<sample>/.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const samples = readdirSync('samples').filter((d) => existsSync(join('samples', d, 'evidence-pack.yaml'))).sort();
let worst = 0;
const written = [];
for (const name of samples) {
  const cfg = join('samples', name, 'evidence-pack.yaml');
  const out = join('out', name);
  console.log(`\n$ evidence-pack run ${cfg} --out ${out}`);
  const r = spawnSync(process.execPath, ['bin/evidence-pack.js', 'run', cfg, '--out', out], { stdio: 'inherit' });
  if (r.status === 0 || r.status === 1) written.push(`${out}/report.html`);
  else worst = r.status ?? 2;
}
console.log(written.length ? `\nPacks written: ${written.join(', ')}` : '\nNo pack was written.');
process.exit(worst);
