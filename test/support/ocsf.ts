// CloudTrail records converted to Security Lake's OCSF table (CloudTrail management events, source version 2, OCSF API
// Activity) in DuckDB, for the equivalence test: the columns the detections read, as Security Lake's mapping fills
// them, and the rest in `unmapped`. Trino's to_iso8601 is a DuckDB macro.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import type { DuckDBConnection } from '@duckdb/node-api';

const COLUMNS = {
  metadata: 'STRUCT(uid VARCHAR, product STRUCT(name VARCHAR), version VARCHAR)',
  time_dt: 'TIMESTAMP',
  class_uid: 'INTEGER',
  api: 'STRUCT(operation VARCHAR, service STRUCT(name VARCHAR), request STRUCT(data VARCHAR, uid VARCHAR), response STRUCT(error VARCHAR, message VARCHAR, data VARCHAR))',
  cloud: 'STRUCT(region VARCHAR, provider VARCHAR)',
  src_endpoint: 'STRUCT(ip VARCHAR, domain VARCHAR)',
  http_request: 'STRUCT(user_agent VARCHAR)',
  actor: 'STRUCT("user" STRUCT(type VARCHAR, uid VARCHAR, uid_alt VARCHAR, account STRUCT(uid VARCHAR), name VARCHAR, credential_uid VARCHAR), invoked_by VARCHAR, session STRUCT(issuer VARCHAR, is_mfa BOOLEAN), idp STRUCT(name VARCHAR))',
  unmapped: 'MAP(VARCHAR, VARCHAR)',
  accountid: 'VARCHAR',
  region: 'VARCHAR',
  eventday: 'VARCHAR',
  $path: 'VARCHAR',
};

const str = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** One CloudTrail record as a row of the OCSF table. */
export function ocsfRow(r: Record<string, unknown>, path: string): Record<string, unknown> {
  const ui = obj(r.userIdentity);
  const sc = obj(ui.sessionContext);
  const ip = typeof r.sourceIPAddress === 'string' && ipaddr.isValid(r.sourceIPAddress);
  const mfa = obj(sc.attributes).mfaAuthenticated;
  const unmapped: Record<string, string> = {};
  for (const k of ['eventType', 'readOnly', 'eventVersion', 'eventCategory', 'managementEvent']) if (r[k] !== undefined && r[k] !== null) unmapped[k] = String(r[k]);
  for (const k of ['additionalEventData', 'serviceEventDetails', 'resources']) if (r[k] !== undefined && r[k] !== null) unmapped[k] = JSON.stringify(r[k]);
  if (sc.assumedRoot !== undefined) unmapped['userIdentity.sessionContext.assumedRoot'] = String(sc.assumedRoot);
  if (sc.sourceIdentity !== undefined) unmapped['userIdentity.sessionContext.sourceIdentity'] = String(sc.sourceIdentity);
  const time = typeof r.eventTime === 'string' ? r.eventTime : null;
  return {
    metadata: { uid: str(r.eventID), product: { name: 'CloudTrail' }, version: '1.1.0' },
    time_dt: time,
    class_uid: 6003,
    api: {
      operation: str(r.eventName),
      service: { name: str(r.eventSource) },
      request: { data: r.requestParameters === undefined || r.requestParameters === null ? null : JSON.stringify(r.requestParameters), uid: str(r.requestID) },
      response: { error: str(r.errorCode), message: str(r.errorMessage), data: r.responseElements === undefined || r.responseElements === null ? null : JSON.stringify(r.responseElements) },
    },
    cloud: { region: str(r.awsRegion), provider: 'AWS' },
    src_endpoint: { ip: ip ? r.sourceIPAddress : null, domain: ip ? null : str(r.sourceIPAddress) },
    http_request: { user_agent: str(r.userAgent) },
    actor: {
      user: { type: str(ui.type), uid: str(ui.arn), uid_alt: str(ui.principalId), account: { uid: str(ui.accountId) }, name: str(ui.userName), credential_uid: str(ui.accessKeyId) },
      invoked_by: str(ui.invokedBy),
      session: { issuer: str(obj(sc.sessionIssuer).arn), is_mfa: mfa === 'true' ? true : mfa === 'false' ? false : null },
      idp: { name: str(obj(sc.webIdFederationData).federatedProvider) },
    },
    unmapped,
    accountid: str(r.recipientAccountId),
    region: str(r.awsRegion),
    eventday: time ? time.slice(0, 10).replace(/-/g, '') : null,
    $path: path,
  };
}

/** Creates `table` in DuckDB holding the records as Security Lake would. */
export async function loadOcsfTable(db: DuckDBConnection, table: string, dir: string, records: { record: Record<string, unknown>; path: string }[]): Promise<void> {
  const file = join(dir, `${table}.ocsf.ndjson`);
  writeFileSync(file, records.map(({ record, path }) => JSON.stringify(ocsfRow(record, path))).join('\n') + '\n');
  const spec = Object.entries(COLUMNS).map(([k, v]) => `"${k}": '${v.replace(/'/g, "''")}'`).join(', ');
  await db.run(`CREATE TABLE ${table} AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`);
}

export async function ocsfMacros(db: DuckDBConnection): Promise<void> {
  await db.run(`CREATE MACRO to_iso8601(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S.%gZ')`);
  await db.run(`CREATE OR REPLACE MACRO element_at(m, k) AS map_extract_value(m, k)`);
}
