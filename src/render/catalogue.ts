// The check catalogue (docs/checks.md): every check's metadata and, computed from mappings/, what it demonstrates.

import type { CheckDefinition } from '../evaluate/define-check.js';
import type { Mappings } from '../map/mappings.js';

export function renderCatalogue(checks: CheckDefinition[], mappings: Mappings): string {
  const { control, frameworks } = mappings;
  const lines = [
    '# Check catalogue',
    '',
    `Generated from the check registry and \`mappings/\` by \`npm run docs\`; a test keeps it current. Control: ${control.id} — ${control.title} (${control.source}).`,
    '',
    '| check | severity | requirements | maturity criteria |',
    '|---|---|---|---|',
  ];
  // A supporting check counts only when its optional evidence is configured: marked as such.
  const role = (x: { id: string; checks?: string[]; supporting?: string[] }, id: string) => (x.checks?.includes(id) ? [x.id] : x.supporting?.includes(id) ? [`${x.id} (supporting)`] : []);
  const reqsOf = (id: string) => control.requirements.flatMap((r) => role(r, id));
  const critOf = (id: string) => control.maturity.flatMap((l) => l.criteria.flatMap((c) => role(c, id)));
  for (const c of checks) lines.push(`| \`${c.meta.id}\` | ${c.meta.severity} | ${reqsOf(c.meta.id).join(', ') || '—'} | ${critOf(c.meta.id).join(', ') || '—'} |`);
  for (const c of checks) {
    const reqs = reqsOf(c.meta.id);
    const allReqs = control.requirements.filter((r) => [...(r.checks ?? []), ...(r.supporting ?? [])].includes(c.meta.id)).map((r) => r.id);
    const fw = frameworks
      .filter((f) => f.default)
      .map((f) => ({
        name: f.name,
        ids: f.controls.filter((fc) => [...(fc.checks ?? []), ...(fc.supporting ?? [])].includes(c.meta.id) || (fc.requirements ?? []).some((r) => allReqs.includes(r))).map((fc) => fc.id),
      }))
      .filter((f) => f.ids.length)
      .map((f) => `${f.name} ${f.ids.join(', ')}`);
    lines.push(
      '',
      `## \`${c.meta.id}\``,
      '',
      `**${c.meta.title}** — severity ${c.meta.severity}; reads: ${c.meta.evidence.join(', ')}.`,
      '',
      c.meta.description,
      '',
      `*Remediation:* ${c.meta.remediation}`,
      '',
      `*Demonstrates:* ${[...reqs, ...critOf(c.meta.id)].join(', ') || '—'}.`,
      ...(fw.length ? ['', `*Supports (through the requirements or directly):* ${fw.join('; ')}.`] : []),
    );
  }
  const pendingReqs = control.requirements.filter((r) => r.pending);
  const pendingCrit = control.maturity.flatMap((l) => l.criteria.filter((c) => c.pending));
  if (pendingReqs.length || pendingCrit.length) {
    lines.push('', '## Awaiting evidence', '', 'Reported as `unknown — evidence not collected`, never as met:', '');
    for (const r of pendingReqs) lines.push(`- ${r.id} ${r.text} — ${r.pending}`);
    for (const c of pendingCrit) lines.push(`- ${c.id} ${c.text} — ${c.pending}`);
  }
  return lines.join('\n') + '\n';
}
