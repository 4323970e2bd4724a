// Terraform adapter for the bucket-exposure decision: turns a policy `Val` into the neutral document and back.

import { policyExposure, type ValueKinds } from '../bucket-exposure.js';
import { isUnknown, type Unknown } from '../../model/infra.js';
import type { PolicyValue } from '../iam-trust.js';
import { Ref, Unk, isObj, toStr, type Val } from './values.js';


export interface PolicyVerdict {
  public: boolean;
  /** Index of the first public statement, for the report. */
  statement?: number;
}

const TF_KINDS: ValueKinds = {
  // Terraform values, and rendered policy documents (PolicyValue), whose unknown parts are Unknown objects.
  isUnknown: (v) => v instanceof Unk || isUnknown(v),
  isReference: (v) => v instanceof Ref,
};

/** A reference whose value the configuration sets is that value; computed ones stay references. */
function known(v: Val): Val {
  if (v instanceof Ref) return v.known === undefined ? v : known(v.known);
  if (Array.isArray(v)) return v.map(known);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, known(x)]));
  return v;
}

/** Parses a policy (JSON text or decoded object) and reports an Allow to everyone without a restricting condition. */
export function policyIsPublic(policy: Val | PolicyValue): PolicyVerdict | Unk {
  let doc: unknown;
  if (isUnknown(policy)) return new Unk(`bucket policy: ${(policy as Unknown).unknown}`, (policy as Unknown).location);
  if (policy instanceof Unk && policy.json === undefined) return policy;
  if (policy instanceof Unk) doc = known(policy.json!);
  else if (isObj(policy as Val)) doc = known(policy as Val);
  else {
    const text = toStr(policy as Val);
    if (text instanceof Unk) return new Unk(`bucket policy: ${text.reason}`, text.location);
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return new Unk(`bucket policy is not valid JSON (${(e as Error).message})`);
    }
  }
  const v = policyExposure(doc, TF_KINDS);
  if (v.verdict === 'public') return { public: true, statement: v.statement };
  if (v.verdict === 'not-public') return { public: false };
  if (v.cause instanceof Unk) return new Unk(`bucket policy ${v.path}: ${v.cause.reason}`, v.cause.location);
  return new Unk(`bucket policy: ${v.reason}`);
}
