// CloudTrail event builders for the sample generators (shapes as CloudTrail writes them, eventVersion 1.09).
import { createHash } from 'node:crypto';

export function eid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
let n = 0;
export function ev(account: string, region: string, over: Record<string, any>): Record<string, any> {
  n++;
  const base = {
    eventVersion: '1.09',
    eventTime: '',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: region,
    sourceIPAddress: '198.51.100.20',
    userAgent: 'aws-cli/2.17.20 md/Botocore#1.34.0',
    requestParameters: null,
    responseElements: null,
    requestID: eid(`req-${account}-${n}`).toUpperCase().slice(0, 36),
    eventID: '',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
  const e = { ...base, ...over };
  if (!e.eventID) e.eventID = eid(`${account}-${e.eventTime}-${e.eventName}-${n}`);
  return e;
}
export function user(account: string, name: string) {
  return { type: 'IAMUser', principalId: 'AIDA' + createHash('md5').update(name).digest('hex').slice(0, 17).toUpperCase(), arn: `arn:aws:iam::${account}:user/${name}`, accountId: account, userName: name };
}
export function lambdaRole(account: string, role: string, fn: string, time: string) {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLELAMBDA0001:${fn}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${fn}`,
    accountId: account,
    sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLELAMBDA0001', arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role }, attributes: { creationDate: time, mfaAuthenticated: 'false' } },
    invokedBy: 'lambda.amazonaws.com',
  };
}
export function assumedRole(account: string, role: string, session: string, time: string, source?: string) {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEBREAKGLAS1:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEBREAKGLAS1', arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role }, attributes: { creationDate: time, mfaAuthenticated: 'true' }, ...(source ? { sourceIdentity: source } : {}) },
  };
}
