// CloudFormation AWS::IAM::Role / AWS::SSO::PermissionSet → IamRole / PermissionSet entities (break-glass identity setup).

import type { Field, IamRole, PermissionSet, TrustPolicy, Unknown } from '../../model/infra.js';
import type { SourceLocation } from '../../model/location.js';
import { readTrustPolicy, type PolicyValue } from '../iam-trust.js';
import type { TemplateContext } from './normalise.js';
import { childOf, type CfnEntry, type CfnNode, type Pos } from './parse.js';
import { NO_VALUE, ResourceRef, UnknownValue, describe, refText, type Resolved } from './resolve.js';

export const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::SSO::PermissionSet']);

/** A resolved property with the node it was written at. */
interface Prop {
  node: CfnNode;
  value: Resolved;
}

function loc(ctx: TemplateContext, node: CfnNode, pos: Pos = node.pos): SourceLocation {
  return { file: ctx.file, line: pos.line, column: pos.column, endLine: pos.endLine, endColumn: pos.endColumn, pointer: node.path };
}

function isRecord(v: Resolved | undefined): v is { [key: string]: Resolved } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ResourceRef) && !(v instanceof UnknownValue);
}

/** Resolved template values → a policy document; unknowns and deploy-time references stay unknown where they are. */
function toPolicy(ctx: TemplateContext, v: Resolved, node: CfnNode): PolicyValue {
  if (v instanceof UnknownValue) return { unknown: v.reason, location: loc(ctx, node, v.pos) };
  if (v instanceof ResourceRef) return { unknown: `${refText(v)} is known only after deployment`, location: loc(ctx, node) };
  if (v === NO_VALUE) return null;
  if (Array.isArray(v)) return v.map((x) => toPolicy(ctx, x, node));
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== NO_VALUE).map(([k, x]) => [k, toPolicy(ctx, x, node)]));
  return v;
}

/** The IAM entity of a resource entry of type `type` (one of IAM_TYPES). */
export function iamEntity(ctx: TemplateContext, entry: CfnEntry, type: string): IamRole | PermissionSet {
  const node = entry.value;
  const at: SourceLocation = {
    file: ctx.file,
    line: entry.keyPos.line,
    column: entry.keyPos.column,
    endLine: node.pos.endLine,
    endColumn: node.pos.endColumn,
    pointer: `Resources.${entry.key}`,
  };
  const base = {
    id: ctx.idOf(entry.key),
    origin: 'cloudformation' as const,
    resourceType: type,
    at,
    ...(ctx.account !== undefined ? { account: ctx.account } : {}),
    ...(ctx.region !== undefined ? { region: ctx.region } : {}),
  };
  const propsNode = childOf(node, 'Properties');
  const propsValue = propsNode === undefined ? undefined : ctx.resolver.resolve(propsNode);
  const prop = (key: string): Prop | Unknown | undefined => {
    if (propsNode === undefined || propsValue === undefined) return undefined;
    if (propsValue instanceof UnknownValue) return { unknown: propsValue.reason, location: loc(ctx, propsNode, propsValue.pos) };
    if (!isRecord(propsValue)) return undefined;
    const v = propsValue[key];
    if (v === undefined || v === NO_VALUE) return undefined;
    return { node: childOf(propsNode, key) ?? propsNode, value: v };
  };
  const scalar = <T extends string | number>(key: string, kind: 'string' | 'number', missing: { value: T } | { unknown: string }): Field<T> => {
    const p = prop(key);
    if (p === undefined) return 'value' in missing ? { value: missing.value, at, defaulted: true } : { value: { unknown: missing.unknown, location: at }, at };
    if ('unknown' in p) return { value: p, at: p.location ?? at };
    const where = loc(ctx, p.node);
    const v = p.value;
    if (v instanceof UnknownValue) return { value: { unknown: v.reason, location: loc(ctx, p.node, v.pos) }, at: where };
    if (v instanceof ResourceRef) return { value: { unknown: `${refText(v)} is known only after deployment`, location: where }, at: where };
    // Every parameter value is a string: a numeric string is a number here.
    if (kind === 'number' && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return { value: Number(v) as T, at: where };
    if (kind === 'string' && typeof v === 'number') return { value: String(v) as T, at: where };
    if (typeof v === kind) return { value: v as T, at: where };
    const message = `expected ${kind === 'number' ? 'a number' : 'a string'}, got ${describe(v)}`;
    ctx.report('error', `${p.node.path}: ${message}`, p.node.pos);
    return { value: { unknown: message, location: where }, at: where };
  };

  if (type === 'AWS::SSO::PermissionSet') {
    return {
      ...base,
      type: 'permission-set',
      name: scalar<string>('Name', 'string', { unknown: 'Name is not set' }),
      sessionDuration: scalar<string>('SessionDuration', 'string', { value: 'PT1H' }),
    };
  }
  return {
    ...base,
    type: 'iam-role',
    name: scalar<string>('RoleName', 'string', { unknown: 'RoleName is not set: CloudFormation generates the name' }),
    trustPolicy: trustPolicy(ctx, prop('AssumeRolePolicyDocument'), at),
    maxSessionDuration: scalar<number>('MaxSessionDuration', 'number', { value: 3600 }),
  };
}

function trustPolicy(ctx: TemplateContext, p: Prop | Unknown | undefined, at: SourceLocation): Field<TrustPolicy> {
  if (p === undefined) return { value: { unknown: 'AssumeRolePolicyDocument is not set', location: at }, at };
  if ('unknown' in p) return { value: p, at: p.location ?? at };
  const where = loc(ctx, p.node);
  let doc: PolicyValue;
  if (typeof p.value === 'string') {
    // The property also accepts the policy as a JSON string.
    try {
      doc = JSON.parse(p.value) as PolicyValue;
    } catch (e) {
      doc = { unknown: `AssumeRolePolicyDocument is not valid JSON (${(e as Error).message})`, location: where };
    }
  } else doc = toPolicy(ctx, p.value, p.node);
  const verdict = readTrustPolicy(doc);
  if ('unknown' in verdict) return { value: { unknown: `AssumeRolePolicyDocument: ${verdict.unknown}`, location: verdict.location ?? where }, at: where };
  return { value: verdict, at: where };
}
