// JUnit XML from the Report, for CI dashboards: one testcase per check; unknown counts as a failure, never a pass.

import type { CheckResult } from '../model/check.js';
import { formatLocation } from '../model/location.js';
import type { Report } from '../model/report.js';

export const JUNIT_FILE = 'junit.xml';

/** XML 1.0 forbids most control characters even when escaped: they are dropped. */
function xml(s: string): string {
  return s
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');
}

function detail(c: CheckResult): string {
  const lines = [c.reason];
  for (const l of c.locations) lines.push(`at ${formatLocation(l)}`);
  for (const f of c.findings.filter((f) => f.status !== 'pass')) {
    lines.push(`${f.status}: ${f.subject ? `${f.subject}: ` : ''}${f.message}${f.location ? ` (${formatLocation(f.location)})` : ''}`);
  }
  if (c.accepted) lines.push(`risk accepted by ${c.accepted.by} until ${c.accepted.until}${c.accepted.ticket ? ` (${c.accepted.ticket})` : ''}`);
  if (c.status !== 'pass' && c.remediation) lines.push(`remediation: ${c.remediation}`);
  return lines.join('\n');
}

/**
 * How each status becomes JUnit (docs/exports.md):
 * pass → passed; fail → <failure type="fail">; unknown → <failure type="unknown"> (missing evidence is
 * not demonstrated compliance, and dashboards show skipped tests as harmless); error → <error>;
 * manual and not_applicable → <skipped> with the reason.
 */
function outcome(c: CheckResult): string {
  const message = `${c.status}: ${c.reason}`;
  switch (c.status) {
    case 'pass':
      return '';
    case 'fail':
    case 'unknown':
      return `\n      <failure${attrs({ type: c.status, message })}>${xml(detail(c))}</failure>\n    `;
    case 'error':
      return `\n      <error${attrs({ type: 'error', message })}>${xml(detail(c))}</error>\n    `;
    case 'manual':
    case 'not_applicable':
      return `\n      <skipped${attrs({ message })}/>\n    `;
  }
}

/** Renders one testsuite of the Report's checks, in report order (deterministic). */
export function renderJunit(report: Report): string {
  const n = (pred: (c: CheckResult) => boolean) => report.checks.filter(pred).length;
  const counts = {
    tests: report.checks.length,
    failures: n((c) => c.status === 'fail' || c.status === 'unknown'),
    errors: n((c) => c.status === 'error'),
    skipped: n((c) => c.status === 'manual' || c.status === 'not_applicable'),
  };
  const suiteName = `${report.control.id} ${report.organisation} ${report.period.label}`;
  const cases = report.checks.map((c) => {
    const classname = c.id.split('.').slice(0, -1).join('.') || c.id;
    return `    <testcase${attrs({ classname, name: c.id, time: 0 })}>${outcome(c)}</testcase>`;
  });
  const props = [
    ['maturity-level', String(report.maturity.level)],
    ['maturity-level-name', report.maturity.levelName],
    ['period', `${report.period.from}/${report.period.to}`],
    ['tool', `${report.tool.name} ${report.tool.version}`],
  ].map(([name, value]) => `      <property${attrs({ name, value })}/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `evidence-pack ${report.control.id}`, ...counts, time: 0 })}>`,
    `  <testsuite${attrs({ name: suiteName, ...counts, time: 0, timestamp: report.generatedAt })}>`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
