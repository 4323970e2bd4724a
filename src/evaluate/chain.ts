// The alarm chain, followed end to end: trail → log group → metric filter → metric → alarm → actions → SNS topic → subscription.

import type { Finding } from '../model/check.js';
import type { SourceLocation } from '../model/location.js';
import type { Status } from '../model/status.js';
import { isUnknown, type Alarm, type Entity, type Link, type MetricFilter, type MetricTarget, type SnsTopic, type Trail, type Unknown } from '../model/infra.js';
import type { BreakGlassConfig } from '../config/load.js';
import { assessFilter, describeAssessment, type Detection, type FilterAssessment } from '../detections/filter-pattern/index.js';
import { attrName, describeLink, ifCreated, noTrail, onEntity, settle, type Infra } from './infra.js';
import { alarmActionsGap, alarmGapMessage, defects, detection, logGroupEntity, logGroupNameFromArn } from './alarms.js';
import type { CheckOutcome } from './define-check.js';

/** The links of the chain, in order; a failing chain names the first one that is broken. */
export const CHAIN_LINKS = ['trail', 'log group', 'metric filter', 'metric', 'alarm', 'alarm actions', 'SNS topic', 'subscription'] as const;
export type ChainLink = (typeof CHAIN_LINKS)[number];

export interface ChainRequirement {
  detectionId: string;
  /** What the alarm is for, in words: "root account usage". */
  what: string;
  /** Parameter sets for a parametric detection; the filter must satisfy every one of them. */
  params?: Record<string, string>[];
  /** Replaces the detection (e.g. with cases for undeclared identities removed). */
  detection?: Detection;
}

/** Where one path through the chain ended: complete (`pass`) or at a broken / unknowable link. */
interface BranchEnd {
  status: Status;
  link?: ChainLink;
  message: string;
  subject?: string;
  location?: SourceLocation;
  /** The entities of the complete chain, in order (status pass). */
  path?: string[];
  /** The defect's key when another check may report the same defect (see Finding.defect). */
  defect?: string;
}

/** How many misplaced filters a message names before summarising the rest. */
const MAX_NAMED = 3;

const linkIndex = (l: ChainLink | undefined) => (l === undefined ? CHAIN_LINKS.length : CHAIN_LINKS.indexOf(l));

/** `alerts` from `arn:aws:sns:eu-central-1:111122223333:alerts`; undefined for anything that is not an SNS topic ARN. */
export function topicNameFromArn(s: string): string | undefined {
  const m = /^arn:[^:]+:sns:[^:]*:[^:]*:([^:]+)$/.exec(s);
  return m ? m[1] : undefined;
}

/**
 * A log group's identity for matching: its name when known (log group names are unique per account and region,
 * so a trail's ARN and a filter's name meet), else the reference. Two different resources whose names cannot be
 * known are treated as different log groups.
 */
function logGroupKey(link: Link, entities: Map<string, Entity>): string | undefined {
  if (link.ref !== undefined) {
    const e = entities.get(link.ref);
    if (e?.type === 'log-group' && !isUnknown(e.name.value)) return `name:${e.name.value}`;
    return `ref:${link.ref}`;
  }
  return link.name === undefined ? undefined : `name:${logGroupNameFromArn(link.name)}`;
}

function assess(pattern: string, req: ChainRequirement, det: Detection): FilterAssessment {
  const sets = req.params && req.params.length ? req.params : [undefined];
  let worst: FilterAssessment | undefined;
  const rank = { complete: 0, partial: 1, missing: 2, invalid: 3 } as const;
  for (const p of sets) {
    const a = assessFilter(pattern, det, p);
    if (!worst || rank[a.verdict] > rank[worst.verdict]) worst = a;
  }
  return worst!;
}

/** The trail link: logging on, all regions, management events (the trail checks report the same defects). */
function trailEnd(t: Trail): BranchEnd | undefined {
  for (const [name, field, failText] of [
    ['logging', t.logging, 'logging is disabled'],
    ['multiRegion', t.multiRegion, 'it logs one region only'],
    ['managementEvents', t.managementEvents, 'its event selectors leave out management events'],
  ] as const) {
    const attr = attrName(name, t.origin);
    if (isUnknown(field.value)) return { status: 'unknown', link: 'trail', subject: t.id, message: `${t.id}: ${attr} cannot be known statically (${field.value.unknown})`, location: field.value.location ?? field.at };
    if (field.value !== true) return end(t, { status: 'fail', link: 'trail', subject: t.id, message: `${t.id}: ${failText} (${attr} = ${String(field.value)}${field.defaulted ? ', the default' : ''})`, location: field.at, defect: `trail:${t.id}:${name}` });
  }
  return undefined;
}

/** A path end at an entity that may not be created: its failure is unknown (see onEntity). */
function end(e: { conditional?: Unknown }, b: BranchEnd): BranchEnd {
  return onEntity(e, b as Finding & BranchEnd) as BranchEnd;
}

/** The first entity of a path that may not be created, if any. */
function conditionalOf(entities: { conditional?: Unknown }[]): { conditional?: Unknown } | undefined {
  return entities.find((e) => e.conditional);
}

function topicsFor(action: Link, topics: SnsTopic[], entities: Map<string, Entity>): { topic?: SnsTopic; outside?: string; notSns?: string } {
  if (action.ref !== undefined) {
    const e = entities.get(action.ref);
    if (e?.type === 'sns-topic') return { topic: e };
    if (e) return { notSns: `${action.ref} (${e.resourceType})` };
    return { outside: action.ref };
  }
  const name = action.name !== undefined ? topicNameFromArn(action.name) : undefined;
  if (name === undefined) return { notSns: action.name ?? '(empty action)' };
  const t = topics.find((x) => x.name.value === name);
  return t ? { topic: t } : { outside: action.name };
}

/** Follows every path from the trails; returns where each one ended. */
function walk(infra: Infra, req: ChainRequirement, det: Detection): BranchEnd[] {
  const entities = infra.byId();
  const filters = infra.of('metric-filter');
  const alarms = infra.of('alarm');
  const topics = infra.of('sns-topic');
  const subscriptions = infra.of('sns-subscription');
  const trails = infra.of('trail');
  const ends: BranchEnd[] = [];
  if (trails.length === 0) return [{ ...noTrail(infra), link: 'trail' } as BranchEnd];

  // Assessments are shared between trails and between filters with the same pattern (modules repeat them).
  const byPattern = new Map<string, FilterAssessment>();
  const assessmentOf = (f: MetricFilter): FilterAssessment | { unknown: string; at: SourceLocation } => {
    const p = f.pattern.value;
    if (isUnknown(p)) return { unknown: p.unknown, at: p.location ?? f.pattern.at };
    let a = byPattern.get(p);
    if (!a) byPattern.set(p, (a = assess(p, req, det)));
    return a;
  };
  const detects = (a: FilterAssessment) => a.verdict === 'complete' || a.verdict === 'partial';
  // Filters indexed by the log group they read; alarms by the metric they watch.
  const filtersByGroup = new Map<string, MetricFilter[]>();
  const unknownGroup: MetricFilter[] = [];
  for (const f of filters) {
    const fl = f.logGroup.value;
    const key = isUnknown(fl) ? undefined : logGroupKey(fl, entities);
    if (key === undefined) unknownGroup.push(f);
    else {
      const list = filtersByGroup.get(key);
      if (list) list.push(f);
      else filtersByGroup.set(key, [f]);
    }
  }
  const alarmsByMetric = new Map<string, Alarm[]>();
  for (const al of alarms) {
    const [n, ns] = [al.metricName.value, al.namespace.value];
    if (typeof n !== 'string' || typeof ns !== 'string') continue;
    const list = alarmsByMetric.get(`${ns}\u0000${n}`);
    if (list) list.push(al);
    else alarmsByMetric.set(`${ns}\u0000${n}`, [al]);
  }
  // Filters that detect the requirement, with their log group, computed once when a trail needs them.
  let detectingCache: [string, MetricFilter][] | undefined;
  const detectingByGroup = () =>
    (detectingCache ??= [...filtersByGroup].flatMap(([key, fs]) =>
      fs.filter((f) => {
        const a = assessmentOf(f);
        return !('unknown' in a) && detects(a);
      }).map((f): [string, MetricFilter] => [key, f]),
    ));
  const unknownAlarms = alarms.filter((al) => isUnknown(al.metricName.value) || isUnknown(al.namespace.value));
  const groups = infra.of('log-group');
  for (const t of trails) {
    const broken = trailEnd(t);
    if (broken) {
      ends.push(broken);
      continue;
    }
    const lg = t.logGroup.value;
    if (isUnknown(lg)) {
      ends.push({ status: 'unknown', link: 'log group', subject: t.id, message: `${t.id}: its CloudWatch Logs log group cannot be known statically (${lg.unknown})`, location: lg.location ?? t.logGroup.at });
      continue;
    }
    if (lg === null) {
      ends.push(end(t, { status: 'fail', link: 'log group', subject: t.id, message: `${t.id}: delivers to no CloudWatch Logs log group (${t.origin === 'cloudformation' ? 'CloudWatchLogsLogGroupArn' : 'cloud_watch_logs_group_arn'} is not set), so no metric filter sees its events`, location: t.logGroup.at, defect: `trail-log-group:${t.id}` }));
      continue;
    }
    const groupName = describeLink(lg);
    const trailKey = logGroupKey(lg, entities);
    // The fix for a missing filter goes on the log group the trail delivers to (or the trail's attribute naming it).
    const groupAt = logGroupEntity(lg, groups)?.at ?? t.logGroup.at;
    // Metric filters on the trail's log group; those elsewhere are named in the message (the seed's ct/cloudtrail mix-up).
    const onGroup = (trailKey !== undefined && filtersByGroup.get(trailKey)) || [];
    const detecting: MetricFilter[] = [];
    const filterProblems: BranchEnd[] = [];
    // Closest: misses the fewest events it must match, then over-matches the fewest.
    let closest: { f: MetricFilter; a: FilterAssessment } | undefined;
    for (const f of onGroup) {
      const a = assessmentOf(f);
      if ('unknown' in a) filterProblems.push({ status: 'unknown', link: 'metric filter', subject: f.id, message: `${f.id}: filter pattern cannot be known statically (${a.unknown})`, location: a.at });
      else if (a.verdict === 'invalid') filterProblems.push({ status: 'error', link: 'metric filter', subject: f.id, message: `${f.id}: pattern ${describeAssessment(a)}`, location: f.pattern.at, defect: defects.pattern(f.id) });
      else if (detects(a)) detecting.push(f);
      else if (!closest || a.misses.length < closest.a.misses.length || (a.misses.length === closest.a.misses.length && a.overMatches.length < closest.a.overMatches.length)) closest = { f, a };
    }
    for (const f of unknownGroup) {
      const a = assessmentOf(f);
      if (!('unknown' in a) && detects(a)) {
        const v = f.logGroup.value as { unknown: string; location?: SourceLocation };
        filterProblems.push({ status: 'unknown', link: 'metric filter', subject: f.id, message: `${f.id} detects ${req.what}, but its log group cannot be known statically (${v.unknown})`, location: v.location ?? f.logGroup.at });
      }
    }
    if (detecting.length === 0) {
      ends.push(...filterProblems);
      if (filterProblems.length === 0) {
        const misplaced = detectingByGroup().filter(([key]) => key !== trailKey).map(([, f]) => f);
        const parts = [
          onGroup.length === 0 ? `no metric filter is defined on ${groupName}, the log group ${t.id} delivers to` : `no metric filter on ${groupName} (the log group ${t.id} delivers to) detects ${req.what}`,
          closest ? `closest: ${closest.f.id}, ${describeAssessment(closest.a)}` : '',
          // Name a few; in a large estate every other trail's filter would otherwise be listed for each trail.
          misplaced.length
            ? misplaced.slice(0, MAX_NAMED).map((f) => `${f.id} detects it but is on log group ${describeLink(f.logGroup.value as Link)}`).join('; ') + (misplaced.length > MAX_NAMED ? `; and ${misplaced.length - MAX_NAMED} more on other log groups` : '')
            : '',
        ].filter(Boolean);
        // With no detecting filter anywhere this is the seed alarm checks' defect too; a misplaced one is the chain's own.
        const defect = misplaced.length ? `filter-misplaced:${req.detectionId}:${t.id}` : defects.filterMissing(req.detectionId);
        ends.push(end(t, { status: 'fail', link: 'metric filter', subject: t.id, message: parts.join('; '), location: misplaced.length ? misplaced[0].logGroup.at : groupAt, defect }));
      }
      continue;
    }

    for (const f of detecting) {
      const a = assessmentOf(f) as FilterAssessment;
      const note = a.verdict === 'partial' ? ` (${describeAssessment(a)})` : '';
      const metrics = f.metrics.value;
      if (isUnknown(metrics)) {
        ends.push({ status: 'unknown', link: 'metric', subject: f.id, message: `${f.id}: its metric name and namespace cannot be known statically (${metrics.unknown})`, location: metrics.location ?? f.metrics.at });
        continue;
      }
      const usable = metrics.filter((m: MetricTarget) => m.name && m.namespace);
      if (usable.length === 0) {
        ends.push(end(f, { status: 'fail', link: 'metric', subject: f.id, message: `${f.id}: publishes no metric (metric name and namespace missing), so no alarm can watch it`, location: f.metrics.at, defect: `filter-metric:${f.id}` }));
        continue;
      }
      for (const m of usable) {
        const metric = `${m.namespace}/${m.name}`;
        const onMetric = alarmsByMetric.get(`${m.namespace}\u0000${m.name}`) ?? [];
        if (onMetric.length === 0) {
          ends.push(
            unknownAlarms.length
              ? { status: 'unknown', link: 'alarm', subject: f.id, message: `${f.id}: no alarm is known to watch metric ${metric}; the metric of ${unknownAlarms.slice(0, MAX_NAMED).map((x) => x.id).join(', ')}${unknownAlarms.length > MAX_NAMED ? ', …' : ''} cannot be known statically`, location: unknownAlarms[0].metricName.at }
              : end(f, { status: 'fail', link: 'alarm', subject: f.id, message: `${f.id}: no alarm watches its metric ${metric}`, location: f.metrics.at, defect: defects.noAlarm(f.id, metric) }),
          );
          continue;
        }
        for (const al of onMetric) ends.push(...fromAlarm(al, [t, f], metric, note));
      }
    }
  }
  return ends;

  function fromAlarm(al: Alarm, path: Entity[], metric: string, note: string): BranchEnd[] {
    const gap = alarmActionsGap(al);
    if (gap) return [end(al, { status: gap.status, link: 'alarm actions', subject: al.id, message: alarmGapMessage(al, gap, metric), location: gap.location, defect: defects.alarmActions(al.id) })];
    const actions = al.actions.value as (Link | Unknown)[];
    const out: BranchEnd[] = [];
    const notSns: string[] = [];
    for (const action of actions) {
      if (isUnknown(action)) {
        out.push({ status: 'unknown', link: 'SNS topic', subject: al.id, message: `${al.id}: an action cannot be known statically (${action.unknown}), so its topic and subscriptions cannot be verified`, location: action.location ?? al.actions.at });
        continue;
      }
      const r = topicsFor(action, topics, entities);
      if (r.notSns) notSns.push(r.notSns);
      else if (r.outside) out.push({ status: 'unknown', link: 'SNS topic', subject: al.id, message: `${al.id} notifies ${r.outside}, which is not defined in the sources read (${infra.roots}): its topic and subscriptions cannot be verified`, location: al.actions.at });
      else if (r.topic) out.push(fromTopic(r.topic, [...path, al], note));
    }
    if (out.length === 0) out.push(end(al, { status: 'fail', link: 'SNS topic', subject: al.id, message: `${al.id}: its ${attrName('actions', al.origin)} notify no SNS topic (${notSns.join(', ')})`, location: al.actions.at, defect: `alarm-not-sns:${al.id}` }));
    return out;
  }

  function fromTopic(topic: SnsTopic, path: Entity[], note: string): BranchEnd {
    const al = path[path.length - 1];
    const topicNames = [topic.name.value].filter((n): n is string => typeof n === 'string');
    const forTopic = subscriptions.filter((s) => {
      const l = s.topic.value;
      if (isUnknown(l)) return false;
      if (l.ref !== undefined) return l.ref === topic.id;
      const n = l.name !== undefined ? (topicNameFromArn(l.name) ?? l.name) : undefined;
      return n !== undefined && topicNames.includes(n);
    });
    const full = [...path, topic].map((e) => e.id);
    if (forTopic.length) {
      const unconfirmed = forTopic.filter((s) => s.confirmed && s.confirmed.value === false);
      if (unconfirmed.length === forTopic.length) return end(topic, { status: 'fail', link: 'subscription', subject: topic.id, message: `${topic.id}: no subscription is confirmed (${unconfirmed.map((s) => s.id).join(', ')})`, location: unconfirmed[0].at, defect: `subscription-unconfirmed:${topic.id}` });
      const chain = `${full.join(' → ')} → ${forTopic.map((s) => `${s.id} (${isUnknown(s.protocol.value) ? 'protocol unknown' : s.protocol.value})`).join(', ')}${note}`;
      // A chain through a resource that may not be created is complete only if it is.
      const maybe = conditionalOf([...path, topic, ...forTopic]);
      if (maybe) return { status: 'unknown', link: 'subscription', subject: al.id, message: `${chain} is complete${ifCreated(maybe)}`, location: al.at };
      return { status: 'pass', subject: al.id, path: [...full, forTopic[0].id], message: chain, location: al.at };
    }
    if (subscriptions.length > 0) {
      return end(topic, { status: 'fail', link: 'subscription', subject: topic.id, message: `${topic.id}: the sources define ${subscriptions.length} SNS subscription(s) (${subscriptions.slice(0, MAX_NAMED).map((s) => s.id).join(', ')}${subscriptions.length > MAX_NAMED ? ', …' : ''}) but none for this topic: the alarm reaches nobody`, location: topic.at, defect: `subscription-missing:${topic.id}` });
    }
    // Subscriptions are often made outside IaC (e-mail confirmation, paging tools): not a failure, but not shown either.
    return { status: 'unknown', link: 'subscription', subject: topic.id, message: `${full.join(' → ')}: no subscription to ${topic.id} is defined in the sources read, so who receives the alarm cannot be verified`, location: topic.at };
  }
}

/** Turns the ends of all paths into the check's outcome: pass if one chain is complete, else the first broken link of the closest one. */
export function evaluateChain(infra: Infra, req: ChainRequirement): CheckOutcome & { brokenLink?: ChainLink } {
  const det = req.detection ?? detection(req.detectionId);
  const ends = walk(infra, req, det);
  const findings: Finding[] = ends.map((e): Finding => ({ status: e.status, subject: e.subject, message: e.link ? `link "${e.link}": ${e.message}` : e.message, location: e.location, ...(e.defect ? { defect: e.defect } : {}) }));
  const complete = ends.filter((e) => e.status === 'pass');
  if (complete.length) {
    return settle(infra, { status: 'pass', reason: `complete alarm chain for ${req.what}: ${complete[0].message}`, findings, locations: complete.map((e) => e.location!).filter(Boolean) }, { absence: true });
  }
  // An unknowable or unreadable path might be complete: that is never a fail.
  const undecided = ends.filter((e) => e.status === 'unknown' || e.status === 'error');
  const deepest = [...ends].sort((a, b) => linkIndex(b.link) - linkIndex(a.link))[0];
  if (undecided.length) {
    const status: Status = undecided.some((e) => e.status === 'error') ? 'error' : 'unknown';
    const first = [...undecided].sort((a, b) => linkIndex(b.link) - linkIndex(a.link))[0];
    return settle(infra, { status, reason: `the alarm chain for ${req.what} cannot be decided: link "${first.link}": ${first.message}`, findings, brokenLink: first.link }, { absence: true });
  }
  // A module or macro that was not evaluated may hold a complete chain of its own: settle() makes that unknown.
  const outcome = { status: 'fail' as const, reason: `first broken link: ${deepest.link}: ${deepest.message}`, findings, locations: deepest.location ? [deepest.location] : [], brokenLink: deepest.link };
  const settled = settle(infra, outcome, { absence: true });
  return settled.status === 'fail' ? settled : { ...settled, reason: settled.reason.replace(/^first broken link: /, `no complete alarm chain for ${req.what} in what was evaluated (first broken link: `).replace(/; but /, '), but ') };
}

/** A sentinel for a parameter whose cases were removed: never appears in a canonical event. */
const UNDECLARED = 'undeclared-identity';

/**
 * Parameter sets for the break-glass detection from `breakGlass.roles/users`. Role patterns are glob ARNs
 * (`arn:aws:iam::*:role/BreakGlass*`): each is instantiated once (account `*` → the detection's example
 * account, any other `*` → `Example`), so a filter must cover that instance. Cases for an identity kind that
 * is not declared are removed from the detection; none declared at all gives `undefined` (the check is unknown).
 */
export function breakGlassDetection(bg: Pick<BreakGlassConfig, 'roles' | 'users'>, det: Detection): { detection: Detection; params: Record<string, string>[] } | undefined {
  if (bg.roles.length === 0 && bg.users.length === 0) return undefined;
  const exampleAccount = det.parameters.find((p) => p.name === 'accountId')?.example ?? '111122223333';
  const roleArns = bg.roles.map((r) => {
    const parts = r.split(':');
    if (parts.length >= 6 && parts[4].includes('*')) parts[4] = exampleAccount;
    return parts.join(':').replace(/\*/g, 'Example');
  });
  const users = bg.users.map((u) => u.replace(/\*/g, 'Example'));
  const uses = (c: { event: unknown }, name: string) => JSON.stringify(c.event).includes('${' + name + '}');
  const keep = (c: { event: unknown }) => (roleArns.length > 0 || !uses(c, 'breakGlassRoleArn') && !uses(c, 'breakGlassRoleName')) && (users.length > 0 || !uses(c, 'breakGlassUserName'));
  const tiers = Object.fromEntries(
    Object.entries(det.tiers).map(([k, t]) => [k, t && { ...t, mustMatch: t.mustMatch.filter(keep), mustIgnore: t.mustIgnore.filter(keep) }]),
  ) as Detection['tiers'];
  const params: Record<string, string>[] = [];
  const n = Math.max(roleArns.length, users.length);
  for (let i = 0; i < n; i++) {
    const role = roleArns[i % Math.max(roleArns.length, 1)];
    params.push({
      breakGlassRoleArn: role ?? `arn:aws:iam::${exampleAccount}:role/${UNDECLARED}`,
      breakGlassUserName: users[i % Math.max(users.length, 1)] ?? UNDECLARED,
    });
  }
  return { detection: { ...det, tiers }, params };
}
