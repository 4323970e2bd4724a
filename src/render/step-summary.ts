// GitHub Actions job summary (Markdown appended to $GITHUB_STEP_SUMMARY): level, gate, counts, non-passing checks.

import type { Report } from '../model/report.js';
import { STATUSES } from '../model/status.js';

export interface GateOutcome {
  /** e.g. "--min-maturity 3", "--fail-on fail". */
  gate: string;
  tripped: boolean;
}

/** Markdown table cells: pipes and newlines would break the row; HTML is escaped so evidence text cannot inject markup. */
function cell(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

export function renderStepSummary(report: Report, gates: GateOutcome[] = [], opts: { maxRows?: number } = {}): string {
  const maxRows = opts.maxRows ?? 50;
  const lines = [
    `## ${cell(report.control.id)} evidence pack: ${cell(report.organisation)}, ${cell(report.period.label)}`,
    '',
    `**Maturity level ${report.maturity.level} of 5** (${cell(report.maturity.levelName)})${report.signature?.signed ? ` · signed by ${cell(report.signature.signer ?? 'unknown signer')}` : ' · unsigned'}`,
    '',
    '| ' + STATUSES.join(' | ') + ' |',
    '|' + STATUSES.map(() => '---:').join('|') + '|',
    '| ' + STATUSES.map((s) => String(report.summary.checks[s])).join(' | ') + ' |',
    '',
  ];
  for (const g of gates) lines.push(`- Gate \`${cell(g.gate)}\`: ${g.tripped ? '**failed**' : 'passed'}`);
  if (gates.length) lines.push('');
  const open = report.checks.filter((c) => c.status !== 'pass' && c.status !== 'not_applicable');
  if (open.length) {
    lines.push('| Status | Check | Why |', '|---|---|---|');
    for (const c of open.slice(0, maxRows)) lines.push(`| ${c.status} | \`${cell(c.id)}\` | ${cell(c.reason.length > 200 ? c.reason.slice(0, 197) + '...' : c.reason)} |`);
    if (open.length > maxRows) lines.push('', `…and ${open.length - maxRows} more in report.json.`);
    lines.push('');
  }
  if (report.maturity.nextStep) lines.push(`Next step to level ${report.maturity.nextStep.level}: ${cell(report.maturity.nextStep.action)}`, '');
  return lines.join('\n');
}
