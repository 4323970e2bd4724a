// Turns the per-file scan results into CloudTrailEvidence: dedup, detections, activations, rotation, population record.

import { createHash } from 'node:crypto';
import type {
  Activation,
  BreakGlassConfig,
  CloudTrailEvidence,
  CloudTrailFileProblem,
  CloudTrailSource,
  ConsoleSignIn,
  DetectionKind,
  EventRef,
  FilterCount,
  IamPolicyChange,
  OutsideCidrEvent,
  RotationEvidence,
  TamperingEvent,
} from '../../model/cloudtrail.js';
import type { Period } from '../../model/period.js';
import { canonicalJson, type CtEvent, Detector, isFailedSignIn, isFederatedSignIn, isReadOnly, type Principal, resourcesOf, type RotationSignal, signInMfa, signInOutcome } from '../../detections/detector.js';
import type { FileScan } from './scan.js';
import type { ReadProblem } from './pool.js';

/** A new activation starts when the same principal has been silent for longer than this. */
export const ACTIVATION_GAP_SECONDS = 3600;

export interface EventFilter {
  id: string;
  matches(e: unknown): boolean;
  /** Optional: substrings of which one appears in the raw text of every event the filter can match. */
  needles?: string[];
}

/** A candidate event kept for aggregation: its sort keys, and where its slim JSON was spilled. */
export interface SlimRecord {
  t: string;
  id: string;
  /** Byte offset and length of its compact JSON in the spill file. */
  off: number;
  len: number;
}

export { canonicalJson };

export interface ScannedFile {
  source: Omit<CloudTrailSource, 'sha256' | 'size' | 'records' | 'eventsInPeriod'>;
  /** The scan; its `candidates` are dropped once turned into `events`. */
  scan?: FileScan;
  events?: SlimRecord[];
  /** Could not be read at all (not found, permission, S3 error). */
  readProblem?: ReadProblem;
}

export interface AggregateInput {
  roots: string[];
  period: Period;
  breakGlass: BreakGlassConfig;
  detector: Detector;
  files: ScannedFile[];
  /** Filter counts made as the scan results arrived (filters need whole events; only slim ones are kept). */
  filterCounts: FilterCount[];
  /** eventIDs some filter matched: duplicates of these are reported like those of detected events. */
  filterMatched: Set<string>;
  filtersWithoutNeedles: boolean;
  extraProblems: CloudTrailFileProblem[];
  extractedAt: Date;
  /** Reads back the slim JSON of a record. */
  readRecord: (r: SlimRecord) => string;
}

function seconds(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 1000);
}

function periodDays(period: Period): string[] {
  const out: string[] = [];
  for (let t = period.start.getTime(); t < period.end.getTime(); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function ref(e: CtEvent, file: string): EventRef {
  const ui = e.userIdentity;
  return {
    eventId: e.eventID,
    eventTime: e.eventTime,
    eventName: e.eventName,
    eventSource: e.eventSource ?? '',
    actor: ui?.arn ?? (ui?.type === 'Root' ? 'root' : (ui?.type ?? 'unknown')),
    ...(e.sourceIPAddress !== undefined && { sourceIp: e.sourceIPAddress }),
    ...(e.awsRegion !== undefined && { awsRegion: e.awsRegion }),
    ...(e.errorCode !== undefined && { errorCode: e.errorCode }),
    file,
  };
}

const sortedUnique = (xs: Iterable<string | undefined>) => [...new Set([...xs].filter((x): x is string => !!x))].sort();

interface Membership {
  principal: Principal;
  event: CtEvent;
  file: string;
}

export function aggregate(input: AggregateInput): CloudTrailEvidence {
  const { period, detector } = input;
  const problems: CloudTrailFileProblem[] = [...input.extraProblems];
  const sources: CloudTrailSource[] = [];
  const days = new Set<string>();
  let firstEvent: string | undefined;
  let lastEvent: string | undefined;
  let recordsRead = 0;
  let eventsInPeriod = 0;
  const all: { rec: SlimRecord; file: string }[] = [];
  let total = 0;

  for (const f of [...input.files].sort((a, b) => (a.source.path < b.source.path ? -1 : 1))) {
    if (f.readProblem || !f.scan) {
      problems.push({ path: f.source.path, reason: f.readProblem?.reason ?? 'not read', skip: f.readProblem?.skip ?? 'unreadable' });
      continue;
    }
    const s = f.scan;
    sources.push({ ...f.source, sha256: s.sha256, size: s.size, records: s.records, eventsInPeriod: s.eventsInPeriod });
    for (const p of s.problems) problems.push({ path: f.source.path, ...p });
    recordsRead += s.records;
    eventsInPeriod += s.eventsInPeriod;
    for (const d of s.days) days.add(d);
    if (s.firstTime && (!firstEvent || s.firstTime < firstEvent)) firstEvent = s.firstTime;
    if (s.lastTime && (!lastEvent || s.lastTime > lastEvent)) lastEvent = s.lastTime;
    for (const rec of f.events ?? []) all.push({ rec, file: f.source.path });
  }

  // Same order whatever order the workers finished in; the first copy of a duplicated eventID wins.
  all.sort((a, b) =>
    a.rec.t < b.rec.t ? -1 : a.rec.t > b.rec.t ? 1 : a.rec.id < b.rec.id ? -1 : a.rec.id > b.rec.id ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0,
  );
  let duplicateEvents = 0;

  const counts: Record<DetectionKind, number> = {
    'root-activity': 0,
    'console-login': 0,
    'break-glass-console-login': 0,
    'assume-role': 0,
    'break-glass-role-assumption': 0,
    'break-glass-activity': 0,
    'outside-allowed-cidrs': 0,
    'access-key-event': 0,
    'break-glass-access-key-created': 0,
    'logging-tampering': 0,
    'iam-policy-change': 0,
    'credential-rotation': 0,
    'root-session': 0,
  };
  const rootActivity: EventRef[] = [];
  const roleAssumptions: EventRef[] = [];
  const consoleSignIns: ConsoleSignIn[] = [];
  const tamperingEvents: TamperingEvent[] = [];
  const iamPolicyChanges: IamPolicyChange[] = [];
  const outsideCidrEvents: OutsideCidrEvent[] = [];
  const accessKeyEvents: EventRef[] = [];
  const memberships: Membership[] = [];
  const rootCalls: Membership[] = [];
  const rootSessions = new Map<string, Principal>();
  const rotations: { signal: RotationSignal; event: CtEvent }[] = [];
  const filterCounts = input.filterCounts;

  // A true duplicate (same event delivered in two files) is identical, has the same eventTime, and so sorts next
  // to its original. The same eventID on different content is kept twice and reported, since dropping either
  // would hide an event. Both are reported only for events that some rule or filter selects, so that the result
  // does not depend on which irrelevant records the pre-filter skipped.
  const ids = new Set<string>();
  for (let i = 0; i < all.length; ) {
    let j = i + 1;
    while (j < all.length && all[j].rec.t === all[i].rec.t && all[j].rec.id === all[i].rec.id) j++;
    const seenBefore = ids.has(all[i].rec.id);
    ids.add(all[i].rec.id);
    // Distinct contents among the run, each with how many identical copies followed it.
    const distinct: { json: string; file: string; dups: number }[] = [];
    for (let k = i; k < j; k++) {
      const json = input.readRecord(all[k].rec);
      const same = distinct.find((d) => d.json === json);
      if (same) same.dups++;
      else distinct.push({ json, file: all[k].file, dups: 0 });
    }
    distinct.forEach(({ json, file, dups }, n) => {
      // Parsed one at a time: only what a list or an activation keeps stays in memory.
      const e = JSON.parse(json) as CtEvent;
      const before = total;
      const filtered = input.filterMatched.has(e.eventID);
      classify(e, file);
      if (filtered || total > before) {
        duplicateEvents += dups;
        if (seenBefore || n > 0) problems.push({ path: file, reason: `eventID ${e.eventID} appears on records with different content: all copies evaluated` });
      }
    });
    i = j;
  }
  ids.clear();

  function inc(kind: DetectionKind): void {
    counts[kind]++;
    total++;
  }

  function classify(e: CtEvent, file: string): void {
    let memo: EventRef | undefined;
    const r = () => (memo ??= ref(e, file));
    const rootUse = detector.isRootActivity(e);
    if (rootUse) {
      inc('root-activity');
      rootActivity.push(r());
    }
    const actor = detector.breakGlassActor(e);
    const assumed = detector.assumedBreakGlassSession(e);
    const rootSession = detector.assumedRootSession(e);
    const signIn = detector.isSignIn(e);
    const outcome = signIn ? signInOutcome(e) : undefined;
    if (signIn) {
      inc('console-login');
      const ui = e.userIdentity ?? {};
      const bg = actor !== undefined || (ui.type === 'IAMUser' && detector.isBreakGlassTarget(`user:${ui.accountId}:${ui.userName}`));
      // A sign-in that did not succeed is listed, but is no use of the identity.
      if (bg && outcome === 'success') inc('break-glass-console-login');
      if (bg || ui.type === 'Root') {
        consoleSignIns.push({
          ...r(),
          identityType: ui.type ?? 'unknown',
          ...(ui.userName !== undefined && { userName: ui.userName }),
          root: ui.type === 'Root',
          breakGlass: bg,
          mfaUsed: signInMfa(e),
          outcome: outcome!,
          ...(isFederatedSignIn(e) && { federated: true }),
        });
      }
    }
    if (detector.isRoleAssumption(e)) inc('assume-role');
    // Only a call that succeeded assumed the role: a refused AssumeRole is no use.
    if (assumed) {
      inc('break-glass-role-assumption');
      roleAssumptions.push(r());
    }
    if (detector.isAccessKeyEvent(e)) {
      inc('access-key-event');
      accessKeyEvents.push(r());
      if (detector.isBreakGlassAccessKeyCreated(e)) inc('break-glass-access-key-created');
    }
    if (detector.selected('root-session', e)) inc('root-session');
    if (rootSession) rootSessions.set(rootSession.accessKeyId ?? rootSession.key, rootSession);
    const t = detector.tamperingTarget(e);
    if (t.tampering) {
      inc('logging-tampering');
      tamperingEvents.push({ ...r(), ...(t.target !== undefined && { target: t.target }) });
    }
    const p = detector.iamPolicyTarget(e);
    if (p.change) {
      inc('iam-policy-change');
      iamPolicyChanges.push({ ...r(), ...(p.target !== undefined && { target: p.target }) });
    }
    const rot = detector.rotationSignal(e);
    if (rot) {
      inc('credential-rotation');
      rotations.push({ signal: rot, event: e });
    }
    if (actor && !isFailedSignIn(e, detector)) {
      inc('break-glass-activity');
      memberships.push({ principal: actor, event: e, file });
    } else if (rootUse && !detector.rootIsBreakGlass && e.userIdentity?.accessKeyId) {
      // Root is not break-glass here, but a declared root session still is: decided once every AssumeRoot is known.
      rootCalls.push({ principal: { key: '', identity: '', kind: 'root', arn: '' }, event: e, file });
    }
    const opened = assumed ?? rootSession;
    if (opened) memberships.push({ principal: opened, event: e, file });
    if ((actor || assumed) && detector.outsideAllowedCidrs(e)) {
      inc('outside-allowed-cidrs');
      outsideCidrEvents.push({ ...r(), allowedCidrs: detector.allowedCidrs });
    }
  }

  // Root calls made with the credentials of an sts:AssumeRoot belong to that root session, attributed to its caller
  // (linked by access key, known only once every AssumeRoot of the period has been read). A root session is
  // break-glass use when root is, or when its caller is declared in breakGlass.rootSessions.
  const sessionOf = (m: Membership) => (m.principal.kind === 'root' ? detector.rootSessionCall(m.event, rootSessions) : undefined);
  for (const m of memberships) m.principal = sessionOf(m) ?? m.principal;
  for (const m of rootCalls) {
    const s = detector.rootSessionCall(m.event, rootSessions);
    if (s) memberships.push({ ...m, principal: s });
  }
  const used = memberships
    .filter((m) => m.principal.kind !== 'root-session' || detector.countsRootSession(m.principal))
    .sort((a, b) => (a.event.eventTime < b.event.eventTime ? -1 : a.event.eventTime > b.event.eventTime ? 1 : a.event.eventID < b.event.eventID ? -1 : a.event.eventID > b.event.eventID ? 1 : 0));

  const activations = buildActivations(used, rotations, detector);

  const notes: string[] = [];
  if (detector.trailBuckets.size === 0)
    notes.push('Trail bucket names were not supplied: bucket policy and public-access-block changes on the trail bucket were not evaluated.');
  if (input.filtersWithoutNeedles) notes.push('A filter without needles made every record of the period parse (slow path).');
  if (duplicateEvents > 0) notes.push(`${duplicateEvents} detected event(s) appeared in more than one file and were counted once.`);

  const allDays = periodDays(period);
  const daysWithoutLogs = allDays.filter((d) => !days.has(d));
  let noLogsReason: string | undefined;
  if (eventsInPeriod === 0) {
    noLogsReason =
      sources.length === 0
        ? problems.length > 0
          ? 'no CloudTrail log file could be read (see fileProblems)'
          : 'no CloudTrail log files were found under the configured paths'
        : `${sources.length} log file(s) with ${recordsRead} record(s) were read, but no event falls in ${period.from}..${period.to}`;
  }

  const population = activations;
  const populationRecord = {
    population: 'cloudtrail-break-glass-activations',
    sourceSystem: 'AWS CloudTrail log files',
    selection:
      'Events in the period by root (CIS AWS Foundations 4.3, 5.3 from v6.0.0: userIdentity.type Root, no invokedBy, not AwsServiceEvent), by break-glass IAM users, ' +
      'by sessions of break-glass roles or permission sets, and successful AssumeRole* calls into them; grouped per principal/session, ' +
      `a gap of more than ${ACTIVATION_GAP_SECONDS} s starting a new activation; duplicate eventIDs counted once.`,
    parameters: {
      period: `${period.from}..${period.to}`,
      logs: input.roots.join(','),
      roles: (input.breakGlass.roles ?? []).join(','),
      users: (input.breakGlass.users ?? []).join(','),
      permissionSets: (input.breakGlass.permissionSets ?? []).join(','),
      rootIsBreakGlass: String(detector.rootIsBreakGlass),
      gapSeconds: String(ACTIVATION_GAP_SECONDS),
      sourceFiles: String(sources.length),
      sourceFilesSha256: createHash('sha256').update(sources.map((s) => `${s.path}\t${s.sha256}\n`).join('')).digest('hex'),
    },
    extractedAt: input.extractedAt.toISOString(),
    recordCount: population.length,
    sha256: createHash('sha256').update(canonicalJson(population)).digest('hex'),
  };

  return {
    roots: input.roots,
    period: { label: period.label, from: period.from, to: period.to },
    sources,
    objectsListed: input.files.length,
    recordsRead,
    eventsInPeriod,
    duplicateEvents,
    coverage: { ...(firstEvent && { firstEvent }), ...(lastEvent && { lastEvent }), daysWithLogs: days.size, daysWithoutLogs },
    noLogs: eventsInPeriod === 0,
    ...(noLogsReason && { noLogsReason }),
    counts,
    activations,
    rootActivity,
    roleAssumptions,
    consoleSignIns,
    tamperingEvents,
    iamPolicyChanges,
    outsideCidrEvents,
    accessKeyEvents,
    filterCounts,
    fileProblems: problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.offset ?? -1) - (b.offset ?? -1))),
    notes,
    populationRecord,
  };
}

function buildActivations(memberships: Membership[], rotations: { signal: RotationSignal; event: CtEvent }[], detector: Detector): Activation[] {
  // memberships arrive in event order; group per principal key, split on silence.
  const byKey = new Map<string, Membership[][]>();
  for (const m of memberships) {
    let groups = byKey.get(m.principal.key);
    if (!groups) byKey.set(m.principal.key, (groups = []));
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (prev && seconds(prev.event.eventTime, m.event.eventTime) <= ACTIVATION_GAP_SECONDS) last.push(m);
    else groups.push([m]);
  }
  const drafts = [...byKey.values()].flat().map((g) => draft(g, detector));
  drafts.sort((a, b) => (a.act.start < b.act.start ? -1 : a.act.start > b.act.start ? 1 : a.act.id < b.act.id ? -1 : 1));

  // Rotation must follow the last use and precede the next use of the same identity.
  for (const d of drafts) {
    const next = drafts.find((o) => o !== d && o.identity === d.identity && o.act.start > d.act.end);
    const deadline = next?.act.start;
    const evidence: RotationEvidence[] = [];
    for (const { signal, event } of rotations) {
      if (event.eventTime < d.lastUse || (deadline !== undefined && event.eventTime >= deadline)) continue;
      if (!Detector.rotationCovers(signal, d.principal)) continue;
      evidence.push({
        kind: signal.kind,
        eventId: event.eventID,
        eventName: event.eventName,
        eventTime: event.eventTime,
        delaySeconds: Math.max(0, seconds(d.act.end, event.eventTime)),
        ...(signal.detail !== undefined && { target: signal.detail }),
      });
    }
    d.act.rotation = {
      status: evidence.length ? 'rotated' : 'not-found',
      ...(deadline !== undefined && { deadline }),
      ...(evidence.length && { delaySeconds: evidence[0].delaySeconds }),
      evidence,
    };
  }
  return drafts.map((d) => d.act);
}

function draft(group: Membership[], detector: Detector): { act: Activation; identity: string; lastUse: string; principal: Principal } {
  const first = group[0];
  const last = group[group.length - 1];
  const p = { ...first.principal };
  let mfaTrue = false;
  let mfaFalse = false;
  // The AssumeRole call is logged under its caller's identity: the caller's MFA decides only when the role
  // session's own calls say nothing (a session that logs mfaAuthenticated was given MFA or not, whoever called).
  let callerTrue = false;
  let callerFalse = false;
  let read = 0;
  let write = 0;
  let unclassified = 0;
  let failed = 0;
  let outside = 0;
  let lastUse = first.event.eventTime;
  let consoleSignIn = false;
  // A federated session's MFA is the identity provider's: CloudTrail's mfaAuthenticated "false" says nothing about it.
  const federated =
    p.kind === 'permission-set' ||
    group.some(({ event: e }) => e.eventName === 'AssumeRoleWithSAML' || e.eventName === 'AssumeRoleWithWebIdentity' || e.userIdentity?.sessionContext?.webIdFederationData?.federatedProvider || (detector.isSignIn(e) && isFederatedSignIn(e)));
  for (const { event: e, principal } of group) {
    p.sourceIdentity ??= principal.sourceIdentity;
    const mfaAttr = e.userIdentity?.sessionContext?.attributes?.mfaAuthenticated;
    if (p.kind === 'root-session') {
      // The root session's MFA is its caller's, as logged on the AssumeRoot call; calls inside it say nothing.
      if (e.eventName === 'AssumeRoot' && mfaAttr === 'true') mfaTrue = true;
      else if (e.eventName === 'AssumeRoot' && mfaAttr === 'false') mfaFalse = true;
    } else if (detector.isSignIn(e)) {
      consoleSignIn = true;
      const used = signInMfa(e);
      if (used === 'yes') mfaTrue = true;
      else if (used === 'no') mfaFalse = true;
    } else if (e.eventName === 'AssumeRole') {
      if (mfaAttr === 'true' || e.requestParameters?.serialNumber) callerTrue = true;
      else if (mfaAttr === 'false' && !federated) callerFalse = true;
    } else if (mfaAttr === 'true') mfaTrue = true;
    else if (mfaAttr === 'false' && !federated) mfaFalse = true;
    const ro = isReadOnly(e);
    if (ro === true) read++;
    else if (ro === false) write++;
    else unclassified++;
    if (e.errorCode) failed++;
    if (detector.outsideAllowedCidrs(e)) outside++;
    if (!detector.rotationSignal(e) && e.eventTime > lastUse) lastUse = e.eventTime;
  }
  const ids = group.map((m) => m.event.eventID);
  const act: Activation = {
    id: 'ct-act-' + createHash('sha256').update(`${p.key}\n${ids[0]}`).digest('hex').slice(0, 12),
    principal: {
      kind: p.kind,
      arn: p.arn,
      ...(p.accountId !== undefined && { accountId: p.accountId }),
      ...(p.userName !== undefined && { userName: p.userName }),
      ...(p.roleArn !== undefined && { roleArn: p.roleArn }),
      ...(p.sessionName !== undefined && { sessionName: p.sessionName }),
      ...(p.sourceIdentity !== undefined && { sourceIdentity: p.sourceIdentity }),
      ...(p.permissionSet !== undefined && { permissionSet: p.permissionSet }),
      ...(p.assumedBy !== undefined && { assumedBy: p.assumedBy }),
      ...(p.taskPolicy !== undefined && { taskPolicy: p.taskPolicy }),
      ...(p.requestedDurationSeconds !== undefined && { requestedDurationSeconds: p.requestedDurationSeconds }),
      ...(p.kind === 'root-session' && { sanctioned: p.sanctioned === true }),
    },
    start: first.event.eventTime,
    end: last.event.eventTime,
    durationSeconds: seconds(first.event.eventTime, last.event.eventTime),
    sourceIps: sortedUnique(group.map((m) => m.event.sourceIPAddress)),
    userAgents: sortedUnique(group.map((m) => m.event.userAgent)),
    // One sign-in or call without MFA is use without MFA, whatever else in the activation used it.
    mfaUsed: mfaFalse ? false : mfaTrue ? true : callerFalse ? false : callerTrue ? true : null,
    accessKeyIds: sortedUnique(group.map((m) => (m.principal.key === p.key ? m.principal.accessKeyId : undefined))),
    regions: sortedUnique(group.map((m) => m.event.awsRegion)),
    apiCalls: group.length,
    readCalls: read,
    writeCalls: write,
    unclassifiedCalls: unclassified,
    failedCalls: failed,
    services: sortedUnique(group.map((m) => m.event.eventSource)),
    resources: sortedUnique(group.flatMap((m) => resourcesOf(m.event))),
    consoleSignIn,
    firstEventId: ids[0],
    lastEventId: ids[ids.length - 1],
    eventIds: ids,
    outsideCidrEvents: outside,
    rotation: { status: 'not-found', evidence: [] },
  };
  return { act, identity: p.identity, lastUse, principal: p };
}
