// Runbook collector: the runbook's git history (simple-git), the revision in force at the period end, its sections.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Period } from '../../model/period.js';
import type { RunbookEvidence, RunbookRevision } from '../../model/runbook.js';
import type { RunbookSectionId } from '../../config/load.js';
import { findSections } from './sections.js';
import { sha256Hex } from '../../hash.js';
import { dubiousOwnership } from '../git.js';

export interface RunbookOptions {
  /** Folder inside the repository (absolute). */
  repo: string;
  /** Runbook path relative to `repo`. */
  path: string;
  period: Period;
  /** Folder paths are shown relative to (the config folder). */
  baseDir: string;
  sections?: Partial<Record<RunbookSectionId, string[]>>;
}

export interface RunbookCollected {
  evidence: RunbookEvidence;
  /** The bytes of the in-force revision, kept in the pack. */
  content?: Buffer;
}

const FIELD = '\x1f';

export async function collectRunbook(opts: RunbookOptions): Promise<RunbookCollected> {
  const absPath = resolve(opts.repo, opts.path);
  const displayPath = relative(opts.baseDir, absPath) || opts.path;
  const existsInWorkingCopy = existsSync(absPath) && statSync(absPath).isFile();
  const base: RunbookEvidence = {
    displayPath,
    absPath,
    state: 'ok',
    existsInWorkingCopy,
    dirty: false,
    revisions: [],
    laterRevisions: [],
    tags: [],
    sections: findSections('', opts.sections),
    workingCopySha256: existsInWorkingCopy ? sha256Hex(readFileSync(absPath)) : undefined,
  };
  if (!existsSync(opts.repo)) {
    return { evidence: { ...base, state: 'missing', stateReason: `runbook folder ${relative(opts.baseDir, opts.repo) || '.'} does not exist` } };
  }
  const git: SimpleGit = simpleGit({ baseDir: opts.repo });
  let top: string;
  try {
    top = (await git.revparse(['--show-toplevel'])).trim();
  } catch (e) {
    // Git refuses a repository another user owns (CVE-2022-24765): that is not "no repository", and the fix is the user's.
    const refused = dubiousOwnership(e, 'the runbook repository');
    if (refused) throw refused;
    return {
      evidence: {
        ...base,
        state: existsInWorkingCopy ? 'not-a-repository' : 'missing',
        stateReason: existsInWorkingCopy
          ? `${displayPath} is not inside a git repository: its version history cannot be shown`
          : `${displayPath} does not exist and is not inside a git repository`,
      },
    };
  }
  const repoRelative = relative(top, absPath).split('\\').join('/');
  const gitTop = simpleGit({ baseDir: top });
  const headSha = (await gitTop.raw(['rev-parse', '--verify', '-q', 'HEAD']).catch(() => '')).trim() || undefined;
  const status = (await gitTop.raw(['status', '--porcelain', '--', repoRelative])).trim();
  const dirty = status.length > 0;

  const log = headSha
    ? await gitTop.raw(['log', '--follow', `--format=%H${FIELD}%cI${FIELD}%an <%ae>${FIELD}%s`, '--', repoRelative])
    : '';
  const all: RunbookRevision[] = log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, date, author, subject] = line.split(FIELD);
      return { sha, date, author, subject };
    });
  if (all.length === 0) {
    return {
      evidence: {
        ...base,
        headSha,
        dirty,
        state: existsInWorkingCopy ? 'not-tracked' : 'missing',
        stateReason: existsInWorkingCopy
          ? `${displayPath} has never been committed to git: it is not versioned`
          : `${displayPath} does not exist in the working copy or in git history`,
      },
    };
  }
  const revisions = all.filter((r) => new Date(r.date) < opts.period.end);
  const laterRevisions = all.filter((r) => new Date(r.date) >= opts.period.end);
  const inForce = revisions[0];
  let content: Buffer | undefined;
  let tags: string[] = [];
  if (inForce) {
    // --follow may have found the file under an older name; ask git for the path at that commit.
    const pathAtCommit = await pathAt(gitTop, inForce.sha, repoRelative);
    content = pathAtCommit === undefined ? undefined : await gitTop.showBuffer([`${inForce.sha}:${pathAtCommit}`]);
    tags = (await gitTop.raw(['tag', '--contains', inForce.sha])).split('\n').map((t) => t.trim()).filter(Boolean).sort();
  }
  const evidence: RunbookEvidence = {
    ...base,
    headSha,
    dirty,
    inForce,
    revisions,
    laterRevisions,
    firstRevisionDate: revisions.at(-1)?.date,
    lastRevisionDate: inForce?.date,
    tags,
    sha256: content && sha256Hex(content),
    sections: findSections(content?.toString('utf8') ?? '', opts.sections),
    ...(inForce && content === undefined ? { state: 'missing' as const, stateReason: `${displayPath} was deleted in the revision in force at the period end (${inForce.sha.slice(0, 12)})` } : {}),
    ...(!inForce ? { stateReason: `${displayPath} was first committed on ${all.at(-1)!.date.slice(0, 10)}, after the period end ${opts.period.to}` } : {}),
  };
  return { evidence, content };
}

async function pathAt(git: SimpleGit, sha: string, current: string): Promise<string | undefined> {
  const names = (await git.raw(['log', '--follow', '--name-only', '--format=%H', '--', current])).split('\n').map((l) => l.trim()).filter(Boolean);
  const i = names.indexOf(sha);
  const candidate = i >= 0 ? names[i + 1] : current;
  const exists = await git.raw(['cat-file', '-e', `${sha}:${candidate}`]).then(() => true, () => false);
  return exists ? candidate : undefined;
}
