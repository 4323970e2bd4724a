// CloudTrail Lake through StartQuery / GetQueryResults (moto lacks Lake: answered on the wire as the API reference
// documents them): polling, paging, failures and bounds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsCaller } from '../../src/collect/aws/calls.js';
import { runLakeQueries, runLakeQuery, type LakeQuery } from '../../src/collect/aws/lake.js';
import type { Sender } from '../../src/collect/aws/calls.js';
import { CALLER, emptyState, emulatorOnly, HOME } from '../support/aws-world.js';
import { denyPolicy, type Emulated, type WireOptions, type WireOp } from '../support/aws-wire.js';
import { QUARTER } from './helpers.js';

const where = { account: CALLER, region: HOME };
const noSleep = async () => {};
const row = (id: string) => [{ eventID: id }, { eventTime: '2026-08-01 10:00:00.000' }, { eventName: 'ConsoleLogin' }];
const stats = { ResultsCount: 1, TotalResultsCount: 3, BytesScanned: 1024 };

/** A CloudTrail client whose StartQuery / GetQueryResults answer as `script` says, in order. */
function lake(script: { start?: Emulated; results?: object[] | Emulated }, opts: WireOptions = {}): { client: Sender; received: WireOp[] } {
  const answers = Array.isArray(script.results) ? [...script.results] : undefined;
  const results: Emulated = typeof script.results === 'function' ? script.results : () => (answers!.length > 1 ? answers!.shift()! : answers![0]);
  const { wire, clients } = emulatorOnly(emptyState(), { ...opts, emulate: { 'cloudtrail:StartQuery': script.start ?? (() => ({ QueryId: 'q-1' })), 'cloudtrail:GetQueryResults': results } });
  return { client: clients('cloudtrail', HOME), received: wire.received };
}

describe('runLakeQuery', () => {
  it('polls while QUEUED / RUNNING, then reads every page', async () => {
    const { client, received } = lake({
      results: [
        { QueryStatus: 'QUEUED' },
        { QueryStatus: 'RUNNING', QueryStatistics: { ...stats, ResultsCount: 0 } },
        { QueryStatus: 'FINISHED', QueryStatistics: stats, QueryResultRows: [row('e1'), row('e2')], NextToken: 'n2' },
        { QueryStatus: 'FINISHED', QueryStatistics: stats, QueryResultRows: [row('e3')] },
      ],
    });
    const rows = await runLakeQuery('SELECT 1', 'console-logins', { caller: new AwsCaller(), client, where, sleep: noSleep });
    assert.deepEqual(rows.map((r) => r.eventID), ['e1', 'e2', 'e3']);
    assert.equal(received.find((o) => o.api === 'cloudtrail:StartQuery')!.input.QueryStatement, 'SELECT 1');
    assert.deepEqual(received.filter((o) => o.api === 'cloudtrail:GetQueryResults').map((o) => o.input.NextToken), [undefined, undefined, undefined, 'n2']);
  });

  const failures: { name: string; script: Parameters<typeof lake>[0]; wire?: WireOptions; opts?: object; message: RegExp }[] = [
    { name: 'query FAILED', script: { results: [{ QueryStatus: 'FAILED', ErrorMessage: 'Query failed: line 3: column foo does not exist' }] }, message: /ended FAILED: Query failed: line 3/ },
    { name: 'query TIMED_OUT', script: { results: [{ QueryStatus: 'TIMED_OUT' }] }, message: /ended TIMED_OUT/ },
    { name: 'still running after the poll limit', script: { results: [{ QueryStatus: 'RUNNING' }] }, opts: { maxPolls: 3 }, message: /still RUNNING after 3 polls/ },
    { name: 'more rows than the bound: an error, not a truncation', script: { results: [{ QueryStatus: 'FINISHED', QueryResultRows: [row('a'), row('b'), row('c')], NextToken: 'more' }] }, opts: { maxRows: 2 }, message: /more than 2 rows/ },
    { name: 'AccessDenied on StartQuery (the identity policy denies it)', script: { results: [] }, wire: { policy: () => denyPolicy('cloudtrail:StartQuery') }, message: /cloudtrail:StartQuery in 123456789012\/eu-west-1 \(q\) failed: AccessDeniedException: .*not authorized to perform: cloudtrail:StartQuery/ },
  ];
  for (const f of failures) {
    it(f.name, async () => {
      const { client } = lake(f.script, f.wire);
      await assert.rejects(runLakeQuery('SELECT 1', 'q', { caller: new AwsCaller({ maxAttempts: 1 }), client, where, sleep: noSleep, ...f.opts }), f.message);
    });
  }

  it('an unknown event data store: EventDataStoreNotFoundException, as Lake answers', async () => {
    const { wire, clients } = emulatorOnly();
    await assert.rejects(runLakeQuery('SELECT eventID FROM EXAMPLE-0000', 'q', { caller: new AwsCaller({ maxAttempts: 1 }), client: clients('cloudtrail', HOME), where, sleep: noSleep }), /EventDataStoreNotFoundException/);
    await wire.close();
  });
});

describe('runLakeQueries', () => {
  it('a failing query is reported and the others still run', async () => {
    const queries: LakeQuery[] = [
      { id: 'a', path: 'a.sql', template: "SELECT 'a' FROM {{eventDataStore}} WHERE eventTime >= '{{start}}' AND eventTime < '{{end}}'" },
      { id: 'b', path: 'b.sql', template: 'SELECT b FROM {{eventDataStore}}' },
    ];
    const { client, received } = lake({
      start: (op) => ({ QueryId: String(op.input.QueryStatement).includes("'a'") ? 'qa' : 'qb' }),
      results: (op) => (op.input.QueryId === 'qa' ? { QueryStatus: 'FINISHED', QueryResultRows: [row('e1')] } : { QueryStatus: 'FAILED', ErrorMessage: 'column b does not exist' }),
    });
    const r = await runLakeQueries({ caller: new AwsCaller(), client, where, eventDataStore: 'EXAMPLE-f852', period: QUARTER, queries, sleep: noSleep });
    assert.deepEqual(Object.keys(r.rows), ['a']);
    assert.deepEqual(r.failures.map((x) => x.query), ['b']);
    assert.equal(received.find((o) => o.api === 'cloudtrail:StartQuery')!.input.QueryStatement, "SELECT 'a' FROM EXAMPLE-f852 WHERE eventTime >= '2026-07-01 00:00:00' AND eventTime < '2026-10-01 00:00:00'");
  });
});
