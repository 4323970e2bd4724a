// Per-framework exports in the pack: frameworks/<id>.csv (one row per control, as GRC tools import it) and
// frameworks/<id>.oscal.json (OSCAL Assessment Results of that framework alone).

import { stringify } from 'csv-stringify/sync';
import type { FrameworkResult, Report } from '../model/report.js';
import { frameworkOscalFile, renderOscal } from './oscal.js';

export const frameworkCsvFile = (frameworkId: string) => `frameworks/${frameworkId}.csv`;

export const FRAMEWORK_CSV_COLUMNS = [
  'framework_id',
  'framework',
  'framework_version',
  'control_id',
  'control_title',
  'status',
  'reason',
  'requirements',
  'maturity_criteria',
  'checks',
  'evidence_ids',
  'manual_verification',
  'note',
  'seed_statement',
  'ids_by_version',
] as const;

/**
 * A cell that a spreadsheet would run as a formula (leading =, +, -, @, tab or carriage return) gets a leading
 * apostrophe (OWASP "CSV injection"): evidence ids and reasons come from the user's inputs.
 */
function cell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The framework's controls as CSV: RFC 4180 (CRLF, quoted where needed), UTF-8 with a byte-order mark so that
 * spreadsheet programs read it as UTF-8; lists within a cell are separated by "; ".
 */
export function renderFrameworkCsv(framework: FrameworkResult): string {
  const rows = framework.controls.map((c) =>
    [
      framework.id,
      framework.name,
      framework.version,
      c.id,
      c.title,
      c.status,
      c.reason,
      c.requirements.join('; '),
      c.criteria.map((m) => `${m.id} (${m.status})`).join('; '),
      c.checks.join('; '),
      c.evidence.join('; '),
      c.manual ?? '',
      c.note ?? '',
      (c.seed ?? []).join('; '),
      c.idsByVersion ?? '',
    ].map(cell),
  );
  return stringify([[...FRAMEWORK_CSV_COLUMNS], ...rows], { bom: true, record_delimiter: 'windows' });
}

/** The CSV and OSCAL export of every framework in the report that has controls (a draft scheme's has none). */
export function frameworkExports(report: Report): { path: string; bytes: Buffer }[] {
  return report.frameworks
    .filter((f) => f.controls.length > 0)
    .flatMap((f) => [
      { path: frameworkCsvFile(f.id), bytes: Buffer.from(renderFrameworkCsv(f)) },
      { path: frameworkOscalFile(f.id), bytes: Buffer.from(renderOscal(report, f.id)) },
    ]);
}
