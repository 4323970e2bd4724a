// Break-glass credentials live in a dedicated, independently audited store under dual control with named readers.

import type { Finding } from '../../model/check.js';
import { defineCheck } from '../define-check.js';
import { daysBetween } from '../../model/dates.js';
import { processOf, rejectedNote } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.secret-store-dedicated',
    title: 'Break-glass credentials are in a dedicated, independently audited store',
    description:
      'Seed 000 implementation guidance: break-glass credentials in a dedicated, independently audited secret store (not the main vault). Checked: `store.dedicated`, an independent audit dated within 365 days before the period end, dual control with at least two distinct custodians, and named readers (no wildcard).',
    severity: 'medium',
    evidence: ['secret-store'],
    remediation: 'Move break-glass credentials to a store used for nothing else, have it audited independently every year, require two custodians, and name who may read.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'secretStore', 'secret-store configuration');
    const s = set.records[0];
    if (!s) return { status: 'unknown', reason: `the secret-store configuration could not be used${rejectedNote(set, 'secret-store')}` };
    const at = s.at;
    const f: Finding[] = [];
    f.push(s.store.dedicated ? { status: 'pass', message: `${s.store.name} is dedicated to break-glass credentials`, location: at } : { status: 'fail', message: `${s.store.name} is not dedicated${s.store.sharedWith ? ` (shared with ${s.store.sharedWith})` : ''}: break-glass credentials must not live in the main vault`, location: at });
    const audit = s.independentAudit;
    if (!audit) f.push({ status: 'fail', message: 'no independent audit of the store is recorded (independentAudit)', location: at });
    else {
      const age = daysBetween(audit.date, ev.period.to);
      f.push(
        age < 0 ? { status: 'fail', message: `the independent audit by ${audit.auditor} is dated ${audit.date}, after the period end`, location: at }
        : age > 365 ? { status: 'fail', message: `the last independent audit (${audit.auditor}, ${audit.date}) is ${age} days before the period end (more than 365)`, location: at }
        : { status: 'pass', message: `independently audited by ${audit.auditor} on ${audit.date}`, location: at },
      );
    }
    const custodians = new Set(s.dualControl.custodians.map((c) => c.toLowerCase()));
    f.push(s.dualControl.required && custodians.size >= 2 ? { status: 'pass', message: `dual control with ${custodians.size} custodians`, location: at } : { status: 'fail', message: `dual control is ${s.dualControl.required ? `required but only ${custodians.size} distinct custodian(s) are named` : 'not required'}`, location: at });
    const wildcard = s.readers.filter((r) => /^\*$|^(all|everyone|any)\b/i.test(r.trim()));
    f.push(s.readers.length === 0 ? { status: 'fail', message: 'no readers are named: who can read the credentials is not stated', location: at } : wildcard.length ? { status: 'fail', message: `readers include ${wildcard.join(', ')}: access is not restricted`, location: at } : { status: 'pass', message: `readers: ${s.readers.join(', ')}`, location: at });
    const failed = f.filter((x) => x.status === 'fail');
    return { reason: failed.length ? failed.map((x) => x.message).join('; ') : f.map((x) => x.message).join('; '), findings: f };
  },
});
