// Builds real temporary git repositories from a list of commits (dated), tags and working-copy edits.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CommitSpec {
  date: string;
  message: string;
  /** Files to write (content) or delete (null). */
  files: Record<string, string | null>;
  tag?: string;
}

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, GIT_AUTHOR_NAME: 'Ann Auditor', GIT_AUTHOR_EMAIL: 'ann@example.com', GIT_COMMITTER_NAME: 'Ann Auditor', GIT_COMMITTER_EMAIL: 'ann@example.com', ...env },
  });
}

export function makeRepo(commits: CommitSpec[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ep-git-'));
  git(dir, ['init', '-q', '-b', 'main']);
  for (const c of commits) {
    for (const [rel, content] of Object.entries(c.files)) {
      const p = join(dir, rel);
      if (content === null) rmSync(p);
      else {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, content);
      }
    }
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', c.message], { GIT_AUTHOR_DATE: c.date, GIT_COMMITTER_DATE: c.date });
    if (c.tag) git(dir, ['tag', c.tag]);
  }
  return dir;
}
