// The Athena table over a CloudTrail bucket: AWS's documented CloudTrail table (Athena User Guide, "Create the table for
// CloudTrail logs in Athena using partition projection"), for one account's or an organization trail's layout
// (AWSLogs/<o-id>/<account>/CloudTrail/<region>/yyyy/MM/dd), with partition projection, so no partition is ever added
// by hand. The SQL of the Athena engine (src/detections/sql.ts athenaDialect) reads this table's columns.

import { EvidencePackError } from '../../errors.js';

/** Commercial AWS Regions (2026); a region without logs costs nothing, as projection only names paths. */
export const AWS_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ca-central-1',
  'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
] as const;

/** Where a trail delivers: `s3://<bucket>/[<prefix>/]AWSLogs/<account or o-id>/`. */
export interface TrailLocation {
  bucket: string;
  /** The trail's S3 key prefix with its trailing slash, or ''. */
  keyPrefix: string;
  /** Organization trail: the organization id (`o-…`); the account level comes next. */
  organizationId?: string;
  /** Single-account layout: the account id. */
  accountId?: string;
}

export class AthenaDdlError extends EvidencePackError {
  constructor(message: string, hint: string) {
    super('USAGE', message, { hint });
  }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Key prefixes are written into SQL string literals: only characters that need no escaping. */
const PREFIX_SEGMENT = /^[A-Za-z0-9!_.*()-]+$/;

export function parseTrailLocation(url: string): TrailLocation {
  const hint = 'give the folder a trail delivers to: s3://<bucket>/[<prefix>/]AWSLogs/<o-organization-id>/ (organization trail) or s3://<bucket>/[<prefix>/]AWSLogs/<account-id>/';
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(url.trim());
  if (!m) throw new AthenaDdlError(`"${url}" is not an s3:// URL`, hint);
  const [, bucket, path] = m;
  if (!BUCKET.test(bucket)) throw new AthenaDdlError(`"${bucket}" is not an S3 bucket name`, hint);
  const parts = path.split('/').filter((p) => p !== '');
  const at = parts.lastIndexOf('AWSLogs');
  if (at < 0 || parts.length !== at + 2) throw new AthenaDdlError(`"${url}" does not end in AWSLogs/<o-organization-id>/ or AWSLogs/<account-id>/`, hint);
  const prefix = parts.slice(0, at);
  for (const p of prefix) if (!PREFIX_SEGMENT.test(p)) throw new AthenaDdlError(`the key prefix "${prefix.join('/')}" holds characters this tool does not write into SQL`, 'letters, digits and !_.*()- only');
  const keyPrefix = prefix.length ? prefix.join('/') + '/' : '';
  const id = parts[at + 1];
  if (/^o-[a-z0-9]{10,32}$/.test(id)) return { bucket, keyPrefix, organizationId: id };
  if (/^\d{12}$/.test(id)) return { bucket, keyPrefix, accountId: id };
  throw new AthenaDdlError(`"${id}" after AWSLogs/ is neither an organization id (o-…) nor a 12-digit account id`, hint);
}

export interface AthenaTableOptions {
  /** `cloudtrail_logs` unless given; `database.table` or `table`. */
  table?: string;
  /** Organization trails: the member accounts (enum projection). Absent: `injected` (queries name the accounts). */
  accounts?: string[];
  /** Regions to project (default: every commercial Region). */
  regions?: string[];
  /** First day of the projection range, yyyy/MM/dd (default 2013/11/01, CloudTrail's launch). */
  from?: string;
}

/** `db.table` → "db"."table"-style validated name (Athena identifiers: lower case, digits, underscore). */
export function athenaTableName(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || parts.some((p) => !/^[a-z_][a-z0-9_]{0,254}$/.test(p)))
    throw new AthenaDdlError(`"${name}" is not an Athena table name`, 'lower-case letters, digits and _ (database.table or table)');
  return parts.map((p) => `\`${p}\``).join('.');
}

/** The columns of AWS's documented CloudTrail table, plus sessioncontext.sourceidentity and .assumedroot (AssumeRoot sessions). */
const COLUMNS = `  eventversion STRING,
  useridentity STRUCT<
    type: STRING,
    principalid: STRING,
    arn: STRING,
    accountid: STRING,
    invokedby: STRING,
    accesskeyid: STRING,
    username: STRING,
    onbehalfof: STRUCT<
      userid: STRING,
      identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<
        mfaauthenticated: STRING,
        creationdate: STRING>,
      sessionissuer: STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        username: STRING>,
      sourceidentity: STRING,
      ec2roledelivery: STRING,
      webidfederationdata: STRUCT<
        federatedprovider: STRING,
        attributes: MAP<STRING,STRING>>,
      assumedroot: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<
    arn: STRING,
    accountid: STRING,
    type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  vpcendpointaccountid STRING,
  eventcategory STRING,
  addendum STRUCT<
    reason: STRING,
    updatedfields: STRING,
    originalrequestid: STRING,
    originaleventid: STRING>,
  sessioncredentialfromconsole STRING,
  edgedevicedetails STRING,
  tlsdetails STRUCT<
    tlsversion: STRING,
    ciphersuite: STRING,
    clientprovidedhostheader: STRING>`;

/** The partition columns of a location's table, outermost first. */
export function partitionsOf(loc: TrailLocation): string[] {
  return loc.organizationId ? ['account', 'region', 'timestamp'] : ['region', 'timestamp'];
}

/** CREATE EXTERNAL TABLE for the trail's folder, with partition projection over its layout. */
export function athenaDdl(loc: TrailLocation, opts: AthenaTableOptions = {}): string {
  const table = athenaTableName(opts.table ?? 'cloudtrail_logs');
  const regions = opts.regions?.length ? opts.regions : [...AWS_REGIONS];
  for (const r of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new AthenaDdlError(`"${r}" is not an AWS Region code`, 'e.g. eu-west-1');
  for (const a of opts.accounts ?? []) if (!/^\d{12}$/.test(a)) throw new AthenaDdlError(`"${a}" is not a 12-digit account id`, 'e.g. 111122223333');
  const from = opts.from ?? '2013/11/01';
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(from)) throw new AthenaDdlError(`"${from}" is not a date in yyyy/MM/dd`, 'e.g. 2024/01/01');
  const root = `s3://${loc.bucket}/${loc.keyPrefix}AWSLogs/${loc.organizationId ?? loc.accountId}/`;
  const template = loc.organizationId ? `${root}\${account}/CloudTrail/\${region}/\${timestamp}` : `${root}CloudTrail/\${region}/\${timestamp}`;
  const props: [string, string][] = [['projection.enabled', 'true']];
  if (loc.organizationId) {
    if (opts.accounts?.length) props.push(['projection.account.type', 'enum'], ['projection.account.values', [...new Set(opts.accounts)].sort().join(',')]);
    else props.push(['projection.account.type', 'injected']);
  }
  props.push(
    ['projection.region.type', 'enum'],
    ['projection.region.values', [...new Set(regions)].sort().join(',')],
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['projection.timestamp.range', `${from},NOW`],
    ['storage.location.template', template],
  );
  return `CREATE EXTERNAL TABLE ${table} (
${COLUMNS}
)
PARTITIONED BY (${partitionsOf(loc).map((p) => `\`${p}\` STRING`).join(', ')})
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${loc.organizationId ? root : `${root}CloudTrail/`}'
TBLPROPERTIES (
${props.map(([k, v]) => `  '${k}'='${v}'`).join(',\n')}
)
`;
}
