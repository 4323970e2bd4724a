// Builds evidence sets for the process checks from real inputs: record files in temp folders read by the real collectors, CloudTrail logs scanned by the real collector.

import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { collectApprovals, collectDrills, collectReviews, collectSecretStore, collectTickets } from '../../src/collect/process/index.js';
import type { EvidenceSet } from '../../src/evaluate/define-check.js';
import type { BreakGlassConfig } from '../../src/config/load.js';
import type { BusinessCalendar } from '../../src/model/process.js';
import type { IntegrityResult } from '../../src/model/cloudtrail-integrity.js';
import { ACCOUNT, assumeRole, event, fixedClock, roleCall, tempDir, writeLayoutFile } from '../cloudtrail/helpers.js';
import { baseEvidence, tempTree, Q3_2026 } from '../support/evidence.js';

export const ROLE = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
export const BG: BreakGlassConfig = { roles: [ROLE], users: [], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: true, secrets: ['break-glass/admin'] };
export const UTC: BusinessCalendar = { timeZone: 'UTC', holidays: [] };

/** One break-glass role session: AssumeRole, a write call, and (unless `rotate: false`) revoked sessions afterwards. */
export function roleActivation(start: string, session: string, opts: { rotate?: boolean; key?: string } = {}) {
  const key = opts.key ?? `ASIA${session.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(16, 'X').slice(0, 16)}`;
  const t = Date.parse(start);
  const at = (min: number) => new Date(t + min * 60_000).toISOString().replace(/\.000Z$/, 'Z');
  const assume = assumeRole(start, ROLE, session, key);
  const call = roleCall(at(5), ROLE, session, key, { eventSource: 'iam.amazonaws.com', eventName: 'AttachRolePolicy', readOnly: false, requestParameters: { roleName: 'app', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } });
  const revoke = event({ eventTime: at(30), eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', readOnly: false, requestParameters: { roleName: 'BreakGlassAdmin', policyName: 'AWSRevokeOlderSessions' } });
  const events = opts.rotate === false ? [assume, call] : [assume, call, revoke];
  return { assume, call, revoke, events, ids: events.map((e) => e.eventID as string) };
}

export async function cloudtrailFrom(events: Record<string, any>[], breakGlass: BreakGlassConfig = BG): Promise<EvidenceSet['cloudtrail']> {
  const root = tempDir('proc-ct-');
  const byDay = new Map<string, Record<string, any>[]>();
  for (const e of events) byDay.set(e.eventTime.slice(0, 10), [...(byDay.get(e.eventTime.slice(0, 10)) ?? []), e]);
  // An ordinary event keeps the log archive non-empty when a case has no activation.
  if (events.length === 0) byDay.set('2026-08-01', [event({ eventTime: '2026-08-01T10:00:00Z' })]);
  let n = 0;
  for (const evs of byDay.values()) writeLayoutFile(root, ACCOUNT, 'us-east-1', `f${n++}`, evs);
  const value = await collectCloudTrail({ config: { logs: [root] }, breakGlass, period: Q3_2026, now: fixedClock, workers: 0 });
  return { state: 'collected', value };
}

export interface ProcessFiles {
  reviews?: Record<string, string>;
  drills?: Record<string, string>;
  secretStore?: string;
  tickets?: Record<string, string>;
  approvals?: Record<string, string>;
  events?: Record<string, any>[];
  breakGlass?: BreakGlassConfig;
  calendar?: BusinessCalendar;
  integrity?: IntegrityResult;
}

/** Writes the given record files, runs the real collectors and returns the evidence set. */
export function processEvidence(files: ProcessFiles): () => Promise<EvidenceSet> {
  return async () => {
    const calendar = files.calendar ?? UTC;
    const ev: Partial<EvidenceSet> = { calendar, processFiles: [] };
    const run = <T,>(tree: Record<string, string> | undefined, collect: (o: { paths: string[]; baseDir: string; calendar: BusinessCalendar }) => { files: any[] } & T) => {
      if (!tree) return undefined;
      const dir = tempTree(tree);
      const r = collect({ paths: [dir], baseDir: dir, calendar });
      ev.processFiles!.push(...r.files);
      return { state: 'collected' as const, value: r };
    };
    ev.reviews = run(files.reviews, collectReviews) as EvidenceSet['reviews'];
    ev.drills = run(files.drills, collectDrills) as EvidenceSet['drills'];
    ev.secretStore = run(files.secretStore === undefined ? undefined : { 'secret-store.yaml': files.secretStore }, collectSecretStore) as EvidenceSet['secretStore'];
    ev.tickets = run(files.tickets, collectTickets) as EvidenceSet['tickets'];
    ev.approvals = run(files.approvals, collectApprovals) as EvidenceSet['approvals'];
    for (const k of ['reviews', 'drills', 'secretStore', 'tickets', 'approvals'] as const) if (ev[k] === undefined) delete ev[k];
    const breakGlass = files.breakGlass ?? BG;
    if (files.events) ev.cloudtrail = await cloudtrailFrom(files.events, breakGlass);
    if (files.integrity) ev.integrity = { state: 'collected', value: files.integrity };
    return baseEvidence({ ...ev, breakGlass, breakGlassDeclared: true });
  };
}

/** A review record in YAML. */
export function reviewYaml(o: { id: string; activatedAt: string; eventIds: string[]; reviewDate: string; tickets?: string[]; rotated?: { what: string; when: string }[] }): string {
  return [
    `id: ${o.id}`,
    `activatedAt: "${o.activatedAt}"`,
    `eventIds: [${o.eventIds.join(', ')}]`,
    `reviewDate: "${o.reviewDate}"`,
    ...(o.tickets ? [`tickets: [${o.tickets.join(', ')}]`] : []),
    'reviewers: [CISO, Platform lead]',
    'trigger: IdP outage',
    'justification: Severity-1 incident',
    'actionsTaken: [Fixed the role]',
    `credentialsRotated: [${(o.rotated ?? []).map((r) => `{what: "${r.what}", when: "${r.when}"}`).join(', ')}]`,
    'decommissioningConfirmed: true',
    'lessonsLearned: Keep the rollback tested.',
    '',
  ].join('\n');
}

export const SECRET_STORE_OK = `store: {name: Break-glass vault, kind: hashicorp-vault, dedicated: true}
independentAudit: {auditor: Example Audit GmbH, date: 2026-03-01}
rotation: {afterUse: true, mode: automatic, mechanism: vault rotation job}
dualControl: {required: true, custodians: [CISO, Head of Platform]}
readers: [role/BreakGlassCustodian]
credentials:
  - {name: BreakGlassAdmin session, type: just-in-time}
`;
