// Detection definitions (mappings/detections): each selection takes its golden `match` records and leaves its `ignore`
// records; the scanner's parse guard lets every record a selection takes through; bad definitions are refused with
// file, JSON path and line.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDetectionsDir, loadDefinitions, loadSelections, selectCases } from '../../src/detections/definitions.js';
import { evaluatePredicate, guardOf, type Predicate } from '../../src/detections/predicate.js';
import { Detector, selectParams } from '../../src/detections/detector.js';
import { DetectionDataError } from '../../src/detections/filter-pattern/index.js';
import { GOLDEN_BREAK_GLASS } from '../support/golden.js';

describe('every selection on its golden records', () => {
  const defs = loadSelections();
  it('the shipped definitions have selections for every evidence list the detector reads', () => {
    const kinds = new Set(defs.map((d) => d.select.evidence));
    for (const k of ['root-activity', 'console-login', 'assume-role', 'break-glass-role-assumption', 'break-glass-activity', 'access-key-event', 'logging-tampering', 'iam-policy-change', 'credential-rotation', 'root-session'] as const)
      assert.ok(kinds.has(k), `a selection feeds ${k}`);
  });
  for (const d of defs) {
    const [cases] = selectCases(d);
    assert.ok(cases, `${d.id} has golden events`);
    for (const [list, want] of [['match', true], ['ignore', false]] as const)
      for (const c of cases[list])
        it(`${d.id}: ${want ? 'selects' : 'leaves'} ${c.description}`, () => {
          assert.equal(evaluatePredicate(d.select.where, c.event, cases.params), want);
          // The scanner parses only records its guard lets through: every selected record must pass it.
          if (want) {
            const g = guardOf(d.select.where, cases.params);
            if (g) assert.ok(g.names.includes(c.event.eventName as string) || g.needles.some((n) => JSON.stringify(c.event).includes(n)), `guard ${JSON.stringify(g)} lets the record through`);
          }
        });
  }
});

describe('the code that reads selected records agrees with the selections', () => {
  const names = (p: Predicate, out = new Set<string>()): Set<string> => {
    if ('all' in p) p.all.forEach((q) => names(q, out));
    else if ('any' in p) p.any.forEach((q) => names(q, out));
    else if ('not' in p) names(p.not, out);
    else if (p.field === 'eventName') for (const n of p.in ?? [p.equals!]) out.add(n);
    return out;
  };
  it('rotationSignal() reads exactly the event names the credential-rotations selection takes', () => {
    const rot = loadSelections().find((d) => d.id === 'credential-rotations')!;
    assert.deepEqual([...names(rot.select.where)].sort(), [...Detector.ROTATION_EVENT_NAMES].sort());
  });
  it('the scan guard of the golden configuration names the sign-in, assumption and AssumeRoot events', () => {
    const g = new Detector(GOLDEN_BREAK_GLASS, ['org-trail-logs']).scanGuard();
    assert.equal(g.parseAll, false);
    for (const n of ['ConsoleLogin', 'ExternalIdPDirectoryLogin', 'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoot', 'StopLogging', 'CreatePolicy']) assert.ok(g.names.includes(n), n);
  });
  it('a break-glass user glob without a literal run: the scanner parses every IAM user record (never a silent skip)', () => {
    const g = new Detector({ users: ['*'] }).scanGuard();
    assert.equal(g.parseAll, false);
    assert.ok(g.needles.includes('"IAMUser"'), JSON.stringify(g.needles));
    assert.ok(!g.needles.some((n) => n.includes('*')));
  });
  it('selectParams: a permission set becomes the glob of the role Identity Center creates for it', () => {
    assert.deepEqual(selectParams({ permissionSets: ['EmergencyAdmin'] }).permissionSetRoles, ['arn:*:iam::*:role/**/AWSReservedSSO_EmergencyAdmin_*']);
  });
});

describe('bad definitions are refused with file, JSON path and line', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'definitions-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const EVENT =
    '{ eventVersion: "1.09", userIdentity: { type: "IAMUser" }, eventTime: "2026-08-01T00:00:00Z", eventSource: "sts.amazonaws.com", eventName: "AssumeRoot", awsRegion: "us-east-1", eventID: "e1", eventType: "AwsApiCall", recipientAccountId: "111122223333" }';
  const yaml = (body: string) => `id: "x"\ntitle: "T"\ndescription: "D"\nsources: ["test"]\n${body}`;
  const cases: { name: string; body: string; path: string; line: number; message: RegExp }[] = [
    {
      name: 'two operators in one condition',
      body: `select:\n  evidence: "root-session"\n  where: { field: "eventName", equals: "AssumeRoot", in: [AssumeRoot] }\nevents:\n  match: [{ id: "a", description: "d", event: ${EVENT} }]\n`,
      path: '/select/where',
      line: 7,
      message: /./,
    },
    { name: 'golden events without a selection', body: `events:\n  match: [{ id: "a", description: "d", event: ${EVENT} }]\n`, path: '', line: 1, message: /missing required property "select"/ },
    {
      name: 'a reference to no tier case',
      body: `select:\n  evidence: "root-session"\n  where: { field: "eventName", equals: "AssumeRoot" }\nevents:\n  match: [{ ref: "nowhere" }]\n`,
      path: '/events/match/0/ref',
      line: 9,
      message: /no tier case has the id "nowhere"/,
    },
    { name: 'an unknown evidence list', body: `select:\n  evidence: "everything"\n  where: { field: "eventName", equals: "AssumeRoot" }\n`, path: '/select/evidence', line: 6, message: /must be equal to one of the allowed values/ },
  ];
  for (const c of cases)
    it(c.name, () => {
      const dir = join(tmp, c.name.replace(/\W+/g, '-'));
      mkdirSync(dir);
      copyFileSync(join(defaultDetectionsDir(), 'detection.schema.json'), join(dir, 'detection.schema.json'));
      writeFileSync(join(dir, 'x.yaml'), yaml(c.body));
      try {
        loadDefinitions(dir);
        assert.fail('loaded');
      } catch (e) {
        assert.ok(e instanceof DetectionDataError, String(e));
        const p = e.problems.find((x) => x.path === c.path && c.message.test(x.message));
        assert.ok(p, `a problem at ${c.path} matching ${c.message}: ${JSON.stringify(e.problems)}`);
        assert.equal(p.line, c.line);
      }
    });
});
