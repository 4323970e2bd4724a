// Runs every check over the evidence; a check that throws becomes `error`, missing evidence `unknown` — never `pass`.
// The one rule on coverage lives here: a check passes only on evidence that was read completely; and a check read
// on IaC and on live AWS state is judged on each source apart, the worst verdict deciding.

import type { CheckResult, Finding, IncompleteEvidence, SourceVerdict } from '../model/check.js';
import { LIVE_AREA_OF_ENTITY, LIVE_AREAS, type AwsLiveEvidence } from '../model/aws.js';
import type { EntityType } from '../model/infra.js';
import type { CheckMeta } from '../model/check.js';
import { worstOf } from '../model/status.js';
import { BROKEN_REASONS, describeGap, gapCount, isComplete } from '../model/coverage.js';
import { messageOf } from '../errors.js';
import { EvidenceNotCollected, type CheckDefinition, type CheckOutcome, type EvidenceSet } from './define-check.js';
import { recordingInfraReads } from './infra.js';
import { decideOverConditions } from './conditions.js';
import { markRepeatedDefects } from './repeats.js';

/** Gaps kept per source on a check result (the report's coverage section lists them all). */
const GAPS_PER_SOURCE = 10;
/** Objects named in a downgraded check's reason. */
const NAMED_IN_REASON = 3;

/** The sources of the kinds a check reads (its `meta.evidence`) that were not covered completely. */
export function incompleteEvidenceOf(meta: CheckMeta, evidence: EvidenceSet): IncompleteEvidence[] {
  return (evidence.coverage ?? [])
    .filter((c) => meta.evidence.includes(c.kind) && !isComplete(c))
    .map((c) => {
      const all = [...c.skipped, ...c.dropped];
      return {
        kind: c.kind,
        source: c.source,
        skipped: c.skipped.length,
        dropped: gapCount(c.dropped),
        broken: c.skipped.some((g) => (BROKEN_REASONS as readonly string[]).includes(g.reason)),
        gaps: all.slice(0, GAPS_PER_SOURCE),
        omitted: Math.max(0, all.length - GAPS_PER_SOURCE),
      };
    });
}

function summarise(incomplete: IncompleteEvidence[]): string {
  const parts = incomplete.map((s) => {
    const counts = [s.skipped && `${s.skipped} object(s) skipped`, s.dropped && `${s.dropped} record(s) dropped`].filter(Boolean).join(', ');
    const named = s.gaps.slice(0, NAMED_IN_REASON).map(describeGap).join('; ');
    const rest = s.gaps.length + s.omitted - NAMED_IN_REASON;
    const more = rest > 0 ? `; and ${rest} more` : '';
    return `${s.source}: ${counts} — ${named}${more}`;
  });
  return parts.join(' | ');
}

/**
 * The rule: `pass` (and `not_applicable`, which rests on having seen everything) needs every evidence kind the
 * check reads covered completely. Otherwise the result is `error` when an object is present but broken, else
 * `unknown`, naming the objects. A `fail` (or another non-passing status) found in what was read stands.
 */
export function applyCoverageRule(result: CheckResult, incomplete: IncompleteEvidence[]): CheckResult {
  if (incomplete.length === 0) return result;
  const withGaps = { ...result, incompleteEvidence: incomplete };
  if (result.status !== 'pass' && result.status !== 'not_applicable') return withGaps;
  const status = incomplete.some((s) => s.broken) ? 'error' : 'unknown';
  const gapFindings: Finding[] = incomplete.flatMap((s) =>
    // Keyed per object and reason, so a gap many checks share is shown once (repeats.ts).
    s.gaps.map((g): Finding => ({ status, subject: g.object, message: `${s.source}: not read completely: ${describeGap(g)}`, location: g.location ?? { file: g.object }, defect: `coverage:${s.kind}:${g.object}:${g.reason}` })),
  );
  return {
    ...withGaps,
    status,
    reason: `not demonstrated: the evidence this check reads was not read completely — ${summarise(incomplete)}. In what was read: ${result.reason}`,
    locations: gapFindings.map((f) => f.location!).slice(0, GAPS_PER_SOURCE),
    findings: [...gapFindings, ...result.findings],
    evidenceMissing: 'incomplete',
  };
}

/** One evaluation with the coverage rule applied (the whole result when there is one source of infrastructure). */
function runOnce(check: CheckDefinition, evidence: EvidenceSet): CheckResult {
  return applyCoverageRule(evaluateCheck(check, evidence), incompleteEvidenceOf(check.meta, evidence));
}

/**
 * A check reading infrastructure, with live AWS state configured, is judged on each source apart: IaC alone, and
 * each live account alone. Its status is the worst of those verdicts, so IaC cannot mask a live failure or a
 * live scope that could not be read (and the reverse); `sources` says what each source said and which decided.
 */
export function runCheck(check: CheckDefinition, evidence: EvidenceSet): CheckResult {
  if (!evidence.live || evidence.live.state === 'not-configured') return runOnce(check, evidence);
  const probe = recordingInfraReads(evidence);
  const whole = runOnce(check, probe.ev);
  const { infra, types, all } = probe.reads;
  // Checks that read no infrastructure, or only kinds live state does not hold as entities (IAM roles, permission
  // sets: see the live identity check), keep one verdict.
  if (!infra || (!all && types.size > 0 && ![...types].some((t) => LIVE_SNAPSHOT_TYPES.has(t)))) return whole;
  return bySource(check, evidence, whole);
}

/** Deciding sources named in a result's reason (the rest are in `sources`). */
const NAMED_SOURCES = 3;

/** Entity types the live collector puts in its snapshots. */
const LIVE_SNAPSHOT_TYPES = new Set<EntityType>(['trail', 'bucket', 'public-access-block', 'log-group', 'metric-filter', 'alarm', 'sns-topic', 'sns-subscription']);

function bySource(check: CheckDefinition, ev: EvidenceSet, whole: CheckResult): CheckResult {
  const subs: { verdict: Omit<SourceVerdict, 'decisive' | 'status' | 'reason'>; result: CheckResult }[] = [];
  if (ev.iac.state !== 'not-configured') subs.push({ verdict: { source: 'iac' }, result: runOnce(check, { ...ev, live: undefined }) });
  const live = ev.live!;
  const missing = (reason: string, state: CheckResult['evidenceMissing']): CheckResult => ({ ...whole, status: 'unknown', reason, locations: [], findings: [{ status: 'unknown', message: reason }], evidenceMissing: state });
  if (live.state !== 'collected') subs.push({ verdict: { source: 'aws-live' }, result: missing(`live AWS state not collected: ${live.reason}`, live.state === 'not-configured' ? 'not-configured' : live.state) });
  else if (live.value.accounts.length === 0) {
    const why = live.value.unavailable.map((u) => `${u.api} failed: ${u.code}: ${u.message}`).join('; ') || 'no account to read';
    subs.push({ verdict: { source: 'aws-live' }, result: missing(`no AWS account was read: ${why}`, 'unavailable') });
  } else {
    for (const a of live.value.accounts) subs.push({ verdict: { source: 'aws-live', account: a.account, regions: live.value.scopes.filter((s) => s.account === a.account).map((s) => s.region) }, result: onAccount(check, ev, live.value, a.account) });
  }
  const status = worstOf(subs.map((s) => s.result.status));
  const decisive = subs.filter((s) => s.result.status === status);
  const label = (v: (typeof subs)[number]['verdict']) => (v.source === 'iac' ? 'IaC' : v.account ? `live ${v.account}` : 'live AWS');
  const incomplete = subs.flatMap((s) => s.result.incompleteEvidence ?? []).filter((x, i, xs) => xs.findIndex((y) => y.kind === x.kind && y.source === x.source) === i);
  return {
    ...whole,
    status,
    reason: decisive.slice(0, NAMED_SOURCES).map((s) => `${label(s.verdict)}: ${s.result.reason}`).join(' | ') + (decisive.length > NAMED_SOURCES ? ` | and ${decisive.length - NAMED_SOURCES} more source(s) alike (see sources)` : ''),
    locations: decisive.flatMap((s) => s.result.locations),
    findings: subs.flatMap((s) => s.result.findings),
    evidenceRefs: [...new Set([...whole.evidenceRefs, ...(live.state === 'collected' ? (ev.evidenceRefs['aws-live'] ?? []) : [])])],
    evidenceMissing: decisive.every((s) => s.result.evidenceMissing) ? decisive[0].result.evidenceMissing : undefined,
    incompleteEvidence: incomplete.length ? incomplete : undefined,
    sources: subs.map((s) => ({ ...s.verdict, status: s.result.status, reason: s.result.reason, decisive: s.result.status === status })),
  };
}

/**
 * The verdict on one live account: its own scopes (and those of a read account that owns an organisation trail
 * recording it, with that trail's bucket, log group and alarms), and the coverage rule on the live areas the
 * check read there.
 */
function onAccount(check: CheckDefinition, ev: EvidenceSet, live: AwsLiveEvidence, account: string): CheckResult {
  const read = new Set(live.accounts.map((a) => a.account));
  const owners = new Set(
    live.scopes
      .filter((s) => s.account === account)
      .flatMap((s) => s.snapshot.entities.filter((e) => e.type === 'trail').map((e) => e.id.split(':')[4]))
      .filter((owner) => owner && owner !== account && read.has(owner)),
  );
  const judged = new Set([account, ...owners]);
  const scoped: EvidenceSet = {
    ...ev,
    iac: { state: 'not-configured', reason: 'each live account is judged on its own' },
    live: { state: 'collected', value: { ...live, accounts: live.accounts.filter((a) => judged.has(a.account)), scopes: live.scopes.filter((s) => judged.has(s.account)) } },
  };
  const probe = recordingInfraReads(scoped);
  const result = evaluateCheck(check, probe.ev);
  const areas = probe.reads.all ? [...LIVE_AREAS] : [...new Set([...probe.reads.types].map((t) => LIVE_AREA_OF_ENTITY[t]))];
  const coverage = (ev.coverage ?? [])
    .filter((c) => (areas as string[]).includes(c.kind))
    .map((c) => ({ ...c, skipped: c.skipped.filter((g) => !g.location?.account || judged.has(g.location.account)), dropped: [] }));
  const meta = { ...check.meta, evidence: [...check.meta.evidence.filter((k) => k !== 'iac'), ...areas] };
  return applyCoverageRule(result, incompleteEvidenceOf(meta, { ...ev, coverage }));
}

function evaluateCheck(check: CheckDefinition, evidence: EvidenceSet): CheckResult {
  const { meta } = check;
  const base = {
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    remediation: meta.remediation,
    evidenceRefs: meta.evidence.flatMap((k) => evidence.evidenceRefs[k] ?? []),
  };
  try {
    const first = check.evaluate(evidence);
    const statusOf = (o: CheckOutcome) => o.status ?? worstOf((o.findings ?? []).map((f) => f.status));
    // `unknown` only because some resources may not be created: decided when the verdict is the same either way.
    const out = (statusOf(first) === 'unknown' && meta.evidence.includes('iac') && decideOverConditions(evidence, (ev) => check.evaluate(ev), statusOf)) || first;
    const findings = out.findings ?? [];
    if (out.status === undefined && findings.length === 0) {
      return { ...base, status: 'error', reason: 'check produced neither a status nor findings', locations: [], findings };
    }
    const status = out.status ?? worstOf(findings.map((f) => f.status));
    const locations = out.locations ?? findings.filter((f) => f.status === status && f.location).map((f) => f.location!);
    return { ...base, status, reason: out.reason, locations, findings };
  } catch (e) {
    if (e instanceof EvidenceNotCollected) return { ...base, status: 'unknown', reason: e.message, locations: [], findings: [], evidenceMissing: e.state };
    return { ...base, status: 'error', reason: `check failed to evaluate: ${messageOf(e)}`, locations: [], findings: [] };
  }
}

export function runChecks(checks: CheckDefinition[], evidence: EvidenceSet): CheckResult[] {
  return markRepeatedDefects(checks.map((c) => runCheck(c, evidence)));
}
