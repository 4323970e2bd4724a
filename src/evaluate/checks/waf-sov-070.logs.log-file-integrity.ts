// CloudTrail log-file integrity: digest signatures, the digest chain and every log file's hash verify.

import type { Finding } from '../../model/check.js';
import { defineCheck, need } from '../define-check.js';

// As aws-cli's validate-logs counts them: altered, deleted or moved is a failure; what cannot be checked is unknown.
const DIGEST_FAILS = new Set(['invalid-signature', 'moved', 'unreadable']);
const LOG_FAILS = new Set(['modified', 'missing', 'moved']);

export default defineCheck({
  meta: {
    id: 'waf-sov-070.logs.log-file-integrity',
    title: 'CloudTrail log files are complete and untampered (digest validation)',
    description:
      'Every digest file of the period carries a valid SHA256withRSA signature by a CloudTrail public key, the digests chain without gaps, and every log file’s SHA-256 matches its digest — the offline equivalent of `aws cloudtrail validate-logs`.',
    severity: 'high',
    evidence: ['cloudtrail-digests'],
    remediation: 'Enable log file validation on the trail, keep the CloudTrail-Digest objects (with their S3 metadata) next to the logs, and investigate every modified, missing or moved file.',
  },
  evaluate(ev) {
    const r = need(ev.integrity, 'CloudTrail digest files');
    const findings: Finding[] = [
      ...r.digests.filter((d) => d.status !== 'valid').map((d): Finding => ({ status: DIGEST_FAILS.has(d.status) ? 'fail' : 'unknown', subject: d.path, message: `digest ${d.status}${d.reason ? `: ${d.reason}` : ''}`, location: { file: d.path } })),
      ...r.logFiles.filter((l) => l.status !== 'valid').map((l): Finding => ({ status: LOG_FAILS.has(l.status) ? 'fail' : 'unknown', subject: l.path, message: `log file ${l.status}${l.reason ? `: ${l.reason}` : ''}`, location: { file: l.path } })),
      ...r.chain.breaks.map((b): Finding => ({ status: 'fail', subject: b.digest, message: `digest chain broken at ${b.digest}: ${b.reason}`, location: { file: b.digest } })),
    ];
    const s = r.summary;
    const counts = `${s.digests.total} digest(s), ${s.logFiles.total} log file(s), ${s.gaps} gap(s), ${s.breaks} break(s)`;
    if (r.verdict === 'valid') return { status: 'pass', reason: `log file integrity verified: ${counts}`, findings };
    return { status: r.verdict === 'invalid' ? 'fail' : 'unknown', reason: `${r.verdict === 'invalid' ? 'integrity violated' : 'integrity not demonstrated'} (${counts}): ${r.verdictReasons.join('; ')}`, findings };
  },
});
