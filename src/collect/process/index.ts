// Collectors for process evidence: reviews, drills, secret store, change tickets, approvals and the risk-acceptance register.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { EvidenceKind, EvidenceProblem } from '../../model/evidence.js';
import type { InputRoots } from '../input-files.js';
import type {
  ApprovalRecord,
  BusinessCalendar,
  DrillRecord,
  EnvironmentClass,
  ProcessFile,
  RecordSet,
  ReviewRecord,
  RiskAcceptance,
  SecretStoreConfig,
  TicketRecord,
} from '../../model/process.js';
import { parseDay, parseDurationSeconds, parseInstant, type Parsed } from '../../model/dates.js';
import { fieldName, fieldProblem, loadRecordFiles, sha256Hex, type LoadedFiles, type Path, type RawRecord } from './records.js';

export { reviewTiming, localDay, parseDay, parseInstant, parseDurationSeconds, businessDaysBetween, addBusinessDays, isBusinessDay, isValidTimeZone } from '../../model/dates.js';

/** Process records plus the bytes to keep in the pack (redacted where secrets were found). */
export interface CollectedRecords<T> extends RecordSet<T> {
  copies: { path: string; bytes: Buffer }[];
  /** Audit artefacts referenced by drills, copied into the pack as they are. */
  artefacts?: { path: string; absPath: string }[];
}

export interface ProcessCollectOptions {
  paths: string[];
  baseDir: string;
  calendar: BusinessCalendar;
  /** Folders symlinks may lead into (default: `paths`). */
  roots?: InputRoots;
  /** Largest file read (config `limits.maxFileBytes`). */
  maxFileBytes?: number;
}

/** The loader options every process collector shares. */
function common(opts: ProcessCollectOptions, kind: EvidenceKind, source: string) {
  return { paths: opts.paths, baseDir: opts.baseDir, roots: opts.roots, maxFileBytes: opts.maxFileBytes, kind, source };
}

/**
 * Runs the per-record normaliser over every record, including those that failed their schema, so that all the
 * problems of a file come out in one run: each field it cannot read is reported with file, line and the form
 * expected, and the record is rejected (counted as a dropped record in the source's coverage).
 */
function normaliseAll<T>(loaded: LoadedFiles, normalise: (rec: RawRecord, bad: (path: Path, message: string) => never) => T): CollectedRecords<T> {
  const records: T[] = [];
  const problems: EvidenceProblem[] = [...loaded.problems];
  let rejected = loaded.rejected;
  for (const rec of loaded.records) {
    const errors = [...(rec.schemaErrors ?? [])];
    let zone = false;
    let value: T | undefined;
    try {
      value = normalise(rec, (path, message) => {
        // A field the schema already reported as missing or mistyped is not reported twice.
        const v = valueAt(rec.data, path);
        if (rec.schemaErrors && typeof v !== 'string' && typeof v !== 'number') return undefined as never;
        problems.push(fieldProblem(rec, path, message));
        errors.push(`${fieldName(path)}: ${message}`);
        zone ||= /has no time zone/.test(message);
        return undefined as never;
      });
    } catch (e) {
      // A record already known to be invalid may lack what the normaliser reads; anything else is a bug.
      if (errors.length === 0) throw e;
    }
    if (errors.length) {
      rejected++;
      const at = rec.at;
      loaded.coverage.drop(`${at.file}${at.line ? `:${at.line}` : ''}`, rec.schemaErrors?.length ? 'schema' : zone ? 'time-zone' : 'bad-date', errors.join('; '), 1, at);
      continue;
    }
    records.push(value as T);
  }
  const dup = new Map<string, number>();
  for (const r of records as { id?: string }[]) if (r.id) dup.set(r.id, (dup.get(r.id) ?? 0) + 1);
  for (const [id, n] of dup) if (n > 1) problems.push({ level: 'warning', message: `record id "${id}" is used by ${n} records` });
  return { records, files: loaded.files, problems, rejected, copies: loaded.copies, coverage: loaded.coverage.result() };
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/** The parsed value, or (after `bad` reports the field) undefined typed as T: the record is rejected anyway. */
function must<T>(p: Parsed<T>, path: Path, bad: (path: Path, message: string) => never): T {
  if (p.error !== undefined) bad(path, p.error);
  return p.value as T;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v.trim() ? v.split(/[\s;,]+/).filter(Boolean) : []);

export function collectReviews(opts: ProcessCollectOptions): CollectedRecords<ReviewRecord> {
  const loaded = loadRecordFiles({
    ...common(opts, 'reviews', 'reviews'),
    schema: 'review.schema.json',
    shape: 'list',
    listKey: 'reviews',
    fromMarkdownBody: (data, body) => {
      if (data.lessonsLearned === undefined && body) data.lessonsLearned = body;
    },
  });
  return normaliseAll(loaded, (rec, bad) => {
    const d = rec.data;
    const activated = Array.isArray(d.activatedAt) ? (d.activatedAt as string[]) : [d.activatedAt as string];
    const activatedAt = activated.map((a, i) => must(parseInstant(a), Array.isArray(d.activatedAt) ? ['activatedAt', i] : ['activatedAt'], bad));
    const reviewDate = must(parseDay(d.reviewDate as string, opts.calendar.timeZone), ['reviewDate'], bad);
    const rotated = (d.credentialsRotated as { what: string; when: string }[]).map((c, i) => ({ what: c.what, when: must(parseInstant(c.when), ['credentialsRotated', i, 'when'], bad) }));
    return {
      id: d.id as string,
      at: rec.at,
      incident: str(d.incident),
      tickets: strs(d.tickets),
      activatedAt: activatedAt.sort(),
      eventIds: strs(d.eventIds),
      reviewDate,
      reviewDateRaw: d.reviewDate as string,
      reviewers: strs(d.reviewers),
      trigger: d.trigger as string,
      justification: d.justification as string,
      actionsTaken: strs(d.actionsTaken),
      credentialsRotated: rotated,
      decommissioningConfirmed: d.decommissioningConfirmed as boolean,
      lessonsLearned: d.lessonsLearned as string,
    } satisfies ReviewRecord;
  });
}

/** Names that say production / non-production; anything else is `unclassified` (never assumed safe). */
export function classifyEnvironment(name: string): EnvironmentClass {
  const tokens = name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (tokens.some((t) => ['prod', 'production', 'prd', 'live'].includes(t))) return 'production';
  if (tokens.some((t) => ['nonprod', 'non', 'dev', 'development', 'test', 'testing', 'staging', 'stage', 'stg', 'sandbox', 'qa', 'uat', 'preprod', 'drill', 'lab'].includes(t))) return 'non-production';
  return 'unclassified';
}

export function collectDrills(opts: ProcessCollectOptions): CollectedRecords<DrillRecord> {
  const loaded = loadRecordFiles({ ...common(opts, 'drills', 'drills'), schema: 'drill.schema.json', shape: 'list', listKey: 'drills' });
  const artefacts: { path: string; absPath: string }[] = [];
  const out = normaliseAll(loaded, (rec, bad) => {
    const d = rec.data;
    const date = must(parseDay(d.date as string, opts.calendar.timeZone), ['date'], bad);
    const tta = d.timeToActivate === undefined ? undefined : must(parseDurationSeconds(d.timeToActivate as string | number), ['timeToActivate'], bad);
    const env = d.environment as string;
    const cls = (d.environmentClass as EnvironmentClass | undefined) ?? classifyEnvironment(env);
    let auditArtefact: DrillRecord['auditArtefact'];
    if (typeof d.auditArtefact === 'string') {
      const abs = resolve(rec.fileDir, d.auditArtefact);
      const displayPath = relative(opts.baseDir, abs);
      if (existsSync(abs) && statSync(abs).isFile()) {
        const bytes = readFileSync(abs);
        auditArtefact = { path: d.auditArtefact, displayPath, exists: true, sha256: sha256Hex(bytes), size: bytes.length };
        artefacts.push({ path: displayPath, absPath: abs });
      } else auditArtefact = { path: d.auditArtefact, displayPath, exists: false };
    }
    return {
      id: d.id as string,
      at: rec.at,
      date,
      environment: env,
      environmentClass: cls,
      scenario: d.scenario as string,
      participants: strs(d.participants),
      timeToActivateSeconds: tta,
      stepsFailed: strs(d.stepsFailed),
      followUps: strs(d.followUps),
      auditArtefact,
    } satisfies DrillRecord;
  });
  return { ...out, artefacts };
}

export function collectSecretStore(opts: ProcessCollectOptions): CollectedRecords<SecretStoreConfig> {
  const loaded = loadRecordFiles({ ...common(opts, 'secret-store', 'secret store'), schema: 'secret-store.schema.json', shape: 'single' });
  return normaliseAll(loaded, (rec, bad) => {
    const d = rec.data as Record<string, Record<string, unknown>>;
    const audit = d.independentAudit as { auditor: string; date: string; report?: string } | undefined;
    return {
      at: rec.at,
      store: { name: d.store.name as string, kind: d.store.kind as string, dedicated: d.store.dedicated as boolean, sharedWith: str(d.store.sharedWith) },
      independentAudit: audit && { auditor: audit.auditor, date: must(parseDay(audit.date, opts.calendar.timeZone), ['independentAudit', 'date'], bad), report: audit.report },
      rotation: { afterUse: d.rotation.afterUse as boolean, mode: d.rotation.mode as 'automatic' | 'manual', mechanism: str(d.rotation.mechanism) },
      dualControl: { required: d.dualControl.required as boolean, custodians: strs(d.dualControl.custodians) },
      readers: strs(d.readers),
      credentials: ((d.credentials as unknown as { name: string; type: 'standing' | 'just-in-time' }[] | undefined) ?? []).map((c) => ({ name: c.name, type: c.type })),
    } satisfies SecretStoreConfig;
  });
}

export function collectTickets(opts: ProcessCollectOptions): CollectedRecords<TicketRecord> {
  const loaded = loadRecordFiles({ ...common(opts, 'tickets', 'tickets'), schema: 'ticket.schema.json', shape: 'list', listKey: 'tickets', csv: true });
  return normaliseAll(loaded, (rec, bad) => {
    const d = rec.data;
    return {
      id: d.id as string,
      at: rec.at,
      created: must(parseInstant(d.created as string), ['created'], bad),
      eventIds: strs(d.eventIds),
      type: str(d.type),
      createdBy: str(d.createdBy),
      status: str(d.status),
    } satisfies TicketRecord;
  });
}

export function collectApprovals(opts: ProcessCollectOptions): CollectedRecords<ApprovalRecord> {
  const loaded = loadRecordFiles({ ...common(opts, 'approvals', 'approvals'), schema: 'approval.schema.json', shape: 'list', listKey: 'approvals' });
  return normaliseAll(loaded, (rec, bad) => {
    const d = rec.data;
    return {
      id: d.id as string,
      at: rec.at,
      ticket: str(d.ticket),
      eventIds: strs(d.eventIds),
      requester: d.requester as string,
      requestedAt: must(parseInstant(d.requestedAt as string), ['requestedAt'], bad),
      approvals: (d.approvals as { approver: string; at: string }[]).map((a, i) => ({ approver: a.approver, at: must(parseInstant(a.at), ['approvals', i, 'at'], bad) })),
    } satisfies ApprovalRecord;
  });
}

export function collectRiskAcceptances(opts: ProcessCollectOptions): CollectedRecords<RiskAcceptance> {
  const loaded = loadRecordFiles({ ...common(opts, 'risk-acceptances', 'risk acceptances'), schema: 'risk-acceptance.schema.json', shape: 'list', listKey: 'acceptances' });
  return normaliseAll(loaded, (rec, bad) => {
    const d = rec.data;
    const expires = must(parseDay(d.expires as string, 'UTC'), ['expires'], bad);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.expires as string)) bad(['expires'], `"${d.expires}" must be a day (YYYY-MM-DD): the acceptance applies through that day`);
    return {
      id: d.id as string,
      at: rec.at,
      target: d.target as string,
      justification: d.justification as string,
      approver: d.approver as string,
      ticket: str(d.ticket),
      expires,
      residualRisk: d.residualRisk as RiskAcceptance['residualRisk'],
    } satisfies RiskAcceptance;
  });
}

/** Every file's secrets, for the no-secret-values check and the report. */
export function secretsIn(files: ProcessFile[]) {
  return files.flatMap((f) => f.secrets);
}
