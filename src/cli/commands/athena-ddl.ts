// `evidence-pack athena-ddl s3://bucket/AWSLogs/o-xxxx/`: prints the Athena CloudTrail table over a trail's folder.

import type { Command } from 'commander';
import { athenaDdl, parseTrailLocation } from '../../collect/athena/ddl.js';

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command('athena-ddl')
    .description('print the Athena table (CREATE EXTERNAL TABLE, partition projection) over the CloudTrail folder of a trail or organization trail')
    .argument('<s3-url>', 's3://<bucket>/[<prefix>/]AWSLogs/<o-organization-id>/ or …/AWSLogs/<account-id>/')
    .option('--table <name>', 'table name, or database.table', 'cloudtrail_logs')
    .option('--accounts <ids>', 'organization trail: member account ids (comma-separated, repeatable); without them the account partition is injected, and queries must name the accounts', list)
    .option('--regions <codes>', 'Regions to project (comma-separated, repeatable; default: every commercial Region)', list)
    .option('--from <yyyy/MM/dd>', 'first day of the projection range', '2013/11/01')
    .addHelpText(
      'after',
      `
The table is AWS's documented CloudTrail table (Athena User Guide, "Create the table for CloudTrail logs in
Athena using partition projection"), with partition projection over the delivery layout:
  AWSLogs/<o-id>/<account>/CloudTrail/<region>/yyyy/MM/dd   (organization trail: partitions account, region, timestamp)
  AWSLogs/<account>/CloudTrail/<region>/yyyy/MM/dd          (one account: partitions region, timestamp)
No partition is ever added by hand. Queries of the athena engine always name the period's days.

Examples:
  $ evidence-pack athena-ddl s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/ --accounts 111122223333,444455556666
  $ evidence-pack athena-ddl s3://trail-logs/AWSLogs/111122223333/ --table security.cloudtrail_logs > table.sql
  $ aws athena start-query-execution --work-group primary --query-string file://table.sql`,
    )
    .action((url: string, opts: { table: string; accounts?: string[]; regions?: string[]; from: string }) => {
      process.stdout.write(athenaDdl(parseTrailLocation(url), opts));
    });
}
