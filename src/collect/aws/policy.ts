// The least-privilege read-only IAM policy, generated from AWS_CALLS (the calls the collectors can make).

import { AWS_CALLS, CALLER_ONLY, type AwsCall } from './calls.js';

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string>> }[];
}

/**
 * `read`: the policy for the role read in each account (or the caller's own identity). `caller`: what the
 * identity running the tool needs on top, to assume that role (named by `roleName`) and list the organisation.
 */
export function iamPolicy(opts: { roleName?: string; organization?: boolean; lake?: boolean; athena?: boolean } = {}): { read: IamPolicyDocument; caller?: IamPolicyDocument } {
  const lakeCalls: AwsCall[] = ['cloudtrail:StartQuery', 'cloudtrail:GetQueryResults'];
  const athenaCalls: AwsCall[] = ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'];
  const readCalls = (Object.keys(AWS_CALLS) as AwsCall[]).filter(
    (c) => !CALLER_ONLY.includes(c) && (opts.lake !== false || !lakeCalls.includes(c)) && (opts.athena !== false || !athenaCalls.includes(c)),
  );
  const actions = [...new Set(readCalls.map((c) => AWS_CALLS[c]))].sort();
  const read: IamPolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'EvidencePackReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }] };
  // Athena reads the table's definition from the Glue Data Catalog (the trail bucket and the workgroup's result
  // location need S3 access of their own: docs/engines.md).
  if (opts.athena !== false) read.Statement.push({ Sid: 'EvidencePackAthenaCatalog', Effect: 'Allow', Action: ['glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable'], Resource: '*' });
  if (!opts.roleName && !opts.organization) return { read };
  const caller: IamPolicyDocument = { Version: '2012-10-17', Statement: [] };
  if (opts.roleName) caller.Statement.push({ Sid: 'EvidencePackAssumeReadRole', Effect: 'Allow', Action: [AWS_CALLS['sts:AssumeRole']], Resource: `arn:aws:iam::*:role/${opts.roleName}` });
  if (opts.organization) caller.Statement.push({ Sid: 'EvidencePackListAccounts', Effect: 'Allow', Action: [AWS_CALLS['organizations:ListAccounts']], Resource: '*' });
  return { read, caller };
}
