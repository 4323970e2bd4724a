// `npm run docs`: regenerates docs/checks.md and docs/frameworks.md from the check registry and mappings/.
import { writeFileSync } from 'node:fs';
import { CHECKS, getMappings } from '../src/index.js';
import { renderCatalogue } from '../src/render/catalogue.js';
import { renderFrameworksDoc } from '../src/render/frameworks-doc.js';
import { frameworkListing } from '../src/cli/frameworks.js';

writeFileSync('docs/checks.md', renderCatalogue(CHECKS, getMappings()));
writeFileSync('docs/frameworks.md', renderFrameworksDoc(getMappings(), frameworkListing()));
console.log('wrote docs/checks.md and docs/frameworks.md');
