// Terraform resources (from .tf or plan JSON) → provider-neutral entities of src/model/infra.ts.

import type { Alarm, Bucket, Entity, Field, Link, LogGroup, MetricFilter, MetricTarget, Origin, PublicAccessBlock, SnsSubscription, SnsTopic, Trail, Unknown } from '../../model/infra.js';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { SourceLocation } from '../../model/location.js';
import type { AttrValue, BlockView, ResourceView } from './config.js';
import { policyIsPublic } from './policy.js';
import { cannedAclIsPublic, granteeIsPublic } from '../bucket-exposure.js';
import { Ref, Unk, toBool, toStr, typeName, type Val } from './values.js';
import { iamEntity, policyDocumentData } from './iam.js';

export const SUPPORTED_TYPES = [
  'aws_cloudtrail',
  'aws_s3_bucket',
  'aws_s3_bucket_public_access_block',
  'aws_s3_account_public_access_block',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_object_lock_configuration',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_log_metric_filter',
  'aws_cloudwatch_metric_alarm',
  'aws_sns_topic',
  'aws_sns_topic_subscription',
] as const;

function unknown(u: Unk, at: SourceLocation): Unknown {
  return { unknown: u.reason, location: u.location ?? at, ...(u.symbol !== undefined ? { symbol: u.symbol } : {}) };
}

type Conv<T> = (v: Val) => T | Unk;

const str: Conv<string> = (v) => toStr(v);
const bool: Conv<boolean> = (v) => toBool(v);

export const link: Conv<Link> = (v) => {
  if (v instanceof Ref) return { ref: v.address };
  const s = toStr(v);
  return s instanceof Unk ? s : { name: s };
};

/** A list of links; an element that cannot be known is an Unknown element (the list still has it). */
function links(v: Val): (Link | Unknown)[] | Unk {
  const items = v instanceof Ref && Array.isArray(v.known) ? v.known : v;
  if (items instanceof Unk) return items;
  if (!Array.isArray(items)) return new Unk(`expected a list, got ${typeName(v)}`);
  return items.map((x) => {
    const l = link(x);
    return l instanceof Unk ? { unknown: l.reason, ...(l.location ? { location: l.location } : {}) } : l;
  });
}

/** Field from an attribute; a missing (or null) attribute takes `dflt` when the provider has a default. */
function field<T>(r: BlockView, name: string, conv: Conv<T>, dflt: { value: T } | { unknown: string }, resAt: SourceLocation): Field<T> {
  const a: AttrValue | undefined = r.attr(name);
  if (!a || a.value === null) {
    if ('value' in dflt) return { value: dflt.value, at: a?.at ?? resAt, defaulted: true };
    return { value: { unknown: dflt.unknown, location: resAt }, at: resAt };
  }
  const v = conv(a.value);
  const f: Field<T> = { value: v instanceof Unk ? unknown(v, a.at) : v, at: a.at };
  if (a.defaulted) f.defaulted = true;
  return f;
}

const notSet = (name: string) => ({ unknown: `${name} is not set` });

function base(r: ResourceView, origin: Origin) {
  return { id: r.address, origin, resourceType: r.type, at: r.at, ...(r.possible ? { conditional: unknown(r.possible, r.at) } : {}) };
}

function trail(r: ResourceView, origin: Origin): Trail {
  const at = r.at;
  const t: Trail = {
    ...base(r, origin),
    type: 'trail',
    name: field(r, 'name', str, notSet('name'), at),
    multiRegion: field(r, 'is_multi_region_trail', bool, { value: false }, at),
    logFileValidation: field(r, 'enable_log_file_validation', bool, { value: false }, at),
    globalServiceEvents: field(r, 'include_global_service_events', bool, { value: true }, at),
    logging: field(r, 'enable_logging', bool, { value: true }, at),
    bucket: field(r, 's3_bucket_name', link, notSet('s3_bucket_name'), at),
    logGroup: field<Link | null>(r, 'cloud_watch_logs_group_arn', link, { value: null }, at),
    managementEvents: managementEvents(r),
    organisationTrail: field(r, 'is_organization_trail', bool, { value: false }, at),
  };
  return t;
}

/** Management events are recorded unless event selectors leave them out (CloudTrail event selector docs). */
function managementEvents(r: ResourceView): Field<boolean> {
  const basic = r.blocks('event_selector');
  const advanced = r.blocks('advanced_event_selector');
  for (const b of [basic, advanced]) if (b instanceof Unk) return { value: unknown(b, r.at), at: b.location ?? r.at };
  const sel = basic as BlockView[];
  const adv = advanced as BlockView[];
  if (sel.length === 0 && adv.length === 0) return { value: true, at: r.at, defaulted: true };
  for (const s of sel) {
    const include = field(s, 'include_management_events', bool, { value: true }, s.at).value;
    const rw = field(s, 'read_write_type', str, { value: 'All' }, s.at).value;
    if (typeof include !== 'boolean') return { value: include, at: s.at };
    if (typeof rw !== 'string') return { value: rw, at: s.at };
    if (include && rw !== 'ReadOnly') return { value: true, at: s.at };
  }
  for (const s of adv) {
    const fields = s.blocks('field_selector');
    if (fields instanceof Unk) return { value: unknown(fields, s.at), at: s.at };
    let management = false;
    let readOnlyOnly = false;
    for (const f of fields) {
      const name = f.attr('field')?.value;
      const equals = f.attr('equals')?.value;
      const eq = Array.isArray(equals) ? equals : [];
      if (name instanceof Unk || equals instanceof Unk) return { value: unknown((name instanceof Unk ? name : equals) as Unk, f.at), at: f.at };
      if (name === 'eventCategory' && eq.includes('Management')) management = true;
      if (name === 'readOnly' && eq.length === 1 && eq[0] === 'true') readOnlyOnly = true;
    }
    if (management && !readOnlyOnly) return { value: true, at: s.at };
  }
  return { value: false, at: (sel[0] ?? adv[0]).at };
}

interface Source {
  value: boolean | Unk;
  at: SourceLocation;
}

/** Several resources can decide one flag: any true wins, then any unknown, then explicit false, then the default. */
function combine(sources: Source[], resAt: SourceLocation): Field<boolean> {
  const yes = sources.find((s) => s.value === true);
  if (yes) return { value: true, at: yes.at };
  const unk = sources.find((s) => s.value instanceof Unk);
  if (unk) return { value: unknown(unk.value as Unk, unk.at), at: unk.at };
  const no = sources[0];
  if (no) return { value: false, at: no.at };
  return { value: false, at: resAt, defaulted: true };
}

interface Attachment {
  resource: ResourceView;
  target: Link | Unk;
}

/** Resources that attach to a bucket (ACL, policy, object lock), indexed once per snapshot by the bucket they target. */
class Attachments {
  private readonly byType = new Map<string, { byRef: Map<string, Attachment[]>; byName: Map<string, Attachment[]>; unknown: Attachment[] }>();
  constructor(private readonly views: ResourceView[]) {}

  private index(type: string) {
    let idx = this.byType.get(type);
    if (idx) return idx;
    idx = { byRef: new Map(), byName: new Map(), unknown: [] };
    for (const v of this.views) {
      if (v.type !== type) continue;
      const b = v.attr('bucket');
      const target = b ? link(b.value) : new Unk('bucket is not set', v.at);
      const a = { resource: v, target };
      if (target instanceof Unk) idx.unknown.push(a);
      else if (target.ref !== undefined) (idx.byRef.get(target.ref) ?? idx.byRef.set(target.ref, []).get(target.ref)!).push(a);
      else if (target.name !== undefined) (idx.byName.get(target.name) ?? idx.byName.set(target.name, []).get(target.name)!).push(a);
    }
    this.byType.set(type, idx);
    return idx;
  }

  /** Attachments of `type` that target the bucket, plus those whose target is unknown. */
  for(type: string, address: string, name: string | undefined): Attachment[] {
    const idx = this.index(type);
    return [...(idx.byRef.get(address) ?? []), ...(name !== undefined ? (idx.byName.get(name) ?? []) : []), ...idx.unknown];
  }
}

function bucketEntity(r: ResourceView, origin: Origin, attached: Attachments): Bucket {
  const at = r.at;
  const name = field(r, 'bucket', str, { unknown: 'bucket is not set: AWS chooses the name (bucket_prefix or generated)' }, at);
  const knownName = typeof name.value === 'string' ? name.value : undefined;
  /** Sources from attachment resources: their verdict when they target this bucket, unknown when the target is. */
  const fromAttachments = (type: string, verdict: (v: ResourceView) => Source | undefined): Source[] =>
    attached.for(type, r.address, knownName).flatMap((a) => {
      if (a.target instanceof Unk) return [{ value: new Unk(`${a.resource.address} applies to a bucket that is not known statically (${a.target.reason})`), at: a.resource.at }];
      const s = verdict(a.resource);
      return s ? [s] : [];
    });

  const aclVerdict = (v: BlockView): Source | undefined => {
    const acl = v.attr('acl');
    if (acl && acl.value !== null) {
      const s = toStr(acl.value);
      return { value: s instanceof Unk ? s : cannedAclIsPublic(s), at: acl.at };
    }
    /** The first grant to AllUsers / AuthenticatedUsers among grantee-like blocks (which carry `uri`). */
    const publicGrant = (grantees: BlockView[]): Source | undefined => {
      for (const ge of grantees) {
        const uri = ge.attr('uri');
        if (!uri || uri.value === null) continue;
        const s = toStr(uri.value);
        if (s instanceof Unk) return { value: s, at: uri.at };
        if (granteeIsPublic(s)) return { value: true, at: uri.at };
      }
      return undefined;
    };
    const policies = v.blocks('access_control_policy');
    if (policies instanceof Unk) return { value: policies, at: v.at };
    for (const p of policies) {
      const grants = p.blocks('grant');
      if (grants instanceof Unk) return { value: grants, at: p.at };
      for (const g of grants) {
        const grantees = g.blocks('grantee');
        if (grantees instanceof Unk) return { value: grantees, at: g.at };
        const found = publicGrant(grantees);
        if (found) return found;
      }
      return { value: false, at: p.at };
    }
    // aws_s3_bucket's legacy inline `grant { type = "Group", uri = … }` blocks
    const legacy = v.blocks('grant');
    if (legacy instanceof Unk) return { value: legacy, at: v.at };
    if (legacy.length > 0) return publicGrant(legacy) ?? { value: false, at: legacy[0].at };
    return undefined;
  };
  const policyVerdict = (v: BlockView): Source | undefined => {
    const p = v.attr('policy');
    if (!p || p.value === null) return undefined;
    // A policy rendered by data.aws_iam_policy_document is read statement by statement, like jsonencode({...}).
    const rendered = p.value instanceof Unk && p.value.json === undefined && 'address' in v ? policyDocumentData(v as ResourceView, 'policy', p.at) : undefined;
    const verdict = policyIsPublic(rendered ?? p.value);
    return { value: verdict instanceof Unk ? verdict : verdict.public, at: p.at };
  };
  const lockVerdict = (v: BlockView): Source | undefined => {
    const enabled = v.attr('object_lock_enabled');
    if (enabled && enabled.value !== null) {
      // aws_s3_bucket takes a bool; the legacy nested block and the separate resource take "Enabled".
      const b = toBool(enabled.value);
      const s = toStr(enabled.value);
      return { value: b instanceof Unk ? (s instanceof Unk ? s : s === 'Enabled') : b, at: enabled.at };
    }
    return undefined;
  };

  const own = (verdict: (v: BlockView) => Source | undefined): Source[] => {
    const s = verdict(r);
    return s ? [s] : [];
  };
  const legacyLock = r.blocks('object_lock_configuration');
  const legacyLockSources: Source[] = legacyLock instanceof Unk ? [{ value: legacyLock, at }] : legacyLock.flatMap((b) => own(() => lockVerdict(b)));

  return {
    ...base(r, origin),
    type: 'bucket',
    name,
    objectLock: combine(
      [
        ...own(lockVerdict),
        ...legacyLockSources,
        ...fromAttachments('aws_s3_bucket_object_lock_configuration', (v) => lockVerdict(v) ?? { value: true, at: v.at }),
      ],
      at,
    ),
    publicByAcl: combine([...own(aclVerdict), ...fromAttachments('aws_s3_bucket_acl', aclVerdict)], at),
    publicByPolicy: combine([...own(policyVerdict), ...fromAttachments('aws_s3_bucket_policy', policyVerdict)], at),
  };
}

function publicAccessBlock(r: ResourceView, origin: Origin, scope: 'bucket' | 'account'): PublicAccessBlock {
  const at = r.at;
  const flag = (name: string) => field(r, name, bool, { value: false }, at);
  const pab: PublicAccessBlock = {
    ...base(r, origin),
    type: 'public-access-block',
    scope,
    blockPublicAcls: flag('block_public_acls'),
    blockPublicPolicy: flag('block_public_policy'),
    ignorePublicAcls: flag('ignore_public_acls'),
    restrictPublicBuckets: flag('restrict_public_buckets'),
  };
  if (scope === 'bucket') pab.bucket = field(r, 'bucket', link, notSet('bucket'), at);
  if (scope === 'account') {
    const account = r.attr('account_id');
    if (account && typeof account.value === 'string') pab.account = account.value;
  }
  return pab;
}

function metricTargets(r: ResourceView): Field<MetricTarget[]> {
  const blocks = r.blocks('metric_transformation');
  if (blocks instanceof Unk) return { value: unknown(blocks, r.at), at: blocks.location ?? r.at };
  const out: MetricTarget[] = [];
  for (const b of blocks) {
    const name = field(b, 'name', str, notSet('metric_transformation.name'), b.at);
    const namespace = field(b, 'namespace', str, notSet('metric_transformation.namespace'), b.at);
    if (typeof name.value !== 'string') return { value: name.value, at: name.at };
    if (typeof namespace.value !== 'string') return { value: namespace.value, at: namespace.at };
    out.push({ name: name.value, namespace: namespace.value });
  }
  return { value: out, at: blocks[0]?.at ?? r.at };
}

function alarm(r: ResourceView, origin: Origin): Alarm {
  const at = r.at;
  const queries = r.blocks('metric_query');
  const usesQueries = queries instanceof Unk || queries.length > 0;
  // Metric math over one metric (a single `metric` block among the queries) watches that metric.
  const inner = queries instanceof Unk ? undefined : queries.map((q) => q.blocks('metric'));
  const onlyMetric = inner && inner.every((m) => !(m instanceof Unk)) && inner.flat().length === 1 ? (inner.flat() as BlockView[])[0] : undefined;
  const orNull = (name: string): Field<string | null> =>
    onlyMetric && !r.attr(name)
      ? field<string | null>(onlyMetric, name, str, { value: null }, onlyMetric.at)
      : usesQueries && !r.attr(name)
        ? { value: null, at: queries instanceof Unk ? at : queries[0].at }
        : field<string | null>(r, name, str, { value: null }, at);
  return {
    ...base(r, origin),
    type: 'alarm',
    name: field(r, 'alarm_name', str, notSet('alarm_name'), at),
    metricName: orNull('metric_name'),
    namespace: orNull('namespace'),
    actions: field(r, 'alarm_actions', links, { value: [] }, at),
    actionsEnabled: field(r, 'actions_enabled', bool, { value: true }, at),
  };
}

/**
 * Normalises the supported resource types; other types are ignored (they are not evidence for these checks).
 * A resource that fails to normalise is reported in `problems` and left out; the others are still returned.
 */
export function normalise(views: ResourceView[], origin: Origin, problems: EvidenceProblem[] = []): Entity[] {
  const out: Entity[] = [];
  const attached = new Attachments(views);
  for (const r of views) {
    try {
      normaliseOne(r, origin, attached, out);
    } catch (e) {
      problems.push({ level: 'error', message: `${r.address} could not be evaluated (${(e as Error)?.message ?? String(e)}); it is not evidence`, location: r.at });
    }
  }
  return out;
}

function normaliseOne(r: ResourceView, origin: Origin, attached: Attachments, out: Entity[]): void {
  const at = r.at;
  switch (r.type) {
    case 'aws_cloudtrail':
      out.push(trail(r, origin));
      break;
    case 'aws_s3_bucket':
      out.push(bucketEntity(r, origin, attached));
      break;
    case 'aws_s3_bucket_public_access_block':
      out.push(publicAccessBlock(r, origin, 'bucket'));
      break;
    case 'aws_s3_account_public_access_block':
      out.push(publicAccessBlock(r, origin, 'account'));
      break;
    case 'aws_cloudwatch_log_group':
      out.push({ ...base(r, origin), type: 'log-group', name: field(r, 'name', str, { unknown: 'name is not set: Terraform generates it' }, at) } satisfies LogGroup);
      break;
    case 'aws_cloudwatch_log_metric_filter':
      out.push({
        ...base(r, origin),
        type: 'metric-filter',
        name: field(r, 'name', str, notSet('name'), at),
        pattern: field(r, 'pattern', str, notSet('pattern'), at),
        logGroup: field(r, 'log_group_name', link, notSet('log_group_name'), at),
        metrics: metricTargets(r),
      } satisfies MetricFilter);
      break;
    case 'aws_cloudwatch_metric_alarm':
      out.push(alarm(r, origin));
      break;
    case 'aws_sns_topic':
      out.push({ ...base(r, origin), type: 'sns-topic', name: field(r, 'name', str, { unknown: 'name is not set: Terraform generates it' }, at) } satisfies SnsTopic);
      break;
    case 'aws_sns_topic_subscription':
      out.push({
        ...base(r, origin),
        type: 'sns-subscription',
        topic: field(r, 'topic_arn', link, notSet('topic_arn'), at),
        protocol: field(r, 'protocol', str, notSet('protocol'), at),
      } satisfies SnsSubscription);
      break;
    default: {
      const iam = iamEntity(r, origin);
      if (iam) out.push(iam);
      break;
    }
  }
}
