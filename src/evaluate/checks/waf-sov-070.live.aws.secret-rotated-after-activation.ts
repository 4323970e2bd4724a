// Live: the break-glass secrets were rotated after each activation, by their own dates (DescribeSecret), agreeing with the logs.

import type { Finding } from '../../model/check.js';
import type { SecretLive } from '../../model/aws.js';
import { worstOf } from '../../model/status.js';
import { defineCheck } from '../define-check.js';
import { activationsOf, liveOf, type ActivationRef } from '../live.js';

export default defineCheck({
  meta: {
    id: 'waf-sov-070.live.aws.secret-rotated-after-activation',
    title: 'Break-glass secrets were rotated after each activation (live secret dates)',
    description:
      'Every secret named in breakGlass.secrets, read with DescribeSecret (never its value), must have been rotated (LastRotatedDate) after the last activation of the period ended; its date is the evidence for the latest activation only. With the CloudTrail logs configured, the rotation the logs show and the secret’s own date must agree: a RotateSecret in the logs after an activation whose LastRotatedDate is older means the rotation did not complete (fail); a LastRotatedDate after the activation with no rotation of the secret in the logs is reported for manual verification; earlier activations are judged on the logs’ rotation of the secret before the next activation. A secret changed (LastChangedDate) but not rotated needs manual verification (maturity level 4: rotation after every use). Without the logs, an activation found by LookupEvents ends, for this check, at its sign-in or role assumption (the session end is not in LookupEvents).',
    severity: 'high',
    evidence: ['aws-secrets', 'aws-activations', 'cloudtrail-logs', 'break-glass-identities'],
    remediation:
      'Rotate the break-glass secrets automatically at the end of every activation (Secrets Manager RotateSecret from the close-out step of the runbook, with a rotation function that completes), and keep the secret names under breakGlass.secrets.',
  },
  evaluate(ev) {
    // Without live state the check is not configured (optional evidence), whatever else is declared.
    const live = liveOf(ev);
    const declared = ev.breakGlass.secrets ?? [];
    if (declared.length === 0) return { status: 'unknown', reason: 'no break-glass secret is declared (config key breakGlass.secrets), so no rotation can be checked' };
    const { activations, source, gaps } = activationsOf(ev, live);
    const findings: Finding[] = gaps.map((g) => ({ status: 'unknown', message: g.message, location: g.location }));
    const secrets = live.scopes.flatMap((s) => s.secrets.map((x) => ({ ...x, account: s.account, region: s.region })));
    for (const d of declared) {
      if (!secrets.some((s) => names(s).includes(d))) findings.push({ status: 'unknown', subject: d, message: `declared break-glass secret ${d} was not found in the accounts and regions read (a secret named without its ARN is looked for in the first region of each account)` });
    }
    if (activations.length === 0) {
      if (findings.length) return { status: 'unknown', reason: `no activation found in ${source}, but ${findings.map((f) => f.message).join('; ')}`, findings };
      return { status: 'not_applicable', reason: `no break-glass activation in the period (${source})` };
    }
    const ordered = [...activations].sort((a, b) => a.end.localeCompare(b.end));
    const last = ordered[ordered.length - 1];
    const logs = ev.cloudtrail.state === 'collected';
    for (const s of secrets) {
      const at = { api: 'secretsmanager:DescribeSecret', account: s.account, region: s.region, pointer: s.arn };
      findings.push(latest(s, last, at));
      // Earlier activations: the secret's date shows only its latest rotation; the logs show the ones between.
      for (const [i, a] of ordered.slice(0, -1).entries()) {
        const next = ordered[i + 1];
        if (!logs) {
          findings.push({ status: 'unknown', subject: `${s.name}@${a.id}`, message: `${s.name} after ${a.label}: the secret's own dates show only its latest rotation, and without the CloudTrail logs (config key cloudtrail.logs) no earlier rotation can be seen`, location: a.location });
          continue;
        }
        const r = rotations(a, s).find((x) => x.eventTime < next.start);
        findings.push(
          r
            ? { status: 'pass', subject: `${s.name}@${a.id}`, message: `${s.name} after ${a.label}: RotateSecret ${r.eventTime} (event ${r.eventId}) in the logs, before the next activation`, location: a.location }
            : { status: 'fail', subject: `${s.name}@${a.id}`, message: `${s.name} after ${a.label}: the logs show no rotation of it before the next activation at ${next.start}`, location: a.location },
        );
      }
    }

    function latest(s: SecretLive & { account: string; region: string }, a: ActivationRef, at: Finding['location']): Finding {
      const subject = `${s.name}@${a.id}`;
      const logged = logs ? rotations(a, s) : [];
      // Instants, not strings: the logs write 10:00:00Z, the SDK 10:00:00.000Z.
      const atOrAfterEnd = (d: string | undefined) => d !== undefined && Date.parse(d) >= Date.parse(a.end);
      const rotatedAfter = atOrAfterEnd(s.lastRotatedDate);
      if (rotatedAfter) {
        if (logs && logged.length === 0) return { status: 'manual', subject, message: `${s.name}: LastRotatedDate ${s.lastRotatedDate} is after ${a.label} ended (${a.end}), but the logs hold no rotation of it after the activation: the two disagree; verify which is right`, location: at };
        return { status: 'pass', subject, message: `${s.name}: rotated ${s.lastRotatedDate}, after ${a.label} ended (${a.end})${logged.length ? `; the logs agree (event ${logged[0].eventId})` : ''}`, location: at };
      }
      if (logged.length) return { status: 'fail', subject, message: `${s.name}: the logs show a rotation at ${logged[0].eventTime} (event ${logged[0].eventId}) after ${a.label}, but the secret's LastRotatedDate is ${s.lastRotatedDate ?? 'absent'}: the rotation did not complete`, location: at };
      if (atOrAfterEnd(s.lastChangedDate)) return { status: 'manual', subject, message: `${s.name}: changed ${s.lastChangedDate} after ${a.label} ended (${a.end}) but not rotated (LastRotatedDate ${s.lastRotatedDate ?? 'absent'}); verify the value was replaced`, location: at };
      return { status: 'fail', subject, message: `${s.name}: last rotated ${s.lastRotatedDate ?? 'never'}, before ${a.label} ended (${a.end}; event ${a.firstEventId})`, location: at };
    }

    const status = worstOf(findings.map((f) => f.status));
    const reason =
      status === 'pass'
        ? `${secrets.length} break-glass secret(s) rotated after the ${activations.length} activation(s) in ${source}`
        : findings.filter((f) => f.status === status).map((f) => f.message).join('; ');
    return { status, reason, findings };
  },
});

/** A secret's names as breakGlass.secrets may give it: its name, its ARN, its ARN without the random suffix. */
function names(s: SecretLive): string[] {
  return [s.name, s.arn, s.arn.replace(/-[A-Za-z0-9]{6}$/, '')];
}

/** Rotations of `s` the logs found after activation `a` (kind secret-rotated, target naming the secret). */
function rotations(a: ActivationRef, s: SecretLive) {
  return (a.rotation?.evidence ?? []).filter((r) => r.kind === 'secret-rotated' && r.target !== undefined && names(s).includes(r.target)).sort((x, y) => x.eventTime.localeCompare(y.eventTime));
}
