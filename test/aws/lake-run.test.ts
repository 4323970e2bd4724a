// CloudTrail Lake through StartQuery / GetQueryResults: polling, paging, failures and bounds, mocked at the SDK client.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, CloudTrailServiceException, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudtrail';
import { AwsCaller } from '../../src/collect/aws/calls.js';
import { runLakeQueries, runLakeQuery, type LakeQuery } from '../../src/collect/aws/lake.js';
import { CALLER, HOME, QUARTER, testClients } from './world.js';

const ct = mockClient(CloudTrailClient);
afterEach(() => ct.reset());

const where = { account: CALLER, region: HOME };
const noSleep = async () => {};
const row = (id: string) => [{ eventID: id }, { eventTime: '2026-08-01 10:00:00.000' }, { eventName: 'ConsoleLogin' }];
const stats = { ResultsCount: 1, TotalResultsCount: 3, BytesScanned: 1024 };

describe('runLakeQuery', () => {
  it('polls while QUEUED / RUNNING, then reads every page', async () => {
    ct.on(StartQueryCommand).resolves({ QueryId: 'q-1' });
    ct.on(GetQueryResultsCommand)
      .resolvesOnce({ QueryStatus: 'QUEUED' })
      .resolvesOnce({ QueryStatus: 'RUNNING', QueryStatistics: { ...stats, ResultsCount: 0 } })
      .resolvesOnce({ QueryStatus: 'FINISHED', QueryStatistics: stats, QueryResultRows: [row('e1'), row('e2')], NextToken: 'n2' })
      .resolvesOnce({ QueryStatus: 'FINISHED', QueryStatistics: stats, QueryResultRows: [row('e3')] });
    const caller = new AwsCaller();
    const rows = await runLakeQuery('SELECT 1', 'console-logins', { caller, client: testClients('cloudtrail', HOME), where, sleep: noSleep });
    assert.deepEqual(rows.map((r) => r.eventID), ['e1', 'e2', 'e3']);
    assert.equal(ct.commandCalls(StartQueryCommand)[0].args[0].input.QueryStatement, 'SELECT 1');
    assert.deepEqual(ct.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken), [undefined, undefined, undefined, 'n2']);
  });

  const failures: { name: string; setup: () => void; opts?: object; message: RegExp }[] = [
    { name: 'query FAILED', setup: () => ct.on(GetQueryResultsCommand).resolves({ QueryStatus: 'FAILED', ErrorMessage: 'Query failed: line 3: column foo does not exist' }), message: /ended FAILED: Query failed: line 3/ },
    { name: 'query TIMED_OUT', setup: () => ct.on(GetQueryResultsCommand).resolves({ QueryStatus: 'TIMED_OUT' }), message: /ended TIMED_OUT/ },
    { name: 'still running after the poll limit', setup: () => ct.on(GetQueryResultsCommand).resolves({ QueryStatus: 'RUNNING' }), opts: { maxPolls: 3 }, message: /still RUNNING after 3 polls/ },
    { name: 'more rows than the bound: an error, not a truncation', setup: () => ct.on(GetQueryResultsCommand).resolves({ QueryStatus: 'FINISHED', QueryResultRows: [row('a'), row('b'), row('c')], NextToken: 'more' }), opts: { maxRows: 2 }, message: /more than 2 rows/ },
    { name: 'AccessDenied on StartQuery', setup: () => ct.on(StartQueryCommand).rejects(new CloudTrailServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'not authorized to perform: cloudtrail:StartQuery' })), message: /cloudtrail:StartQuery in 111111111111\/eu-west-1 \(q\) failed: AccessDeniedException/ },
    { name: 'unknown event data store', setup: () => ct.on(StartQueryCommand).rejects(new CloudTrailServiceException({ name: 'EventDataStoreNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'The specified event data store was not found.' })), message: /EventDataStoreNotFoundException/ },
  ];
  for (const f of failures) {
    it(f.name, async () => {
      ct.on(StartQueryCommand).resolves({ QueryId: 'q-1' });
      f.setup();
      await assert.rejects(runLakeQuery('SELECT 1', 'q', { caller: new AwsCaller({ maxAttempts: 1 }), client: testClients('cloudtrail', HOME), where, sleep: noSleep, ...f.opts }), f.message);
    });
  }
});

describe('runLakeQueries', () => {
  it('a failing query is reported and the others still run', async () => {
    const queries: LakeQuery[] = [
      { id: 'a', path: 'a.sql', template: "SELECT 'a' FROM {{eventDataStore}} WHERE eventTime >= '{{start}}' AND eventTime < '{{end}}'" },
      { id: 'b', path: 'b.sql', template: 'SELECT b FROM {{eventDataStore}}' },
    ];
    ct.on(StartQueryCommand).callsFake((input) => ({ QueryId: input.QueryStatement.includes("'a'") ? 'qa' : 'qb' }));
    ct.on(GetQueryResultsCommand).callsFake((input) => (input.QueryId === 'qa' ? { QueryStatus: 'FINISHED', QueryResultRows: [row('e1')] } : { QueryStatus: 'FAILED', ErrorMessage: 'column b does not exist' }));
    const r = await runLakeQueries({ caller: new AwsCaller(), client: testClients('cloudtrail', HOME), where, eventDataStore: 'EXAMPLE-f852', period: QUARTER, queries, sleep: noSleep });
    assert.deepEqual(Object.keys(r.rows), ['a']);
    assert.deepEqual(r.failures.map((x) => x.query), ['b']);
    assert.equal(ct.commandCalls(StartQueryCommand)[0].args[0].input.QueryStatement, "SELECT 'a' FROM EXAMPLE-f852 WHERE eventTime >= '2026-07-01 00:00:00' AND eventTime < '2026-10-01 00:00:00'");
  });
});
