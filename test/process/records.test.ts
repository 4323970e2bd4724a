// Bad input in process records: every failing record is reported with file, line and field, the rest are used; secrets are redacted in the pack copy.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { collectDrills, collectReviews, collectTickets } from '../../src/collect/process/index.js';
import { collectProcess } from '../../src/collect/process/collect.js';
import { loadConfig } from '../../src/config/load.js';
import { EvidencePackError } from '../../src/errors.js';
import { tempTree } from '../support/evidence.js';
import { reviewYaml, SECRET_STORE_OK, UTC } from './helpers.js';

const good = (id: string) => reviewYaml({ id, activatedAt: '2026-08-10T14:00:00Z', eventIds: ['e1'], reviewDate: '2026-08-11' });

describe('review records', () => {
  it('keeps valid records and reports each invalid one with file, line and field', () => {
    const dir = tempTree({
      'a-good.yaml': good('PIR-1'),
      'b-list.yaml': `reviews:\n${[good('PIR-2'), good('PIR-3').replace('reviewers: [CISO, Platform lead]', 'reviewers: []')].map((r) => r.trim().split('\n').map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)).join('\n')).join('\n')}\n`,
      'c-date.json': JSON.stringify({ ...JSON.parse(JSON.stringify({ id: 'PIR-4', activatedAt: '2026-08-10T14:00:00Z', eventIds: ['e1'], reviewDate: '10/08/2026', reviewers: ['x'], trigger: 't', justification: 'j', actionsTaken: [], credentialsRotated: [], decommissioningConfirmed: true, lessonsLearned: 'l' })) }, null, 2),
      'd-local-time.yaml': good('PIR-5').replace('activatedAt: "2026-08-10T14:00:00Z"', 'activatedAt: "2026-08-10T14:00:00"'),
      'e-broken.yaml': 'id: PIR-6\nreviewers: [a\n',
      'f-no-front-matter.md': '# Review\n\nNo front matter here.\n',
      'g-unknown-field.yaml': good('PIR-7') + 'approvedBy: nobody\n',
    });
    const r = collectReviews({ paths: [dir], baseDir: dir, calendar: UTC });
    assert.deepEqual(r.records.map((x) => x.id), ['PIR-1', 'PIR-2']);
    assert.equal(r.rejected, 6);
    const msgs = r.problems.map((p) => p.message);
    const has = (re: RegExp) => assert.ok(msgs.some((m) => re.test(m)), `no problem matches ${re}:\n${msgs.join('\n')}`);
    has(/^b-list\.yaml:\d+ \(record reviews\[1\]\): reviewers: must NOT have fewer than 1 items — record not used$/);
    has(/^c-date\.json:7: reviewDate: "10\/08\/2026" is not a date in the form YYYY-MM-DD .* — record not used$/);
    has(/^d-local-time\.yaml:2: activatedAt: "2026-08-10T14:00:00" has no time zone: add Z or an offset/);
    has(/^e-broken\.yaml: not readable as YAML\/JSON — line \d+, column \d+: /);
    has(/^f-no-front-matter\.md: not readable as Markdown with YAML front matter — line 1: no YAML front matter/);
    has(/^g-unknown-field\.yaml:12: approvedBy: unknown field "approvedBy"/);
    const bList = r.problems.find((p) => p.message.startsWith('b-list'))!;
    assert.equal(bList.location?.file, 'b-list.yaml');
    assert.equal(bList.location?.pointer, 'reviews[1].reviewers');
  });

  it('reads Markdown front matter with the lessons learned from the body, with line numbers shifted past the opening ---', () => {
    const dir = tempTree({ 'pir.md': `---\n${good('PIR-9').replace(/lessonsLearned:.*\n/, '')}---\n\n## Lessons learned\n\nRehearse the rollback.\n` });
    const r = collectReviews({ paths: [dir], baseDir: dir, calendar: UTC });
    assert.equal(r.records[0].lessonsLearned, '## Lessons learned\n\nRehearse the rollback.');
    assert.equal(r.records[0].at.line, 2);
  });

  it('turns instants with offsets into UTC and the review date into a day in the calendar time zone', () => {
    const dir = tempTree({ 'r.yaml': good('PIR-1').replace('activatedAt: "2026-08-10T14:00:00Z"', 'activatedAt: ["2026-08-10T16:00:00+02:00"]').replace('reviewDate: "2026-08-11"', 'reviewDate: "2026-08-11T23:30:00Z"') });
    const r = collectReviews({ paths: [dir], baseDir: dir, calendar: { timeZone: 'Europe/Berlin', holidays: [] } });
    assert.deepEqual(r.records[0].activatedAt, ['2026-08-10T14:00:00Z']);
    assert.equal(r.records[0].reviewDate, '2026-08-12');
  });
});

describe('tickets and drills', () => {
  it('CSV rows: a bad row is reported with its line, the others are used', () => {
    const dir = tempTree({ 't.csv': 'id,created,eventIds\nCHG-1,2026-08-10T14:01:00Z,e1 e2\nCHG-2,2026-08-10 14:01,e3\n,2026-08-10T14:01:00Z,e4\n' });
    const r = collectTickets({ paths: [dir], baseDir: dir, calendar: UTC });
    assert.deepEqual(r.records.map((t) => [t.id, t.eventIds]), [['CHG-1', ['e1', 'e2']]]);
    assert.ok(r.problems.some((p) => /^t\.csv:3: created: "2026-08-10 14:01" has no time zone/.test(p.message)), r.problems.map((p) => p.message).join('\n'));
    assert.ok(r.problems.some((p) => /^t\.csv:4 \(record \[2\]\): id: missing required field/.test(p.message)), r.problems.map((p) => p.message).join('\n'));
  });

  it('drills: a duration in free text is rejected, not guessed', () => {
    const dir = tempTree({ 'd.yaml': '- {id: D1, date: 2026-06-01, environment: staging, scenario: s, participants: [a], timeToActivate: "about 4 minutes"}\n- {id: D2, date: 2026-06-02, environment: staging, scenario: s, participants: [a], timeToActivate: PT4M}\n' });
    const r = collectDrills({ paths: [dir], baseDir: dir, calendar: UTC });
    assert.deepEqual(r.records.map((d) => [d.id, d.timeToActivateSeconds]), [['D2', 240]]);
    assert.match(r.problems[0].message, /^d\.yaml:1: timeToActivate: "about 4 minutes" is not an ISO 8601 duration/);
  });
});

describe('collection through the config', () => {
  const withConfig = (extra: string, files: Record<string, string>) => {
    const dir = tempTree({ 'evidence-pack.yaml': `organisation: T\nperiod: 2026-Q3\n${extra}`, ...files });
    return { dir, config: loadConfig(join(dir, 'evidence-pack.yaml')) };
  };

  it('a secret value in the secret-store file is never copied: the pack keeps a redacted copy, the index the original hash', () => {
    const secretFile = SECRET_STORE_OK + 'backup:\n  password: "Tr0ub4dor&3-horse"\n  accessKeyId: AKIAIOSFODNN7EXAMPLE\n';
    const { config } = withConfig('secretStore: store.yaml\n', { 'store.yaml': secretFile });
    const r = collectProcess(config, '2026-10-01T00:00:00Z');
    const copy = r.files.find((f) => f.path === 'evidence/secret-store/store.yaml')!;
    const text = copy.bytes.toString('utf8');
    assert.doesNotMatch(text, /Tr0ub4dor|AKIAIOSFODNN7EXAMPLE/);
    assert.match(text, /password: "\[REDACTED\]"\n {2}accessKeyId: "\[REDACTED\]"/);
    const item = r.items.find((i) => i.kind === 'secret-store')!;
    assert.equal(item.packPath, 'evidence/secret-store/store.yaml');
    assert.deepEqual(item.problems?.map((p) => p.location?.line), [9, 10]);
    assert.doesNotMatch(JSON.stringify({ items: r.items, problems: r.problems, sections: r.sections }), /Tr0ub4dor|AKIAIOSFODNN7EXAMPLE/);
    // The redacted copy is still valid YAML with the same record.
    assert.equal(r.evidence.secretStore?.state, 'collected');
  });

  it('Markdown and CSV copies: front-matter values quoted, body text and CSV cells replaced in place', () => {
    const { config } = withConfig('reviews: [r/]\ntickets: [t.csv]\n', {
      'r/pir.md': '---\nid: PIR-1\napiToken: s3cr3t-v4lue-xyz\n---\nLogged in with AKIAIOSFODNN7EXAMPLE, then rotated.\n',
      't.csv': 'id,created,password\nCHG-1,2026-08-10T14:01:00Z,hunter2hunter2\n',
    });
    const r = collectProcess(config, '2026-10-01T00:00:00Z');
    const md = r.files.find((f) => f.path === 'evidence/reviews/r/pir.md')!.bytes.toString('utf8');
    assert.equal(md, '---\nid: PIR-1\napiToken: "[REDACTED]"\n---\nLogged in with [REDACTED], then rotated.\n');
    const csv = r.files.find((f) => f.path === 'evidence/tickets/t.csv')!.bytes.toString('utf8');
    assert.equal(csv, 'id,created,password\nCHG-1,2026-08-10T14:01:00Z,[REDACTED]\n');
  });

  it('unconfigured sources are not-configured, never empty', () => {
    const { config } = withConfig('', {});
    const r = collectProcess(config, '2026-10-01T00:00:00Z');
    assert.equal(r.evidence.reviews?.state, 'not-configured');
    assert.equal(r.evidence.drills?.state, 'not-configured');
    assert.equal(r.riskAcceptances, undefined);
  });

  it('config: unknown time zone, impossible holiday and a missing review folder are reported at once with lines', () => {
    const dir = tempTree({ 'evidence-pack.yaml': 'organisation: T\nperiod: 2026-Q3\ncalendar:\n  timeZone: Europe/Berlln\n  holidays: [2026-02-30]\nreviews: [nowhere/]\n' });
    assert.throws(
      () => loadConfig(join(dir, 'evidence-pack.yaml')),
      (e: unknown) => {
        assert.ok(e instanceof EvidencePackError);
        const d = e.details.join('\n');
        assert.match(d, /calendar\.timeZone \(line 4\): unknown IANA time zone "Europe\/Berlln"/);
        assert.match(d, /calendar\.holidays\[0\] \(line 5\): "2026-02-30" is not a real date/);
        assert.match(d, /reviews\[0\] \(line 6\): path does not exist/);
        return true;
      },
    );
  });
});
