// The CloudTrail Lake saved queries, run on DuckDB over the shared sample logs, find exactly what the local scanner finds.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { Detector, type CtEvent } from '../../src/detections/detector.js';
import { loadSelections } from '../../src/detections/definitions.js';
import type { Predicate } from '../../src/detections/predicate.js';
import { loadLakeQueries, renderLakeQuery, type LakeQuery } from '../../src/collect/aws/lake.js';
import type { CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import { fixedClock, period, tempDir, TESTDATA } from '../cloudtrail/helpers.js';

const FILES = [
  'awsdocs-cloudtrail-user-guide/console-sign-in-events.records.json',
  'awsdocs-cloudtrail-user-guide/log-file-examples.records.json',
  'awsdocs-iam-user-guide/cloudtrail-integration-examples.records.json',
  ...readdirSync(join(TESTDATA, 'invictus-ir-aws_dataset')).map((f) => `invictus-ir-aws_dataset/${f}`),
  ...readdirSync(join(TESTDATA, 'stratus-red-team-detonation-logs')).map((f) => `stratus-red-team-detonation-logs/${f}`),
].sort();

const EDS = 'sampleeventdatastore';
const breakGlass = { users: ['christophe'], roles: ['arn:aws:iam::*:role/stratus-red-team-*'], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: true, secrets: [] };
/** Buckets that appear in the samples' S3 events, so bucket tampering is exercised. */
const trailBuckets = ['stratus-red-team-ctlr-bucket-zqfsvooxqj', 'stratus-red-team-bdbp-lhfzvgcamn'];
// Two windows: everything, and a narrow one that cuts through the invictus dataset (period bounds must agree too).
const PERIODS = [period('2010-01-01', '2030-12-31'), period('2023-07-10', '2023-07-10')];

function records(rel: string): Record<string, any>[] {
  const doc = JSON.parse(readFileSync(join(TESTDATA, rel), 'utf8'));
  return Array.isArray(doc) ? doc : doc.Records;
}

/** CloudTrail Lake stores requestParameters, responseElements and additionalEventData as map<string,string>. */
function lakeMap(o: unknown): Record<string, string> | null {
  if (!o || typeof o !== 'object') return null;
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** One log record in the Lake event schema (the columns the queries read). */
function lakeRow(r: Record<string, any>) {
  const ui = r.userIdentity ?? {};
  const sc = ui.sessionContext;
  return {
    eventID: r.eventID,
    eventTime: r.eventTime.replace('T', ' ').replace('Z', ''),
    eventName: r.eventName,
    eventSource: r.eventSource ?? null,
    eventType: r.eventType ?? null,
    awsRegion: r.awsRegion ?? null,
    sourceIPAddress: r.sourceIPAddress ?? null,
    errorCode: r.errorCode ?? null,
    recipientAccountId: r.recipientAccountId ?? null,
    userIdentity: {
      type: ui.type ?? null,
      arn: ui.arn ?? null,
      accountId: ui.accountId ?? null,
      userName: ui.userName ?? null,
      invokedBy: ui.invokedBy ?? null,
      sessionContext: sc ? { sessionIssuer: sc.sessionIssuer ? { arn: sc.sessionIssuer.arn ?? null, userName: sc.sessionIssuer.userName ?? null, type: sc.sessionIssuer.type ?? null } : null } : null,
    },
    requestParameters: lakeMap(r.requestParameters),
    responseElements: lakeMap(r.responseElements),
    additionalEventData: lakeMap(r.additionalEventData),
  };
}

const COLUMNS = `{
  eventID: 'VARCHAR', eventTime: 'TIMESTAMP', eventName: 'VARCHAR', eventSource: 'VARCHAR', eventType: 'VARCHAR', awsRegion: 'VARCHAR',
  sourceIPAddress: 'VARCHAR', errorCode: 'VARCHAR', recipientAccountId: 'VARCHAR',
  userIdentity: 'STRUCT(type VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR, invokedBy VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR, userName VARCHAR, type VARCHAR)))',
  requestParameters: 'MAP(VARCHAR, VARCHAR)', responseElements: 'MAP(VARCHAR, VARCHAR)', additionalEventData: 'MAP(VARCHAR, VARCHAR)'
}`;

let db: DuckDBConnection;
const local: CloudTrailEvidence[] = [];
const queries = new Map<string, LakeQuery>();

before(async () => {
  const dir = tempDir('lake-');
  const ndjson = join(dir, 'events.ndjson');
  writeFileSync(ndjson, FILES.flatMap(records).map((r) => JSON.stringify(lakeRow(r))).join('\n'));
  db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`CREATE TABLE ${EDS} AS SELECT * FROM read_json('${ndjson}', format = 'newline_delimited', columns = ${COLUMNS})`);
  // Lake (Trino) element_at(map, key) returns the value or NULL; DuckDB's returns a list. Same meaning, one macro.
  await db.run(`CREATE MACRO element_at(m, k) AS map_extract_value(m, k)`);
  for (const p of PERIODS) local.push(await collectCloudTrail({ config: { logs: FILES.map((f) => join(TESTDATA, f)) }, breakGlass, period: p, trailBuckets, now: fixedClock, workers: 0 }));
  for (const q of loadLakeQueries()) queries.set(q.id, q);
});

async function lake(id: string, pi: number): Promise<Record<string, any>[]> {
  const q = queries.get(id);
  assert.ok(q, `queries/${id}.sql exists`);
  const sql = renderLakeQuery(q, { eventDataStore: EDS, period: PERIODS[pi], trailBuckets });
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, any>[];
}

const ids = (xs: { eventId?: string; eventID?: string }[]) => [...new Set(xs.map((x) => x.eventId ?? x.eventID!))].sort();

/** A Lake row in the shape the Detector reads, so break-glass selection runs the same code as the local scanner. */
function asEvent(r: Record<string, any>): CtEvent {
  return {
    eventID: r.eventID,
    eventTime: r.eventTime,
    eventName: r.eventName,
    eventSource: r.eventSource ?? undefined,
    eventType: r.eventType ?? undefined,
    recipientAccountId: r.recipientAccountId ?? undefined,
    errorCode: r.errorCode ?? undefined,
    userIdentity: { type: r.identityType ?? undefined, arn: r.actorArn ?? undefined, accountId: r.accountId ?? undefined, userName: r.userName ?? undefined, invokedBy: r.invokedBy ?? undefined, sessionContext: r.issuerArn ? { sessionIssuer: { arn: r.issuerArn, userName: r.issuerName } } : undefined },
    requestParameters: { roleArn: r.roleArn ?? undefined, roleSessionName: r.roleSessionName ?? undefined, sourceIdentity: r.sourceIdentity ?? undefined },
  };
}

describe('CloudTrail Lake queries agree with the local scanner on the shared sample logs', () => {
  const cases: { name: string; query: string; expected: (e: CloudTrailEvidence) => string[]; got?: (rows: Record<string, any>[]) => string[] }[] = [
    { name: 'root activity', query: 'root-activity', expected: (e) => ids(e.rootActivity) },
    { name: 'logging tampering (trail, account PAB, trail buckets)', query: 'logging-tampering', expected: (e) => ids(e.tamperingEvents) },
    { name: 'IAM policy changes', query: 'iam-policy-changes', expected: (e) => ids(e.iamPolicyChanges) },
    { name: 'access key events', query: 'access-key-events', expected: (e) => ids(e.accessKeyEvents) },
    { name: 'all role assumptions', query: 'role-assumptions', expected: (e) => [String(e.counts['assume-role'])], got: (rows) => [String(rows.length)] },
    { name: 'all console sign-ins', query: 'console-logins', expected: (e) => [String(e.counts['console-login'])], got: (rows) => [String(rows.length)] },
    {
      name: 'break-glass role assumptions (rows → the same Detector)',
      query: 'role-assumptions',
      expected: (e) => ids(e.roleAssumptions),
      got: (rows) => ids(rows.filter((r) => new Detector(breakGlass).assumedBreakGlassSession(asEvent(r))).map((r) => ({ eventID: r.eventID }))),
    },
    {
      name: 'root and break-glass console sign-ins (rows → the same Detector)',
      query: 'console-logins',
      expected: (e) => ids(e.consoleSignIns),
      got: (rows) => {
        const d = new Detector(breakGlass);
        return ids(rows.filter((r) => { const e = asEvent(r); return r.identityType === 'Root' || d.breakGlassActor(e) !== undefined || (r.identityType === 'IAMUser' && d.isBreakGlassTarget(`user:${r.accountId}:${r.userName}`)); }).map((r) => ({ eventID: r.eventID })));
      },
    },
  ];
  for (const [pi, p] of PERIODS.entries()) {
    for (const c of cases) {
      it(`${c.name} — ${p.label}`, async () => {
        const rows = await lake(c.query, pi);
        const got = c.got ? c.got(rows) : ids(rows);
        const expected = c.expected(local[pi]);
        assert.deepEqual(got, expected);
      });
    }
  }

  it('the samples exercise every query (no comparison of two empty sets)', () => {
    const e = local[0];
    for (const [name, n] of [['root', e.rootActivity.length], ['trail tampering', e.tamperingEvents.filter((t) => t.eventSource === 'cloudtrail.amazonaws.com').length], ['bucket tampering', e.tamperingEvents.filter((t) => trailBuckets.includes(t.target ?? '')).length], ['iam', e.iamPolicyChanges.length], ['access keys', e.accessKeyEvents.length], ['assume', e.counts['assume-role']], ['break-glass assume', e.roleAssumptions.length], ['console', e.counts['console-login']]] as const) {
      assert.ok(n > 0, `${name}: the samples hold at least one event`);
    }
  });

  it('tampering targets agree too', async () => {
    const rows = await lake('logging-tampering', 0);
    const got = rows.map((r) => `${r.eventID} ${r.target ?? ''}`).sort();
    const expected = [...new Set(local[0].tamperingEvents.map((t) => `${t.eventId} ${t.target ?? ''}`))].sort();
    assert.deepEqual(got, expected);
  });
});

/** The `eventName` lists of a definition's selection, in the order they are written. */
function eventNameLists(p: Predicate, out: string[][] = []): string[][] {
  if ('all' in p) p.all.forEach((q) => eventNameLists(q, out));
  else if ('any' in p) p.any.forEach((q) => eventNameLists(q, out));
  else if ('not' in p) eventNameLists(p.not, out);
  else if (p.field === 'eventName') out.push([...(p.in ?? (p.equals !== undefined ? [p.equals] : []))].sort());
  return out;
}

describe('the saved queries use the same event names as the detection definitions (mappings/detections)', () => {
  const names = (id: string, i = 0) => eventNameLists(loadSelections().find((d) => d.id === id)!.select.where)[i];
  const inList = (sql: string, after: string) => {
    const i = sql.indexOf(after);
    assert.ok(i >= 0, `"${after}" in the query`);
    const m = /IN \(([^)]*)\)/.exec(sql.slice(i));
    return [...m![1].matchAll(/'([^']+)'/g)].map((x) => x[1]).sort();
  };
  const cases: { name: string; query: string; after: string; names: string[] }[] = [
    { name: 'trail tampering', query: 'logging-tampering', after: "'cloudtrail.amazonaws.com' AND eventName", names: names('logging-tampering', 0) },
    { name: 'account public-access block', query: 'logging-tampering', after: "'s3.amazonaws.com' AND eventName", names: names('logging-tampering', 1) },
    { name: 'bucket tampering', query: 'logging-tampering', after: 'AND eventName IN', names: names('logging-tampering', 2) },
    { name: 'IAM policy changes', query: 'iam-policy-changes', after: 'AND eventName IN', names: names('iam-policy-changes') },
    { name: 'role assumptions', query: 'role-assumptions', after: 'AND eventName IN', names: names('role-assumptions') },
    { name: 'access keys', query: 'access-key-events', after: 'AND eventName IN', names: names('access-key-events') },
    { name: 'sign-ins', query: 'console-logins', after: 'AND eventName IN', names: names('sign-ins') },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.ok(c.names.length > 0, 'the definition names events');
      const sql = queries.get(c.query)!.template;
      // The bucket list is the third IN of logging-tampering: skip past the first two lines.
      const from = c.name === 'bucket tampering' ? sql.slice(sql.indexOf('PutBucketPolicy') - 40) : sql;
      assert.deepEqual(inList(from, c.after), c.names);
    });
  }
});

describe('rendering refuses values that could change the SQL', () => {
  const q: LakeQuery = { id: 't', path: 't.sql', template: 'SELECT 1 FROM {{eventDataStore}} WHERE b IN ({{trailBuckets}})' };
  const p = PERIODS[0];
  const cases: { name: string; eventDataStore: string; trailBuckets?: string[]; ok: boolean }[] = [
    { name: 'plain id', eventDataStore: 'EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE', ok: true },
    { name: 'ARN', eventDataStore: 'arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-f852', ok: true },
    { name: 'quote in id', eventDataStore: "x' OR 1=1 --", ok: false },
    { name: 'quote in bucket', eventDataStore: 'abc', trailBuckets: ["b' OR '1"], ok: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = () => renderLakeQuery(q, { eventDataStore: c.eventDataStore, period: p, trailBuckets: c.trailBuckets });
      if (c.ok) assert.match(run(), /FROM EXAMPLE-f852/);
      else assert.throws(run, /is not an/);
    });
  }
  it('no trail buckets: the list is NULL and matches nothing', () => {
    assert.match(renderLakeQuery(q, { eventDataStore: 'abc', period: p }), /IN \(NULL\)/);
  });
});
