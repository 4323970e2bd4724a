// Counts on the shared real CloudTrail logs must equal counts taken independently from the files' own records.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import type { CloudTrailEvidence } from '../../src/model/cloudtrail.js';
import { fixedClock, period, recordsOf, TESTDATA } from './helpers.js';

const FILES = [
  'awsdocs-cloudtrail-user-guide/console-sign-in-events.records.json',
  'awsdocs-cloudtrail-user-guide/log-file-examples.records.json',
  'awsdocs-iam-user-guide/cloudtrail-integration-examples.records.json',
  ...readdirSync(join(TESTDATA, 'invictus-ir-aws_dataset')).map((f) => `invictus-ir-aws_dataset/${f}`),
  ...readdirSync(join(TESTDATA, 'stratus-red-team-detonation-logs')).map((f) => `stratus-red-team-detonation-logs/${f}`),
].sort();

/** Independent count: records of the given files with a matching eventName; byte-identical copies count once. */
function rawCount(files: string[], names: string[], source?: string): number {
  const seen = new Set<string>();
  for (const f of files)
    for (const r of recordsOf(f)) if (names.includes(r.eventName) && (!source || r.eventSource === source)) seen.add(JSON.stringify(r));
  return seen.size;
}

const wide = period('2010-01-01', '2030-12-31');
const breakGlass = { users: ['christophe'], roles: ['arn:aws:iam::*:role/stratus-red-team-*'], allowedCidrs: ['10.0.0.0/8'] };
let fast: CloudTrailEvidence;
let reference: CloudTrailEvidence;
const progress: { files: number; bytes: number; totalFiles?: number }[] = [];

before(async () => {
  const config = { logs: FILES.map((f) => join(TESTDATA, f)) };
  fast = await collectCloudTrail({ config, breakGlass, period: wide, now: fixedClock, workers: 2, onProgress: (p) => progress.push(p) });
  reference = await collectCloudTrail({ config, breakGlass, period: wide, now: fixedClock, scanner: 'reference' });
});

describe('shared real logs: counts match the files’ own records', () => {
  const cases: { name: string; files: string[]; names: string[]; source?: string; got: (e: CloudTrailEvidence) => number }[] = [
    { name: 'ConsoleLogin, all files', files: FILES, names: ['ConsoleLogin'], got: (e) => e.counts['console-login'] },
    {
      name: 'AssumeRole* (AssumeRole, …WithSAML, …WithWebIdentity), all files',
      files: FILES,
      names: ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'],
      got: (e) => e.counts['assume-role'],
    },
    {
      name: 'StopLogging, all files',
      files: FILES,
      names: ['StopLogging'],
      source: 'cloudtrail.amazonaws.com',
      got: (e) => e.tamperingEvents.filter((t) => t.eventName === 'StopLogging').length,
    },
    {
      name: 'DeleteTrail, all files',
      files: FILES,
      names: ['DeleteTrail'],
      source: 'cloudtrail.amazonaws.com',
      got: (e) => e.tamperingEvents.filter((t) => t.eventName === 'DeleteTrail').length,
    },
    {
      name: 'Create/Update/DeleteAccessKey, all files',
      files: FILES,
      names: ['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey'],
      got: (e) => e.counts['access-key-event'],
    },
    { name: 'CreateAccessKey, all files', files: FILES, names: ['CreateAccessKey'], got: (e) => e.accessKeyEvents.filter((a) => a.eventName === 'CreateAccessKey').length },
  ];
  for (const c of cases)
    it(c.name, () => {
      const want = rawCount(c.files, c.names, c.source);
      assert.ok(want > 0, `the testdata has ${c.names.join('/')} records`);
      assert.equal(c.got(fast), want);
    });

  it('per file: stratus cloudtrail-stop.json has its StopLogging, cloudtrail-delete.json its DeleteTrail', () => {
    for (const [file, name] of [
      ['stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-stop.json', 'StopLogging'],
      ['stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-delete.json', 'DeleteTrail'],
      ['stratus-red-team-detonation-logs/aws.defense-evasion.cloudtrail-event-selectors.json', 'PutEventSelectors'],
    ]) {
      const got = fast.tamperingEvents.filter((t) => t.file === join(TESTDATA, file) && t.eventName === name).length;
      assert.equal(got, rawCount([file], [name]), file);
    }
  });

  it('each root ConsoleLogin of console-sign-in-events matches its label (MFAUsed, outcome)', () => {
    const labels = JSON.parse(readFileSync(join(TESTDATA, 'awsdocs-cloudtrail-user-guide/console-sign-in-events.labels.json'), 'utf8')).records;
    const recs = recordsOf('awsdocs-cloudtrail-user-guide/console-sign-in-events.records.json');
    const file = join(TESTDATA, 'awsdocs-cloudtrail-user-guide/console-sign-in-events.records.json');
    const rootLabels = labels.filter((l: any) => l.eventName === 'ConsoleLogin' && l['userIdentity.type'] === 'Root');
    assert.ok(rootLabels.length >= 2);
    const signIns = fast.consoleSignIns.filter((s) => s.file === file && s.root);
    assert.equal(signIns.length, rootLabels.length);
    for (const l of rootLabels) {
      const id = recs[l.index].eventID;
      const want = { mfaUsed: l.MFAUsed === 'Yes' ? 'yes' : 'no', outcome: l.ConsoleLogin === 'Success' ? 'success' : 'failure' };
      assert.ok(
        signIns.some((s) => s.eventId === id && s.mfaUsed === want.mfaUsed && s.outcome === want.outcome),
        `label ${l.index} (${l.doc_heading}) → ${JSON.stringify(want)}`,
      );
    }
  });

  it('root activity follows CIS 4.3 on every file: type Root, no invokedBy, not AwsServiceEvent', () => {
    const want = new Set<string>();
    for (const f of FILES)
      for (const r of recordsOf(f))
        if (r.userIdentity?.type === 'Root' && !r.userIdentity.invokedBy && r.eventType !== 'AwsServiceEvent') want.add(JSON.stringify(r));
    assert.equal(fast.counts['root-activity'], want.size);
  });

  it('sources list every file with the sha256 and size of its raw bytes', () => {
    assert.equal(fast.sources.length, FILES.length);
    for (const f of FILES) {
      const raw = readFileSync(join(TESTDATA, f));
      const s = fast.sources.find((x) => x.path === join(TESTDATA, f));
      assert.ok(s, f);
      assert.equal(s.sha256, createHash('sha256').update(raw).digest('hex'));
      assert.equal(s.size, raw.length);
      assert.equal(s.records, recordsOf(f).length);
    }
  });

  it('the pre-filtering scan on worker threads gives the same evidence as the parse-everything reference', () => {
    const strip = (e: CloudTrailEvidence) => ({ ...e, fileProblems: e.fileProblems.map(({ offset: _o, ...p }) => p) });
    assert.deepEqual(strip(fast), strip(reference));
    assert.ok(fast.activations.length > 0);
  });

  it('progress is reported once per file, ending with every file and byte', () => {
    assert.equal(progress.length, FILES.length);
    assert.deepEqual(progress.at(-1), { files: FILES.length, bytes: fast.sources.reduce((a, s) => a + s.size, 0), totalFiles: FILES.length });
  });

  it('log-file-examples: records without eventID are evaluated and reported', () => {
    const file = join(TESTDATA, 'awsdocs-cloudtrail-user-guide/log-file-examples.records.json');
    const noId = recordsOf('awsdocs-cloudtrail-user-guide/log-file-examples.records.json').filter((r) => !r.eventID).length;
    assert.ok(fast.fileProblems.some((p) => p.path === file && p.reason.startsWith(`${noId} record(s) without an eventID`)));
  });
});
