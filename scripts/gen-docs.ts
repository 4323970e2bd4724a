// `npm run docs`: regenerates docs/checks.md from the check registry and mappings/.
import { writeFileSync } from 'node:fs';
import { CHECKS, getMappings } from '../src/index.js';
import { renderCatalogue } from '../src/render/catalogue.js';

writeFileSync('docs/checks.md', renderCatalogue(CHECKS, getMappings()));
console.log('wrote docs/checks.md');
