// Evidence about the break-glass runbook, read from git as of the period end.

/** The runbook sections seed 000 requires, in order. */
export const RUNBOOK_SECTION_IDS = [
  'trigger-criteria',
  'authorised-personnel',
  'approval-chain',
  'activation-steps',
  'decommissioning',
  'post-incident-review',
] as const;
export type RunbookSectionId = (typeof RUNBOOK_SECTION_IDS)[number];

export interface RunbookRevision {
  sha: string;
  /** Committer date, ISO 8601 with offset as git records it. */
  date: string;
  author: string;
  subject: string;
}

export interface RunbookSection {
  id: RunbookSectionId;
  title: string;
  present: boolean;
  /** The matching heading and its line in the in-force revision. */
  heading?: string;
  line?: number;
}

export interface RunbookEvidence {
  /** Path as configured, relative to the config folder. */
  displayPath: string;
  absPath: string;
  /** 'ok' when git history could be read; otherwise why not. */
  state: 'ok' | 'not-a-repository' | 'not-tracked' | 'missing';
  stateReason?: string;
  existsInWorkingCopy: boolean;
  /** Working copy differs from HEAD (modified, staged or untracked). */
  dirty: boolean;
  /** The last commit at or before the period end: the version judged for the period. */
  inForce?: RunbookRevision;
  /** Revisions up to the period end, newest first. */
  revisions: RunbookRevision[];
  /** Revisions after the period end: listed, not counted. */
  laterRevisions: RunbookRevision[];
  firstRevisionDate?: string;
  lastRevisionDate?: string;
  /** Tags that contain the in-force commit. */
  tags: string[];
  /** sha256 of the file content at the in-force revision. */
  sha256?: string;
  /** sha256 of the working-copy file, when it exists. */
  workingCopySha256?: string;
  headSha?: string;
  sections: RunbookSection[];
}
