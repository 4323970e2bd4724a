// No permanent break-glass credentials: every credential is issued just in time, and no activation used root or an IAM user.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { activationLabel, activationLocation, processOf, rejectedNote } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.no-standing-credentials',
    title: 'No permanent break-glass credentials',
    description:
      'The secret-store configuration lists the break-glass credentials and all are `just-in-time`; no break-glass IAM users are declared; and, when CloudTrail logs are collected, no activation of the period used root or IAM-user (long-term) credentials (maturity level 5).',
    severity: 'high',
    evidence: ['secret-store', 'break-glass-identities', 'cloudtrail-logs'],
    remediation: 'Replace standing break-glass users and passwords with just-in-time role or permission-set access granted per activation.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'secretStore', 'secret-store configuration');
    const s = set.records[0];
    if (!s) return { status: 'unknown', reason: `the secret-store configuration could not be used${rejectedNote(set, 'secret-store')}` };
    const f: Finding[] = [];
    if (s.credentials.length === 0) f.push({ status: 'unknown', message: `${s.store.name}: the break-glass credentials are not listed (credentials)`, location: s.at });
    for (const c of s.credentials) {
      f.push(c.type === 'standing' ? { status: 'fail', subject: c.name, message: `${c.name} is a standing credential`, location: s.at } : { status: 'pass', subject: c.name, message: `${c.name} is issued just in time`, location: s.at });
    }
    if (ev.breakGlass.users.length) f.push({ status: 'fail', message: `break-glass IAM users are declared (${ev.breakGlass.users.join(', ')}): users carry standing credentials`, location: { pointer: 'breakGlass.users' } });
    let ctNote: string;
    if (ev.cloudtrail.state === 'collected' && !ev.cloudtrail.value.noLogs) {
      const standing = ev.cloudtrail.value.activations.filter((a) => a.principal.kind === 'root' || a.principal.kind === 'iam-user');
      for (const a of standing) f.push({ status: 'fail', subject: a.id, message: `${activationLabel(a)} used ${a.principal.kind} credentials (long-term)`, location: activationLocation(a) });
      ctNote = `; ${ev.cloudtrail.value.activations.length} activation(s) in CloudTrail, ${standing.length} with long-term credentials`;
    } else {
      ctNote = '; not cross-checked against CloudTrail activations (not collected)';
    }
    const bad = f.filter((x) => x.status === 'fail');
    const unknown = f.filter((x) => x.status === 'unknown');
    return {
      reason: bad.length ? bad.map((x) => x.message).join('; ') + ctNote : unknown.length ? unknown.map((x) => x.message).join('; ') : `all ${s.credentials.length} break-glass credential(s) are just-in-time${ctNote}`,
      findings: f.length ? f : undefined,
      status: f.length ? undefined : 'unknown',
    };
  },
});
