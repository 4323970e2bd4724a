// Loading detection data: schema-validated; bad data is one typed error naming file, JSON path and line.

import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { mkdtempSync, writeFileSync, copyFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDetections, defaultDetectionsDir, DetectionDataError } from '../../src/detections/filter-pattern/index.js';
import { tableTest } from './table.js';

const tmp = mkdtempSync(join(tmpdir(), 'detections-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const EVENT = `
          eventVersion: "1.09"
          userIdentity: { type: "IAMUser", userName: "alice", accountId: "111122223333" }
          eventTime: "2026-03-02T09:14:07Z"
          eventSource: "iam.amazonaws.com"
          eventName: "CreatePolicy"
          awsRegion: "us-east-1"
          eventID: "5e1d0001-0d3c-4e5f-9a1b-000000000001"
          eventType: "AwsApiCall"
          recipientAccountId: "111122223333"`;

function detectionYaml(id: string, opts: { caseExtra?: string; event?: string; top?: string } = {}): string {
  return `id: "${id}"
title: "T"
description: "D"
sources: ["test"]${opts.top ?? ''}
tiers:
  required:
    description: "R"
    mustMatch:
      - id: "create-policy"
        description: "an iam:CreatePolicy"${opts.caseExtra ?? ''}
        event:${opts.event ?? EVENT}
`;
}

/** A folder with the shipped schema and the given files. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  copyFileSync(join(defaultDetectionsDir(), 'detection.schema.json'), join(dir, 'detection.schema.json'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

test('a valid folder loads, with mustIgnore defaulting to empty', () => {
  const [d] = loadDetections(folder('valid', { 'x.yaml': detectionYaml('x') }));
  assert.equal(d.id, 'x');
  assert.deepEqual(d.tiers.required.mustIgnore, []);
  assert.equal(d.tiers.required.mustMatch[0].event.eventName, 'CreatePolicy');
});

interface BadCase {
  name: string;
  files: Record<string, string>;
  /** Expected problems as "file:line path: message-substring". */
  problems: { file: string; line?: number; path: string; message: string }[];
}

const bad: BadCase[] = [
  {
    name: 'case without its event',
    files: { 'x.yaml': detectionYaml('x', { event: ' null' }).replace('        event: null\n', '') },
    problems: [{ file: 'x.yaml', line: 9, path: '/tiers/required/mustMatch/0', message: 'missing required property "event"' }],
  },
  {
    name: 'unknown property',
    files: { 'x.yaml': detectionYaml('x', { caseExtra: '\n        severity: "high"' }) },
    problems: [{ file: 'x.yaml', line: 9, path: '/tiers/required/mustMatch/0', message: 'unknown property "severity"' }],
  },
  {
    name: 'wrong eventType value',
    files: { 'x.yaml': detectionYaml('x', { event: EVENT.replace('"AwsApiCall"', '"ApiCall"') }) },
    problems: [{ file: 'x.yaml', line: 19, path: '/tiers/required/mustMatch/0/event/eventType', message: 'must be equal to one of the allowed values' }],
  },
  {
    name: 'id differs from the file name',
    files: { 'x.yaml': detectionYaml('y') },
    problems: [{ file: 'x.yaml', line: 1, path: '/id', message: 'id "y" must equal the file name "x"' }],
  },
  {
    name: 'undeclared placeholder',
    files: { 'x.yaml': detectionYaml('x', { event: EVENT.replace('"alice"', '"${breakGlassUserName}"') }) },
    problems: [{ file: 'x.yaml', line: 12, path: '/tiers/required/mustMatch/0/event', message: 'placeholder ${breakGlassUserName} is not a declared parameter' }],
  },
  {
    name: 'duplicate event ids across tiers',
    files: {
      'x.yaml': `${detectionYaml('x')}  complete:\n    description: "C"\n    mustMatch:\n      - id: "create-policy"\n        description: "again"\n        event:${EVENT}\n`,
    },
    problems: [{ file: 'x.yaml', line: 24, path: '/tiers/complete/mustMatch/0/id', message: 'duplicate event id "create-policy"' }],
  },
  {
    name: 'YAML syntax error',
    files: { 'x.yaml': 'id: "x"\ntitle: [unclosed\n' },
    problems: [{ file: 'x.yaml', line: 3, path: '', message: 'YAML:' }],
  },
  {
    name: 'problems in several files are all reported',
    files: { 'a.yaml': detectionYaml('b'), 'b.yaml': detectionYaml('b', { top: '\nowner: "me"' }) },
    problems: [
      { file: 'a.yaml', line: 1, path: '/id', message: 'id "b" must equal the file name "a"' },
      { file: 'b.yaml', line: 1, path: '', message: 'unknown property "owner"' },
    ],
  },
];

let n = 0;
tableTest('bad detection data', bad, (c) => {
  const dir = folder(`bad-${++n}`, c.files);
  assert.throws(
    () => loadDetections(dir),
    (e: unknown) => {
      assert.ok(e instanceof DetectionDataError, String(e));
      assert.equal(e.code, 'INPUT_INVALID');
      assert.equal(e.problems.length, c.problems.length, e.message);
      c.problems.forEach((want, i) => {
        const got = e.problems[i];
        assert.equal(got.file, join(dir, want.file));
        assert.equal(got.path, want.path, e.message);
        assert.equal(got.line, want.line, e.message);
        assert.ok(got.message.includes(want.message), `"${got.message}" should include "${want.message}"`);
        assert.ok(e.message.includes(`${join(dir, want.file)}:${want.line} ${want.path || '/'}`), e.message);
      });
      return true;
    },
  );
});

test('a missing or empty folder is an error, not zero detections', () => {
  assert.throws(() => loadDetections(join(tmp, 'does-not-exist')), (e: unknown) => e instanceof DetectionDataError && /cannot read the detections folder/.test(e.message));
  assert.throws(() => loadDetections(folder('empty', {})), (e: unknown) => e instanceof DetectionDataError && /no detection files/.test(e.message));
});
