// report.html: a self-contained page (inline CSS and SVG, no scripts, hash-pinned CSP) rendered with Handlebars from the Report.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Report, MaturityCriterion, CriterionStatus } from '../model/report.js';
import type { CheckResult } from '../model/check.js';
import { STATUSES } from '../model/status.js';
import { formatLocation, type SourceLocation } from '../model/location.js';
import { TEMPLATES_DIR } from '../paths.js';
import { coverageView, humanDuration, isRec, num, str, strings, type Rec } from './read.js';

const STATUS_LABEL: Record<string, string> = {
  pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN', error: 'ERROR', manual: 'MANUAL', not_applicable: 'N/A',
  accepted: 'ACCEPTED', met: 'MET', not_met: 'NOT MET',
};

function statusLabel(s: unknown): string {
  return STATUS_LABEL[String(s)] ?? String(s).toUpperCase();
}

/**
 * Fragment id for any string. Injective (every character outside [A-Za-z0-9-] is hex-encoded), so two
 * different evidence ids never share an anchor, and the result is safe in an attribute whatever the input.
 */
export function anchorOf(s: unknown): string {
  let out = '';
  for (const ch of String(s)) {
    out += /^[A-Za-z0-9-]$/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out;
}

/** Shortens text shown inside a chart; the full value is in the chart's <title> and in the table next to it. */
function ellipsis(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}

function createEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('statusLabel', (s: unknown) => statusLabel(s));
  hb.registerHelper('loc', (l: SourceLocation) => (l && typeof l === 'object' ? formatLocation(l) : ''));
  // Not called `date`: a helper shadows a same-named field, and runbook revisions have a `date` field.
  hb.registerHelper('day', (s: unknown) => (typeof s === 'string' ? s.slice(0, 10) : ''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('anchor', (s: unknown) => anchorOf(s));
  // Long dotted ids (check ids, ARNs) may wrap after a dot or colon: escape first, then add the break hints.
  hb.registerHelper('breakable', (s: unknown) => new hb.SafeString(hb.escapeExpression(String(s ?? '')).replace(/([.:/])/g, '$1<wbr>')));
  const partialsDir = join(TEMPLATES_DIR, 'partials');
  for (const f of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs')).sort()) {
    hb.registerPartial(f.replace(/\.hbs$/, ''), readFileSync(join(partialsDir, f), 'utf8'));
  }
  return hb;
}

// ---------------------------------------------------------------------------------------------------
// Maturity staircase

export interface StaircaseSegment { x: number; y: number; w: number; h: number; status: CriterionStatus; title: string }
export interface StaircaseStep {
  level: number; name: string; status: CriterionStatus; achieved: boolean;
  x: number; y: number; w: number; h: number;
  labelX: number; labelY: number; countY: number;
  met: number; notMet: number; unknown: number;
  segments: StaircaseSegment[];
}
export interface Staircase { width: number; height: number; baseY: number; steps: StaircaseStep[] }

/** Geometry of the maturity staircase: one step per level, one block per criterion under it. */
export function staircase(report: Report): Staircase {
  const stepW = 172, stepH = 30, gap = 10, left = 10, top = 44, stripH = 14;
  const levels = report.maturity.levels;
  const baseY = top + levels.length * stepH;
  return {
    width: left * 2 + levels.length * (stepW + gap) - gap,
    height: baseY + stripH + 34,
    baseY,
    steps: levels.map((l, i) => {
      const h = (i + 1) * stepH;
      const x = left + i * (stepW + gap);
      const n = Math.max(1, l.criteria.length);
      const segW = stepW / n;
      const met = l.criteria.filter((c) => c.status === 'met').length;
      const notMet = l.criteria.filter((c) => c.status === 'not_met').length;
      return {
        level: l.level, name: l.name, status: l.status,
        achieved: l.level <= report.maturity.level,
        x, y: baseY - h, w: stepW, h,
        labelX: x + stepW / 2, labelY: baseY - h - 22, countY: baseY - h - 7,
        met, notMet, unknown: l.criteria.length - met - notMet,
        segments: l.criteria.map((c, j) => ({
          x: x + j * segW + 1, y: baseY + 4, w: Math.max(1, segW - 2), h: stripH,
          status: c.status, title: `${c.text} (${c.id}): ${statusLabel(c.status)}`,
        })),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Activations: read tolerantly (the section is `unknown[]` in the Report and grows with other issues)

/** Strict ISO 8601 (date, or date-time with Z or an offset): V8's Date.parse also accepts free text such as "foo 12". */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

function timeOf(s: string | undefined): number | undefined {
  if (s === undefined || !ISO_TIME.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export interface TimelineEvent {
  /** What the marker stands for. */
  kind: 'alarm' | 'review' | 'rotation';
  /** Text shown in the table and the marker's <title>. */
  text: string;
  at?: string;
  /** Seconds after the activation start; undefined when the time is not known or not parseable. */
  offset?: number;
  /** Derived by replaying the IaC metric filters over the logs, not read from an alarm history. */
  replayed?: boolean;
}

export interface ActivationView {
  id: string;
  slug: string;
  principal: string;
  principalKind: string;
  sessionName?: string;
  start?: string;
  end?: string;
  durationSeconds?: number;
  duration: string;
  sourceIps: string[];
  userAgents: string[];
  mfa: string;
  apiCalls?: number;
  writeCalls?: number;
  failedCalls?: number;
  services: string[];
  eventIds: string[];
  outsideCidrEvents?: number;
  alarm: TimelineEvent | null;
  review: TimelineEvent | null;
  rotation: TimelineEvent | null;
  tickets: { id: string; created?: string; type?: string }[];
  approvals: { id: string; requester?: string; requestedAt?: string; approvers: { approver: string; at?: string }[] }[];
  rotationStatus: string;
  rotationDeadline?: string;
}

function offsetFrom(startMs: number | undefined, at: string | undefined): number | undefined {
  const t = timeOf(at);
  return startMs === undefined || t === undefined ? undefined : (t - startMs) / 1000;
}

/** The records of a process-evidence section (`{records: […]}`, see src/model/process.ts), or a bare list. */
export function recordsOf(section: unknown): Rec[] {
  const list = isRec(section) ? section.records : section;
  return Array.isArray(list) ? list.filter(isRec) : [];
}

/** Process records (reviews, tickets, approvals) that name one of the activation's CloudTrail event ids. */
function linkedRecords(section: unknown, eventIds: string[]): Rec[] {
  const ids = new Set(eventIds);
  return recordsOf(section).filter((r) => strings(r.eventIds).some((e) => ids.has(e)));
}

/** A review record that links one of the activation's event ids (reviews come from the process-evidence collector). */
function findReview(o: Rec, eventIds: string[], reviews: unknown): Rec | undefined {
  if (isRec(o.review)) return o.review;
  const ids = new Set(eventIds);
  const id = str(o, 'id');
  return recordsOf(reviews).find((r) =>
    ['eventIds', 'linkedEventIds', 'cloudTrailEventIds', 'cloudtrailEventIds', 'events'].some((k) => strings(r[k]).some((e) => ids.has(e))) ||
    (id !== undefined && strings(r.activations ?? r.activationIds).includes(id)));
}

export function readActivations(section: unknown, reviews?: unknown, process: { tickets?: unknown; approvals?: unknown } = {}, replay?: unknown): ActivationView[] | undefined {
  if (!Array.isArray(section)) return undefined;
  return section.map((raw, i) => {
    const o = isRec(raw) ? raw : {};
    const principal = isRec(o.principal) ? o.principal : {};
    const start = str(o, 'start', 'startedAt');
    const startMs = timeOf(start);
    const eventIds = strings(o.eventIds);
    const id = str(o, 'id', 'activationId') ?? `#${i + 1}`;

    const alarmRaw = isRec(o.alarm) ? o.alarm : undefined;
    const alarmAt = alarmRaw ? str(alarmRaw, 'at', 'time', 'firedAt', 'stateChangeTime') : str(o, 'alarmAt');
    let alarm: TimelineEvent | null = alarmRaw || alarmAt
      ? { kind: 'alarm', at: alarmAt, offset: offsetFrom(startMs, alarmAt), text: [alarmRaw && str(alarmRaw, 'name', 'alarmName'), alarmAt].filter(Boolean).join(' at ') || 'alarm recorded' }
      : null;
    if (!alarm) {
      // No alarm history: the metric-filter replay says whether a filter with an alarm matched this activation.
      const ids = new Set(eventIds);
      const hits = (isRec(replay) && Array.isArray(replay.filters) ? replay.filters.filter(isRec) : [])
        .filter((f) => strings(f.alarms).length > 0 && strings(f.eventIds).some((e) => ids.has(e)));
      // Only the first and last events of an activation carry a time in the report: the earliest known one is the alarm time.
      const first = str(o, 'firstEventId'), last = str(o, 'lastEventId');
      const timeOfHit = (f: Rec) => (strings(f.eventIds).some((e) => e === first) ? start : strings(f.eventIds).some((e) => e === last) ? str(o, 'end') : undefined);
      const hit = hits.find((f) => timeOf(timeOfHit(f)) !== undefined && timeOfHit(f) === start) ?? hits.find((f) => timeOfHit(f) !== undefined) ?? hits[0];
      if (hit) {
        const at = timeOfHit(hit);
        const matched = strings(hit.eventIds).filter((e) => ids.has(e)).length;
        const others = hits.filter((f) => f !== hit).flatMap((f) => strings(f.alarms));
        alarm = {
          kind: 'alarm', at, offset: offsetFrom(startMs, at), replayed: true,
          text: `${strings(hit.alarms).join(', ')} would fire: ${str(hit, 'id') ?? 'a metric filter'} matches ${matched} event(s) of this activation${at ? ` from ${at}` : ''}${others.length ? `; also ${others.join(', ')}` : ''} (replayed from the IaC filters, not an alarm history)`,
        };
      }
    }

    const reviewRaw = findReview(o, eventIds, reviews);
    const reviewAt = reviewRaw ? str(reviewRaw, 'reviewDate', 'date', 'reviewedAt', 'completedAt') : undefined;
    const review: TimelineEvent | null = reviewRaw
      ? { kind: 'review', at: reviewAt, offset: offsetFrom(startMs, reviewAt), text: [str(reviewRaw, 'id', 'ref'), reviewAt && `dated ${reviewAt}`].filter(Boolean).join(' ') || 'review recorded' }
      : null;

    const rot = isRec(o.rotation) ? o.rotation : {};
    const rotEvidence = Array.isArray(rot.evidence) ? rot.evidence.filter(isRec) : [];
    const firstRot = rotEvidence[0];
    const rotAt = firstRot && str(firstRot, 'eventTime');
    const rotation: TimelineEvent | null = firstRot
      ? { kind: 'rotation', at: rotAt, offset: offsetFrom(startMs, rotAt), text: [str(firstRot, 'eventName', 'kind'), str(firstRot, 'target'), rotAt && `at ${rotAt}`].filter(Boolean).join(' ') }
      : null;

    const mfa = o.mfaUsed === true ? 'yes' : o.mfaUsed === false ? 'no' : 'not logged';
    return {
      id, slug: anchorOf(id),
      principal: str(principal, 'arn') ?? str(o, 'principal') ?? '(principal not recorded)',
      principalKind: str(principal, 'kind') ?? 'unknown',
      sessionName: str(principal, 'sessionName', 'userName'),
      start, end: str(o, 'end', 'endedAt'),
      durationSeconds: num(o, 'durationSeconds'),
      duration: humanDuration(num(o, 'durationSeconds')),
      sourceIps: strings(o.sourceIps), userAgents: strings(o.userAgents), mfa,
      apiCalls: num(o, 'apiCalls'), writeCalls: num(o, 'writeCalls'), failedCalls: num(o, 'failedCalls'),
      services: strings(o.services), eventIds, outsideCidrEvents: num(o, 'outsideCidrEvents'),
      alarm, review, rotation,
      tickets: linkedRecords(process.tickets, eventIds).map((t) => ({ id: str(t, 'id') ?? '(no id)', created: str(t, 'created'), type: str(t, 'type') })),
      approvals: linkedRecords(process.approvals, eventIds).map((a) => ({
        id: str(a, 'id') ?? '(no id)', requester: str(a, 'requester'), requestedAt: str(a, 'requestedAt'),
        approvers: (Array.isArray(a.approvals) ? a.approvals.filter(isRec) : []).map((x) => ({ approver: str(x, 'approver') ?? '?', at: str(x, 'at') })),
      })),
      rotationStatus: str(rot, 'status') ?? 'not-found',
      rotationDeadline: str(rot, 'deadline'),
    };
  });
}

// Timeline geometry: one lane per activation; the x axis is time since the activation started on a
// logarithmic scale, because a session lasts minutes, the alarm should follow within a minute, rotation
// within hours and the review within days — a linear axis would crush all of that into one point.
const TL = { plotX: 26, plotW: 890, laneH: 76, top: 34, maxSeconds: 90 * 86400 };
const TICKS: [number, string][] = [[0, 'start'], [60, '1 min'], [900, '15 min'], [3600, '1 h'], [86400, '1 d'], [7 * 86400, '7 d'], [30 * 86400, '30 d'], [90 * 86400, '90 d']];

function xOf(seconds: number): number {
  const s = Math.min(Math.max(seconds, 0), TL.maxSeconds);
  return TL.plotX + (Math.log10(1 + s / 10) / Math.log10(1 + TL.maxSeconds / 10)) * TL.plotW;
}

export interface TimelineMarker { kind: string; x: number; y: number; title: string; clamped: boolean }
export interface TimelineLane {
  slug: string; y: number; labelY: number; missingY: number; label: string; title: string;
  barX: number; barW: number; barY: number;
  markers: TimelineMarker[];
  missing: string;
  deadlineX?: number;
}
export interface Timeline { width: number; height: number; axisY: number; ticks: { x: number; label: string }[]; lanes: TimelineLane[] }

export function timeline(activations: ActivationView[]): Timeline {
  const width = TL.plotX + TL.plotW + 60;
  const lanes = activations.map((a, i) => {
    const y = TL.top + i * TL.laneH;
    const barY = y + 24;
    const startKnown = timeOf(a.start) !== undefined;
    const markers: TimelineMarker[] = [];
    for (const ev of [a.alarm, a.review, a.rotation]) {
      if (!ev || ev.offset === undefined || !startKnown) continue;
      markers.push({ kind: ev.kind, x: xOf(ev.offset), y: barY + 4, title: `${ev.kind}: ${ev.text}`, clamped: ev.offset < 0 || ev.offset > TL.maxSeconds });
    }
    const missing = [
      a.alarm ? (a.alarm.offset === undefined ? 'alarm time unknown' : '') : 'no alarm evidence',
      a.review ? (a.review.offset === undefined ? 'review date unknown' : '') : 'no review found',
      a.rotation ? (a.rotation.offset === undefined ? 'rotation time unknown' : '') : 'no rotation found',
      startKnown ? '' : 'start time unknown',
    ].filter(Boolean).join(' · ');
    const deadline = offsetFrom(timeOf(a.start), a.rotationDeadline);
    return {
      slug: a.slug, y, labelY: y + 14, missingY: barY + 26,
      label: `${ellipsis(a.principal, 70)} — ${a.start ?? 'start unknown'} (${a.duration})`,
      title: `Activation ${a.id} by ${a.principal}`,
      barX: xOf(0), barW: Math.max(3, xOf(a.durationSeconds ?? 0) - xOf(0)), barY,
      markers, missing,
      deadlineX: deadline === undefined ? undefined : xOf(deadline),
    };
  });
  const axisY = TL.top + activations.length * TL.laneH + 4;
  return { width, height: axisY + 28, axisY, ticks: TICKS.map(([s, label]) => ({ x: xOf(s), label })), lanes };
}

// ---------------------------------------------------------------------------------------------------
// Other view pieces

function countsOf(counts: Record<string, number> | undefined): { status: string; n: number }[] {
  if (!counts) return [];
  const order = [...STATUSES, ...Object.keys(counts).filter((k) => !(STATUSES as readonly string[]).includes(k))];
  return order.filter((s) => (counts[s] ?? 0) > 0).map((status) => ({ status, n: counts[status]! }));
}

/** Next steps: the criteria of the next level that are not met yet, each with the checks to fix. */
function nextSteps(report: Report, checks: Map<string, CheckResult>) {
  const next = report.maturity.levels.find((l) => l.level === report.maturity.level + 1);
  if (!next) return undefined;
  const open = next.criteria.filter((c: MaturityCriterion) => c.status !== 'met');
  return {
    level: next.level,
    name: next.name,
    criteria: open.map((c) => ({
      ...c,
      isNext: report.maturity.nextStep?.criterion === c.id,
      fixes: c.checks.map((id) => checks.get(id)).filter((r): r is CheckResult => !!r && r.status !== 'pass' && r.status !== 'not_applicable'),
    })),
  };
}

/** Sections other renderers fill and this template has no dedicated partial for: shown as key/value tables. */
const KNOWN_SECTIONS = new Set(['runbook', 'activations', 'cloudtrail', 'integrity', 'reviews', 'drills', 'secretStore', 'tickets', 'approvals', 'riskAcceptances']);

function flatten(value: unknown, path: string, out: { key: string; value: string }[], depth: number): void {
  if (out.length >= 400) return;
  if (value === null || value === undefined) return;
  if (typeof value !== 'object') { out.push({ key: path || '(value)', value: String(value) }); return; }
  if (depth > 4) { out.push({ key: path, value: JSON.stringify(value) }); return; }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) out.push({ key: path, value: Array.isArray(value) ? '(none)' : '(empty)' });
  for (const [k, v] of entries) flatten(v, path ? (Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`) : k, out, depth + 1);
}

function otherSections(sections: Report['sections']) {
  // In the Report's own (deterministic) order: the collectors add sections in a fixed sequence.
  return Object.keys(sections ?? {}).filter((k) => !KNOWN_SECTIONS.has(k) && sections[k] !== undefined).map((name) => {
    const rows: { key: string; value: string }[] = [];
    flatten(sections[name], '', rows, 0);
    return { name, slug: anchorOf(name), rows, truncated: rows.length >= 400 };
  });
}

export interface EvidenceLink { id: string; indexed: boolean }
export interface EvidenceLinkGroup { kind: string; slug: string; count: number; items: EvidenceLink[] }

/**
 * Evidence references grouped by kind: a check over a quarter of CloudTrail reads thousands of log files,
 * so past a few items a kind becomes one link to its group in the evidence index.
 */
function evidenceLinks(refs: string[], kindOf: Map<string, string>, listUpTo = 3): { items: EvidenceLink[]; groups: EvidenceLinkGroup[] } {
  const byKind = new Map<string, string[]>();
  for (const id of refs) {
    const kind = kindOf.get(id) ?? '';
    byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
  }
  const items: EvidenceLink[] = [];
  const groups: EvidenceLinkGroup[] = [];
  for (const [kind, ids] of byKind) {
    if (kind && ids.length > listUpTo) groups.push({ kind, slug: anchorOf(kind), count: ids.length, items: [] });
    else items.push(...ids.map((id) => ({ id, indexed: kindOf.has(id) })));
  }
  return { items, groups };
}

export interface FrameworkSummary { id: string; slug: string; name: string; total: number; counts: { status: string; n: number }[] }

export function buildHtmlView(report: Report) {
  const checksById = new Map(report.checks.map((c) => [c.id, c]));
  const kindOf = new Map(report.evidence.map((e) => [e.id, String(e.kind)]));
  const evidenceKinds = [...new Set(report.evidence.map((e) => String(e.kind)))].map((kind) => {
    const items = report.evidence.filter((e) => String(e.kind) === kind);
    return { kind, slug: anchorOf(kind), count: items.length, items };
  });
  const activations = readActivations(report.sections?.activations, report.sections?.reviews, { tickets: report.sections?.tickets, approvals: report.sections?.approvals }, report.sections?.replay);
  // Event id → activation, so process records can link to the activation they document.
  const activationOfEvent = new Map<string, string>();
  for (const a of activations ?? []) for (const e of a.eventIds) activationOfEvent.set(e, a.slug);
  const linkEvents = (r: Rec) => ({ ...r, events: strings(r.eventIds).map((id) => ({ id, activation: activationOfEvent.get(id) })) });
  const ct = isRec(report.sections?.cloudtrail) ? report.sections.cloudtrail : undefined;
  const integrity = isRec(report.sections?.integrity) ? report.sections.integrity : undefined;
  return {
    report,
    staircase: staircase(report),
    checkCounts: countsOf(report.summary.checks),
    accepted: report.summary.accepted ?? 0,
    requirementCounts: countsOf(report.summary.requirements),
    criteriaCounts: (['met', 'not_met', 'unknown'] as const).map((status) => ({ status, n: report.maturity.criteria.filter((c) => c.status === status).length })).filter((c) => c.n > 0),
    signed: report.signature?.signed ?? false,
    signer: report.signature?.signer,
    requirements: report.requirements.map((r) => {
      const refs = [...new Set(r.checks.flatMap((id) => checksById.get(id)?.evidenceRefs ?? []))].sort();
      return { ...r, evidence: evidenceLinks(refs, kindOf) };
    }),
    checks: report.checks.map((c) => ({ ...c, evidence: evidenceLinks(c.evidenceRefs, kindOf) })),
    evidenceKinds,
    frameworks: report.frameworks.map((f) => {
      const counts: Record<string, number> = {};
      for (const c of f.controls) counts[c.status] = (counts[c.status] ?? 0) + 1;
      const slug = anchorOf(f.id);
      const rowAnchor = (id: string) => `fwc-${slug}-${anchorOf(id)}`;
      return {
        ...f,
        slug,
        draft: f.status === 'draft',
        ownWords: f.titles === 'own-words',
        total: f.controls.length,
        counts: countsOf(counts),
        controls: f.controls.map((c) => ({ ...c, rowId: rowAnchor(c.id) })),
        seed: f.seed && {
          ...f.seed,
          statements: f.seed.statements.map((st) => ({ ...st, links: st.correspondsTo.map((id) => ({ id, rowId: rowAnchor(id) })) })),
        },
      };
    }),
    next: nextSteps(report, checksById),
    activations,
    /** The CloudTrail collector ran (the section exists), even when it found no activation. */
    activationsSection: activations !== undefined || ct !== undefined,
    timeline: activations && activations.length ? timeline(activations) : undefined,
    cloudtrail: ct && {
      recordsRead: num(ct, 'recordsRead'), eventsInPeriod: num(ct, 'eventsInPeriod'),
      daysWithoutLogs: isRec(ct.coverage) ? strings(ct.coverage.daysWithoutLogs).length : undefined,
      noLogs: ct.noLogs === true, noLogsReason: str(ct, 'noLogsReason'),
      notes: strings(ct.notes),
      counts: isRec(ct.counts) ? Object.entries(ct.counts).filter(([, n]) => typeof n === 'number').map(([kind, n]) => ({ kind, n })) : [],
    },
    integrity: integrity && {
      verdict: str(integrity, 'verdict') ?? 'unknown',
      reasons: strings(integrity.verdictReasons),
      chain: isRec(integrity.chain) ? str(integrity.chain, 'status') : undefined,
      digests: isRec(integrity.summary) && isRec(integrity.summary.digests) ? num(integrity.summary.digests, 'total') : undefined,
      logFiles: isRec(integrity.summary) && isRec(integrity.summary.logFiles) ? num(integrity.summary.logFiles, 'total') : undefined,
    },
    reviews: report.sections?.reviews === undefined ? undefined : recordsOf(report.sections.reviews).map(linkEvents),
    drills: report.sections?.drills === undefined ? undefined : recordsOf(report.sections.drills),
    secretStore: report.sections?.secretStore === undefined ? undefined : recordsOf(report.sections.secretStore),
    tickets: report.sections?.tickets === undefined ? undefined : recordsOf(report.sections.tickets).map(linkEvents),
    approvals: report.sections?.approvals === undefined ? undefined : recordsOf(report.sections.approvals).map(linkEvents),
    rejected: (['reviews', 'drills', 'secretStore', 'tickets', 'approvals', 'riskAcceptances'] as const)
      .map((k) => ({ key: k, n: isRec(report.sections?.[k]) ? num(report.sections[k] as Rec, 'rejected') ?? 0 : 0 })).filter((r) => r.n > 0),
    riskAcceptances: report.riskAcceptances,
    collected: { reviews: report.sections?.reviews !== undefined, tickets: report.sections?.tickets !== undefined, approvals: report.sections?.approvals !== undefined },
    hasProcess: ['reviews', 'drills', 'secretStore', 'tickets', 'approvals'].some((k) => report.sections?.[k] !== undefined),
    relatedControls: report.relatedControls ?? [],
    otherSections: otherSections(report.sections),
    coverage: coverageView(report).rows,
    coverageGaps: coverageView(report).gaps,
  };
}

// ---------------------------------------------------------------------------------------------------

let template: HandlebarsTemplateDelegate | undefined;
let cssCache: { css: string; hash: string } | undefined;

function stylesheet(): { css: string; hash: string } {
  if (!cssCache) {
    const css = readFileSync(join(TEMPLATES_DIR, 'report.css'), 'utf8');
    cssCache = { css, hash: `sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}` };
  }
  return cssCache;
}

/**
 * The page's Content-Security-Policy: nothing may load or run; the one inline stylesheet is allowed by
 * its hash (not 'unsafe-inline'), so even injected style attributes would be ignored.
 */
export function contentSecurityPolicy(): string {
  return `default-src 'none'; script-src 'none'; style-src '${stylesheet().hash}'; img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'`;
}

export function renderHtml(report: Report): string {
  template ??= createEngine().compile(readFileSync(join(TEMPLATES_DIR, 'report.hbs'), 'utf8'), { strict: false });
  const html = template({ ...buildHtmlView(report), css: stylesheet().css, csp: contentSecurityPolicy() });
  // Lone surrogates cannot be encoded as UTF-8, and browsers silently drop NUL and other C0 controls:
  // show both as U+FFFD so that broken input is visible rather than quietly altered.
  return html.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
}
