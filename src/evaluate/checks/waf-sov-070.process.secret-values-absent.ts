// Process evidence files hold no credential values (they are reported by field and redacted in the pack).

import type { Finding } from '../../model/check.js';
import { defineCheck, EvidenceNotCollected } from '../define-check.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.process.secret-values-absent',
    title: 'No credential values in the secret-store file or other process records',
    description:
      'Values that look like secrets (access keys, private keys, tokens, values under keys such as password or secret) must not be written into the secret-store configuration or other process records. Each is reported by file, line and field — never by value — and the copy kept in the pack is redacted. A credential found there has been exposed and must be rotated.',
    severity: 'critical',
    evidence: ['secret-store', 'reviews', 'drills', 'tickets', 'approvals'],
    remediation: 'Remove the value from the file (reference the secret by name or ARN instead) and rotate the exposed credential.',
  },
  evaluate(ev) {
    const files = ev.processFiles ?? [];
    if (files.length === 0) throw new EvidenceNotCollected('no process evidence file was read (config keys `secretStore`, `reviews`, `drills`, `tickets`, `approvals`)');
    const hits = files.flatMap((f) => f.secrets);
    if (hits.length === 0) return { status: 'pass', reason: `no secret-looking value in ${files.length} process file(s)` };
    const findings: Finding[] = hits.map((h) => ({ status: 'fail', subject: h.field, message: `${h.location.file}:${h.location.line} field ${h.field} holds a value that looks like a secret (${h.detector}); it was not copied — the pack keeps a redacted copy`, location: h.location }));
    return { reason: `${hits.length} secret-looking value(s) found in ${new Set(hits.map((h) => h.location.file)).size} file(s): ${hits.map((h) => `${h.location.file}:${h.location.line} ${h.field}`).join(', ')}`, findings };
  },
});
