// The HTTP layer between the SDK clients and moto_server in tests: names each request's operation, enforces an IAM
// policy and injected faults in AWS's own error wire format, and serves the few operations moto lacks as the AWS API
// reference documents them. The SDK's signing, serialisation, parsing and error mapping run on every call.

import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';

export type Protocol = 'json1.0' | 'json1.1' | 'query' | 'rest-xml';
type ErrorDef = [code: string, status: number];

/**
 * Per service: wire protocol, JSON target prefix, and the error codes AWS returns for an IAM denial, throttling and
 * a region that is not enabled (opt-in). Codes as in each API reference's "Common Errors" / error list.
 */
const SERVICES = {
  cloudtrail: { protocol: 'json1.1', target: 'CloudTrail_20131101', accessDenied: ['AccessDeniedException', 400], throttling: ['ThrottlingException', 400], disabled: ['UnrecognizedClientException', 400] },
  monitoring: { protocol: 'json1.0', target: 'GraniteServiceVersion20100801', accessDenied: ['AccessDenied', 403], throttling: ['Throttling', 400], disabled: ['InvalidClientTokenId', 403] },
  logs: { protocol: 'json1.1', target: 'Logs_20140328', accessDenied: ['AccessDeniedException', 400], throttling: ['ThrottlingException', 400], disabled: ['UnrecognizedClientException', 400] },
  secretsmanager: { protocol: 'json1.1', target: 'secretsmanager', accessDenied: ['AccessDeniedException', 400], throttling: ['ThrottlingException', 400], disabled: ['UnrecognizedClientException', 400] },
  organizations: { protocol: 'json1.1', target: 'AWSOrganizationsV20161128', accessDenied: ['AccessDeniedException', 400], throttling: ['TooManyRequestsException', 400], disabled: ['UnrecognizedClientException', 400] },
  athena: { protocol: 'json1.1', target: 'AmazonAthena', accessDenied: ['AccessDeniedException', 400], throttling: ['TooManyRequestsException', 400], disabled: ['UnrecognizedClientException', 400] },
  sso: { protocol: 'json1.1', target: 'SWBExternalService', accessDenied: ['AccessDeniedException', 400], throttling: ['ThrottlingException', 400], disabled: ['UnrecognizedClientException', 400] },
  iam: { protocol: 'query', accessDenied: ['AccessDenied', 403], throttling: ['Throttling', 400], disabled: ['InvalidClientTokenId', 403] },
  sns: { protocol: 'query', accessDenied: ['AuthorizationError', 403], throttling: ['Throttling', 400], disabled: ['InvalidClientTokenId', 403] },
  sts: { protocol: 'query', accessDenied: ['AccessDenied', 403], throttling: ['Throttling', 400], disabled: ['InvalidClientTokenId', 403] },
  s3: { protocol: 'rest-xml', accessDenied: ['AccessDenied', 403], throttling: ['SlowDown', 503], disabled: ['InvalidAccessKeyId', 403] },
  s3control: { protocol: 'rest-xml', accessDenied: ['AccessDenied', 403], throttling: ['SlowDown', 503], disabled: ['InvalidAccessKeyId', 403] },
} satisfies Record<string, { protocol: Protocol; target?: string; accessDenied: ErrorDef; throttling: ErrorDef; disabled: ErrorDef }>;
export type WireService = keyof typeof SERVICES;

/**
 * IAM actions that differ from `service:Operation` (Service Authorization Reference): CloudWatch's actions are
 * `cloudwatch:`, S3 names several bucket reads differently, and S3 Control's are `s3:` actions.
 */
const IAM_ACTION_EXCEPTIONS: Record<string, string> = {
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetObjectLockConfiguration': 's3:GetBucketObjectLockConfiguration',
  's3:GetBucketPolicy': 's3:GetBucketPolicy',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
};
export function iamActionOf(api: string): string {
  if (IAM_ACTION_EXCEPTIONS[api]) return IAM_ACTION_EXCEPTIONS[api];
  const [service, op] = api.split(':');
  return `${service === 'monitoring' ? 'cloudwatch' : service}:${op}`;
}

/** One request as the wire sees it: the operation, who (account of the credentials) and where (signed region). */
export interface WireOp {
  /** `service:Operation`, services named as CloudTrail's eventSource (`monitoring`, `s3control`, `sso`). */
  api: string;
  service: WireService;
  account: string;
  region: string;
  input: Record<string, any>;
  /** S3: the bucket of a bucket request. */
  bucket?: string;
}

/** An error the emulated AWS side returns; written to the wire in the service's protocol. */
export class WireError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  /** `*`, or ARN patterns (modelled for sts:AssumeRole, whose resource is the role). */
  Resource: string | string[];
}
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** Allows everything except `actions` (IAM action names, wildcards allowed) on `resource`. */
export function denyPolicy(actions: string | string[], resource: string | string[] = '*'): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: actions, Resource: resource }] };
}

function globMatches(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
}

/** The resource IAM authorises a call on, where it is modelled here (the role of sts:AssumeRole); else `*`. */
function resourceOf(op: WireOp): string {
  return op.api === 'sts:AssumeRole' ? String(op.input.RoleArn) : '*';
}

/** IAM's evaluation of identity policies: an explicit Deny wins, else an Allow is needed. Conditions are not modelled. */
export function evaluatePolicy(doc: PolicyDocument, action: string, resource = '*'): 'allowed' | 'explicit-deny' | 'implicit-deny' {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  const matching = (s: PolicyStatement) => list(s.Action).some((p) => globMatches(p, action, true)) && list(s.Resource).some((p) => p === '*' || (resource !== '*' && globMatches(p, resource, false)));
  if (doc.Statement.some((s) => s.Effect === 'Deny' && matching(s))) return 'explicit-deny';
  return doc.Statement.some((s) => s.Effect === 'Allow' && matching(s)) ? 'allowed' : 'implicit-deny';
}

export type Fault = 'throttling' | 'timeout' | 'region-disabled' | WireError;

export interface WireRule {
  /** `service:Operation`; absent = every operation. */
  api?: string;
  account?: string;
  region?: string;
  when?: (op: WireOp) => boolean;
  /** How many matching requests get the fault (default: all). */
  times?: number;
  fault: Fault;
}

/** What an emulated operation may do besides answering: ask moto the same request with another S3 sub-resource. */
export interface EmulationContext {
  wire: AwsWire;
  forward(query: Record<string, string>): Promise<{ status: number; text: string; response: HttpResponse }>;
}
/** Answers with the operation's output (serialised here), or with a response as is (e.g. moto's own error). */
export type Emulated = (op: WireOp, ctx: EmulationContext) => object | Promise<object>;

export interface WireOptions {
  /** The identity policy of whoever sends (per account); undefined = everything allowed. */
  policy?: (account: string) => PolicyDocument | undefined;
  rules?: WireRule[];
  /** Operations moto lacks, answered here; overrides per test. */
  emulate?: Record<string, Emulated>;
  /** Delay before each request, to observe concurrency. */
  delayMs?: number;
  /** Rewrites of moto's answers where moto lacks a state AWS has (e.g. an unconfirmed SNS subscription). */
  rewrite?: Partial<Record<string, (xml: string, op: WireOp) => string>>;
}

/** The account the emulator's own static test key belongs to (moto's default account). */
export const DEFAULT_ACCOUNT = '123456789012';

const TARGETS: Record<string, WireService> = Object.fromEntries(Object.entries(SERVICES).flatMap(([k, v]) => ('target' in v ? [[v.target, k as WireService]] : [])));
const requestId = () => createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');

/** Identities behind access keys: the static test key, and each AssumeRole answer seen on the wire. */
export class KeyBook {
  private readonly keys = new Map<string, { account: string; arn: string }>();
  /** Secret parts of the credentials handed out (secret keys, session tokens): tests assert they never leak. */
  readonly secrets = new Set<string>(['testing']);
  constructor(readonly defaultKey = 'testing') {
    this.keys.set(defaultKey, { account: DEFAULT_ACCOUNT, arn: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/moto` });
  }
  learn(accessKeyId: string, account: string, arn: string, ...secrets: (string | undefined)[]): void {
    this.keys.set(accessKeyId, { account, arn });
    for (const s of secrets) if (s) this.secrets.add(s);
  }
  of(accessKeyId: string): { account: string; arn: string } {
    const k = this.keys.get(accessKeyId);
    if (!k) throw new Error(`wire: access key ${accessKeyId} is unknown (not the test key, not from an AssumeRole seen on the wire)`);
    return k;
  }
}

function header(req: HttpRequest, name: string): string | undefined {
  const k = Object.keys(req.headers).find((h) => h.toLowerCase() === name);
  return k ? req.headers[k] : undefined;
}

function bodyText(req: HttpRequest): string {
  const b = req.body as unknown;
  if (b === undefined || b === null) return '';
  if (typeof b === 'string') return b;
  // The bytes themselves: the SDK's JSON body is a Uint8Array whose valueOf() is a (deprecated) string view.
  if (b instanceof Uint8Array) return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  throw new Error('wire: streaming request bodies are not modelled');
}

/** Names the operation of a signed SDK request (JSON target, Query Action, or REST path and query). */
export function operationOf(req: HttpRequest, keys: KeyBook): WireOp {
  const auth = header(req, 'authorization') ?? '';
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  if (!scope) throw new Error(`wire: request to ${req.path} is not SigV4-signed`);
  const [, accessKeyId, region, signingName] = scope;
  const { account } = keys.of(accessKeyId);
  const target = header(req, 'x-amz-target');
  if (target) {
    const [prefix, name] = target.split('.');
    const service = TARGETS[prefix];
    if (!service) throw new Error(`wire: unknown JSON target ${target}`);
    const text = bodyText(req);
    return { api: `${service}:${name}`, service, account, region, input: text ? JSON.parse(text) : {} };
  }
  if (signingName === 's3') {
    const q = req.query ?? {};
    if (req.path.startsWith('/v20180820/')) {
      const name = req.path.endsWith('/configuration/publicAccessBlock') ? `${req.method === 'GET' ? 'Get' : req.method === 'PUT' ? 'Put' : 'Delete'}PublicAccessBlock` : `${req.method} ${req.path}`;
      return { api: `s3control:${name}`, service: 's3control', account, region, input: { AccountId: header(req, 'x-amz-account-id') } };
    }
    const bucket = decodeURIComponent(req.path.split('/')[1] ?? '');
    const sub = ['publicAccessBlock', 'policyStatus', 'versioning', 'object-lock', 'policy'].find((k) => k in q);
    const names: Record<string, string> = { publicAccessBlock: 'PublicAccessBlock', policyStatus: 'BucketPolicyStatus', versioning: 'BucketVersioning', 'object-lock': 'ObjectLockConfiguration', policy: 'BucketPolicy' };
    const verb = req.method === 'GET' ? 'Get' : req.method === 'PUT' ? 'Put' : req.method === 'DELETE' ? 'Delete' : req.method;
    const name = sub ? `${verb}${names[sub]}` : `${req.method} ${req.path}`;
    return { api: `s3:${name}`, service: 's3', account, region, bucket, input: { Bucket: bucket } };
  }
  if (signingName === 'iam' || signingName === 'sns' || signingName === 'sts') {
    const params = new URLSearchParams(bodyText(req));
    const action = params.get('Action');
    if (!action) throw new Error(`wire: ${signingName} request without Action`);
    return { api: `${signingName}:${action}`, service: signingName, account, region, input: Object.fromEntries(params) };
  }
  throw new Error(`wire: cannot name the operation of ${req.method} ${req.path} (signing name ${signingName})`);
}

/** Dates as the JSON protocols send them (epoch seconds), blobs as base64. */
function toJsonWire(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJsonWire);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toJsonWire(x)]));
  return v;
}

function response(status: number, headers: Record<string, string>, body: string): HttpResponse {
  return new HttpResponse({ statusCode: status, reason: '', headers: { 'x-amzn-requestid': requestId(), 'content-length': String(Buffer.byteLength(body)), ...headers }, body: Readable.from([Buffer.from(body)]) });
}

/** An error response exactly as the service's protocol writes it. */
export function errorResponse(service: WireService, code: string, message: string, status: number): HttpResponse {
  const def = SERVICES[service];
  const id = requestId();
  switch (def.protocol) {
    case 'json1.0':
    case 'json1.1': {
      const headers: Record<string, string> = { 'content-type': `application/x-amz-json-${def.protocol === 'json1.0' ? '1.0' : '1.1'}`, 'x-amzn-errortype': code };
      // CloudWatch is awsQueryCompatible: its JSON errors carry the Query error code and fault.
      if (service === 'monitoring') headers['x-amzn-query-error'] = `${code};${status >= 500 ? 'Receiver' : 'Sender'}`;
      return response(status, headers, JSON.stringify({ __type: code, message }));
    }
    case 'query':
      return response(status, { 'content-type': 'text/xml' }, `<ErrorResponse xmlns="https://${service}.amazonaws.com/doc/"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`);
    case 'rest-xml': {
      const inner = `<Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${id}</RequestId><HostId>${id}</HostId>`;
      return response(status, { 'content-type': 'application/xml' }, `<?xml version="1.0" encoding="UTF-8"?>\n${service === 's3control' ? `<ErrorResponse><Error>${inner}</Error></ErrorResponse>` : `<Error>${inner}</Error>`}`);
    }
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function successResponse(op: WireOp, output: object): HttpResponse {
  const def = SERVICES[op.service];
  if (def.protocol === 'json1.0' || def.protocol === 'json1.1') return response(200, { 'content-type': `application/x-amz-json-${def.protocol === 'json1.0' ? '1.0' : '1.1'}` }, JSON.stringify(toJsonWire(output)));
  if (op.api === 's3:GetBucketPolicyStatus') {
    const o = output as { PolicyStatus: { IsPublic: boolean } };
    return response(200, { 'content-type': 'application/xml' }, `<?xml version="1.0" encoding="UTF-8"?>\n<PolicyStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsPublic>${o.PolicyStatus.IsPublic}</IsPublic></PolicyStatus>`);
  }
  throw new Error(`wire: no serialiser for an emulated ${op.api}`);
}

async function readAll(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** A TCP server that accepts and never answers: a request to it ends in the SDK's own TimeoutError. */
class BlackHole {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  async start(): Promise<number> {
    if (this.server) return this.port;
    this.server = createServer((s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
  }
}

/** Seconds since the epoch (JSON protocols) or an ISO string, as a Date. */
export function wireDate(v: unknown): Date | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' ? new Date(v * 1000) : new Date(String(v));
}

/**
 * The request handler given to every SDK client in a test: forwards to moto_server, except for the faults, the
 * policy and the emulated operations. Records what reached the wire and how many requests were in flight.
 */
export class AwsWire {
  readonly received: WireOp[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly inner = new NodeHttpHandler();
  private readonly hole = new BlackHole();
  private readonly used = new Map<WireRule, number>();
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(readonly keys: KeyBook, readonly opts: WireOptions = {}, readonly emulated: Record<string, Emulated> = {}) {}

  async handle(req: HttpRequest, options?: { abortSignal?: AbortSignal; requestTimeout?: number }): Promise<{ response: HttpResponse }> {
    // S3 Control puts the account id in front of the host (123456789012.localhost): it is still moto on loopback.
    if (req.hostname.endsWith('.localhost') || req.hostname === 'localhost') req.hostname = '127.0.0.1';
    const op = operationOf(req, this.keys);
    this.received.push(op);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs));
      const fault = this.faultFor(op);
      if (fault) return await this.faulted(op, fault, req, options);
      const doc = this.opts.policy?.(op.account);
      if (doc) {
        const action = iamActionOf(op.api);
        const decision = evaluatePolicy(doc, action, resourceOf(op));
        if (decision !== 'allowed') {
          const [code, status] = SERVICES[op.service].accessDenied;
          const who = this.keys.of(/Credential=([^/]+)\//.exec(header(req, 'authorization')!)![1]).arn;
          const why = decision === 'explicit-deny' ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the ' + action + ' action';
          return { response: errorResponse(op.service, code, `User: ${who} is not authorized to perform: ${action}${resourceOf(op) !== '*' ? ` on resource: ${resourceOf(op)}` : ''} ${why}`, status) };
        }
      }
      const emulate = this.opts.emulate?.[op.api] ?? this.emulated[op.api];
      if (emulate) {
        const forward: EmulationContext['forward'] = async (query) => {
          const out = await this.inner.handle({ ...req, query } as HttpRequest, options);
          const text = (await readAll(out.response.body)).toString('utf8');
          out.response.body = Readable.from([Buffer.from(text)]);
          return { status: out.response.statusCode, text, response: out.response };
        };
        try {
          const out = await emulate(op, { wire: this, forward });
          return { response: out instanceof HttpResponse ? out : successResponse(op, out) };
        } catch (e) {
          if (e instanceof WireError) return { response: errorResponse(op.service, e.code, e.message, e.status) };
          throw e;
        }
      }
      const out = await this.inner.handle(req, options);
      const rewrite = this.opts.rewrite?.[op.api];
      if (op.api === 'sts:AssumeRole' || (rewrite && out.response.statusCode === 200)) {
        const text = (await readAll(out.response.body)).toString('utf8');
        if (op.api === 'sts:AssumeRole' && out.response.statusCode === 200) {
          const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text)?.[1];
          const arn = /<AssumedRoleUser>[\s\S]*?<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
          const secret = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(text)?.[1];
          const token = /<SessionToken>([^<]+)<\/SessionToken>/.exec(text)?.[1];
          if (key) this.keys.learn(key, String(op.input.RoleArn).split(':')[4], arn ?? String(op.input.RoleArn), secret, token);
        }
        const body = rewrite ? rewrite(text, op) : text;
        out.response.body = Readable.from([Buffer.from(body)]);
        out.response.headers['content-length'] = String(Buffer.byteLength(body));
      }
      return out;
    } finally {
      this.inFlight--;
    }
  }

  private faultFor(op: WireOp): Fault | undefined {
    for (const r of this.opts.rules ?? []) {
      if ((r.api && r.api !== op.api) || (r.account && r.account !== op.account) || (r.region && r.region !== op.region) || (r.when && !r.when(op))) continue;
      const n = this.used.get(r) ?? 0;
      if (r.times !== undefined && n >= r.times) continue;
      this.used.set(r, n + 1);
      return r.fault;
    }
    return undefined;
  }

  private async faulted(op: WireOp, fault: Fault, req: HttpRequest, options?: { abortSignal?: AbortSignal }): Promise<{ response: HttpResponse }> {
    const def = SERVICES[op.service];
    if (fault === 'throttling') return { response: errorResponse(op.service, def.throttling[0], 'Rate exceeded', def.throttling[1]) };
    if (fault === 'region-disabled') return { response: errorResponse(op.service, def.disabled[0], 'The security token included in the request is invalid.', def.disabled[1]) };
    if (fault === 'timeout') {
      const port = await this.hole.start();
      const slow = new NodeHttpHandler({ requestTimeout: 100, throwOnRequestTimeout: true });
      try {
        return await slow.handle({ ...req, hostname: '127.0.0.1', port } as HttpRequest, options);
      } finally {
        slow.destroy();
      }
    }
    return { response: errorResponse(op.service, fault.code, fault.message, fault.status) };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}

  async close(): Promise<void> {
    this.inner.destroy();
    await this.hole.stop();
  }
}
