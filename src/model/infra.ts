// Provider-neutral infrastructure model: Terraform, plan JSON, CloudFormation/CDK and live AWS state are
// all normalised into these entities, so one set of checks runs on every source.

import type { SourceLocation } from './location.js';
import type { EvidenceProblem } from './evidence.js';
import type { Finding } from './check.js';

/** A value that cannot be known statically (unset variable, registry module, failed API call). */
export interface Unknown {
  unknown: string;
  location?: SourceLocation;
  /**
   * The value as an expression of other unknown values of its source (`cloudtrail-${data.aws_caller_identity.c.account_id}`):
   * two unknowns with the same symbol are the same value (a trail and a bucket named by the same expression).
   */
  symbol?: string;
}

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && typeof (v as Unknown).unknown === 'string';
}

/** Why an entity may not exist (count / for_each not known statically), for messages: ' (if it is created: …)'. */
export function ifCreated(e: { conditional?: Unknown }): string {
  return e.conditional ? ` (if it is created at all: ${e.conditional.unknown})` : '';
}

/**
 * A finding about one entity: a defect of an entity that may not exist is `unknown`, since it fails only if
 * the entity is created.
 */
export function onEntity(e: { conditional?: Unknown }, f: Finding): Finding {
  if (!e.conditional || f.status !== 'fail') return f;
  return { ...f, status: 'unknown', message: `${f.message}${ifCreated(e)}` };
}

/** An attribute of an entity: its value (or why it is unknown) and where it was set. */
export interface Field<T> {
  value: T | Unknown;
  /** Where the value was set; for a provider default, the resource's own location. */
  at: SourceLocation;
  /** True when the value is the provider default because the attribute was not set. */
  defaulted?: boolean;
}

/**
 * A pointer to another entity: by entity id (a resolved reference such as `aws_s3_bucket.cloudtrail`
 * or a CloudFormation logical id) or by a literal name / ARN as written in the source.
 */
export interface Link {
  ref?: string;
  name?: string;
}

export type Origin = 'terraform' | 'terraform-plan' | 'cloudformation' | 'aws-live';

interface EntityBase {
  /** Unique within its snapshot: Terraform address, CloudFormation logical id, or ARN. */
  id: string;
  origin: Origin;
  /** Provider resource type, e.g. `aws_cloudtrail` or `AWS::CloudTrail::Trail`. */
  resourceType: string;
  at: SourceLocation;
  account?: string;
  region?: string;
  /**
   * Set when the entity exists only under a condition that cannot be known statically (Terraform `count` /
   * `for_each` from a variable without a value): checks may not pass on it, nor fail for its defects.
   */
  conditional?: Unknown;
}

export interface Trail extends EntityBase {
  type: 'trail';
  name: Field<string>;
  multiRegion: Field<boolean>;
  logFileValidation: Field<boolean>;
  globalServiceEvents: Field<boolean>;
  logging: Field<boolean>;
  bucket: Field<Link>;
  /** CloudWatch Logs group the trail delivers to; value `null` when not configured. */
  logGroup: Field<Link | null>;
  /** Whether management events are recorded (true unless event selectors exclude them). */
  managementEvents: Field<boolean>;
  organisationTrail?: Field<boolean>;
}

export interface Bucket extends EntityBase {
  type: 'bucket';
  name: Field<string>;
  objectLock?: Field<boolean>;
  /** True when a bucket policy or ACL grants public access (where the source can tell). */
  publicByPolicy?: Field<boolean>;
  publicByAcl?: Field<boolean>;
}

export interface PublicAccessBlock extends EntityBase {
  type: 'public-access-block';
  scope: 'bucket' | 'account';
  /** The bucket it applies to (scope "bucket"). */
  bucket?: Field<Link>;
  blockPublicAcls: Field<boolean>;
  blockPublicPolicy: Field<boolean>;
  ignorePublicAcls: Field<boolean>;
  restrictPublicBuckets: Field<boolean>;
}

export interface LogGroup extends EntityBase {
  type: 'log-group';
  name: Field<string>;
}

export interface MetricTarget {
  name: string;
  namespace: string;
}

export interface MetricFilter extends EntityBase {
  type: 'metric-filter';
  name: Field<string>;
  pattern: Field<string>;
  logGroup: Field<Link>;
  metrics: Field<MetricTarget[]>;
}

export interface Alarm extends EntityBase {
  type: 'alarm';
  name: Field<string>;
  /** `null` when the alarm uses metric math / queries instead of a single metric. */
  metricName: Field<string | null>;
  namespace: Field<string | null>;
  /** An action that cannot be known statically (`[var.topic_arn]`) is an Unknown element: the alarm still has it. */
  actions: Field<(Link | Unknown)[]>;
  actionsEnabled: Field<boolean>;
}

export interface SnsTopic extends EntityBase {
  type: 'sns-topic';
  name: Field<string>;
}

export interface SnsSubscription extends EntityBase {
  type: 'sns-subscription';
  topic: Field<Link>;
  protocol: Field<string>;
  /** Confirmed (live) or declared (IaC). */
  confirmed?: Field<boolean>;
}

/** What a role's trust policy allows, as far as the break-glass identity check needs it. */
export interface TrustPolicy {
  /** Principals of the Allow statements that grant role assumption, as `AWS:<arn>`, `Federated:<arn>`, `Service:<name>` or `*`. */
  principals: (string | Unknown)[];
  /**
   * True when every Allow statement granting assumption requires MFA (`Bool aws:MultiFactorAuthPresent true`,
   * a non-IfExists numeric test or `Null false` on `aws:MultiFactorAuthAge`) or is SAML / Identity Center
   * federation, or when a Deny refuses assumption without MFA.
   */
  mfaRequired: boolean | Unknown;
  /** Why: the first statement that does not require MFA, or what made every statement pass. */
  detail: string;
}

export interface IamRole extends EntityBase {
  type: 'iam-role';
  name: Field<string>;
  trustPolicy: Field<TrustPolicy>;
  /** Seconds; the provider default is 3600. */
  maxSessionDuration: Field<number>;
}

/** An IAM Identity Center permission set. */
export interface PermissionSet extends EntityBase {
  type: 'permission-set';
  name: Field<string>;
  /** ISO 8601 duration as written (e.g. `PT1H`); the default is PT1H. */
  sessionDuration: Field<string>;
}

export type Entity = Trail | Bucket | PublicAccessBlock | LogGroup | MetricFilter | Alarm | SnsTopic | SnsSubscription | IamRole | PermissionSet;
export type EntityType = Entity['type'];
export type EntityOf<T extends EntityType> = Extract<Entity, { type: T }>;

/** One normalised IaC or live source, e.g. all Terraform under `infra/`. */
export interface InfraSnapshot {
  origin: Origin;
  /** Folder or file(s) the snapshot was read from (relative to the config folder), or account/region. */
  root: string;
  entities: Entity[];
  /** Files read, with their hash, for the evidence index. */
  files: { path: string; sha256: string; size: number; absPath?: string }[];
  /** Parse errors, skipped files, unresolved references: reported, never silently dropped. */
  problems: EvidenceProblem[];
}

export function entitiesOf<T extends EntityType>(snapshots: InfraSnapshot[], type: T): EntityOf<T>[] {
  return snapshots.flatMap((s) => s.entities.filter((e): e is EntityOf<T> => e.type === type));
}

/**
 * Does `link` point at `target`? By resolved reference (same id) or by literal name / ARN.
 * `names` are the target's known names (bucket name, ARN, log group name …).
 */
export function linkMatches(link: Link, target: { id: string }, names: (string | Unknown | undefined)[]): boolean {
  if (link.ref !== undefined && link.ref === target.id) return true;
  if (link.name !== undefined) {
    const wanted = stripArnSuffix(link.name);
    return names.some((n) => typeof n === 'string' && (n === link.name || stripArnSuffix(n) === wanted));
  }
  return false;
}

/** CloudTrail's log-group ARN carries a `:*` suffix; compare without it. */
function stripArnSuffix(s: string): string {
  return s.endsWith(':*') ? s.slice(0, -2) : s;
}

/** The attribute name a user sees in their source, per origin, for messages. */
const ATTRIBUTE_NAMES: Record<string, Partial<Record<Origin, string>>> = {
  multiRegion: { terraform: 'is_multi_region_trail', 'terraform-plan': 'is_multi_region_trail', cloudformation: 'IsMultiRegionTrail', 'aws-live': 'IsMultiRegionTrail' },
  logFileValidation: { terraform: 'enable_log_file_validation', 'terraform-plan': 'enable_log_file_validation', cloudformation: 'EnableLogFileValidation', 'aws-live': 'LogFileValidationEnabled' },
  globalServiceEvents: { terraform: 'include_global_service_events', 'terraform-plan': 'include_global_service_events', cloudformation: 'IncludeGlobalServiceEvents', 'aws-live': 'IncludeGlobalServiceEvents' },
  logging: { terraform: 'enable_logging', 'terraform-plan': 'enable_logging', cloudformation: 'IsLogging', 'aws-live': 'IsLogging' },
  blockPublicAcls: { terraform: 'block_public_acls', 'terraform-plan': 'block_public_acls', cloudformation: 'BlockPublicAcls', 'aws-live': 'BlockPublicAcls' },
  blockPublicPolicy: { terraform: 'block_public_policy', 'terraform-plan': 'block_public_policy', cloudformation: 'BlockPublicPolicy', 'aws-live': 'BlockPublicPolicy' },
  ignorePublicAcls: { terraform: 'ignore_public_acls', 'terraform-plan': 'ignore_public_acls', cloudformation: 'IgnorePublicAcls', 'aws-live': 'IgnorePublicAcls' },
  restrictPublicBuckets: { terraform: 'restrict_public_buckets', 'terraform-plan': 'restrict_public_buckets', cloudformation: 'RestrictPublicBuckets', 'aws-live': 'RestrictPublicBuckets' },
  actionsEnabled: { terraform: 'actions_enabled', 'terraform-plan': 'actions_enabled', cloudformation: 'ActionsEnabled', 'aws-live': 'ActionsEnabled' },
  actions: { terraform: 'alarm_actions', 'terraform-plan': 'alarm_actions', cloudformation: 'AlarmActions', 'aws-live': 'AlarmActions' },
};

export function attrName(field: string, origin: Origin): string {
  return ATTRIBUTE_NAMES[field]?.[origin] ?? field;
}
