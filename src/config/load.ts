// Loads evidence-pack.yaml: read → validate against the published JSON Schema → normalise; every problem at once.

import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { EvidencePackError } from '../errors.js';
import { SCHEMAS_DIR } from '../paths.js';
import type { Period } from '../model/period.js';
import type { AthenaEngineConfig, CloudTrailEngine, ResolvedBreakGlassConfig, SecurityLakeEngineConfig } from '../model/cloudtrail.js';
import { parseIsoDate, parsePeriod } from './period.js';
import { isValidTimeZone } from '../model/dates.js';
import { DEFAULT_MAX_FILE_BYTES } from '../model/coverage.js';
import type { AwsConfig } from '../model/aws.js';
import { RUNBOOK_SECTION_IDS, type RunbookSectionId } from '../model/runbook.js';
import type { SigningConfig } from '../model/signing.js';

export { RUNBOOK_SECTION_IDS, type RunbookSectionId };

/** The `breakGlass:` block after defaults (src/model/cloudtrail.ts). */
export type BreakGlassConfig = ResolvedBreakGlassConfig;

export interface Config {
  /** Absolute path of the config file. */
  file: string;
  /** Folder of the config file; relative paths resolve against it. */
  baseDir: string;
  organisation: string;
  period: Period;
  runbook?: { repo: string; path: string; sections?: Partial<Record<RunbookSectionId, string[]>> };
  terraform?: { paths: string[]; planJson: string[]; varFiles: string[] };
  cloudformation?: { paths: string[] };
  breakGlass: BreakGlassConfig;
  /** True when the config has a breakGlass section (identities were declared). */
  breakGlassDeclared: boolean;
  cloudtrail?: { logs: string[]; digests: string[]; publicKeys?: string; engine: CloudTrailEngine; athena?: AthenaEngineConfig; securitylake?: SecurityLakeEngineConfig; lake?: { eventDataStore: string; region?: string; maxRows: number } };
  /** Live AWS evidence; absent or `enabled: false` = nothing calls AWS. */
  aws?: AwsConfig;
  /** Signing key files (absolute) or AWS KMS key, and the time-stamping authority; the passphrase comes from the environment variable named here. */
  signing?: SigningConfig;
  /** Process evidence (absolute paths) and the business-day calendar. */
  calendar: { timeZone: string; holidays: string[] };
  reviews?: string[];
  drills?: string[];
  secretStore?: string;
  tickets?: string[];
  approvals?: string[];
  riskAcceptances?: string;
  /** Bounds on what is read (config `limits`), defaults filled in. */
  limits: { maxFileBytes: number };
}

export const CONFIG_SCHEMA_PATH = join(SCHEMAS_DIR, 'evidence-pack.schema.json');

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown) {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
    validator = ajv.compile(JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')));
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

/** Turns ajv errors into one readable line each, e.g. `period (line 2): expected …`. */
function describeErrors(errors: ErrorObject[], doc: Document, lines: LineCounter): string[] {
  // oneOf/anyOf branches produce noise; keep one message for the union and drop its branch errors.
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const out = new Map<string, string>();
  for (const e of errors) {
    const inUnion = [...unionPaths].some((p) => e.instancePath.startsWith(p) && e.schemaPath.includes('/oneOf/'));
    if (inUnion && e.keyword !== 'oneOf') continue;
    const path = pointerToPath(e.instancePath);
    let msg: string;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {}).filter((k) => k !== '$schema');
        msg = `${joinPath(path, key)}${lineOf(doc, lines, [...pathSegments(e.instancePath), key])}: unknown key "${key}" (expected one of: ${allowed.join(', ')})`;
        break;
      }
      case 'required': {
        const key = (e.params as { missingProperty: string }).missingProperty;
        msg = `${joinPath(path, key)}${lineOf(doc, lines, pathSegments(e.instancePath))}: missing required key "${key}"`;
        break;
      }
      case 'oneOf':
        msg = `${path || '(root)'}${lineOf(doc, lines, pathSegments(e.instancePath))}: ${path === 'period' ? parsePeriodMessage(doc) : 'does not match any allowed form'}`;
        break;
      case 'anyOf':
        msg = `${path || '(root)'}${lineOf(doc, lines, pathSegments(e.instancePath))}: needs at least one of ${JSON.stringify(((e.parentSchema as { anyOf?: { required: string[] }[] }).anyOf ?? []).flatMap((s) => s.required))}`;
        break;
      default:
        msg = `${path || '(root)'}${lineOf(doc, lines, pathSegments(e.instancePath))}: ${e.message}${e.keyword === 'type' ? `, got ${typeName(doc.getIn(pathSegments(e.instancePath)))}` : ''}`;
    }
    out.set(msg, msg);
  }
  return [...out.values()];
}

function parsePeriodMessage(doc: Document): string {
  const r = parsePeriod(doc.toJS()?.period);
  return typeof r === 'string' ? r : 'invalid period';
}

function typeName(v: unknown): string {
  if (isNode(v)) v = (v as { toJSON(): unknown }).toJSON();
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

function pathSegments(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function pointerToPath(pointer: string): string {
  return pathSegments(pointer).reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function lineOf(doc: Document, lines: LineCounter, segments: (string | number)[]): string {
  // Point at the key when the value is absent (unknown keys), else at the value.
  let node: unknown = segments.length ? doc.getIn(segments, true) : doc.contents;
  if (!isNode(node) && segments.length) {
    const parent = doc.getIn(segments.slice(0, -1), true) as { items?: { key: { value: unknown; range?: number[] } }[] } | undefined;
    node = parent?.items?.find((p) => isNode(p.key) && (p.key as { value: unknown }).value === segments[segments.length - 1])?.key;
  }
  const range = isNode(node) ? (node as { range?: [number, number, number] }).range : undefined;
  return range ? ` (line ${lines.linePos(range[0]).line})` : '';
}

/** The document's value; aliases that expand without bound (a "billion laughs" YAML bomb) are a config error. */
function yamlToJs(doc: Document, file: string): Record<string, unknown> | null {
  try {
    return doc.toJS() as Record<string, unknown> | null;
  } catch (e) {
    throw new EvidencePackError('CONFIG_INVALID', `${file}: not a usable configuration: ${(e as Error).message}`, {
      hint: 'YAML aliases (*name) here expand without bound; write the values out instead',
    });
  }
}

/** Reads, validates and normalises a config file. Throws EvidencePackError listing every problem. */
export function loadConfig(file: string): Config {
  const abs = resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new EvidencePackError('CONFIG_NOT_FOUND', `config file not found: ${file}`, {
      hint: 'pass the path of an evidence-pack.yaml, or create one with `evidence-pack init`',
    });
  }
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new EvidencePackError('CONFIG_INVALID', `${file}: cannot read the configuration (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
      hint: 'run as a user who can read the file, or fix its permissions',
    });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    throw new EvidencePackError('CONFIG_INVALID', `${file}: not valid YAML`, {
      details: doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${e.message.split('\n')[0]}`),
      hint: 'fix the YAML syntax at the positions listed',
    });
  }
  const data = yamlToJs(doc, file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new EvidencePackError('CONFIG_INVALID', `${file}: expected a mapping of keys (organisation, period, …)`, {
      hint: 'see the example in README.md or run `evidence-pack init`',
    });
  }
  const problems = describeErrors(validate(data), doc, lines);
  const baseDir = dirname(abs);
  const period = parsePeriod(data.period);
  if (typeof period === 'string' && !problems.some((p) => p.startsWith('period'))) problems.push(`period${lineOf(doc, lines, ['period'])}: ${period}`);

  // Inputs the user names must exist (a typo is a config error, not "no evidence").
  const checkExists = (segments: (string | number)[], p: unknown) => {
    if (typeof p !== 'string' || p.startsWith('s3://')) return;
    if (!existsSync(resolve(baseDir, p))) problems.push(`${pointerToPath('/' + segments.join('/'))}${lineOf(doc, lines, segments)}: path does not exist: ${resolve(baseDir, p)}`);
  };
  const tf = data.terraform as { paths?: unknown[]; planJson?: unknown[]; varFiles?: unknown[] } | undefined;
  for (const key of ['paths', 'planJson', 'varFiles'] as const) (Array.isArray(tf?.[key]) ? tf[key] : []).forEach((p, i) => checkExists(['terraform', key, i], p));
  const cfn = data.cloudformation as { paths?: unknown[] } | undefined;
  (Array.isArray(cfn?.paths) ? cfn.paths : []).forEach((p, i) => checkExists(['cloudformation', 'paths', i], p));
  const ct = data.cloudtrail as { logs?: unknown[]; digests?: unknown[]; publicKeys?: unknown } | undefined;
  (Array.isArray(ct?.logs) ? ct.logs : []).forEach((p, i) => checkExists(['cloudtrail', 'logs', i], p));
  (Array.isArray(ct?.digests) ? ct.digests : []).forEach((p, i) => checkExists(['cloudtrail', 'digests', i], p));
  if (ct?.publicKeys !== undefined) checkExists(['cloudtrail', 'publicKeys'], ct.publicKeys);
  if (ct && typeof ct === 'object' && 'lake' in ct && (data.aws as { enabled?: unknown } | undefined)?.enabled !== true)
    problems.push(`cloudtrail.lake${lineOf(doc, lines, ['cloudtrail', 'lake'])}: CloudTrail Lake is queried through the AWS API; set aws.enabled: true (and aws.regions)`);
  if (ct && typeof ct === 'object') {
    const engine = (ct as { engine?: unknown }).engine ?? 'scan';
    const where = (k: string) => lineOf(doc, lines, ['cloudtrail', k]);
    const athena = (ct as { athena?: { database?: unknown; table?: unknown } }).athena;
    if (engine === 'athena' && (!athena || athena.database === undefined || athena.table === undefined))
      problems.push(`cloudtrail.engine${where('engine')}: engine athena reads the table named in cloudtrail.athena (database, table); add it (evidence-pack athena-ddl prints the table)`);
    if (engine === 'securitylake' && !('securitylake' in ct)) problems.push(`cloudtrail.engine${where('engine')}: engine securitylake reads the table named in cloudtrail.securitylake (database, table)`);
    if (engine !== 'athena' && engine !== 'securitylake' && athena) problems.push(`cloudtrail.athena${where('athena')}: the Athena settings are read with cloudtrail.engine: athena or securitylake`);
    if (engine !== 'securitylake' && 'securitylake' in ct) problems.push(`cloudtrail.securitylake${where('securitylake')}: the Security Lake table is read with cloudtrail.engine: securitylake`);
    if ((engine === 'scan' || engine === 'duckdb') && !Array.isArray(ct.logs) && !('lake' in ct)) problems.push(`cloudtrail.engine${where('engine')}: engine ${String(engine)} reads cloudtrail.logs; add them`);
  }
  const sg = data.signing as { key?: unknown; cert?: unknown; p12?: unknown; kms?: { certificate?: unknown }; tsa?: { caFile?: unknown } } | undefined;
  for (const k of ['key', 'cert', 'p12'] as const) if (sg?.[k] !== undefined) checkExists(['signing', k], sg[k]);
  if (sg?.kms?.certificate !== undefined) checkExists(['signing', 'kms', 'certificate'], sg.kms.certificate);
  if (sg?.tsa?.caFile !== undefined) checkExists(['signing', 'tsa', 'caFile'], sg.tsa.caFile);
  for (const key of ['reviews', 'drills', 'tickets', 'approvals'] as const) (Array.isArray(data[key]) ? (data[key] as unknown[]) : []).forEach((p, i) => checkExists([key, i], p));
  for (const key of ['secretStore', 'riskAcceptances'] as const) if (data[key] !== undefined) checkExists([key], data[key]);
  const cal = data.calendar as { timeZone?: unknown; holidays?: unknown[] } | undefined;
  if (typeof cal?.timeZone === 'string' && !isValidTimeZone(cal.timeZone)) problems.push(`calendar.timeZone${lineOf(doc, lines, ['calendar', 'timeZone'])}: unknown IANA time zone "${cal.timeZone}" (e.g. Europe/Berlin, UTC)`);
  (Array.isArray(cal?.holidays) ? cal.holidays : []).forEach((h, i) => {
    if (typeof h === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(h) && !parseIsoDate(h)) problems.push(`calendar.holidays[${i}]${lineOf(doc, lines, ['calendar', 'holidays', i])}: "${h}" is not a real date`);
  });

  if (problems.length) {
    problems.sort((a, b) => lineNumber(a) - lineNumber(b));
    throw new EvidencePackError('CONFIG_INVALID', `${file}: ${problems.length} problem${problems.length > 1 ? 's' : ''} in the configuration`, {
      details: problems,
      hint: `the schema is ${CONFIG_SCHEMA_PATH}; every key is described in README.md`,
    });
  }
  return normalise(data, abs, baseDir, period as Period);
}

function lineNumber(problem: string): number {
  const m = /\(line (\d+)\)/.exec(problem);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

function normalise(data: Record<string, unknown>, file: string, baseDir: string, period: Period): Config {
  const abs = (p: string) => (p.startsWith('s3://') || isAbsolute(p) ? p : resolve(baseDir, p));
  const runbook = data.runbook as { repo?: string; path: string; sections?: Config['runbook'] extends infer R ? R extends { sections?: infer S } ? S : never : never } | undefined;
  const tf = data.terraform as { paths?: string[]; planJson?: string[]; varFiles?: string[] } | undefined;
  const cfn = data.cloudformation as { paths: string[] } | undefined;
  const bg = (data.breakGlass ?? {}) as Partial<BreakGlassConfig>;
  const ct = data.cloudtrail as { logs?: string[]; digests?: string[]; publicKeys?: string; engine?: CloudTrailEngine; athena?: Partial<AthenaEngineConfig>; securitylake?: SecurityLakeEngineConfig; lake?: { eventDataStore: string; region?: string; maxRows?: number } } | undefined;
  const aws = data.aws as (Partial<Omit<AwsConfig, 'enabled'>> & { enabled?: boolean }) | undefined;
  return {
    file,
    baseDir,
    organisation: String(data.organisation),
    period,
    runbook: runbook && { repo: abs(runbook.repo ?? '.'), path: runbook.path, sections: runbook.sections },
    terraform: tf && { paths: (tf.paths ?? []).map(abs), planJson: (tf.planJson ?? []).map(abs), varFiles: (tf.varFiles ?? []).map(abs) },
    cloudformation: cfn && { paths: cfn.paths.map(abs) },
    breakGlass: {
      roles: bg.roles ?? [],
      users: bg.users ?? [],
      permissionSets: bg.permissionSets ?? [],
      allowedCidrs: bg.allowedCidrs ?? [],
      rootIsBreakGlass: bg.rootIsBreakGlass ?? true,
      secrets: bg.secrets ?? [],
      rootSessions: { callers: bg.rootSessions?.callers ?? [], taskPolicies: bg.rootSessions?.taskPolicies ?? [] },
    },
    breakGlassDeclared: data.breakGlass !== undefined,
    cloudtrail: ct && {
      logs: (ct.logs ?? []).map(abs),
      digests: (ct.digests ?? []).map(abs),
      publicKeys: ct.publicKeys && abs(ct.publicKeys),
      engine: ct.engine ?? 'scan',
      athena: (ct.athena || ct.securitylake) && { database: '', table: '', ...ct.athena, workgroup: ct.athena?.workgroup ?? 'primary', region: ct.athena?.region ?? aws?.regions?.[0] },
      securitylake: ct.securitylake,
      lake: ct.lake && { eventDataStore: ct.lake.eventDataStore, region: ct.lake.region, maxRows: ct.lake.maxRows ?? 100_000 },
    },
    aws: aws && {
      enabled: aws.enabled === true,
      profile: aws.profile,
      regions: aws.regions ?? ['us-east-1'],
      accounts: aws.accounts ?? [],
      assumeRole: aws.assumeRole,
      concurrency: aws.concurrency ?? 4,
      maxAttempts: aws.maxAttempts ?? 5,
      alarmWithinMinutes: aws.alarmWithinMinutes ?? 15,
      deliveryMaxAgeHours: aws.deliveryMaxAgeHours ?? 24,
      digestMaxAgeHours: aws.digestMaxAgeHours ?? 2,
    },
    signing: signingOf(data.signing as Config['signing'], abs),
    calendar: { timeZone: (data.calendar as { timeZone?: string } | undefined)?.timeZone ?? 'UTC', holidays: [...((data.calendar as { holidays?: string[] } | undefined)?.holidays ?? [])].sort() },
    reviews: (data.reviews as string[] | undefined)?.map(abs),
    drills: (data.drills as string[] | undefined)?.map(abs),
    secretStore: typeof data.secretStore === 'string' ? abs(data.secretStore) : undefined,
    tickets: (data.tickets as string[] | undefined)?.map(abs),
    approvals: (data.approvals as string[] | undefined)?.map(abs),
    riskAcceptances: typeof data.riskAcceptances === 'string' ? abs(data.riskAcceptances) : undefined,
    limits: { maxFileBytes: (data.limits as { maxFileBytes?: number } | undefined)?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES },
  };
}

function signingOf(s: Config['signing'], abs: (p: string) => string): Config['signing'] {
  if (!s) return undefined;
  return {
    key: s.key && abs(s.key),
    cert: s.cert && abs(s.cert),
    p12: s.p12 && abs(s.p12),
    passphraseEnv: s.passphraseEnv,
    kms: s.kms && { ...s.kms, certificate: s.kms.certificate && abs(s.kms.certificate) },
    tsa: s.tsa && { url: s.tsa.url, caFile: s.tsa.caFile && abs(s.tsa.caFile) },
  };
}
