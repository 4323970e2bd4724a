// The runbook collector against real temporary git repositories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { collectRunbook } from '../../src/collect/runbook/index.js';
import { findSections, markdownHeadings } from '../../src/collect/runbook/sections.js';
import { git, makeRepo } from '../support/git.js';
import { Q3_2026 } from '../support/evidence.js';

const V1 = '# Runbook\n\n## Trigger criteria\n\ntext\n\n## Authorised personnel\n\n- Ann\n';
const V2 = V1 + '\n## Approval chain\n\nCISO\n\n## Activation steps\n\n1. go\n';
const V3 = V2 + '\n## Decommissioning and credential rotation\n\nrotate\n\n## Post-incident review\n\nwithin 5 days\n';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function history() {
  return makeRepo([
    { date: '2025-09-01T10:00:00+02:00', message: 'first draft', files: { 'runbooks/bg.md': V1, 'README.md': 'x' } },
    { date: '2026-02-17T10:00:00+01:00', message: 'approval chain', files: { 'runbooks/bg.md': V2 }, tag: 'runbook-v1' },
    { date: '2026-05-05T10:00:00+02:00', message: 'unrelated change', files: { 'README.md': 'y' } },
    { date: '2026-06-30T10:00:00+02:00', message: 'complete', files: { 'runbooks/bg.md': V3 }, tag: 'runbook-v2' },
    { date: '2026-10-12T10:00:00+02:00', message: 'after the quarter', files: { 'runbooks/bg.md': V3 + '\nmore\n' } },
  ]);
}

test('history as of the period end: in-force revision, counts, dates, tags, content hash', async () => {
  const repo = history();
  const { evidence: e, content } = await collectRunbook({ repo, path: 'runbooks/bg.md', period: Q3_2026, baseDir: repo });
  assert.equal(e.state, 'ok');
  assert.equal(e.revisions.length, 3, 'three revisions touch the file up to the period end');
  assert.equal(e.inForce?.subject, 'complete');
  assert.equal(e.inForce?.date, '2026-06-30T10:00:00+02:00');
  assert.match(e.inForce!.author, /Ann Auditor <ann@example.com>/);
  assert.equal(e.laterRevisions.length, 1);
  assert.equal(e.laterRevisions[0].subject, 'after the quarter');
  assert.equal(e.firstRevisionDate, '2025-09-01T10:00:00+02:00');
  assert.equal(e.lastRevisionDate, '2026-06-30T10:00:00+02:00');
  assert.deepEqual(e.tags, ['runbook-v2'], 'only tags that contain the in-force commit');
  assert.equal(e.sha256, sha(V3), 'hash of the in-force content, not the later working copy');
  assert.equal(content?.toString(), V3);
  assert.equal(e.dirty, false);
  assert.ok(e.sections.every((s) => s.present), JSON.stringify(e.sections));
  assert.equal(e.displayPath, 'runbooks/bg.md');
});

test('an earlier period sees an earlier revision and its sections', async () => {
  const repo = history();
  const { evidence: e } = await collectRunbook({ repo, path: 'runbooks/bg.md', period: { ...Q3_2026, to: '2026-03-31', end: new Date('2026-04-01T00:00:00Z') }, baseDir: repo });
  assert.equal(e.inForce?.subject, 'approval chain');
  assert.deepEqual(e.tags, ['runbook-v1', 'runbook-v2']);
  assert.deepEqual(e.sections.filter((s) => !s.present).map((s) => s.id), ['decommissioning', 'post-incident-review']);
});

test('a dirty working copy is reported', async () => {
  const repo = history();
  writeFileSync(join(repo, 'runbooks/bg.md'), 'edited\n');
  const { evidence: e } = await collectRunbook({ repo, path: 'runbooks/bg.md', period: Q3_2026, baseDir: repo });
  assert.equal(e.dirty, true);
  assert.equal(e.sha256, sha(V3), 'the versioned content is still what is judged');
  assert.equal(e.workingCopySha256, sha('edited\n'));
});

test('a folder that is not a git repository', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ep-nogit-'));
  writeFileSync(join(dir, 'bg.md'), V3);
  const { evidence: e } = await collectRunbook({ repo: dir, path: 'bg.md', period: Q3_2026, baseDir: dir });
  assert.equal(e.state, 'not-a-repository');
  assert.match(e.stateReason!, /not inside a git repository/);
  assert.equal(e.inForce, undefined);
});

test('a missing file, and a file never committed', async () => {
  const repo = history();
  const missing = await collectRunbook({ repo, path: 'runbooks/none.md', period: Q3_2026, baseDir: repo });
  assert.equal(missing.evidence.state, 'missing');
  writeFileSync(join(repo, 'runbooks/new.md'), V3);
  const untracked = await collectRunbook({ repo, path: 'runbooks/new.md', period: Q3_2026, baseDir: repo });
  assert.equal(untracked.evidence.state, 'not-tracked');
  assert.equal(untracked.evidence.dirty, true);
});

test('a runbook first committed after the period end has no revision in force', async () => {
  const repo = makeRepo([{ date: '2026-11-01T09:00:00Z', message: 'late', files: { 'bg.md': V3 } }]);
  const { evidence: e } = await collectRunbook({ repo, path: 'bg.md', period: Q3_2026, baseDir: repo });
  assert.equal(e.inForce, undefined);
  assert.equal(e.laterRevisions.length, 1);
  assert.match(e.stateReason!, /after the period end 2026-09-30/);
});

test('history follows a rename', async () => {
  const repo = makeRepo([{ date: '2026-01-10T09:00:00Z', message: 'old name', files: { 'old.md': V3 } }]);
  renameSync(join(repo, 'old.md'), join(repo, 'new.md'));
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'rename'], { GIT_AUTHOR_DATE: '2026-03-01T09:00:00Z', GIT_COMMITTER_DATE: '2026-03-01T09:00:00Z' });
  const before = await collectRunbook({ repo, path: 'new.md', period: { ...Q3_2026, to: '2026-01-31', end: new Date('2026-02-01T00:00:00Z') }, baseDir: repo });
  assert.equal(before.evidence.inForce?.subject, 'old name');
  assert.equal(before.content?.toString(), V3);
});

test('headings: ATX and setext count, # lines in code blocks do not', () => {
  const md = '# Title\n\n```\n## Approval chain\n```\n\nTrigger criteria\n----------------\n';
  assert.deepEqual(markdownHeadings(md).map((h) => [h.text, h.line]), [['Title', 1], ['Trigger criteria', 7]]);
  const s = findSections(md);
  assert.equal(s.find((x) => x.id === 'trigger-criteria')?.present, true);
  assert.equal(s.find((x) => x.id === 'approval-chain')?.present, false);
});

test('section phrases can be overridden per section', () => {
  const s = findSections('## Freigabe\n', { 'approval-chain': ['freigabe'] });
  assert.equal(s.find((x) => x.id === 'approval-chain')?.present, true);
});
