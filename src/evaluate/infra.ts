// Shared reading of normalised infrastructure for the checks: parse errors, links, attribute names per source.

import type { Finding } from '../model/check.js';
import { formatLocation, type SourceLocation } from '../model/location.js';
import { attrName, entitiesOf, ifCreated, isUnknown, linkMatches, onEntity, type Bucket, type EntityOf, type EntityType, type Field, type InfraSnapshot, type Link, type Origin, type PublicAccessBlock, type Trail, type Unknown } from '../model/infra.js';
import { need, type CheckOutcome, type EvidenceSet } from './define-check.js';

export { attrName, ifCreated, onEntity };

export interface Infra {
  snapshots: InfraSnapshot[];
  of<T extends EntityType>(type: T): EntityOf<T>[];
  /** Every entity by id, to resolve a reference to what it names (not a read of those types as evidence). */
  byId(): Map<string, EntityOf<EntityType>>;
  /**
   * Files that are present but could not be read (syntax errors, binary): one `error` finding per file, with a
   * defect key so it is reported once however many checks it touches.
   */
  broken: Finding[];
  /**
   * Parts not read or not evaluated that may define resources (registry modules not downloaded, files not
   * read, CloudFormation macros, live calls that failed): an absence is then not proven.
   */
  gaps: Finding[];
  roots: string;
  /** The first source read (an IaC folder or file, or a live account/region), to point at when nothing matched. */
  firstRoot?: string;
}

/** What a check read through infraOf while the engine ran it: whether it read infrastructure, and which entity types. */
export interface InfraReads {
  infra: boolean;
  types: Set<EntityType>;
  /** The check looked at the snapshots themselves: it may have read any type. */
  all: boolean;
}
const reads = new WeakMap<EvidenceSet, InfraReads>();

/** A copy of `ev` whose infraOf reads are recorded (the engine uses it to find what a live verdict depends on). */
export function recordingInfraReads(ev: EvidenceSet): { ev: EvidenceSet; reads: InfraReads } {
  const copy = { ...ev };
  const r: InfraReads = { infra: false, types: new Set(), all: false };
  reads.set(copy, r);
  return { ev: copy, reads: r };
}

export function infraOf(ev: EvidenceSet): Infra {
  const log = reads.get(ev);
  if (log) log.infra = true;
  // Live AWS snapshots (one per account and region) are read by the same checks; with no live source the IaC
  // verdicts are exactly as before.
  const live = ev.live?.state === 'collected' ? ev.live.value.scopes.map((s) => s.snapshot) : [];
  const iac = live.length && ev.iac.state !== 'collected' ? [] : need(ev.iac, 'IaC (terraform / cloudformation)');
  const snapshots = [...iac, ...live];
  return {
    get snapshots() {
      if (log) log.all = true;
      return snapshots;
    },
    of: (type) => {
      log?.types.add(type);
      return entitiesOf(snapshots, type);
    },
    byId: () => new Map(snapshots.flatMap((s) => s.entities.map((e) => [e.id, e] as const))),
    broken: iac.flatMap((s) =>
      s.problems
        .filter((p) => p.level === 'error')
        .map((p): Finding => ({ status: 'error', message: `not evaluated: ${p.message}`, location: p.location, defect: `unreadable:${p.location?.file ?? s.root}:${p.message}` })),
    ),
    gaps: [...iac.flatMap((s) => s.problems.filter((p) => p.level === 'warning' && (p.skip || p.opaque)).map((p): Finding => ({ status: 'unknown', message: p.message, location: p.location, defect: `gap:${p.location?.file ?? s.root}:${p.message}` }))), ...liveGaps(live)],
    roots: snapshots.map((s) => s.root).join(', ') || '(no IaC roots)',
    firstRoot: snapshots[0]?.root,
  };
}

/** Live calls that failed (AccessDenied, throttled out, region not enabled): what they would have listed is unknown. */
function liveGaps(live: InfraSnapshot[]): Finding[] {
  return live.flatMap((s) => s.problems.filter((p) => p.level === 'error').map((p): Finding => ({ status: 'unknown', message: p.message, location: p.location })));
}

function summary(fs: Finding[], max = 3): string {
  const named = fs.slice(0, max).map((f) => f.message.replace(/^not evaluated: /, ''));
  return named.join('; ') + (fs.length > max ? `; and ${fs.length - max} more` : '');
}

/**
 * The one rule for what was not read, applied to every IaC check's outcome. `absence` says the outcome's
 * `fail` rests on something not being found (no trail, no detecting filter, no complete chain), which a part
 * not read may hold. A file that could not be read turns any verdict but a defect found elsewhere into
 * `error`; a part not evaluated turns an absence into `unknown`. A defect found in what was read still fails.
 */
export function settle<T extends CheckOutcome>(infra: Infra, outcome: T, opts: { absence: boolean }): T {
  const status = outcome.status;
  const fails = status === 'fail';
  // The failures that rested on an absence are no longer proven: they take the new status too.
  const recast = (to: 'error' | 'unknown') => (outcome.findings ?? []).map((f) => (f.status === 'fail' ? { ...f, status: to } : f));
  if (infra.broken.length && (!fails || opts.absence) && status !== 'not_applicable') {
    return {
      ...outcome,
      status: 'error',
      reason: `${outcome.reason}; but ${infra.broken.length === 1 ? 'an IaC file' : `${infra.broken.length} IaC files`} could not be read, so this is not decided (${infra.broken.map((f) => (f.location ? formatLocation(f.location) : f.message)).join(', ')})`,
      findings: [...recast('error'), ...infra.broken],
      locations: infra.broken.map((f) => f.location!).filter(Boolean),
    };
  }
  if (infra.gaps.length && fails && opts.absence) {
    return {
      ...outcome,
      status: 'unknown',
      reason: `${outcome.reason}; but ${summary(infra.gaps)}`,
      findings: [...recast('unknown'), ...infra.gaps],
      locations: infra.gaps.map((f) => f.location!).filter(Boolean),
    };
  }
  return outcome;
}

/** The finding every trail check and chain gives when no trail is defined (one defect, reported once). */
export function noTrail(infra: Infra): Finding {
  return { status: 'fail', message: `no CloudTrail trail is defined in ${infra.roots}`, defect: 'no-trail' };
}

/**
 * For checks over every trail: when each trail may not be created, "no trail at all" is possible too, which
 * fails; the finding says so (undefined when some trail surely exists).
 */
export function mayAllBeAbsent(entities: { id: string; at: SourceLocation; conditional?: Unknown }[], what: string): Finding | undefined {
  if (entities.length === 0 || !entities.every((e) => e.conditional)) return undefined;
  const c = entities[0].conditional!;
  return { status: 'unknown', message: `every ${what} may not be created (${c.unknown}); without one there is no ${what} at all`, location: c.location ?? entities[0].at };
}

/**
 * A finding for a boolean attribute that must be true: pass, fail (naming the attribute and whether the
 * provider default applied) or unknown (value not statically known).
 */
export function requireTrue(entity: { id: string; origin: Origin }, field: Field<boolean>, name: string): Finding {
  const attr = attrName(name, entity.origin);
  if (isUnknown(field.value)) return { status: 'unknown', subject: entity.id, message: `${entity.id}: ${attr} cannot be known statically (${field.value.unknown})`, location: field.value.location ?? field.at };
  if (field.value === true) return { status: 'pass', subject: entity.id, message: `${entity.id}: ${attr} = true`, location: field.at };
  return {
    status: 'fail',
    subject: entity.id,
    message: field.defaulted ? `${entity.id}: ${attr} is not set (default false)` : `${entity.id}: ${attr} = false`,
    location: field.at,
  };
}

export function describeLink(link: Link): string {
  return link.ref ?? link.name ?? '(unknown)';
}

/** Does link `a` designate the same target as link `b` (same reference or same literal name)? */
export function sameTarget(a: Link, b: Link): boolean {
  return (a.ref !== undefined && a.ref === b.ref) || (a.name !== undefined && a.name === b.name);
}

/** Two values that cannot be known but are the same expression of the same unknown inputs (Unknown.symbol). */
function sameUnknown(a: unknown, b: Unknown): boolean {
  return isUnknown(a) && a.symbol !== undefined && a.symbol === b.symbol;
}

/** Buckets a trail's bucket link designates (by reference or literal bucket name). */
export function bucketsFor(link: Link, buckets: Bucket[]): Bucket[] {
  return buckets.filter((b) => linkMatches(link, b, [b.name.value]));
}

/**
 * The one reading of "the trail's bucket" every bucket check shares: the bucket a trail writes to cannot be
 * known (`unknown`), is not defined in the sources read (`outside`: a literal name of a bucket made elsewhere),
 * or is defined (`defined`, with the bucket entities it designates).
 */
export type TrailBucket =
  | { trail: Trail; state: 'unknown'; reason: string; location: SourceLocation }
  | { trail: Trail; state: 'outside'; link: Link; name: string }
  | { trail: Trail; state: 'defined'; link: Link; name: string; buckets: Bucket[] };

export function trailBuckets(infra: Infra): TrailBucket[] {
  const buckets = infra.of('bucket');
  return infra.of('trail').map((trail): TrailBucket => {
    const link = trail.bucket.value;
    if (isUnknown(link)) {
      // A name that cannot be known, written the same way as a bucket's (`cloudtrail-${data.aws_caller_identity.c.account_id}`), is that bucket.
      const same = link.symbol === undefined ? [] : buckets.filter((b) => sameUnknown(b.name.value, link));
      if (same.length) return { trail, state: 'defined', link: { ref: same[0].id }, name: link.symbol!, buckets: same };
      return { trail, state: 'unknown', reason: link.unknown, location: link.location ?? trail.bucket.at };
    }
    const defined = bucketsFor(link, buckets);
    const name = describeLink(link);
    return defined.length ? { trail, state: 'defined', link, name, buckets: defined } : { trail, state: 'outside', link, name };
  });
}

/** The finding of a bucket check for a trail whose bucket cannot be judged (no trail, unknown, outside the sources). */
export function trailBucketUnjudged(tb: TrailBucket, what: string, roots: string): Finding | undefined {
  if (tb.state === 'unknown') return { status: 'unknown', subject: tb.trail.id, message: `${tb.trail.id}: the trail's bucket cannot be known statically (${tb.reason}), so ${what} cannot be checked`, location: tb.location };
  if (tb.state === 'outside') return { status: 'unknown', subject: tb.trail.id, message: `${tb.trail.id}: its bucket ${tb.name} is not defined in the sources read (${roots}), so ${what} cannot be checked`, location: tb.trail.bucket.at };
  return undefined;
}

/**
 * Public-access blocks that apply to the bucket designated by `link`: bucket-scoped ones that point at the
 * same bucket (directly, or through the bucket's entity / name), and account-scoped ones.
 */
export function publicAccessBlocksFor(link: Link, buckets: Bucket[], blocks: PublicAccessBlock[]): PublicAccessBlock[] {
  const targets = bucketsFor(link, buckets);
  return blocks.filter((pab) => {
    if (pab.scope === 'account') return true;
    const b = pab.bucket?.value;
    if (b && isUnknown(b)) return targets.some((t) => sameUnknown(t.name.value, b));
    if (!b) return false;
    if (sameTarget(b, link)) return true;
    return targets.some((t) => linkMatches(b, t, [t.name.value]));
  });
}

export function loc(at: SourceLocation | undefined): SourceLocation[] {
  return at ? [at] : [];
}
