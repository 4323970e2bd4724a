// Turns the resources of one resolved CloudFormation template into provider-neutral infra entities.

import type { Alarm, Bucket, Entity, Field, Link, LogGroup, MetricFilter, MetricTarget, PublicAccessBlock, SnsSubscription, SnsTopic, Trail, Unknown } from '../../model/infra.js';
import type { SourceLocation } from '../../model/location.js';
import { childOf, type CfnEntry, type CfnNode, type Pos } from './parse.js';
import { NO_VALUE, ResourceRef, TemplateResolver, UnknownValue, deepUnknown, describe, refText, type Resolved } from './resolve.js';
import { policyIsPublic } from './policy.js';

export interface TemplateContext {
  /** Template path relative to baseDir, used in every location. */
  file: string;
  root: CfnNode;
  resolver: TemplateResolver;
  /** Entity id of a logical id (the logical id itself unless two templates define it). */
  idOf: (logicalId: string) => string;
  report: (level: 'error' | 'warning', message: string, pos: Pos | undefined) => void;
  /** Deployment target, when given as pseudo parameters. */
  account?: string;
  region?: string;
}

/** A bucket policy, kept until all templates are read: it may name a bucket defined elsewhere. */
export interface BucketPolicyFact {
  id: string;
  target: Link | Unknown;
  public: boolean | Unknown;
  at: SourceLocation;
}

export interface NormalisedTemplate {
  entities: Entity[];
  bucketPolicies: BucketPolicyFact[];
}

const ORIGIN = 'cloudformation' as const;

const NORMALISED_TYPES = new Set([
  'AWS::CloudTrail::Trail',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::Logs::LogGroup',
  'AWS::Logs::MetricFilter',
  'AWS::CloudWatch::Alarm',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
]);

/** A property as written: its node (for the location) and its resolved value; absent or AWS::NoValue → undefined. */
interface Prop {
  node: CfnNode;
  value: Resolved;
}

export function normaliseTemplate(ctx: TemplateContext): NormalisedTemplate {
  const entities: Entity[] = [];
  const bucketPolicies: BucketPolicyFact[] = [];
  const resources = childOf(ctx.root, 'Resources');
  if (resources?.kind !== 'map') return { entities, bucketPolicies };
  for (const entry of resources.entries) {
    const type = childOf(entry.value, 'Type');
    if (type?.kind !== 'scalar' || typeof type.value !== 'string') {
      ctx.report('error', `Resources.${entry.key}: expected a Type such as AWS::S3::Bucket`, entry.keyPos);
      continue;
    }
    if (!NORMALISED_TYPES.has(type.value) || !exists(ctx, entry)) continue;
    const r = new ResourceReader(ctx, entry, type.value);
    switch (type.value) {
      case 'AWS::CloudTrail::Trail':
        entities.push(r.trail());
        break;
      case 'AWS::S3::Bucket':
        entities.push(...r.bucket());
        break;
      case 'AWS::S3::BucketPolicy':
        bucketPolicies.push(r.bucketPolicy());
        break;
      case 'AWS::Logs::LogGroup':
        entities.push(r.logGroup());
        break;
      case 'AWS::Logs::MetricFilter':
        entities.push(r.metricFilter());
        break;
      case 'AWS::CloudWatch::Alarm':
        entities.push(r.alarm());
        break;
      case 'AWS::SNS::Topic':
        entities.push(...r.snsTopic());
        break;
      case 'AWS::SNS::Subscription':
        entities.push(r.snsSubscription());
        break;
    }
  }
  return { entities, bucketPolicies };
}

/** A resource with a `Condition` exists only when the condition holds; an unevaluable one is kept and reported. */
function exists(ctx: TemplateContext, entry: CfnEntry): boolean {
  const cond = childOf(entry.value, 'Condition');
  if (cond === undefined) return true;
  if (cond.kind !== 'scalar' || typeof cond.value !== 'string') {
    ctx.report('error', `Resources.${entry.key}.Condition: expected a condition name`, cond.pos);
    return true;
  }
  const v = ctx.resolver.condition(cond.value, cond.pos);
  if (v instanceof UnknownValue) {
    ctx.report('warning', `Resources.${entry.key} exists only when condition "${cond.value}" holds, which cannot be evaluated: ${v.reason}`, cond.pos);
    return true;
  }
  return v;
}

class ResourceReader {
  private readonly props: Prop | undefined;
  readonly id: string;
  readonly at: SourceLocation;

  constructor(
    private readonly ctx: TemplateContext,
    private readonly entry: CfnEntry,
    private readonly type: string,
  ) {
    this.id = ctx.idOf(entry.key);
    const props = childOf(entry.value, 'Properties');
    // A written-out mapping is read property by property (each resolved once, at its own location).
    const plain = props?.kind === 'map' && !isIntrinsic(props);
    const value = props === undefined ? undefined : plain ? {} : ctx.resolver.resolve(props);
    if (props === undefined || value === undefined || value === NO_VALUE) this.props = undefined;
    else if (isRecord(value) || value instanceof UnknownValue) this.props = { node: props, value };
    else {
      ctx.report('error', `Resources.${entry.key}.Properties: expected a mapping`, props.pos);
      this.props = undefined;
    }
    const cdkPath = childOf(childOf(entry.value, 'Metadata'), 'aws:cdk:path');
    const pointer = `Resources.${entry.key}` + (cdkPath?.kind === 'scalar' ? ` [${String(cdkPath.value)}]` : '');
    this.at = {
      file: ctx.file,
      line: entry.keyPos.line,
      column: entry.keyPos.column,
      endLine: entry.value.pos.endLine,
      endColumn: entry.value.pos.endColumn,
      pointer,
    };
  }

  private base<T extends string>(type: T) {
    return { id: this.id, origin: ORIGIN, resourceType: this.type, at: this.at, type, ...this.target() };
  }

  private target(): { account?: string; region?: string } {
    return {
      ...(this.ctx.account !== undefined ? { account: this.ctx.account } : {}),
      ...(this.ctx.region !== undefined ? { region: this.ctx.region } : {}),
    };
  }

  private loc(node: CfnNode): SourceLocation {
    const p = node.pos;
    return { file: this.ctx.file, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn, pointer: node.path };
  }

  private unknown(u: UnknownValue, node: CfnNode): Unknown {
    return { unknown: u.reason, location: u.pos ? this.loc({ ...node, pos: u.pos }) : this.loc(node) };
  }

  /** A property of the resource, or of a nested property value `from` (written out, or produced by an intrinsic). */
  private prop(key: string, from: Prop | undefined = this.props): Prop | undefined {
    if (from === undefined) return undefined;
    if (from.node.kind !== 'map' || isIntrinsic(from.node)) {
      // Everything inside an unknown value is unknown (not absent, which would mean "default").
      if (from.value instanceof UnknownValue) return { node: from.node, value: from.value };
      if (!isRecord(from.value)) return undefined;
      const v = from.value[key];
      return v === undefined || v === NO_VALUE ? undefined : { node: from.node, value: v };
    }
    const node = childOf(from.node, key);
    if (node === undefined) return undefined;
    const value = this.ctx.resolver.resolve(node);
    return value === NO_VALUE ? undefined : { node, value };
  }

  /** The elements of a list property, each with its own node when written out. */
  private items(p: Prop): Prop[] | undefined {
    if (!Array.isArray(p.value)) return undefined;
    if (p.node.kind === 'seq') {
      return p.node.items.flatMap((node) => {
        const value = this.ctx.resolver.resolve(node);
        return value === NO_VALUE ? [] : [{ node, value }];
      });
    }
    return p.value.map((value) => ({ node: p.node, value }));
  }

  private wrongType(node: CfnNode, expected: string, v: Resolved): Unknown {
    const message = `expected ${expected}, got ${describe(v)}`;
    this.ctx.report('error', `${node.path}: ${message}`, node.pos);
    return { unknown: message, location: this.loc(node) };
  }

  private afterDeploy(node: CfnNode, r: ResourceRef): Unknown {
    return { unknown: `${refText(r)} is known only after deployment`, location: this.loc(node) };
  }

  private asBoolean(p: Prop): boolean | Unknown {
    const v = p.value;
    if (typeof v === 'boolean') return v;
    // CloudFormation accepts "true"/"false" strings (every parameter value is a string).
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    if (v instanceof UnknownValue) return this.unknown(v, p.node);
    if (v instanceof ResourceRef) return this.afterDeploy(p.node, v);
    return this.wrongType(p.node, 'a boolean (true/false)', v);
  }

  private asString(p: Prop): string | Unknown {
    const v = p.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (v instanceof UnknownValue) return this.unknown(v, p.node);
    if (v instanceof ResourceRef) return this.afterDeploy(p.node, v);
    return this.wrongType(p.node, 'a string', v);
  }

  private asLink(p: Prop): Link | Unknown {
    const v = p.value;
    if (v instanceof ResourceRef) return { ref: this.ctx.idOf(v.logicalId) };
    if (typeof v === 'string') return { name: v };
    if (v instanceof UnknownValue) return this.unknown(v, p.node);
    return this.wrongType(p.node, 'a reference or a name / ARN', v);
  }

  private boolField(key: string, fallback: boolean | 'required', from?: Prop): Field<boolean> {
    const p = this.prop(key, from);
    if (p !== undefined) return { value: this.asBoolean(p), at: this.loc(p.node) };
    if (fallback === 'required') return this.missingRequired(key);
    return { value: fallback, at: this.at, defaulted: true };
  }

  private missingRequired(key: string): Field<never> {
    const message = `${key} is required on ${this.type} but is not set`;
    this.ctx.report('error', `Resources.${this.entry.key}: ${message}`, this.entry.keyPos);
    return { value: { unknown: message, location: this.at }, at: this.at };
  }

  /** A name property; absent means CloudFormation generates a physical name at deploy time. */
  private nameField(key: string): Field<string> {
    const p = this.prop(key);
    if (p !== undefined) return { value: this.asString(p), at: this.loc(p.node) };
    return { value: { unknown: `${key} not set: CloudFormation generates the name at deploy time`, location: this.at }, at: this.at, defaulted: true };
  }

  private stringField(key: string, required: true): Field<string> {
    const p = this.prop(key);
    if (p === undefined) return this.missingRequired(key);
    return { value: this.asString(p), at: this.loc(p.node) };
  }

  private linkField(key: string): Field<Link> {
    const p = this.prop(key);
    if (p === undefined) return this.missingRequired(key);
    return { value: this.asLink(p), at: this.loc(p.node) };
  }

  trail(): Trail {
    const logGroup = this.prop('CloudWatchLogsLogGroupArn');
    return {
      ...this.base('trail'),
      name: this.nameField('TrailName'),
      multiRegion: this.boolField('IsMultiRegionTrail', false),
      logFileValidation: this.boolField('EnableLogFileValidation', false),
      globalServiceEvents: this.boolField('IncludeGlobalServiceEvents', true),
      logging: this.boolField('IsLogging', 'required'),
      bucket: this.linkField('S3BucketName'),
      logGroup: logGroup ? { value: this.asLink(logGroup), at: this.loc(logGroup.node) } : { value: null, at: this.at, defaulted: true },
      managementEvents: this.managementEvents(),
      organisationTrail: this.boolField('IsOrganizationTrail', false),
    };
  }

  /**
   * Management events are recorded unless selectors exclude them. Write events (root sign-in, IAM changes)
   * matter here, so a selector limited to ReadOnly events does not count.
   */
  private managementEvents(): Field<boolean> {
    const advanced = this.prop('AdvancedEventSelectors');
    if (advanced !== undefined) {
      const u = deepUnknown(advanced.value);
      if (u) return { value: this.unknown(u, advanced.node), at: this.loc(advanced.node) };
      if (!Array.isArray(advanced.value)) return { value: this.wrongType(advanced.node, 'a list of advanced event selectors', advanced.value), at: this.loc(advanced.node) };
      if (advanced.value.length > 0) return { value: advanced.value.some(selectsWriteManagementEvents), at: this.loc(advanced.node) };
    }
    const basic = this.prop('EventSelectors');
    if (basic !== undefined) {
      const u = deepUnknown(basic.value);
      if (u) return { value: this.unknown(u, basic.node), at: this.loc(basic.node) };
      if (!Array.isArray(basic.value)) return { value: this.wrongType(basic.node, 'a list of event selectors', basic.value), at: this.loc(basic.node) };
      // An empty list is CloudTrail's default: management events, read and write.
      if (basic.value.length === 0) return { value: true, at: this.loc(basic.node), defaulted: true };
      const includes = basic.value.some((s) => {
        if (!isRecord(s)) return false;
        const include = s.IncludeManagementEvents ?? true;
        const rw = s.ReadWriteType ?? 'All';
        return (include === true || include === 'true') && rw !== 'ReadOnly';
      });
      return { value: includes, at: this.loc(basic.node) };
    }
    return { value: true, at: this.at, defaulted: true };
  }

  bucket(): Entity[] {
    const bucket: Bucket = {
      ...this.base('bucket'),
      name: this.nameField('BucketName'),
      objectLock: this.objectLock(),
      publicByAcl: this.publicByAcl(),
      // Set from AWS::S3::BucketPolicy resources once every template is read.
      publicByPolicy: { value: false, at: this.at, defaulted: true },
    };
    const pabProp = this.prop('PublicAccessBlockConfiguration');
    if (pabProp === undefined) return [bucket];
    const pabAt = this.loc(pabProp.node);
    const flag = (key: string): Field<boolean> => {
      if (pabProp.value instanceof UnknownValue) return { value: this.unknown(pabProp.value, pabProp.node), at: pabAt };
      if (!isRecord(pabProp.value)) return { value: this.wrongType(pabProp.node, 'a PublicAccessBlockConfiguration mapping', pabProp.value), at: pabAt };
      return this.boolField(key, false, pabProp);
    };
    // Flags left out of PublicAccessBlockConfiguration are false, and must point at the block, not the bucket.
    const withBlockAt = (f: Field<boolean>): Field<boolean> => (f.defaulted ? { ...f, at: pabAt } : f);
    const pab: PublicAccessBlock = {
      id: `${this.id}/PublicAccessBlockConfiguration`,
      ...this.target(),
      origin: ORIGIN,
      resourceType: this.type,
      at: pabAt,
      type: 'public-access-block',
      scope: 'bucket',
      bucket: { value: { ref: this.id }, at: pabAt },
      blockPublicAcls: withBlockAt(flag('BlockPublicAcls')),
      blockPublicPolicy: withBlockAt(flag('BlockPublicPolicy')),
      ignorePublicAcls: withBlockAt(flag('IgnorePublicAcls')),
      restrictPublicBuckets: withBlockAt(flag('RestrictPublicBuckets')),
    };
    return [bucket, pab];
  }

  private objectLock(): Field<boolean> {
    const enabled = this.prop('ObjectLockEnabled');
    if (enabled !== undefined) return { value: this.asBoolean(enabled), at: this.loc(enabled.node) };
    const conf = this.prop('ObjectLockConfiguration');
    const confEnabled = conf ? this.prop('ObjectLockEnabled', conf) : undefined;
    if (confEnabled !== undefined) {
      const s = this.asString(confEnabled);
      return { value: typeof s === 'string' ? s === 'Enabled' : s, at: this.loc(confEnabled.node) };
    }
    return { value: false, at: this.at, defaulted: true };
  }

  /** Canned ACLs that grant AllUsers or AuthenticatedUsers, which AWS counts as public. */
  private publicByAcl(): Field<boolean> {
    const acl = this.prop('AccessControl');
    if (acl === undefined) return { value: false, at: this.at, defaulted: true };
    const s = this.asString(acl);
    return { value: typeof s === 'string' ? ['PublicRead', 'PublicReadWrite', 'AuthenticatedRead'].includes(s) : s, at: this.loc(acl.node) };
  }

  bucketPolicy(): BucketPolicyFact {
    const target = this.prop('Bucket');
    const doc = this.prop('PolicyDocument');
    let isPublic: boolean | Unknown;
    if (doc === undefined) isPublic = this.missingRequired('PolicyDocument').value as Unknown;
    else {
      const verdict = policyIsPublic(doc.value);
      isPublic = verdict instanceof UnknownValue ? this.unknown(verdict, doc.node) : verdict;
    }
    return {
      id: this.id,
      target: target ? this.asLink(target) : (this.missingRequired('Bucket').value as Unknown),
      public: isPublic,
      at: doc ? this.loc(doc.node) : this.at,
    };
  }

  logGroup(): LogGroup {
    return { ...this.base('log-group'), name: this.nameField('LogGroupName') };
  }

  metricFilter(): MetricFilter {
    return {
      ...this.base('metric-filter'),
      name: this.nameField('FilterName'),
      pattern: this.stringField('FilterPattern', true),
      logGroup: this.linkField('LogGroupName'),
      metrics: this.metricTransformations(),
    };
  }

  private metricTransformations(): Field<MetricTarget[]> {
    const p = this.prop('MetricTransformations');
    if (p === undefined) return this.missingRequired('MetricTransformations');
    const at = this.loc(p.node);
    if (p.value instanceof UnknownValue) return { value: this.unknown(p.value, p.node), at };
    const items = this.items(p);
    if (items === undefined) return { value: this.wrongType(p.node, 'a list of metric transformations', p.value), at };
    const targets: MetricTarget[] = [];
    for (const item of items) {
      const name = this.prop('MetricName', item);
      const namespace = this.prop('MetricNamespace', item);
      if (name === undefined || namespace === undefined) {
        return { value: this.wrongType(item.node, 'a metric transformation with MetricName and MetricNamespace', item.value), at };
      }
      const n = this.asString(name);
      const ns = this.asString(namespace);
      if (typeof n !== 'string') return { value: n, at: this.loc(name.node) };
      if (typeof ns !== 'string') return { value: ns, at: this.loc(namespace.node) };
      targets.push({ name: n, namespace: ns });
    }
    return { value: targets, at };
  }

  alarm(): Alarm {
    const metrics = this.prop('Metrics');
    const single = (key: string): Field<string | null> => {
      const p = this.prop(key);
      if (p !== undefined) return { value: this.asString(p), at: this.loc(p.node) };
      if (metrics !== undefined) return { value: null, at: this.loc(metrics.node) };
      return this.missingRequired(`${key} (or Metrics)`);
    };
    return {
      ...this.base('alarm'),
      name: this.nameField('AlarmName'),
      metricName: single('MetricName'),
      namespace: single('Namespace'),
      actions: this.alarmActions(),
      actionsEnabled: this.boolField('ActionsEnabled', true),
    };
  }

  /** Known actions are kept; an action that cannot be resolved is reported, and only all-unknown gives Unknown. */
  private alarmActions(): Field<Link[]> {
    const p = this.prop('AlarmActions');
    if (p === undefined) return { value: [], at: this.at, defaulted: true };
    const at = this.loc(p.node);
    if (p.value instanceof UnknownValue) return { value: this.unknown(p.value, p.node), at };
    const items = this.items(p);
    if (items === undefined) return { value: this.wrongType(p.node, 'a list of action ARNs', p.value), at };
    const links: Link[] = [];
    const unknowns: Unknown[] = [];
    for (const item of items) {
      const link = this.asLink(item);
      if ('unknown' in link) unknowns.push(link);
      else links.push(link);
    }
    for (const u of unknowns) {
      if (links.length > 0) this.ctx.report('warning', `${p.node.path}: an alarm action cannot be resolved: ${u.unknown}`, p.node.pos);
    }
    if (links.length === 0 && unknowns.length > 0) return { value: { unknown: unknowns.map((u) => u.unknown).join('; '), location: at }, at };
    return { value: links, at };
  }

  snsTopic(): Entity[] {
    const topic: SnsTopic = { ...this.base('sns-topic'), name: this.nameField('TopicName') };
    const subs = this.prop('Subscription');
    if (subs === undefined) return [topic];
    const items = this.items(subs);
    if (items === undefined) {
      const v = subs.value instanceof UnknownValue ? subs.value.reason : this.wrongType(subs.node, 'a list of subscriptions', subs.value).unknown;
      this.ctx.report('warning', `${subs.node.path}: subscriptions cannot be read: ${v}`, subs.node.pos);
      return [topic];
    }
    const out: Entity[] = [topic];
    items.forEach((item, i) => {
      const protocol = this.prop('Protocol', item);
      const sub: SnsSubscription = {
        id: `${this.id}/Subscription[${i}]`,
        ...this.target(),
        origin: ORIGIN,
        resourceType: this.type,
        at: this.loc(item.node),
        type: 'sns-subscription',
        topic: { value: { ref: this.id }, at: this.loc(item.node) },
        protocol: protocol ? { value: this.asString(protocol), at: this.loc(protocol.node) } : this.missingRequired(`Subscription[${i}].Protocol`),
      };
      out.push(sub);
    });
    return out;
  }

  snsSubscription(): SnsSubscription {
    return {
      ...this.base('sns-subscription'),
      topic: this.linkField('TopicArn'),
      protocol: this.stringField('Protocol', true),
    };
  }
}

function isIntrinsic(node: CfnNode & { kind: 'map' }): boolean {
  if (node.entries.length !== 1) return false;
  const key = node.entries[0].key;
  return key === 'Ref' || key.startsWith('Fn::') || (key === 'Condition' && node.intrinsic === true);
}

function isRecord(v: Resolved): v is { [key: string]: Resolved } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ResourceRef) && !(v instanceof UnknownValue);
}

/** An advanced selector records write management events when it selects category Management and not only readOnly=true. */
function selectsWriteManagementEvents(selector: Resolved): boolean {
  if (!isRecord(selector) || !Array.isArray(selector.FieldSelectors)) return false;
  const fields = selector.FieldSelectors.filter(isRecord);
  const list = (v: Resolved | undefined) => (Array.isArray(v) ? v.map(String) : []);
  const category = fields.find((f) => f.Field === 'eventCategory');
  if (!category || !list(category.Equals).includes('Management')) return false;
  const readOnly = fields.find((f) => f.Field === 'readOnly');
  if (!readOnly) return true;
  const eq = list(readOnly.Equals);
  const ne = list(readOnly.NotEquals);
  return !(eq.length > 0 && eq.every((x) => x === 'true')) && !ne.includes('false');
}
