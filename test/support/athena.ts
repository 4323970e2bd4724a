// Athena on DuckDB, for tests: the Hive DDL `evidence-pack athena-ddl` prints is parsed (which also checks its syntax)
// and created as a DuckDB table; CloudTrail records are loaded into it as Athena's JsonSerDe reads them (columns and
// struct fields matched case-insensitively, JSON documents kept as text); Trino functions DuckDB lacks are macros.
// An Athena client stand-in answers StartQueryExecution / GetQueryExecution / GetQueryResults as the Athena API
// reference documents them (moto_server accepts these calls but runs no SQL: it cannot return real rows).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';

export type HiveType = { kind: 'string' } | { kind: 'struct'; fields: { name: string; type: HiveType }[] } | { kind: 'array'; of: HiveType } | { kind: 'map'; key: HiveType; value: HiveType };

export interface ParsedDdl {
  table: string;
  columns: { name: string; type: HiveType }[];
  partitions: string[];
  location: string;
  properties: Record<string, string>;
}

function tokens(s: string): string[] {
  return s.match(/`[^`]*`|'[^']*'|[A-Za-z_$][A-Za-z0-9_$]*|[<>(),:.;=]|\S/g) ?? [];
}

/** Parses `CREATE EXTERNAL TABLE name (cols) PARTITIONED BY (…) … LOCATION '…' TBLPROPERTIES (…)`; throws on what Hive would refuse. */
export function parseDdl(ddl: string): ParsedDdl {
  const t = tokens(ddl);
  let i = 0;
  const peek = () => t[i];
  const next = () => {
    if (i >= t.length) throw new Error('DDL ends early');
    return t[i++];
  };
  const expect = (v: string) => {
    const got = next();
    if (got.toUpperCase() !== v.toUpperCase()) throw new Error(`DDL: expected ${v}, got ${got} (token ${i})`);
  };
  const ident = () => {
    const v = next();
    if (!/^(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)$/.test(v)) throw new Error(`DDL: expected a name, got ${v}`);
    return v.replace(/`/g, '').toLowerCase();
  };
  const type = (): HiveType => {
    const k = next().toUpperCase();
    if (k === 'STRING') return { kind: 'string' };
    expect('<');
    if (k === 'ARRAY') {
      const of = type();
      expect('>');
      return { kind: 'array', of };
    }
    if (k === 'MAP') {
      const key = type();
      expect(',');
      const value = type();
      expect('>');
      return { kind: 'map', key, value };
    }
    if (k !== 'STRUCT') throw new Error(`DDL: unknown type ${k}`);
    const fields: { name: string; type: HiveType }[] = [];
    for (;;) {
      const name = ident();
      expect(':');
      fields.push({ name, type: type() });
      const sep = next();
      if (sep === '>') return { kind: 'struct', fields };
      if (sep !== ',') throw new Error(`DDL: expected , or > in STRUCT, got ${sep}`);
    }
  };
  expect('CREATE');
  expect('EXTERNAL');
  expect('TABLE');
  let table = ident();
  while (peek() === '.') {
    next();
    table += '.' + ident();
  }
  expect('(');
  const columns: ParsedDdl['columns'] = [];
  for (;;) {
    columns.push({ name: ident(), type: type() });
    const sep = next();
    if (sep === ')') break;
    if (sep !== ',') throw new Error(`DDL: expected , or ) after a column, got ${sep}`);
  }
  expect('PARTITIONED');
  expect('BY');
  expect('(');
  const partitions: string[] = [];
  for (;;) {
    partitions.push(ident());
    expect('STRING');
    const sep = next();
    if (sep === ')') break;
    if (sep !== ',') throw new Error(`DDL: expected , or ) in PARTITIONED BY, got ${sep}`);
  }
  for (const w of ['ROW', 'FORMAT', 'SERDE']) expect(w);
  if (next() !== "'org.apache.hive.hcatalog.data.JsonSerDe'") throw new Error('DDL: not the JSON SerDe');
  for (const w of ['STORED', 'AS', 'INPUTFORMAT']) expect(w);
  if (next() !== "'com.amazon.emr.cloudtrail.CloudTrailInputFormat'") throw new Error('DDL: not the CloudTrail input format');
  expect('OUTPUTFORMAT');
  next();
  expect('LOCATION');
  const location = next().slice(1, -1);
  expect('TBLPROPERTIES');
  expect('(');
  const properties: Record<string, string> = {};
  for (;;) {
    const k = next();
    expect('=');
    const v = next();
    if (!k.startsWith("'") || !v.startsWith("'")) throw new Error(`DDL: property ${k}=${v} is not two strings`);
    properties[k.slice(1, -1)] = v.slice(1, -1);
    const sep = next();
    if (sep === ')') break;
    if (sep !== ',') throw new Error(`DDL: expected , or ) in TBLPROPERTIES, got ${sep}`);
  }
  if (i !== t.length) throw new Error(`DDL: text after TBLPROPERTIES: ${t.slice(i).join(' ')}`);
  return { table, columns, partitions, location, properties };
}

export function duckType(t: HiveType): string {
  switch (t.kind) {
    case 'string':
      return 'VARCHAR';
    case 'array':
      return `${duckType(t.of)}[]`;
    case 'map':
      return `MAP(${duckType(t.key)}, ${duckType(t.value)})`;
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `"${f.name}" ${duckType(f.type)}`).join(', ')})`;
  }
}

/** A JSON value as the JsonSerDe reads it into a column of type `t` (missing: null). */
function serde(v: unknown, t: HiveType): unknown {
  if (v === undefined || v === null) return null;
  switch (t.kind) {
    case 'string':
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'array':
      return Array.isArray(v) ? v.map((x) => serde(x, t.of)) : null;
    case 'map':
      return typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, serde(x, t.value)])) : null;
    case 'struct': {
      if (typeof v !== 'object' || Array.isArray(v)) return null;
      const lower = new Map(Object.entries(v).map(([k, x]) => [k.toLowerCase(), x]));
      return Object.fromEntries(t.fields.map((f) => [f.name, serde(lower.get(f.name), f.type)]));
    }
  }
}

/** Creates the DDL's table in DuckDB (as `tableName`) holding `records`, each with its object path and partitions. */
export async function loadAthenaTable(db: DuckDBConnection, ddl: ParsedDdl, tableName: string, dir: string, records: { record: Record<string, unknown>; path: string; partitions: Record<string, string> }[]): Promise<void> {
  const lines = records.map(({ record, path, partitions }) => {
    const lower = new Map(Object.entries(record).map(([k, x]) => [k.toLowerCase(), x]));
    const row: Record<string, unknown> = Object.fromEntries(ddl.columns.map((c) => [c.name, serde(lower.get(c.name), c.type)]));
    row.$path = path;
    for (const p of ddl.partitions) row[p] = partitions[p] ?? null;
    return JSON.stringify(row);
  });
  const file = join(dir, `${tableName}.ndjson`);
  writeFileSync(file, lines.join('\n') + '\n');
  const spec = [...ddl.columns.map((c) => `"${c.name}": '${duckType(c.type)}'`), `"$path": 'VARCHAR'`, ...ddl.partitions.map((p) => `"${p}": 'VARCHAR'`)].join(', ');
  await db.run(`CREATE TABLE ${tableName} AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`);
}

/** Trino functions the Athena SQL uses that DuckDB names otherwise (same meaning on the values the engine reads). */
export async function trinoMacros(db: DuckDBConnection): Promise<void> {
  await db.run(`CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`);
  await db.run(`CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)`);
}
