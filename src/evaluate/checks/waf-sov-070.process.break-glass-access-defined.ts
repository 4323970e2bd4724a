// Maturity level 1: emergency access exists — break-glass identities are declared or a runbook documents it.

import { defineCheck } from '../define-check.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.break-glass-access-defined',
    title: 'Emergency (break-glass) access is defined',
    description:
      'Break-glass identities are declared in the configuration (breakGlass: roles, users or permission sets; or root counted as break-glass), or a runbook revision in force documents the emergency access (WAF-SOV-070 maturity level 1).',
    severity: 'medium',
    evidence: ['runbook', 'break-glass-identities'],
    remediation: 'Declare the break-glass identities under `breakGlass:` in evidence-pack.yaml and document them in the runbook.',
  },
  evaluate(ev) {
    const bg = ev.breakGlass;
    const declared = [...bg.roles.map((r) => `role ${r}`), ...bg.users.map((u) => `user ${u}`), ...bg.permissionSets.map((p) => `permission set ${p}`)];
    if (ev.breakGlassDeclared && declared.length) return { status: 'pass', reason: `break-glass identities declared: ${declared.join(', ')}` };
    if (ev.runbook.state === 'collected' && ev.runbook.value.inForce) {
      return { status: 'pass', reason: `the runbook ${ev.runbook.value.displayPath} in force at the period end documents the emergency access` };
    }
    const why = ev.runbook.state === 'collected' ? ev.runbook.value.stateReason ?? 'no runbook revision in force' : ev.runbook.reason;
    return { status: 'unknown', reason: `no break-glass identities declared (breakGlass:) and no runbook in force (${why})` };
  },
});
