// The secret store rotates break-glass credentials automatically after every use.

import { defineCheck } from '../define-check.js';
import { processOf, rejectedNote } from '../process.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.secret-store-rotation-automatic',
    title: 'Break-glass credentials rotate automatically after use',
    description: 'The secret-store configuration states rotation after every use, performed automatically (maturity level 4: automatic credential rotation after every use).',
    severity: 'medium',
    evidence: ['secret-store'],
    remediation: 'Configure the store to rotate break-glass credentials automatically after each use (e.g. a Secrets Manager rotation triggered by the activation) and record it in the secret-store file.',
  },
  evaluate(ev) {
    const set = processOf(ev, 'secretStore', 'secret-store configuration');
    const s = set.records[0];
    if (!s) return { status: 'unknown', reason: `the secret-store configuration could not be used${rejectedNote(set, 'secret-store')}` };
    const how = s.rotation.mechanism ? ` (${s.rotation.mechanism})` : '';
    if (!s.rotation.afterUse) return { status: 'fail', reason: `${s.store.name}: rotation after use is not configured (rotation.afterUse is false)`, locations: [s.at] };
    if (s.rotation.mode !== 'automatic') return { status: 'fail', reason: `${s.store.name}: credentials are rotated after use manually${how}, not automatically`, locations: [s.at] };
    return { status: 'pass', reason: `${s.store.name}: credentials rotate automatically after every use${how}`, locations: [s.at] };
  },
});
