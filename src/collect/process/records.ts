// Reads process record files (YAML, JSON, Markdown front matter, CSV), validates each record against its schema, keeps line numbers.

import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseCsv } from 'csv-parse/sync';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { SourceLocation } from '../../model/location.js';
import type { ProcessFile } from '../../model/process.js';
import { MAPPINGS_DIR } from '../../paths.js';
import { detectSecret, findSecrets, lineSecrets, redact, type SecretHit } from './secrets.js';
import type { EvidenceKind } from '../../model/evidence.js';
import { CoverageRecorder, type SkipReason } from '../../model/coverage.js';
import { DEFAULT_MAX_FILE_BYTES, InputRoots, readFailure, readInputFile } from '../input-files.js';

export type Path = (string | number)[];

/** One record as read: its data, where it is, and how to locate any of its fields. */
export interface RawRecord {
  data: Record<string, unknown>;
  at: SourceLocation;
  /** Location of a field of this record (falls back to the nearest existing parent). */
  locate(path: Path): SourceLocation;
  /** Folder of the file, for paths written relative to it. */
  fileDir: string;
  /** Schema errors of this record (already reported): the record is rejected, after its other fields are checked too. */
  schemaErrors?: string[];
}

export interface LoadedFiles {
  records: RawRecord[];
  files: ProcessFile[];
  problems: EvidenceProblem[];
  rejected: number;
  /** Bytes to keep in the pack per file: the original, or a redacted copy when secrets were found. */
  copies: { path: string; bytes: Buffer }[];
  /** What was listed, read, skipped and dropped; normalisers add the records they reject. */
  coverage: CoverageRecorder;
}

export interface LoadOptions {
  /** Files or folders, absolute. */
  paths: string[];
  baseDir: string;
  /** The evidence kind and source name the coverage is recorded under. */
  kind: EvidenceKind;
  source: string;
  /** Folders symlinks may lead into (default: `paths`). */
  roots?: InputRoots;
  /** Largest file read (config `limits.maxFileBytes`). */
  maxFileBytes?: number;
  /** File in mappings/schemas/ that each record must match. */
  schema: string;
  /** `list`: a file holds one record or a list of them; `single`: the file is one document. */
  shape: 'list' | 'single';
  /** Field that lists records inside a mapping (e.g. `reviews:`), accepted besides a bare list. */
  listKey?: string;
  csv?: boolean;
  /** Fills fields from the Markdown body (e.g. lessons learned) before validation. */
  fromMarkdownBody?: (data: Record<string, unknown>, body: string) => void;
}

const validators = new Map<string, ValidateFunction>();
export function schemaValidator(schemaFile: string): ValidateFunction {
  let v = validators.get(schemaFile);
  if (!v) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    v = ajv.compile(JSON.parse(readFileSync(join(MAPPINGS_DIR, 'schemas', schemaFile), 'utf8')));
    validators.set(schemaFile, v);
  }
  return v;
}

const RECORD_EXTENSIONS = ['.yaml', '.yml', '.json', '.md', '.markdown'];

/**
 * Files named by the config: a file as is, a folder's record files (sorted, not into dot folders). Symlinks
 * are followed inside `roots` only; special files, symlinks leading outside and unreadable folders are skipped.
 */
export function listFiles(paths: string[], extensions: string[], roots: InputRoots = new InputRoots(paths)): { files: string[]; skipped: { path: string; skip: SkipReason; reason: string }[] } {
  const files: string[] = [];
  const skipped: { path: string; skip: SkipReason; reason: string }[] = [];
  for (const p of paths) {
    const r = roots.walk(p, { accept: (name) => !name.startsWith('.') && extensions.includes(extname(name).toLowerCase()), descend: (_path, name) => !name.startsWith('.') });
    files.push(...r.files.map((f) => f.path));
    skipped.push(...r.skipped);
  }
  return { files: [...new Set(files)], skipped };
}

function pointerSegments(pointer: string): Path {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function fieldName(path: Path): string {
  return path.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '') || '(record)';
}

/** One line per ajv error: the field and what was expected. */
export function describeSchemaErrors(errors: ErrorObject[]): { path: Path; message: string }[] {
  const out = new Map<string, { path: Path; message: string }>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const path = pointerSegments(e.instancePath);
    let message: string;
    if (e.keyword === 'required') {
      const key = (e.params as { missingProperty: string }).missingProperty;
      message = `${fieldName([...path, key])}: missing required field`;
    } else if (e.keyword === 'additionalProperties') {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      message = `${fieldName([...path, key])}: unknown field "${key}"`;
      path.push(key);
    } else if (e.keyword === 'enum') {
      message = `${fieldName(path)}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    } else {
      message = `${fieldName(path)}: ${e.message}`;
    }
    out.set(message, { path, message });
  }
  return [...out.values()];
}

interface ParsedFile {
  /** Records with their path inside the document (e.g. [] or [3] or ['reviews', 3]). */
  items: { data: unknown; path: Path }[];
  locate(path: Path): { line?: number; column?: number };
  secrets: SecretHit[];
  redacted?: string;
}

function parseYamlLike(text: string, opts: LoadOptions, lineOffset: number, charOffset: number): ParsedFile | string {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    return `line ${pos.line + lineOffset}, column ${pos.col}: ${e.message.split('\n')[0]}`;
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // Aliases that expand without bound (a YAML bomb): the file is not read.
    return `${(e as Error).message} (YAML aliases that expand without bound)`;
  }
  const locate = (path: Path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lines.linePos(node.range[0]);
        return { line: pos.line + lineOffset, column: pos.col };
      }
    }
    return {};
  };
  let items: { data: unknown; path: Path }[];
  if (opts.shape === 'single') items = [{ data, path: [] }];
  else if (Array.isArray(data)) items = data.map((d, i) => ({ data: d, path: [i] }));
  else if (opts.listKey && data && typeof data === 'object' && Array.isArray((data as Record<string, unknown>)[opts.listKey])) {
    items = ((data as Record<string, unknown>)[opts.listKey] as unknown[]).map((d, i) => ({ data: d, path: [opts.listKey!, i] }));
  } else items = [{ data, path: [] }];
  return { items, locate, secrets: findSecrets(doc, lines, charOffset, lineOffset) };
}

/** Credential-shaped tokens in free text (Markdown bodies), by value shape only. */
function textSecrets(text: string, charOffset: number, lineOffset: number, field: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const re = /\S{16,}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const token = m[0].replace(/^[`"'(]+|[`"'),.;:]+$/g, '');
    const detector = detectSecret(undefined, token);
    if (!detector) continue;
    const start = m.index + m[0].indexOf(token);
    const line = text.slice(0, start).split('\n').length;
    hits.push({ field, detector, line: line + lineOffset, column: start - text.lastIndexOf('\n', start - 1), range: [start + charOffset, start + charOffset + token.length], plain: true });
  }
  return hits;
}

function parseMarkdown(text: string, opts: LoadOptions): ParsedFile | string {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  if (!m) return 'line 1: no YAML front matter (the file must start with a line "---", the record fields, and a closing "---")';
  const fmStart = text.indexOf('\n') + 1;
  const parsed = parseYamlLike(m[1], { ...opts, shape: 'single' }, 1, fmStart);
  if (typeof parsed === 'string') return parsed;
  const bodyStart = m[0].length;
  const body = text.slice(bodyStart);
  const bodyLine = text.slice(0, bodyStart).split('\n').length - 1;
  const data = parsed.items[0].data;
  if (opts.fromMarkdownBody && data && typeof data === 'object' && !Array.isArray(data)) opts.fromMarkdownBody(data as Record<string, unknown>, body.trim());
  return { ...parsed, secrets: [...parsed.secrets, ...textSecrets(body, bodyStart, bodyLine, '(body)')] };
}

function parseCsvFile(text: string): ParsedFile | string {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as typeof rows;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    return `line ${err.lines ?? '?'}: ${err.message}`;
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const secrets: SecretHit[] = [];
  rows.forEach((r, i) => {
    for (const [k, v] of Object.entries(r.record)) {
      const detector = v ? detectSecret(k, v) : undefined;
      if (!detector) continue;
      const lineText = text.slice(lineStarts[r.info.lines - 1] ?? 0, lineStarts[r.info.lines] ?? text.length);
      const col = lineText.indexOf(v);
      const start = (lineStarts[r.info.lines - 1] ?? 0) + Math.max(col, 0);
      secrets.push({ field: `[${i}].${k}`, detector, line: r.info.lines, column: col + 1, range: [start, start + v.length], plain: true });
    }
  });
  return {
    items: rows.map((r, i) => ({ data: Object.fromEntries(Object.entries(r.record).filter(([, v]) => v !== '')), path: [i] })),
    locate: (path) => (typeof path[0] === 'number' ? { line: rows[path[0]]?.info.lines } : {}),
    secrets,
  };
}

export { sha256Hex } from '../../hash.js';
import { sha256Hex } from '../../hash.js';

/** Reads every file, validates every record; invalid records are reported (file, line, field) and dropped, the rest kept. */
export function loadRecordFiles(opts: LoadOptions): LoadedFiles {
  const exts = opts.csv ? [...RECORD_EXTENSIONS, '.csv'] : RECORD_EXTENSIONS;
  const show = (abs: string) => relative(opts.baseDir, abs) || abs;
  const coverage = new CoverageRecorder(opts.kind, opts.source, opts.paths.map(show));
  const listed = listFiles(opts.paths, exts, opts.roots);
  const out: LoadedFiles = { records: [], files: [], problems: [], rejected: 0, copies: [], coverage };
  coverage.list(listed.files.length + listed.skipped.length);
  for (const s of listed.skipped) {
    const display = show(s.path);
    out.problems.push({ level: 'error', message: `${display}: ${s.reason}`, location: { file: display } });
    coverage.skip(display, s.skip, s.reason, { file: display });
  }
  const validate = schemaValidator(opts.schema);
  for (const abs of listed.files) {
    const display = show(abs);
    let bytes: Buffer;
    try {
      bytes = readInputFile(abs, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    } catch (e) {
      const f = readFailure(e);
      out.problems.push({ level: 'error', message: `${display}: ${f.reason}`, location: { file: display } });
      coverage.skip(display, f.skip, f.reason, { file: display });
      continue;
    }
    const text = bytes.toString('utf8');
    const utf8 = isUtf8(bytes);
    if (!utf8) {
      out.problems.push({ level: 'error', message: `${display}: not valid UTF-8 (damaged bytes are read as U+FFFD)`, location: { file: display } });
      coverage.skip(display, 'bad-encoding', 'not valid UTF-8 (damaged bytes are read as U+FFFD)', { file: display });
    }
    const ext = extname(abs).toLowerCase();
    const parsed = ext === '.md' || ext === '.markdown' ? parseMarkdown(text, opts) : ext === '.csv' ? parseCsvFile(text) : parseYamlLike(text, opts, 0, 0);
    // A file that does not parse is still searched line by line: its pack copy is redacted all the same.
    const secrets = typeof parsed === 'string' ? lineSecrets(text) : parsed.secrets;
    out.files.push({
      path: display,
      absPath: abs,
      sha256: sha256Hex(bytes),
      size: bytes.length,
      secrets: secrets.map((s) => ({ field: s.field, detector: s.detector, location: { file: display, line: s.line, column: s.column, pointer: s.field } })),
    });
    out.copies.push({ path: display, bytes: secrets.length ? Buffer.from(redact(text, secrets)) : bytes });
    if (typeof parsed === 'string') {
      const expected = `not readable as ${ext === '.csv' ? 'CSV' : ext === '.md' ? 'Markdown with YAML front matter' : 'YAML/JSON'}`;
      out.problems.push({ level: 'error', message: `${display}: ${expected} — ${parsed}`, location: { file: display } });
      coverage.skip(display, 'not-parseable', `${expected} — ${parsed}`, { file: display });
      out.rejected++;
      continue;
    }
    if (utf8) coverage.read();
    for (const item of parsed.items) {
      const locateAbs = (path: Path): SourceLocation => ({ file: display, ...parsed.locate([...item.path, ...path]), pointer: fieldName([...item.path, ...path]) === '(record)' ? undefined : fieldName([...item.path, ...path]) });
      const at = { ...locateAbs([]), pointer: item.path.length ? fieldName(item.path) : undefined };
      const record: RawRecord = { data: item.data as Record<string, unknown>, at, locate: locateAbs, fileDir: join(abs, '..') };
      if (!validate(item.data)) {
        const errors = describeSchemaErrors(validate.errors ?? []);
        for (const err of errors) {
          const loc = locateAbs(err.path);
          const where = item.path.length ? ` (record ${fieldName(item.path)})` : '';
          out.problems.push({ level: 'error', message: `${display}${loc.line ? `:${loc.line}` : ''}${where}: ${err.message} — record not used`, location: loc });
        }
        // Not a record to use; still handed on, so that its dates and time zones are checked in the same run.
        record.schemaErrors = errors.map((e) => e.message);
        if (!item.data || typeof item.data !== 'object' || Array.isArray(item.data)) record.data = {};
      }
      out.records.push(record);
    }
  }
  return out;
}

/** Records a field-level problem (bad date, duration …) and marks the record rejected. */
export function fieldProblem(rec: RawRecord, path: Path, message: string): EvidenceProblem {
  const loc = rec.locate(path);
  return { level: 'error', message: `${loc.file}${loc.line ? `:${loc.line}` : ''}: ${fieldName(path)}: ${message} — record not used`, location: loc };
}
