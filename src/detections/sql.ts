// Compiles selection predicates to SQL for each store: the raw CloudTrail JSON (DuckDB), the Athena CloudTrail table,
// Security Lake's OCSF table and CloudTrail Lake. Every dialect maps CloudTrail field paths to its own columns.

import { isField, operatorOf, type FieldCondition, type Predicate, type PredicateParams, PredicateError } from './predicate.js';

export interface SqlDialect {
  name: 'duckdb' | 'athena' | 'securitylake' | 'lake';
  /**
   * A VARCHAR expression for a CloudTrail field path (`userIdentity.type`, `requestParameters.roleArn`), or
   * undefined when the store does not keep the field: the compiler then keeps the rows (superset), never drops them.
   */
  column(field: string): string | undefined;
}

/** A SQL string literal: single quotes doubled (standard SQL; Trino and DuckDB read no backslash escapes). */
export function sqlString(s: string): string {
  if (/[\u0000-\u001f]/.test(s)) throw new PredicateError(`control character in a value for SQL: ${JSON.stringify(s)}`);
  return `'${s.replace(/'/g, "''")}'`;
}

/** `"name"`: a quoted identifier; names are validated by the callers (config schema), quotes refused here too. */
export function sqlIdentifier(s: string): string {
  if (!/^[A-Za-z0-9_$.-]+$/.test(s)) throw new PredicateError(`"${s}" is not a plain SQL identifier`);
  return s
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
}

/**
 * A LIKE pattern that matches every string the glob matches (and maybe more: the scanner's classification
 * afterwards is exact). `*` and `**` → `%`, `?` → `_`; brace, class and extglob syntax → `%`.
 */
export function globToLike(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += out.endsWith('%') ? '' : '%';
    else if (ch === '?') out += '_';
    else if ('[]{}()!|+@'.includes(ch)) out += out.endsWith('%') ? '' : '%';
    else if (ch === '%' || ch === '_' || ch === '\\') out += '\\' + ch;
    else out += ch;
  }
  return out;
}

function list(values: readonly string[]): string {
  return values.map(sqlString).join(', ');
}

function condition(c: FieldCondition, d: SqlDialect, params: PredicateParams, positive: boolean): string {
  const col = d.column(c.field);
  // Not kept by this store: the condition is taken as whatever keeps the row.
  if (col === undefined) return positive ? 'TRUE' : 'FALSE';
  const param = (name: string) => {
    const v = params[name];
    if (!v) throw new PredicateError(`parameter "${name}" has no value`);
    return v;
  };
  switch (operatorOf(c)) {
    case 'equals':
      return `${col} = ${sqlString(c.equals!)}`;
    case 'notEquals':
      return `(${col} IS NULL OR ${col} <> ${sqlString(c.notEquals!)})`;
    case 'in':
      return c.in!.length ? `${col} IN (${list(c.in!)})` : 'FALSE';
    case 'exists':
      return c.exists ? `(${col} IS NOT NULL AND ${col} <> '')` : `(${col} IS NULL OR ${col} = '')`;
    case 'inParam': {
      const v = param(c.inParam!);
      return v.length ? `${col} IN (${list(v)})` : 'FALSE';
    }
    case 'globIn': {
      const v = param(c.globIn!);
      return v.length ? `(${v.map((g) => `${col} LIKE ${sqlString(globToLike(g))} ESCAPE '\\'`).join(' OR ')})` : 'FALSE';
    }
  }
}

function compile(p: Predicate, d: SqlDialect, params: PredicateParams, positive: boolean): string {
  if (isField(p)) return condition(p, d, params, positive);
  if ('not' in p) return `NOT (${compile(p.not, d, params, !positive)})`;
  const parts = ('all' in p ? p.all : p.any).map((q) => compile(q, d, params, positive));
  if (parts.length === 0) return 'all' in p ? 'TRUE' : 'FALSE';
  return parts.length === 1 ? parts[0] : `(${parts.join('all' in p ? ' AND ' : ' OR ')})`;
}

/** The WHERE condition selecting every record the predicate matches (a superset where the store lacks a field). */
export function compilePredicate(p: Predicate, d: SqlDialect, params: PredicateParams = {}): string {
  return compile(p, d, params, true);
}

/** CloudTrail's own JSON, one record per row in a JSON column (DuckDB over the log files). */
export function rawJsonDialect(recordColumn = 'rec'): SqlDialect {
  return {
    name: 'duckdb',
    column: (field) => `json_extract_string(${recordColumn}, ${sqlString('$.' + field)})`,
  };
}

/** Columns holding a JSON document as text in the AWS-documented Athena CloudTrail table. */
const ATHENA_JSON_COLUMNS: Record<string, string> = {
  requestParameters: 'requestparameters',
  responseElements: 'responseelements',
  additionalEventData: 'additionaleventdata',
  serviceEventDetails: 'serviceeventdetails',
};

/** The Athena CloudTrail table (`evidence-pack athena-ddl`): lower-case columns, nested structs, JSON text columns. */
export const athenaDialect: SqlDialect = {
  name: 'athena',
  column(field) {
    const [head, ...rest] = field.split('.');
    const json = ATHENA_JSON_COLUMNS[head];
    if (json) return rest.length ? `json_extract_scalar(${json}, ${sqlString('$.' + rest.join('.'))})` : json;
    return field.toLowerCase();
  },
};

/** CloudTrail Lake's event schema: requestParameters, responseElements, additionalEventData are map<string,string>. */
export const lakeDialect: SqlDialect = {
  name: 'lake',
  column(field) {
    const [head, first, ...rest] = field.split('.');
    if (head === 'requestParameters' || head === 'responseElements' || head === 'additionalEventData') {
      if (!first) return undefined;
      const v = `element_at(${head}, ${sqlString(first)})`;
      return rest.length ? `json_extract_scalar(${v}, ${sqlString('$.' + rest.join('.'))})` : v;
    }
    // Fields the Lake schema does not hold.
    if (field === 'userIdentity.sessionContext.assumedRoot' || head === 'serviceEventDetails') return undefined;
    return field;
  },
};

/**
 * Security Lake's CloudTrail management table (OCSF 1.1 API Activity, Security Lake source version 2): the
 * columns the mapping fills for the fields detection reads; anything else is in the `unmapped` map. The list is
 * docs/engines.md's; a store laid out otherwise makes queries fail loudly, never match less.
 */
export const OCSF_COLUMNS: Record<string, string> = {
  eventID: 'metadata.uid',
  // ISO 8601 text, as CloudTrail writes it (with milliseconds): compared as text like the scanner's times.
  eventTime: 'to_iso8601(time_dt)',
  eventName: 'api.operation',
  eventSource: 'api.service.name',
  awsRegion: 'cloud.region',
  sourceIPAddress: 'COALESCE(src_endpoint.ip, src_endpoint.domain)',
  userAgent: 'http_request.user_agent',
  errorCode: 'api.response.error',
  errorMessage: 'api.response.message',
  recipientAccountId: 'accountid',
  'userIdentity.type': 'actor.user.type',
  'userIdentity.arn': 'actor.user.uid',
  'userIdentity.principalId': 'actor.user.uid_alt',
  'userIdentity.accountId': 'actor.user.account.uid',
  'userIdentity.userName': 'actor.user.name',
  'userIdentity.accessKeyId': 'actor.user.credential_uid',
  'userIdentity.invokedBy': 'actor.invoked_by',
  'userIdentity.sessionContext.sessionIssuer.arn': 'actor.session.issuer',
  'userIdentity.sessionContext.attributes.mfaAuthenticated': 'CAST(actor.session.is_mfa AS VARCHAR)',
  'userIdentity.sessionContext.webIdFederationData.federatedProvider': 'actor.idp.name',
};

/** JSON documents of the record: where OCSF keeps them as text. */
export const OCSF_JSON: Record<string, string> = {
  requestParameters: 'api.request.data',
  responseElements: 'api.response.data',
  additionalEventData: "element_at(unmapped, 'additionalEventData')",
  serviceEventDetails: "element_at(unmapped, 'serviceEventDetails')",
};

export const securityLakeDialect: SqlDialect = {
  name: 'securitylake',
  column(field) {
    const mapped = OCSF_COLUMNS[field];
    if (mapped) return mapped;
    const [head, ...rest] = field.split('.');
    const json = OCSF_JSON[head];
    if (json) return rest.length ? `json_extract_scalar(${json}, ${sqlString('$.' + rest.join('.'))})` : json;
    // Unmapped scalar fields keep their CloudTrail path as the key.
    return `element_at(unmapped, ${sqlString(field)})`;
  },
};

export const DIALECTS = { duckdb: rawJsonDialect(), athena: athenaDialect, securitylake: securityLakeDialect, lake: lakeDialect } as const;
