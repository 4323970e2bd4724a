// CloudFormation adapter for the bucket-exposure decision: a resolved PolicyDocument in, a verdict out.

import { policyExposure, type ValueKinds } from '../bucket-exposure.js';
import { ResourceRef, UnknownValue, type Resolved } from './resolve.js';

const CFN_KINDS: ValueKinds = {
  isUnknown: (v) => v instanceof UnknownValue,
  isReference: (v) => v instanceof ResourceRef,
};

/** true: some Allow statement is open to everyone; false: none is; Unknown when a deciding part is unknown. */
export function policyIsPublic(document: Resolved): boolean | UnknownValue {
  if (document instanceof UnknownValue) return document;
  const v = policyExposure(document, CFN_KINDS);
  if (v.verdict !== 'unknown') return v.verdict === 'public';
  if (v.cause instanceof UnknownValue) return new UnknownValue(`PolicyDocument.${v.path}: ${v.cause.reason}`, v.cause.pos);
  return new UnknownValue(`PolicyDocument: ${v.reason}`);
}

