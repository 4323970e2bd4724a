// Shared reading of normalised infrastructure for the checks: parse errors, links, attribute names per source.

import type { Finding } from '../model/check.js';
import type { SourceLocation } from '../model/location.js';
import { entitiesOf, isUnknown, linkMatches, type Bucket, type EntityOf, type EntityType, type Field, type InfraSnapshot, type Link, type Origin, type PublicAccessBlock, type Trail } from '../model/infra.js';
import { attrName } from '../model/infra.js';
import { need, type EvidenceSet } from './define-check.js';

export { attrName };

export interface Infra {
  snapshots: InfraSnapshot[];
  of<T extends EntityType>(type: T): EntityOf<T>[];
  /** Every entity by id, to resolve a reference to what it names (not a read of those types as evidence). */
  byId(): Map<string, EntityOf<EntityType>>;
  /** `error` findings for files that could not be read or parsed: their resources were not evaluated. */
  unreadable: Finding[];
  /**
   * Parts read but not evaluated that may define resources (registry modules, CloudFormation macros): an
   * absence is then not proven, and a check that would fail for lack of a resource is `unknown`.
   */
  opaque: Finding[];
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
    unreadable: iac.flatMap((s) =>
      s.problems
        .filter((p) => p.level === 'error')
        .map((p): Finding => ({ status: 'error', message: `not evaluated: ${p.message}`, location: p.location })),
    ),
    roots: snapshots.map((s) => s.root).join(', ') || '(no IaC roots)',
    firstRoot: snapshots[0]?.root,
    opaque: [...opaqueParts(iac), ...liveGaps(live)],
  };
}

/** Live calls that failed (AccessDenied, throttled out, region not enabled): what they would have listed is unknown. */
function liveGaps(live: InfraSnapshot[]): Finding[] {
  return live.flatMap((s) => s.problems.filter((p) => p.level === 'error').map((p): Finding => ({ status: 'unknown', message: p.message, location: p.location })));
}

/** Registry (non-local) Terraform modules and CloudFormation macros, recognised by the collectors' warnings. */
export function opaqueParts(snapshots: InfraSnapshot[]): Finding[] {
  return snapshots.flatMap((s) =>
    s.problems
      .filter((p) => p.level === 'warning' && (/is not a local path; its resources and outputs are not evaluated/.test(p.message) || /rewrites the template at deploy time/.test(p.message)))
      .map((p): Finding => ({ status: 'unknown', message: p.message, location: p.location })),
  );
}

/** A failure that rests on something being absent, downgraded to `unknown` when an unevaluated part may hold it. */
export function unlessOpaque<T extends { status?: string; reason: string; findings?: Finding[] }>(infra: Infra, outcome: T): T {
  if (outcome.status !== 'fail' || infra.opaque.length === 0) return outcome;
  return {
    ...outcome,
    status: 'unknown',
    reason: `${outcome.reason}; but ${infra.opaque.map((o) => o.message).join('; ')}`,
    findings: [...(outcome.findings ?? []), ...infra.opaque],
  };
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

/** Buckets a trail's bucket link designates (by reference or literal bucket name). */
export function bucketsFor(link: Link, buckets: Bucket[]): Bucket[] {
  return buckets.filter((b) => linkMatches(link, b, [b.name.value]));
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
    if (!b || isUnknown(b)) return false;
    if (sameTarget(b, link)) return true;
    return targets.some((t) => linkMatches(b, t, [t.name.value]));
  });
}

export function loc(at: SourceLocation | undefined): SourceLocation[] {
  return at ? [at] : [];
}
