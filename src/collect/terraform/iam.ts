// Terraform aws_iam_role / aws_ssoadmin_permission_set → IamRole / PermissionSet entities (break-glass identity setup).

import type { Field, IamRole, Origin, PermissionSet, TrustPolicy, Unknown } from '../../model/infra.js';
import type { SourceLocation } from '../../model/location.js';
import { readTrustPolicy, type PolicyValue } from '../iam-trust.js';
import { ResourceInstance, type BlockView, type ResourceView } from './config.js';
import { locOf } from './evaluate.js';
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
  // jsonencode() of a value with unknown parts keeps its structure (Unk.json): one unknown ARN leaves the MFA condition readable.
  let doc: PolicyValue | undefined = a.value instanceof Unk && a.value.json !== undefined ? toPolicy(a.value.json, a.at) : policyDocumentData(r, 'assume_role_policy', a.at);
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

/**
 * `<attr> = data.aws_iam_policy_document.NAME.json` in the same module (a trust policy, a bucket policy): the data
 * source is a pure function of its arguments, so its statements are rendered here as the AWS provider renders them.
 */
export function policyDocumentData(r: ResourceView, attr: string, at: SourceLocation): PolicyValue | undefined {
  if (!(r instanceof ResourceInstance)) return undefined;
  const expr = r.block.attrs.get(attr)?.expr;
  if (expr?.k !== 'get' || expr.base.k !== 'var' || expr.base.name !== 'data') return undefined;
  const names = expr.steps.map((s) => ('attr' in s ? s.attr : undefined));
  if (names[0] !== 'aws_iam_policy_document' || names.length !== 3 || names[2] !== 'json' || names[1] === undefined) return undefined;
  const key = `aws_iam_policy_document.${names[1]}`;
  const decl = r.module.def.data.get(key);
  if (!decl) return { unknown: `data.${key} is not declared in this module`, location: at };
  const address = `${r.module.prefix}data.${key}`;
  const at2 = locOf(decl.file, decl.node.pos);
  for (const meta of ['count', 'for_each', 'source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    if (decl.node.attrs.has(meta)) return { unknown: `data.${key} uses ${meta}, which is not rendered statically`, location: at2 };
  }
  const view = new ResourceInstance(r.module, decl.node, decl.file, 'aws_iam_policy_document', address, { suffix: '' });
  const statements = view.blocks('statement');
  if (statements instanceof Unk) return unknown(statements, at2);
  const rendered: PolicyValue[] = [];
  for (const st of statements) {
    const s: { [k: string]: PolicyValue } = {};
    const get = (name: string): PolicyValue | undefined => {
      const v = st.attr(name);
      return v && v.value !== null ? toPolicy(v.value, v.at) : undefined;
    };
    s.Effect = get('effect') ?? 'Allow';
    const actions = get('actions');
    const notActions = get('not_actions');
    if (actions !== undefined) s.Action = actions;
    if (notActions !== undefined) s.NotAction = notActions;
    const principals = principalBlocks(st, 'principals');
    const notPrincipals = principalBlocks(st, 'not_principals');
    if (principals !== undefined) s.Principal = principals;
    if (notPrincipals !== undefined) s.NotPrincipal = notPrincipals;
    const conditions = st.blocks('condition');
    if (conditions instanceof Unk) s.Condition = unknown(conditions, st.at);
    else if (conditions.length > 0) {
      const cond: { [op: string]: { [key: string]: PolicyValue } | Unknown } = {};
      for (const c of conditions) {
        const test = c.attr('test');
        const variable = c.attr('variable');
        const values = c.attr('values');
        const t = test ? toStr(test.value) : new Unk('condition test is not set', c.at);
        const k = variable ? toStr(variable.value) : new Unk('condition variable is not set', c.at);
        if (t instanceof Unk || k instanceof Unk) {
          // An unknown operator or key leaves the whole condition unknown, not absent.
          s.Condition = unknown(t instanceof Unk ? t : (k as Unk), c.at);
          break;
        }
        const op = (cond[t] ??= {}) as { [key: string]: PolicyValue };
        op[k] = values && values.value !== null ? toPolicy(values.value, values.at) : [];
      }
      s.Condition ??= cond;
    }
    rendered.push(s);
  }
  return { Version: '2012-10-17', Statement: rendered };
}

/** `principals { type, identifiers }` blocks → `{ AWS: [...], Federated: [...] }`; a type of "*" is everyone. */
function principalBlocks(st: BlockView, name: string): PolicyValue | undefined {
  const blocks = st.blocks(name);
  if (blocks instanceof Unk) return unknown(blocks, st.at);
  if (blocks.length === 0) return undefined;
  const out: { [type: string]: PolicyValue[] } = {};
  for (const b of blocks) {
    const type = b.attr('type');
    const ids = b.attr('identifiers');
    const t = type ? toStr(type.value) : new Unk('principals type is not set', b.at);
    if (t instanceof Unk) return unknown(t, b.at);
    if (t === '*') return '*';
    const v = ids && ids.value !== null ? toPolicy(ids.value, ids.at) : [];
    (out[t] ??= []).push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}
