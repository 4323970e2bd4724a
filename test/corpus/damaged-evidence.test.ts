// The damaged-evidence corpus: one row per damage × source kind, run through the CLI on a complete sample
// (level5-aurora-sovereign, where every check passes). For every row: no check that reads the damaged source
// passes, the object is named in the terminal summary and in report.json, the exit code is the documented
// one, there is no stack trace, and no partial pack is left behind. Rows run `attest` (the same assessment
// and summary, without rendering the PDF: half the time); rows marked `run` go through `run` and its PDF.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CHECKS } from '../../src/evaluate/checks/index.js';
import type { CheckResult } from '../../src/model/check.js';
import type { SourceCoverage } from '../../src/model/coverage.js';
import type { EvidenceKind } from '../../src/model/evidence.js';
import type { Status } from '../../src/model/status.js';
import { verifyPack } from '../../src/pack/verify.js';
import { CLI } from '../support/cli.js';
import { git } from '../support/git.js';
import { assertDropWorks, giveToUnprivileged, unprivilegedPrefix } from '../support/unprivileged.js';

const SAMPLE = join(import.meta.dirname, '../../samples/level5-aurora-sovereign');

/** The objects the rows damage, relative to the sample's folder. */
const LOG = 'cloudtrail/AWSLogs/384756192837/CloudTrail/eu-west-3/2026/09/08/384756192837_CloudTrail_eu-west-3_20260908T0920Z_dem6LfAfCgUtFTFA.json.gz';
const REGION = 'cloudtrail/AWSLogs/384756192837/CloudTrail/us-east-1';
const DIGEST = 'cloudtrail/AWSLogs/384756192837/CloudTrail-Digest/eu-west-3/2026/09/10/384756192837_CloudTrail-Digest_eu-west-3_aurora-org-audit_eu-west-3_20260910T010000Z.json.gz';
const REVIEW = 'process/reviews/PIR-2026-0981.yaml';
const REVIEW_MD = 'process/reviews/PIR-2026-0917.md';
const STORE = 'process/secret-store.yaml';
const DRILLS = 'process/drills/2026.yaml';
const TICKETS = 'process/tickets/jira-export-2026-09.json';
const APPROVALS = 'process/approvals/2026-09.yaml';
const TF = 'infra/main.tf';

/** Writes a file as a new inode (rows are hard-linked copies of one fixture: never write through a link). */
function put(path: string, bytes: string | Buffer): void {
  if (existsSync(path)) unlinkSync(path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
const text = (path: string, edit: (t: string) => string) => put(path, edit(readFileSync(path, 'utf8')));
const gz = (path: string) => gunzipSync(readFileSync(path));
/** Edits the records of a gzip log object. */
function records(path: string, edit: (r: Record<string, unknown>[]) => unknown): void {
  const doc = JSON.parse(gz(path).toString('utf8')) as { Records: Record<string, unknown>[] };
  put(path, gzipSync(JSON.stringify({ Records: edit(doc.Records) ?? doc.Records })));
}
/** The raw JSON text of a gzip log object, edited. */
const rawLog = (path: string, edit: (t: string) => string) => put(path, gzipSync(edit(gz(path).toString('utf8'))));
/** Makes a private copy of a file (a new inode) so that its mode can change without touching the fixture. */
const own = (path: string) => put(path, readFileSync(path));
const fifo = (path: string) => {
  if (existsSync(path)) unlinkSync(path);
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, `mkfifo ${path}: ${r.stderr}`);
};
/** Replaces a file by a symlink to a copy of it outside the evidence folders. */
function symlinkOut(path: string, outside: string): void {
  const target = join(outside, `${Math.random().toString(36).slice(2)}-${path.split('/').pop()}`);
  writeFileSync(target, readFileSync(path));
  unlinkSync(path);
  symlinkSync(target, path);
}

type Expect =
  /** The damaged source is incomplete: no check reading `kind` passes, `object` is named with `reason`. */
  | { incomplete: EvidenceKind; object: string; reason: string }
  /** Not damage (a control row): the source is complete, and `check` says `status`. */
  | { complete: EvidenceKind; check: string; status: Status }
  /** A user error: exit 2, nothing written, stderr names the problem. */
  | { usage: RegExp };

interface Row {
  name: string;
  /** `digests`: the config that also validates the digest chain (slower; only for digest rows). */
  config?: 'digests';
  /** Appended to the config. */
  configExtra?: string;
  damage: (dir: string, ctx: { outside: string; config: string }) => void;
  /** Run the CLI as an unprivileged user (mode 000 stops reads only then). */
  unprivileged?: boolean;
  /** Through `run` (with the PDF) instead of `attest`. */
  run?: true;
  expect: Expect;
}

const bomb = (n: number) => gzipSync(Buffer.alloc(n, 0x20));

const ROWS: Row[] = [
  // --- CloudTrail log objects -------------------------------------------------------------------------------
  { name: 'log: gzip trailer cut (4 bytes)', run: true, damage: (d) => put(join(d, LOG), readFileSync(join(d, LOG)).subarray(0, -4)), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'truncated' } },
  { name: 'log: gzip cut in half', damage: (d) => put(join(d, LOG), readFileSync(join(d, LOG)).subarray(0, 300)), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'truncated' } },
  { name: 'log: empty object', damage: (d) => put(join(d, LOG), ''), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'not-gzip' } },
  { name: 'log: not gzip (random bytes)', damage: (d) => put(join(d, LOG), Buffer.from('PK\x03\x04 this is a zip, not a log')), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'not-gzip' } },
  { name: 'log: plain JSON under a .gz name', damage: (d) => put(join(d, LOG), gz(join(d, LOG))), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'not-gzip' } },
  { name: 'log: Records is an object', damage: (d) => put(join(d, LOG), gzipSync(JSON.stringify({ Records: { first: 1 } }))), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'wrong-shape' } },
  { name: 'log: Records items are strings', damage: (d) => records(join(d, LOG), (r) => [...r, 'not an event', 42]), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'wrong-types' } },
  { name: 'log: decompression bomb over limits.maxFileBytes', configExtra: 'limits: {maxFileBytes: 1000000}\n', damage: (d) => put(join(d, LOG), bomb(5_000_000)), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'too-large' } },
  { name: 'log: object over limits.maxFileBytes (compressed size)', configExtra: 'limits: {maxFileBytes: 1000}\n', damage: () => {}, expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'too-large' } },
  { name: 'log: unreadable file (non-root)', run: true, unprivileged: true, damage: (d) => chmodSync(join(d, LOG), 0o000), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'unreadable' } },
  { name: 'log: unreadable region folder (non-root)', unprivileged: true, damage: (d) => chmodSync(join(d, REGION), 0o000), expect: { incomplete: 'cloudtrail-logs', object: REGION, reason: 'unreadable' } },
  { name: 'log: symlink to a file outside the evidence folders', damage: (d, c) => symlinkOut(join(d, LOG), c.outside), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'symlink-outside-roots' } },
  { name: 'log: FIFO in place of the object (must not hang)', run: true, damage: (d) => fifo(join(d, LOG)), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'special-file' } },
  { name: 'log: eventTime in no accepted form', damage: (d) => records(join(d, LOG), (r) => void (r[0].eventTime = '08/09/2026 09:10')), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'bad-event-time' } },
  { name: 'log: eventTime missing', damage: (d) => records(join(d, LOG), (r) => void delete r[0].eventTime), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'no-event-time' } },
  { name: 'log: eventName not a string', damage: (d) => records(join(d, LOG), (r) => void (r[0].eventName = 7)), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'wrong-types' } },
  { name: 'log: duplicate eventTime key in a record', damage: (d) => rawLog(join(d, LOG), (t) => t.replace('"eventTime":', '"eventTime":"2026-01-01T00:00:00Z","eventTime":')), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'duplicate-key' } },
  { name: 'log: bad UTF-8 inside a record', damage: (d) => put(join(d, LOG), gzipSync(Buffer.from(gz(join(d, LOG)).toString('latin1').replace('"eventSource":"', '"eventSource":"\xff\xfe'), 'latin1'))), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'bad-encoding' } },
  { name: 'log: a record that is not valid JSON', damage: (d) => rawLog(join(d, LOG), (t) => t.replace('"readOnly":false', '"readOnly":nope').replace('"readOnly":true', '"readOnly":nope')), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'invalid-json' } },
  { name: 'log: JSON cut in the middle of a record', damage: (d) => rawLog(join(d, LOG), (t) => t.slice(0, Math.floor(t.length * 0.6))), expect: { incomplete: 'cloudtrail-logs', object: LOG, reason: 'truncated' } },
  // Controls: not damage — read completely, so the checks still decide.
  { name: 'control: log symlinked inside the evidence folders is followed', damage: (d) => { const t = join(d, 'cloudtrail/moved.bin'); put(t, readFileSync(join(d, LOG))); unlinkSync(join(d, LOG)); symlinkSync(t, join(d, LOG)); }, expect: { complete: 'cloudtrail-logs', check: 'waf-sov-070.logs.break-glass-use-with-mfa', status: 'pass' } },
  { name: 'control: a StopLogging with the export time form "2026-09-08 09:30:00" fails the tampering check', damage: (d) => records(join(d, LOG), (r) => [...r, { ...r[0], eventID: 'aaaaaaaa-0000-4000-8000-000000000001', eventTime: '2026-09-08 09:30:00', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', errorCode: undefined, requestParameters: { name: 'aurora-org-audit' } }]), expect: { complete: 'cloudtrail-logs', check: 'waf-sov-070.logs.no-logging-tampering', status: 'fail' } },

  // --- Digests ----------------------------------------------------------------------------------------------
  { name: 'digest: gzip cut short', config: 'digests', damage: (d) => put(join(d, DIGEST), readFileSync(join(d, DIGEST)).subarray(0, -4)), expect: { incomplete: 'cloudtrail-digests', object: DIGEST, reason: 'not-parseable' } },
  { name: 'digest: not gzip', config: 'digests', damage: (d) => put(join(d, DIGEST), 'not a digest'), expect: { incomplete: 'cloudtrail-digests', object: DIGEST, reason: 'not-parseable' } },
  { name: 'digest: JSON without the required fields', config: 'digests', damage: (d) => put(join(d, DIGEST), gzipSync('{"logFiles":[]}')), expect: { incomplete: 'cloudtrail-digests', object: DIGEST, reason: 'not-parseable' } },
  { name: 'digest: 63-digit previousDigestHashValue', config: 'digests', damage: (d) => put(join(d, DIGEST), gzipSync(gz(join(d, DIGEST)).toString('utf8').replace(/"previousDigestHashValue":"([0-9a-f]{63})[0-9a-f]"/, '"previousDigestHashValue":"$1"'))), expect: { incomplete: 'cloudtrail-digests', object: DIGEST, reason: 'wrong-shape' } },
  { name: 'digest: unreadable (non-root)', config: 'digests', unprivileged: true, damage: (d) => chmodSync(join(d, DIGEST), 0o000), expect: { incomplete: 'cloudtrail-digests', object: DIGEST, reason: 'unreadable' } },
  { name: 'digest: FIFO in place of a digest', config: 'digests', damage: (d) => fifo(join(d, DIGEST)), expect: { incomplete: 'cloudtrail-digests', object: DIGEST, reason: 'special-file' } },
  { name: 'digest: symlink outside the evidence folders', config: 'digests', damage: (d, c) => symlinkOut(join(d, DIGEST), c.outside), expect: { incomplete: 'cloudtrail-digests', object: DIGEST, reason: 'symlink-outside-roots' } },

  // --- Reviews ----------------------------------------------------------------------------------------------
  { name: 'review: missing required field', damage: (d) => text(join(d, REVIEW), (t) => t.replace(/^trigger:.*\n/m, '')), expect: { incomplete: 'reviews', object: REVIEW, reason: 'schema' } },
  { name: 'review: activatedAt without a time zone', run: true, damage: (d) => text(join(d, REVIEW), (t) => t.replace('"2026-09-23T18:40:30+02:00"', '"2026-09-23T18:40:30"')), expect: { incomplete: 'reviews', object: REVIEW, reason: 'time-zone' } },
  { name: 'review: reviewDate in another date format', damage: (d) => text(join(d, REVIEW), (t) => t.replace('"2026-09-29"', '"29.09.2026"')), expect: { incomplete: 'reviews', object: REVIEW, reason: 'bad-date' } },
  { name: 'review: YAML syntax error', damage: (d) => text(join(d, REVIEW), (t) => `${t}\nreviewers: [unclosed\n`), expect: { incomplete: 'reviews', object: REVIEW, reason: 'not-parseable' } },
  { name: 'review: duplicate keys', damage: (d) => text(join(d, REVIEW), (t) => `${t}\nid: PIR-OTHER\n`), expect: { incomplete: 'reviews', object: REVIEW, reason: 'not-parseable' } },
  { name: 'review: Markdown without front matter', damage: (d) => text(join(d, REVIEW_MD), (t) => t.replace(/^---\n/, '')), expect: { incomplete: 'reviews', object: REVIEW_MD, reason: 'not-parseable' } },
  { name: 'review: bad UTF-8', damage: (d) => put(join(d, REVIEW), Buffer.concat([readFileSync(join(d, REVIEW)), Buffer.from([0xff, 0xfe, 0x0a])])), expect: { incomplete: 'reviews', object: REVIEW, reason: 'bad-encoding' } },
  { name: 'review: YAML bomb', damage: (d) => put(join(d, REVIEW), `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`), expect: { incomplete: 'reviews', object: REVIEW, reason: 'not-parseable' } },
  { name: 'review: file over limits.maxFileBytes', configExtra: 'limits: {maxFileBytes: 200}\n', damage: () => {}, expect: { incomplete: 'reviews', object: REVIEW, reason: 'too-large' } },
  { name: 'review: FIFO in process/reviews/ (must not hang)', run: true, damage: (d) => fifo(join(d, 'process/reviews/late.yaml')), expect: { incomplete: 'reviews', object: 'process/reviews/late.yaml', reason: 'special-file' } },
  { name: 'review: unreadable file (non-root)', unprivileged: true, damage: (d) => chmodSync(join(d, REVIEW), 0o000), expect: { incomplete: 'reviews', object: REVIEW, reason: 'unreadable' } },
  { name: 'review: symlink outside the evidence folders', damage: (d, c) => symlinkOut(join(d, REVIEW), c.outside), expect: { incomplete: 'reviews', object: REVIEW, reason: 'symlink-outside-roots' } },
  { name: 'review: broken symlink', damage: (d) => { unlinkSync(join(d, REVIEW)); symlinkSync(join(d, 'process/nowhere.yaml'), join(d, REVIEW)); }, expect: { incomplete: 'reviews', object: REVIEW, reason: 'not-found' } },

  // --- Secret store, drills, tickets, approvals ------------------------------------------------------------
  { name: 'secret store: does not parse and holds a password', run: true, damage: (d) => text(join(d, STORE), (t) => `${t}\npassword: Hunter2-Winter-2026\nbad: [unclosed\n`), expect: { incomplete: 'secret-store', object: STORE, reason: 'not-parseable' } },
  { name: 'secret store: schema error', damage: (d) => text(join(d, STORE), (t) => t.replace(/^rotation:/m, 'rotatoin:')), expect: { incomplete: 'secret-store', object: STORE, reason: 'schema' } },
  { name: 'secret store: unreadable (non-root)', unprivileged: true, damage: (d) => chmodSync(join(d, STORE), 0o000), expect: { incomplete: 'secret-store', object: STORE, reason: 'unreadable' } },
  { name: 'secret store: a FIFO named by the config (must not hang)', damage: (d) => fifo(join(d, STORE)), expect: { incomplete: 'secret-store', object: STORE, reason: 'special-file' } },
  { name: 'drill: date in another format', damage: (d) => text(join(d, DRILLS), (t) => t.replace('date: 2026-06-10', 'date: 10/06/2026')), expect: { incomplete: 'drills', object: DRILLS, reason: 'bad-date' } },
  { name: 'drill: YAML syntax error', damage: (d) => text(join(d, DRILLS), (t) => t.replace('participants: [l.dubois', 'participants: [[l.dubois')), expect: { incomplete: 'drills', object: DRILLS, reason: 'not-parseable' } },
  { name: 'ticket: JSON export cut short', damage: (d) => text(join(d, TICKETS), (t) => t.slice(0, 200)), expect: { incomplete: 'tickets', object: TICKETS, reason: 'not-parseable' } },
  { name: 'ticket: created without a time zone', damage: (d) => text(join(d, TICKETS), (t) => t.replace('"2026-09-23T16:37:10Z"', '"2026-09-23 16:37:10"')), expect: { incomplete: 'tickets', object: TICKETS, reason: 'time-zone' } },
  { name: 'approval: approver time not a date', damage: (d) => text(join(d, APPROVALS), (t) => t.replace('"2026-09-23T18:38:40+02:00"', '"soon"')), expect: { incomplete: 'approvals', object: APPROVALS, reason: 'bad-date' } },
  { name: 'approval: unreadable folder (non-root)', unprivileged: true, damage: (d) => chmodSync(join(d, 'process/approvals'), 0o000), expect: { incomplete: 'approvals', object: 'process/approvals', reason: 'unreadable' } },

  // --- IaC --------------------------------------------------------------------------------------------------
  { name: 'iac: Terraform syntax error', damage: (d) => text(join(d, TF), (t) => `${t}\nresource "aws_s3_bucket" "x" {\n`), expect: { incomplete: 'iac', object: TF, reason: 'not-parseable' } },
  { name: 'iac: binary .tf file', damage: (d) => put(join(d, 'infra/zz.tf'), Buffer.from([0x00, 0x01, 0xff])), expect: { incomplete: 'iac', object: 'infra/zz.tf', reason: 'bad-encoding' } },
  { name: 'iac: .tf symlinked outside the root', damage: (d, c) => symlinkOut(join(d, TF), c.outside), expect: { incomplete: 'iac', object: TF, reason: 'symlink-outside-roots' } },
  { name: 'iac: unreadable .tf (non-root)', unprivileged: true, damage: (d) => chmodSync(join(d, TF), 0o000), expect: { incomplete: 'iac', object: TF, reason: 'unreadable' } },

  // --- The configuration and the output: user errors, exit 2, nothing written -------------------------------
  { name: 'config: YAML bomb', run: true, damage: (d, c) => text(join(d, c.config), (t) => `${t}\nx1: &a [l,l,l,l,l,l,l,l,l]\nx2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx4: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`), expect: { usage: /\.yaml: not a usable configuration: Excessive alias count/ } },
  { name: 'config: unreadable (non-root)', unprivileged: true, damage: (d, c) => chmodSync(join(d, c.config), 0o000), expect: { usage: /\.yaml: cannot read the configuration \(EACCES\)/ } },
  { name: 'output: --out parent not writable (non-root)', run: true, unprivileged: true, damage: (d) => chmodSync(join(d, 'out-parent'), 0o555), expect: { usage: /cannot write the pack to .*out-parent\/pack: .*out-parent cannot be created or written \(EACCES\)/ } },
];

/** Check ids per evidence kind they read (meta.evidence). */
const readers = (kind: EvidenceKind) => CHECKS.filter((c) => c.meta.evidence.includes(kind)).map((c) => c.meta.id);

let base: string;
let outside: string;
const work: string[] = [];

before(() => {
  base = mkdtempSync(join(tmpdir(), 'ep-corpus-'));
  outside = mkdtempSync(join(tmpdir(), 'ep-corpus-outside-'));
  const s = join(base, 's');
  cpSync(SAMPLE, s, { recursive: true });
  // The runbook is judged from git history: one commit before the period.
  git(s, ['init', '-q', '-b', 'main']);
  git(s, ['add', '-A']);
  git(s, ['commit', '-q', '-m', 'sample'], { GIT_AUTHOR_DATE: '2026-06-01T10:00:00Z', GIT_COMMITTER_DATE: '2026-06-01T10:00:00Z' });
  // The config without digest validation: the digest chain costs seconds and only digest rows need it.
  const full = readFileSync(join(s, 'evidence-pack.yaml'), 'utf8');
  writeFileSync(join(s, 'no-digests.yaml'), full.replace(/^\s*digests:.*\n/m, '').replace(/^\s*publicKeys:.*\n/m, ''));
  // attest signs: a trial key for every row (readable by the unprivileged user too).
  const kg = spawnSync(CLI[0], [CLI[1], 'keygen', '--out', join(base, 'keys')], { encoding: 'utf8' });
  assert.equal(kg.status, 0, kg.stderr);
  spawnSync('chmod', ['-R', 'a+rX', base, outside]);
  chmodSync(base, 0o755);
  chmodSync(outside, 0o755);
});

after(() => {
  for (const d of [...work, base, outside]) if (d) rmSync(d, { recursive: true, force: true });
});

/** A private copy of the sample with `row`'s damage done; the pack goes to out-parent/pack. */
function prepare(row: Pick<Row, 'config' | 'configExtra' | 'damage' | 'unprivileged'>): { dir: string; config: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'ep-row-'));
  work.push(root);
  const dir = join(root, 's');
  // Hard links keep 60 copies of the sample cheap; every damage writes new inodes (put) or changes folders only.
  // Rows run unprivileged get a real copy: giving it to that user changes the owner of every inode.
  const r = spawnSync('cp', [row.unprivileged ? '-a' : '-al', join(base, 's'), dir]);
  assert.equal(r.status, 0, String(r.stderr));
  const config = row.config === 'digests' ? 'evidence-pack.yaml' : 'no-digests.yaml';
  if (row.configExtra) text(join(dir, config), (t) => t + row.configExtra);
  mkdirSync(join(dir, 'out-parent'));
  chmodSync(root, 0o755);
  if (row.unprivileged) giveToUnprivileged(root);
  row.damage(dir, { outside, config });
  return { dir, config, out: join(dir, 'out-parent', 'pack') };
}

function runCli(unprivileged: boolean | undefined, dir: string, args: string[]) {
  const prefix = unprivileged ? unprivilegedPrefix() : [];
  const [cmd, ...rest] = [...prefix, ...CLI, ...args];
  const r = spawnSync(cmd, rest, { cwd: dir, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NO_COLOR: '1', HOME: dir, SOURCE_DATE_EPOCH: '1790000000' } });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const STACK = /^\s+at .+[(\s]\S+:\d+:\d+\)?$/m;

describe('damaged-evidence corpus', { concurrency: 2 }, () => {
  it('has at least 40 rows, every input kind, and no duplicate names', () => {
    assert.ok(ROWS.length >= 40, `${ROWS.length} rows`);
    assert.equal(new Set(ROWS.map((r) => r.name)).size, ROWS.length);
    const kinds = new Set(ROWS.flatMap((r) => ('incomplete' in r.expect ? [r.expect.incomplete] : [])));
    for (const k of ['cloudtrail-logs', 'cloudtrail-digests', 'reviews', 'secret-store', 'drills', 'tickets', 'approvals', 'iac'] as EvidenceKind[]) assert.ok(kinds.has(k), `no row damages ${k}`);
  });

  it('the undamaged sample passes every check that reads each damaged kind (so every row can fail)', () => {
    const { dir, config, out } = prepare({ config: 'digests', damage: () => {} });
    const r = runCli(false, dir, ['run', config, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { checks: CheckResult[]; coverage: SourceCoverage[] };
    // Live AWS state is not configured here (no account to read): the live-only checks say so, nothing else may.
    const notConfigured = report.checks.filter((c) => c.status === 'unknown' && c.evidenceMissing === 'not-configured');
    assert.deepEqual(notConfigured.filter((c) => !/^live AWS state not collected/.test(c.reason)).map((c) => `${c.id}: ${c.reason}`), []);
    assert.deepEqual(report.checks.filter((c) => c.status !== 'pass' && !notConfigured.includes(c)).map((c) => `${c.id}: ${c.status}`), []);
    // Every damaged kind has checks that pass undamaged, so a row that turns one of them to pass is caught.
    const kinds = new Set(ROWS.flatMap((r) => ('incomplete' in r.expect ? [r.expect.incomplete] : [])));
    for (const k of kinds) assert.ok(report.checks.some((c) => c.status === 'pass' && readers(k).includes(c.id)), `no check reading ${k} passes undamaged`);
    assert.ok(report.coverage.every((c) => c.skipped.length === 0 && c.dropped.length === 0), JSON.stringify(report.coverage));
  });

  it('the unprivileged user really cannot read a file of mode 000 here', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'ep-drop-')), 'secret');
    work.push(dirname(f));
    writeFileSync(f, 'x');
    chmodSync(dirname(f), 0o755);
    chmodSync(f, 0o000);
    assertDropWorks(f);
  });

  for (const row of ROWS) {
    it(row.name, () => {
      const { dir, config, out } = prepare(row);
      const sign = ['--sign-key', join(base, 'keys', 'signing-key.pem'), '--sign-cert', join(base, 'keys', 'signing-cert.pem')];
      const r = runCli(row.unprivileged, dir, row.run ? ['run', config, '--out', out] : ['attest', config, '--out', out, ...sign]);
      assert.equal(r.signal, null, `the run was killed (${r.signal}): it hung`);
      assert.doesNotMatch(r.stderr, STACK, 'no stack trace');
      assert.doesNotMatch(r.stderr, /internal error/);
      const parent = dirname(out);
      const leftovers = existsSync(parent) ? readdirSync(parent).filter((n) => n.startsWith('.pack.tmp-')) : [];
      assert.deepEqual(leftovers, [], 'no temporary pack folder left behind');

      if ('usage' in row.expect) {
        assert.equal(r.code, 2, `exit 2 (usage, configuration or input error)\n${r.stdout}\n${r.stderr}`);
        assert.match(r.stderr, row.expect.usage);
        assert.ok(!existsSync(out), 'nothing written');
        return;
      }
      assert.equal(r.code, 0, `exit 0: the pack is written and no gate was asked for\n${r.stdout}\n${r.stderr}`);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { checks: CheckResult[]; coverage: SourceCoverage[]; problems: { message: string; location?: string }[] };
      if ('complete' in row.expect) {
        const { complete, check, status } = row.expect;
        const cov = report.coverage.find((c) => c.kind === complete)!;
        assert.deepEqual([...cov.skipped, ...cov.dropped], [], 'read completely');
        assert.equal(report.checks.find((c) => c.id === check)?.status, status);
      } else {
        const { incomplete, object, reason } = row.expect;
        // No check that reads the damaged source passes (nor is it not_applicable).
        const held = report.checks.filter((c) => readers(incomplete).includes(c.id));
        assert.ok(held.length > 0);
        for (const c of held) assert.ok(c.status !== 'pass' && c.status !== 'not_applicable', `${c.id} is ${c.status} on damaged ${incomplete}: ${c.reason}`);
        // The object is named, with why: in report.json's coverage and problems, and in the terminal summary.
        const cov = report.coverage.filter((c) => c.kind === incomplete);
        const gaps = cov.flatMap((c) => [...c.skipped, ...c.dropped]);
        // Objects are named by path; a rejected record by path:line.
        assert.ok(gaps.some((g) => (g.object === object || g.object.startsWith(`${object}:`)) && g.reason === reason), `expected ${object}: ${reason} in ${JSON.stringify(gaps)}`);
        assert.ok(report.problems.some((p) => `${p.message} ${p.location ?? ''}`.includes(object)), `a problem names ${object}`);
        assert.ok(r.stdout.includes(object), `the terminal summary names ${object}:\n${r.stdout}`);
        assert.match(r.stdout, /evidence not read completely: \d+ object\(s\) skipped, \d+ record\(s\) rejected/);
      }
      // The pack is whole: every file the manifest lists is there with its hash, nothing else.
      return verifyPack(out).then((v) => {
        assert.ok(v.files.length > 0);
        assert.deepEqual(v.files.filter((f) => f.status !== 'ok'), []);
        if (row.run) assert.ok(statSync(join(out, 'report.pdf')).size > 0);
        else assert.ok(statSync(join(out, 'attestation.dsse.json')).size > 0);
      });
    });
  }
});
