// OSCAL 1.2 Assessment Results from the Report: one observation per check, findings per control, evidence with hashes.

import { v5 as uuidv5 } from 'uuid';
import type { Report } from '../model/report.js';
import type { Status } from '../model/status.js';

export const OSCAL_VERSION = '1.2.1';
export const OSCAL_FILE = 'oscal-assessment-results.json';
/** Namespace of our own property names (OSCAL reserves un-namespaced names for its own vocabulary). */
export const OSCAL_NS = 'https://evidence-pack.dev/ns/oscal';
/** Root of every UUID we derive: uuidv5(<stable name>, this). Fixed forever, so re-runs give the same UUIDs. */
const UUID_NAMESPACE = uuidv5('https://evidence-pack.dev/oscal', uuidv5.URL);

type Json = Record<string, unknown>;

/** MarkupLine / StringDatatype: one line, no surrounding whitespace, never empty. */
function line(s: string | undefined, fallback = '(none)'): string {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t === '' ? fallback : t;
}

/**
 * OSCAL tokens are XML NCNames. NIST SP 800-53 ids take the form of NIST's own OSCAL catalogue
 * ("AC-2(8)" → "ac-2.8") so they resolve there; others keep their text with every other character as "_".
 */
export function controlToken(framework: string, id: string): string {
  let t = id.trim();
  if (/800-53/.test(framework)) t = t.toLowerCase().replace(/\((\d+)\)/g, '.$1');
  t = t.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/_+$/, '');
  return /^(\p{L}|_)/u.test(t) ? t : `_${t}`;
}

function prop(name: string, value: string, extra: Json = {}): Json {
  return { name, ns: OSCAL_NS, value: line(value), ...extra };
}

/** OSCAL has no "unknown": anything but pass is not-satisfied, and our status is kept as a property. */
function targetStatus(status: Status, reason: string): Json {
  if (status === 'pass') return { state: 'satisfied', reason: 'pass' };
  if (status === 'fail') return { state: 'not-satisfied', reason: 'fail', remarks: reason };
  return { state: 'not-satisfied', reason: 'other', remarks: `${status}: not demonstrated. ${reason}`.trim() };
}

/** Where the per-framework export of `frameworkId` is written in a pack. */
export const frameworkOscalFile = (frameworkId: string) => `frameworks/${frameworkId}.oscal.json`;

/**
 * Renders the Report as OSCAL Assessment Results (JSON, 2-space indented, trailing newline): the whole report, or
 * with `framework` the results of that one framework (its controls' findings and the observations behind them).
 */
export function renderOscal(report: Report, framework?: string): string {
  return JSON.stringify(buildOscal(report, framework), null, 2) + '\n';
}

export function buildOscal(report: Report, framework?: string): Json {
  const scope = `${report.organisation}|${report.period.label}|${report.control.id}`;
  const uuid = (name: string) => uuidv5(`${scope}|${name}`, UUID_NAMESPACE);
  const at = report.generatedAt;
  const only = framework === undefined ? undefined : report.frameworks.find((f) => f.id === framework);
  if (framework !== undefined && !only) throw new Error(`buildOscal: the report has no framework ${framework}`);
  const frameworks = only ? [only] : report.frameworks;
  // A per-framework document keeps only the checks (and their evidence) behind that framework's controls.
  const inScope = only ? new Set(only.controls.flatMap((c) => c.checks)) : undefined;
  const checksInScope = inScope ? report.checks.filter((c) => inScope.has(c.id)) : report.checks;
  const evidenceInScope = inScope ? new Set(checksInScope.flatMap((c) => c.evidenceRefs)) : undefined;
  const docName = only ? `framework:${only.id}:` : '';

  const resources: Json[] = report.evidence.filter((e) => !evidenceInScope || evidenceInScope.has(e.id)).map((e) => ({
    uuid: uuid(`evidence:${e.id}`),
    title: line(`${e.kind}: ${e.id}`),
    description: `Collected from ${e.source}${e.problems?.length ? `. Problems: ${e.problems.map((p) => `${p.level}: ${p.message}`).join('; ')}` : ''}`,
    props: [prop('evidence-id', e.id), prop('evidence-kind', e.kind), prop('collected', e.collectedAt)],
    ...(e.packPath && e.sha256
      ? { rlinks: [{ href: e.packPath, hashes: [{ algorithm: 'SHA-256', value: e.sha256 }] }] }
      : { remarks: 'Not kept in the pack: nothing could be read, or the item is derived from API responses summarised in report.json.' }),
  }));
  const evidenceUuid = new Map(report.evidence.map((e) => [e.id, uuid(`evidence:${e.id}`)]));
  const evidenceById = new Map(report.evidence.map((e) => [e.id, e]));
  const planUuid = uuid('assessment-plan');
  resources.push({
    uuid: planUuid,
    title: 'Assessment plan: the evidence-pack configuration and check catalogue',
    description: `No separate OSCAL assessment plan exists: the plan is the evidence-pack configuration kept in the pack and the checks of ${report.tool.name} ${report.tool.version} (docs/checks.md).`,
    props: [prop('tool-version', report.tool.version)],
    remarks: 'Referenced by import-ap.',
  });

  const observationUuid = new Map(checksInScope.map((c) => [c.id, uuid(`observation:${c.id}`)]));
  const observations = checksInScope.map((c) => {
    const refs = c.evidenceRefs.filter((r) => evidenceUuid.has(r));
    return {
      uuid: observationUuid.get(c.id),
      title: line(c.title),
      description: c.reason || `${c.status}`,
      props: [
        prop('check-id', c.id),
        prop('status', c.status),
        prop('severity', c.severity),
        ...(c.accepted ? [prop('risk-accepted-by', c.accepted.by), prop('risk-accepted-until', c.accepted.until)] : []),
      ],
      methods: ['TEST'],
      types: ['control-objective'],
      ...(refs.length
        ? {
            'relevant-evidence': refs.map((r) => {
              const e = evidenceById.get(r)!;
              return {
                href: `#${evidenceUuid.get(r)}`,
                description: `${e.kind} evidence ${e.id} from ${e.source}`,
                ...(e.sha256 ? { props: [prop('sha256', e.sha256)] } : {}),
              };
            }),
          }
        : {}),
      collected: at,
      ...(c.locations.length ? { remarks: `Locations: ${c.locations.map((l) => JSON.stringify(l)).join('; ')}` } : {}),
    };
  });

  const related = (checks: string[]) => {
    const r = checks.filter((id) => observationUuid.has(id)).map((id) => ({ 'observation-uuid': observationUuid.get(id) }));
    return r.length ? { 'related-observations': r } : {};
  };
  const findings: Json[] = [];
  const selections: Json[] = [];

  if (!only) {
    // WAF-SOV-070: the control, then each requirement as a statement of it.
    const ctl = controlToken(report.control.source, report.control.id);
    selections.push({ props: [prop('catalog', report.control.source)], 'include-controls': [{ 'control-id': ctl, 'statement-ids': report.requirements.map((r) => controlToken('', r.id)) }] });
    for (const r of report.requirements) {
      findings.push({
        uuid: uuid(`finding:requirement:${r.id}`),
        title: line(`${report.control.id} ${r.id}`),
        description: r.text,
        props: [prop('control-id', report.control.id), prop('requirement-id', r.id), prop('status', r.status)],
        target: { type: 'statement-id', 'target-id': controlToken('', r.id), status: targetStatus(r.status, r.reason) },
        ...related(r.checks),
      });
    }
  }
  // Each framework's controls as mapped in mappings/, with the seed's statements and the supporting maturity criteria.
  const seedProps: Json[] = [];
  for (const fw of frameworks) {
    const ids = fw.controls.map((c) => controlToken(fw.name, c.id));
    const described = `${fw.name}, ${fw.version}${fw.status === 'draft' ? ' (DRAFT: not adopted)' : ''}. Source: ${fw.source.document} (${fw.source.publisher})${fw.source.eli ? `, ELI ${fw.source.eli}` : fw.source.url ? `, ${fw.source.url}` : ''}.${fw.partial ? ` Partial catalogue: ${fw.scope}` : ''}`;
    if (ids.length) {
      selections.push({
        description: described,
        props: [prop('framework', fw.id), prop('catalog', fw.name), prop('catalog-version', fw.version), prop('catalog-status', fw.status)],
        'include-controls': [...new Set(ids)].map((id) => ({ 'control-id': id })),
      });
    }
    // Statements that correspond to no evaluated control (a draft scheme's) are kept on the result.
    for (const st of fw.seed?.statements ?? []) {
      if (!fw.controls.some((c) => st.correspondsTo.includes(c.id))) seedProps.push(prop('seed-statement', `${st.citation}${st.note ? `. ${st.note}` : ''}`, { class: fw.id }));
    }
    for (const c of fw.controls) {
      findings.push({
        uuid: uuid(`finding:framework:${fw.id}:${c.id}`),
        title: line(`${fw.name} ${c.id}: ${c.title}`),
        description: [
          `${fw.name} ${c.id} (${c.title}), through ${report.control.id} requirements ${c.requirements.join(', ') || '(none)'} and checks ${c.checks.join(', ') || '(none)'}.`,
          c.manual ? `Verify manually: ${c.manual}` : '',
          c.note ?? '',
          c.idsByVersion ? `Ids by version: ${c.idsByVersion}.` : '',
        ].filter(Boolean).join(' '),
        props: [
          prop('framework', fw.id),
          prop('control-id', c.id),
          prop('status', c.status),
          ...c.criteria.map((m) => prop('maturity-criterion', `${m.id}: ${m.status}`, { class: controlToken('', m.id) })),
          ...(c.seed ?? []).map((cit) => prop('seed-statement', cit)),
        ],
        target: { type: 'objective-id', 'target-id': controlToken(fw.name, c.id), status: targetStatus(c.status, c.reason) },
        ...related(c.checks),
      });
    }
  }
  if (!only) {
    // Related controls (aws-ir-*, CIS) with the ids of the frameworks they map to.
    for (const rc of report.relatedControls) {
      const mapped = Object.entries(rc.frameworks).flatMap(([fw, ids]) => ids.map((id) => prop('mapped-control', `${fw} ${id}`, { class: controlToken(fw, id) })));
      findings.push({
        uuid: uuid(`finding:related:${rc.id}`),
        title: line(`${rc.id}: ${rc.title}`),
        description: rc.reason || rc.title,
        props: [prop('control-id', rc.id), prop('source', rc.source), prop('status', rc.status), ...mapped],
        target: { type: 'objective-id', 'target-id': controlToken(rc.source, rc.id), status: targetStatus(rc.status, rc.reason) },
        ...related(rc.checks),
      });
    }
    const relatedIds = [...new Set(report.relatedControls.map((rc) => controlToken(rc.source, rc.id)))];
    if (relatedIds.length) selections.push({ props: [prop('catalog', 'related controls (aws-ir, CIS)')], 'include-controls': relatedIds.map((id) => ({ 'control-id': id })) });
  }

  const m = report.maturity;
  return {
    'assessment-results': {
      uuid: uuid(`document:${docName}${at}`),
      metadata: {
        title: line(`${only ? `${only.name} (through ${report.control.id})` : report.control.id} assessment results: ${report.organisation}, ${report.period.label}`),
        'last-modified': at,
        version: line(`${report.period.label}-${at}`),
        'oscal-version': OSCAL_VERSION,
        props: [prop('organisation', report.organisation), prop('tool', `${report.tool.name} ${report.tool.version}`)],
        parties: [{ uuid: uuid('party:organisation'), type: 'organization', name: line(report.organisation) }],
      },
      'import-ap': { href: `#${planUuid}`, remarks: 'See the back-matter resource: the plan is the evidence-pack configuration.' },
      results: [
        {
          uuid: uuid(`result:${docName}${at}`),
          title: line(`${only ? `${only.name}: ` : ''}${report.control.id} ${report.control.title}`),
          description: `${report.control.description}\n\nMaturity level ${m.level} of 5 (${m.levelName}).`,
          // The period is given as calendar dates; OSCAL needs instants, so its bounds are taken in UTC.
          start: `${report.period.from}T00:00:00Z`,
          end: `${report.period.to}T23:59:59Z`,
          props: [
            prop('maturity-level', String(m.level)),
            prop('maturity-level-name', m.levelName),
            ...m.criteria.map((c) => prop('maturity-criterion', `${c.id}: ${c.status}`, { class: controlToken('', c.id) })),
            ...seedProps,
          ],
          'reviewed-controls': { 'control-selections': selections },
          ...(observations.length ? { observations } : {}),
          ...(findings.length ? { findings } : {}),
        },
      ],
      'back-matter': { resources },
    },
  };
}
