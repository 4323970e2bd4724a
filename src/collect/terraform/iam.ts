// Terraform aws_iam_role / aws_ssoadmin_permission_set → IamRole / PermissionSet entities (break-glass identity setup).

import type { Field, IamRole, Origin, PermissionSet, TrustPolicy, Unknown } from '../../model/infra.js';
import type { SourceLocation } from '../../model/location.js';
import { readTrustPolicy, type PolicyValue } from '../iam-trust.js';
import { ResourceInstance, type ResourceView } from './config.js';
import { Evaluator } from './evaluate.js';
import { Ref, Unk, isObj, toNum, toStr, type Val } from './values.js';

export const IAM_TYPES = ['aws_iam_role', 'aws_ssoadmin_permission_set'] as const;

/** The IAM entity of a resource, or undefined when the resource is not an IAM identity type. */
export function iamEntity(r: ResourceView, origin: Origin): IamRole | PermissionSet | undefined {
  const base = { id: r.address, origin, resourceType: r.type, at: r.at };
  if (r.type === 'aws_iam_role') {
    return {
      ...base,
      type: 'iam-role',
      name: stringField(r, 'name', 'name is not set: Terraform generates it (name_prefix or random)'),
      trustPolicy: trustPolicy(r),
      maxSessionDuration: numberField(r, 'max_session_duration', 3600),
    };
  }
  if (r.type === 'aws_ssoadmin_permission_set') {
    return {
      ...base,
      type: 'permission-set',
      name: stringField(r, 'name', 'name is not set'),
      sessionDuration: stringField(r, 'session_duration', undefined, 'PT1H'),
    };
  }
  return undefined;
}

function unknown(u: Unk, at: SourceLocation): Unknown {
  return { unknown: u.reason, location: u.location ?? at };
}

function stringField(r: ResourceView, name: string, missing: string | undefined, dflt?: string): Field<string> {
  const a = r.attr(name);
  if (!a || a.value === null) {
    if (dflt !== undefined) return { value: dflt, at: a?.at ?? r.at, defaulted: true };
    return { value: { unknown: missing ?? `${name} is not set`, location: r.at }, at: r.at };
  }
  const v = toStr(a.value);
  return { value: v instanceof Unk ? unknown(v, a.at) : v, at: a.at, ...(a.defaulted ? { defaulted: true } : {}) };
}

function numberField(r: ResourceView, name: string, dflt: number): Field<number> {
  const a = r.attr(name);
  if (!a || a.value === null) return { value: dflt, at: a?.at ?? r.at, defaulted: true };
  const v = toNum(a.value);
  return { value: v instanceof Unk ? unknown(v, a.at) : v, at: a.at, ...(a.defaulted ? { defaulted: true } : {}) };
}

/** Terraform values → a policy document, keeping each unknown where it is (one unknown ARN leaves the MFA condition readable). */
function toPolicy(v: Val, at: SourceLocation): PolicyValue {
  if (v instanceof Unk) return unknown(v, at);
  if (v instanceof Ref) return v.known === undefined ? { unknown: `${v.describe()} is known only after apply`, location: at } : toPolicy(v.known, at);
  if (Array.isArray(v)) return v.map((x) => toPolicy(x, at));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPolicy(x, at)]));
  return v;
}

/** `assume_role_policy`: jsonencode({...}) is read element by element; a JSON string (heredoc, file(), plan) is parsed. */
function trustPolicy(r: ResourceView): Field<TrustPolicy> {
  const a = r.attr('assume_role_policy');
  if (!a || a.value === null) return { value: { unknown: 'assume_role_policy is not set', location: r.at }, at: r.at };
  let doc: PolicyValue | undefined = jsonencodeArgument(r, a.at);
  if (doc === undefined) {
    const text = toStr(a.value);
    if (text instanceof Unk) doc = unknown(text, a.at);
    else {
      try {
        doc = toPolicy(JSON.parse(text) as Val, a.at);
      } catch (e) {
        doc = { unknown: `assume_role_policy is not valid JSON (${(e as Error).message})`, location: a.at };
      }
    }
  }
  const verdict = readTrustPolicy(doc);
  if ('unknown' in verdict) return { value: { unknown: `assume_role_policy: ${verdict.unknown}`, location: verdict.location ?? a.at }, at: a.at };
  return { value: verdict, at: a.at };
}

/** The evaluated argument of `assume_role_policy = jsonencode(…)` in a .tf file, or undefined for any other form. */
function jsonencodeArgument(r: ResourceView, at: SourceLocation): PolicyValue | undefined {
  if (!(r instanceof ResourceInstance)) return undefined;
  const attr = r.block.attrs.get('assume_role_policy');
  const expr = attr?.expr;
  if (!attr || expr?.k !== 'call' || expr.name !== 'jsonencode' || expr.args.length !== 1 || expr.expandLast) return undefined;
  const ev = new Evaluator(r.module.scope(attr.file ?? r.block.file ?? r.file, r.key));
  return toPolicy(ev.eval(expr.args[0]), at);
}
