// `evidence-pack athena-ddl`: the table an Athena user creates unchanged over a trail's folder — parsed as Hive DDL,
// created on DuckDB, holding every column the Athena SQL of the detections reads.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { cli } from '../support/cli.js';
import { duckType, parseDdl, type HiveType } from '../support/athena.js';
import { loadSelections } from '../../src/detections/definitions.js';
import { fieldsOf } from '../../src/detections/predicate.js';

describe('athena-ddl: locations', () => {
  const cases: { name: string; args: string[]; code: number; out?: RegExp[]; err?: RegExp }[] = [
    {
      name: 'organization trail: account, region and day partitions',
      args: ['s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/'],
      code: 0,
      out: [/^CREATE EXTERNAL TABLE `cloudtrail_logs` \(/, /PARTITIONED BY \(`account` STRING, `region` STRING, `timestamp` STRING\)/, /'projection\.account\.type'='injected'/, /LOCATION 's3:\/\/org-trail-logs\/AWSLogs\/o-a1b2c3d4e5\/'/],
    },
    {
      name: 'organization trail with its accounts: enum projection',
      args: ['s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5', '--accounts', '444455556666,111122223333', '--accounts', '777788889999', '--regions', 'eu-west-1'],
      code: 0,
      out: [/'projection\.account\.values'='111122223333,444455556666,777788889999'/, /'projection\.region\.values'='eu-west-1'/],
    },
    {
      name: 'one account, a key prefix, a database',
      args: ['s3://trail-logs/audit/AWSLogs/111122223333/', '--table', 'security.cloudtrail', '--from', '2024/01/01'],
      code: 0,
      out: [/^CREATE EXTERNAL TABLE `security`\.`cloudtrail`/, /PARTITIONED BY \(`region` STRING, `timestamp` STRING\)/, /LOCATION 's3:\/\/trail-logs\/audit\/AWSLogs\/111122223333\/CloudTrail\/'/, /'projection\.timestamp\.range'='2024\/01\/01,NOW'/],
    },
    { name: 'not an s3:// URL', args: ['/var/log/cloudtrail'], code: 2, err: /is not an s3:\/\/ URL/ },
    { name: 'no AWSLogs level', args: ['s3://trail-logs/logs/'], code: 2, err: /does not end in AWSLogs\/<o-organization-id>\/ or AWSLogs\/<account-id>\// },
    { name: 'neither an organization nor an account id', args: ['s3://trail-logs/AWSLogs/prod/'], code: 2, err: /"prod" after AWSLogs\/ is neither/ },
    { name: 'a quote in the key prefix never reaches the SQL', args: ["s3://trail-logs/a'b/AWSLogs/111122223333/"], code: 2, err: /holds characters this tool does not write into SQL/ },
    { name: 'a table name Athena would refuse', args: ['s3://trail-logs/AWSLogs/111122223333/', '--table', 'drop table x'], code: 2, err: /is not an Athena table name/ },
    { name: 'an account id that is not one', args: ['s3://trail-logs/AWSLogs/o-a1b2c3d4e5/', '--accounts', '1234'], code: 2, err: /"1234" is not a 12-digit account id/ },
  ];
  for (const c of cases)
    it(c.name, () => {
      const r = cli(['athena-ddl', ...c.args]);
      assert.equal(r.code, c.code, r.stderr);
      for (const re of c.out ?? []) assert.match(r.stdout, re);
      if (c.err) {
        assert.match(r.stderr, c.err);
        assert.equal(r.stdout, '');
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
    });
});

describe('athena-ddl: a table Athena creates unchanged', () => {
  const ddl = cli(['athena-ddl', 's3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/']).stdout;
  const t = parseDdl(ddl);

  it('is well-formed Hive DDL: the JsonSerDe, the CloudTrail input format, no statement separator', () => {
    assert.equal(t.table, 'cloudtrail_logs');
    assert.doesNotMatch(ddl, /;/);
  });

  it('holds the columns of the AWS-documented CloudTrail table', () => {
    const names = t.columns.map((c) => c.name);
    for (const c of ['eventversion', 'useridentity', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent', 'errorcode', 'errormessage', 'requestparameters', 'responseelements', 'additionaleventdata', 'requestid', 'eventid', 'readonly', 'resources', 'eventtype', 'apiversion', 'recipientaccountid', 'serviceeventdetails', 'sharedeventid', 'vpcendpointid', 'vpcendpointaccountid', 'eventcategory', 'addendum', 'sessioncredentialfromconsole', 'edgedevicedetails', 'tlsdetails'])
      assert.ok(names.includes(c), c);
  });

  it('holds every field the detections read (struct fields, or inside a JSON column)', () => {
    const json = new Set(['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails']);
    const find = (path: string[]): boolean => {
      let type: HiveType | undefined = t.columns.find((c) => c.name === path[0])?.type;
      if (!type) return false;
      if (json.has(path[0])) return true;
      for (const step of path.slice(1)) {
        if (type?.kind !== 'struct') return false;
        type = type.fields.find((f) => f.name === step)?.type;
      }
      return type !== undefined;
    };
    const fields = new Set(loadSelections().flatMap((d) => [...fieldsOf(d.select.where)]));
    for (const f of ['eventID', 'eventTime', 'errorCode', 'recipientAccountId', 'userIdentity.accessKeyId', 'userIdentity.sessionContext.attributes.mfaAuthenticated', 'userIdentity.sessionContext.sessionIssuer.userName', 'additionalEventData.MFAUsed']) fields.add(f);
    for (const f of fields) assert.ok(find(f.toLowerCase().split('.')), `${f} is a column of the table`);
  });

  it('partition projection covers the delivery layout: every partition in the template, the template under the location', () => {
    const tpl = t.properties['storage.location.template'];
    assert.equal(tpl, `${t.location}\${account}/CloudTrail/\${region}/\${timestamp}`);
    for (const p of t.partitions) assert.ok(t.properties[`projection.${p}.type`], `projection.${p}.type`);
    assert.equal(t.properties['projection.timestamp.format'], 'yyyy/MM/dd');
    assert.equal(t.properties['projection.enabled'], 'true');
  });

  it('its column types create a table (DuckDB)', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`CREATE TABLE ct (${t.columns.map((c) => `"${c.name}" ${duckType(c.type)}`).join(', ')})`);
    const cols = (await db.runAndReadAll(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'ct'`)).getRowObjectsJson();
    assert.equal(Number(cols[0].n), t.columns.length);
    db.closeSync();
  });
});
