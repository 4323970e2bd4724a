// docs/frameworks.md: every framework catalogue (with its source) and mapping, generated from mappings/ so it stays true.

import type { Mappings } from '../map/mappings.js';
import { versionRanges } from '../map/mappings.js';
import { FRAMEWORK_CSV_COLUMNS } from './framework-exports.js';

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderFrameworksDoc(mappings: Mappings, listing: string): string {
  const { control, frameworks, catalogues, related } = mappings;
  const out: string[] = [
    '# Frameworks',
    '',
    `Generated from \`mappings/\` by \`npm run docs\`; a test keeps it current. How ${control.id} (${control.source}) is mapped to the`,
    'frameworks auditors cite, and where each id can be checked.',
    '',
    '## How the mappings are built',
    '',
    '- **A catalogue per framework** (`mappings/catalogues/<id>.yaml`): the official ids, a short title, the version, the',
    '  publisher and the source document (ELI for EU law). Catalogues are **partial**: they hold only the criteria relevant to',
    '  break-glass access, logging, privileged access, incident management and testing, and each says so in its `scope`.',
    '  Titles are the publisher\'s where the text is free to copy (BSI C5:2020, NIST), otherwise our own summaries',
    '  (`titles: own-words`); ids and article numbers are facts and are never paraphrased.',
    '- **A mapping per framework** (`mappings/frameworks/<id>.yaml`): for each catalogue id, the',
    `  ${control.id} requirements, checks and supporting checks that demonstrate it, the maturity criteria that support it, and`,
    '  what must be verified by hand (`manual`). Loading fails when a mapping names an id that is not in its catalogue, a',
    '  check, requirement or criterion that does not exist, or a seed statement without its correspondence',
    '  (`test/map/frameworks.test.ts` shows each of these failures).',
    '- **Status of a framework control**: the worst of its requirements, its checks and its supporting checks (a supporting',
    '  check counts only when its evidence was configured), and at best `manual` while part of it must be verified by hand.',
    '  The maturity criteria listed with it — those named in the mapping and those sharing a check with it — are shown with',
    '  their state and do not decide it. Missing evidence is `unknown`, never a pass.',
    `- **Adding a check** to a requirement is one line in \`mappings/controls/waf-sov-070.yaml\`: every framework control mapped`,
    '  to that requirement then counts it. Adding it to one framework control is one line in that control\'s `checks` (or',
    '  `supporting`). Check metadata never names a framework control.',
    '',
    '## The seed\'s own mapping, kept and corrected in the open',
    '',
    `Seed 000 maps ${control.id}, under "BSI C5:2020", to IAM-03, LOG-01 and BCM-02, and under "EUCS" to IAM-03 and LOG-01. C5:2020 has no`,
    '`IAM-` or `LOG-` criteria (identity is IDM-01…IDM-09, logging and monitoring OPS-10…OPS-17), and its BCM-02 is the',
    'business impact analysis criterion. EUCS is a draft scheme. Reports therefore show each seed id as the seed\'s',
    'statement ("WAF-SOV-070 states C5:2020 IAM-03 “Privileged access management”") beside the catalogue criteria it',
    'corresponds to, and never as a criterion:',
    '',
    '| framework | the seed states | corresponds to | why |',
    '|---|---|---|---|',
  ];
  for (const f of frameworks.filter((x) => x.seed)) {
    for (const st of f.seed!.statements) {
      const inCat = f.catalogue.items.some((i) => i.id === st.id);
      out.push(`| ${f.name} | ${st.id} – ${st.text} | ${st.correspondsTo.join(', ') || '—'} | ${cell(st.note ?? (inCat ? 'a catalogue id: kept as is' : ''))} |`);
    }
  }
  out.push(
    '',
    '## Choosing frameworks',
    '',
    '`--framework <id>[,<id>]` (repeatable, or `all`) on `run` and `attest` selects the frameworks that report.json,',
    'report.html, report.pdf and the OSCAL export hold; without it the report holds the default ones (of CIS AWS',
    'Foundations, only the latest version). `evidence-pack --list-frameworks` prints:',
    '',
    '```',
    listing.trimEnd(),
    '```',
    '',
    '## Exports per framework',
    '',
    'Each selected framework with at least one control gets, in the pack (and listed in its manifest):',
    '',
    `- \`frameworks/<id>.csv\` — one row per control, as GRC tools import it: ${FRAMEWORK_CSV_COLUMNS.map(code).join(', ')}.`,
    '  RFC 4180 (CRLF), UTF-8 with a byte-order mark so that spreadsheets read it as UTF-8; lists within a cell are separated',
    '  by `; `. A cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return)',
    '  gets a leading apostrophe (OWASP "CSV injection"): reasons and evidence ids come from your inputs.',
    '- `frameworks/<id>.oscal.json` — OSCAL 1.2 Assessment Results of that framework alone: one finding per control',
    '  (with its status, the seed\'s statements and the supporting maturity criteria as props) and the observations of the',
    '  checks behind them, with their evidence. Observation UUIDs are the same as in `oscal-assessment-results.json`.',
    '',
    'A draft scheme with no evaluated criterion (EUCS) has no export; its statements are in the report.',
    '',
    '## Catalogues and mappings',
  );
  for (const f of frameworks.filter((x) => !x.catalogue.versions || x.default)) {
    const cat = f.catalogue;
    const src = [cat.source.document, cat.source.eli ? `ELI ${cat.source.eli}` : '', cat.source.url ?? ''].filter(Boolean).join(' — ');
    out.push(
      '',
      `### ${cat.versions ? cat.name : f.name} (${cat.versions ? `${cat.versions.map((v) => code(`${cat.id}-v${v}`)).join(', ')}` : code(f.id)})`,
      '',
      `- Source: ${src}; publisher: ${cat.publisher}.`,
      `- Version: ${cat.version}${cat.status === 'draft' ? ' — **DRAFT**' : ''}.${cat.statusNote ? ` ${cat.statusNote}` : ''}`,
      `- ${cat.partial ? `Partial catalogue: ${cat.scope}` : 'Complete catalogue.'} Titles: ${cat.titles === 'own-words' ? 'our own summaries' : 'as published'}.`,
      `- Catalogue: ${code(`mappings/catalogues/${cat.id + '.yaml'}`)}; mapping: ${code(`mappings/frameworks/${cat.versions ? cat.id : f.id}.yaml`)}.`,
      '',
    );
    if (f.controls.length === 0) {
      out.push('No criterion is evaluated: there is no adopted catalogue to check ids against.');
      continue;
    }
    out.push(`| ${cat.versions ? 'recommendation (ids by version)' : 'id'} | title | requirements | checks | supporting | maturity criteria | verify manually |`, '|---|---|---|---|---|---|---|');
    for (const c of f.controls) {
      const item = cat.items.find((i) => i.id === c.key)!;
      const id = cat.versions ? versionRanges(cat.versions, item.ids!) : c.id;
      out.push(
        `| ${cell(id)} | ${cell(c.title)}${c.note ? ` (${cell(c.note)})` : ''} | ${(c.requirements ?? []).join(', ')} | ${(c.checks ?? []).map(code).join(', ')} | ${(c.supporting ?? []).map(code).join(', ')} | ${(c.criteria ?? []).join(', ')} | ${cell(c.manual ?? '')} |`,
      );
    }
  }
  const inRelated = [...new Set(related.flatMap((r) => Object.keys(r.frameworks)))].filter((id) => !frameworks.some((f) => f.catalogue.id === id));
  for (const id of inRelated) {
    const cat = catalogues.get(id)!;
    out.push(
      '',
      `### ${cat.name} (related controls only)`,
      '',
      `- Source: ${cat.source.document}; publisher: ${cat.publisher}. Version: ${cat.version}. ${cat.partial ? `Partial catalogue: ${cat.scope}` : ''}`,
      `- Catalogue: ${code(`mappings/catalogues/${cat.id + '.yaml'}`)}: ${cat.items.map((i) => `${i.id} (${i.title})`).join(', ')}.`,
    );
  }
  out.push(
    '',
    '## Related controls',
    '',
    'aws-ir-01…07 keep the NIST SP 800-53, ISO/IEC 27001 and ISO/IEC 27017 ids seed 003 gives them (`mappings/related/`),',
    'checked against the same catalogues:',
    '',
    '| control | framework references |',
    '|---|---|',
    ...related.map((r) => `| ${r.id} | ${Object.entries(r.frameworks).map(([catId, ids]) => `${catalogues.get(catId)?.name ?? catId}: ${ids.join(', ')}`).join('; ') || '—'} |`),
  );
  return out.join('\n') + '\n';
}

