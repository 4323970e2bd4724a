// Recognises the runbook's required sections (seed 000) by matching Markdown headings.

import { lexer, type Tokens } from 'marked';
import type { RunbookSectionId } from '../../config/load.js';
import type { RunbookSection } from '../../model/runbook.js';

export const SECTION_TITLES: Record<RunbookSectionId, string> = {
  'trigger-criteria': 'Trigger criteria',
  'authorised-personnel': 'Authorised personnel',
  'approval-chain': 'Approval chain',
  'activation-steps': 'Activation steps',
  decommissioning: 'Decommissioning / credential rotation',
  'post-incident-review': 'Post-incident review',
};

/** Default heading phrases (case-insensitive substrings); a config can override them per section. */
export const DEFAULT_SECTION_PHRASES: Record<RunbookSectionId, string[]> = {
  'trigger-criteria': ['trigger', 'when to use', 'when to break', 'criteria for use', 'activation criteria'],
  'authorised-personnel': ['authorised personnel', 'authorized personnel', 'who may', 'who can', 'responders', 'personnel', 'roles and responsibilities'],
  'approval-chain': ['approval', 'approver', 'authorisation chain', 'authorization chain', 'escalation'],
  'activation-steps': ['activation steps', 'activation procedure', 'how to activate', 'break the glass', 'breaking the glass', 'activation'],
  decommissioning: ['decommission', 'credential rotation', 'rotate', 'rotation', 'revocation', 'deactivat', 'close-out', 'closeout'],
  'post-incident-review': ['post-incident', 'post incident', 'incident review', 'retrospective', 'lessons learned', 'post-mortem', 'postmortem', 'after-action'],
};

export interface Heading {
  text: string;
  depth: number;
  line: number;
}

/** Markdown headings (ATX and setext; not `#` lines inside code blocks) with 1-based line numbers. */
export function markdownHeadings(markdown: string): Heading[] {
  const out: Heading[] = [];
  let offset = 0;
  for (const token of lexer(markdown)) {
    if (token.type === 'heading') {
      const line = markdown.slice(0, offset).split('\n').length;
      out.push({ text: (token as Tokens.Heading).text.trim(), depth: (token as Tokens.Heading).depth, line });
    }
    offset += token.raw.length;
  }
  return out;
}

export function findSections(markdown: string, overrides: Partial<Record<RunbookSectionId, string[]>> = {}): RunbookSection[] {
  const headings = markdownHeadings(markdown);
  return (Object.keys(SECTION_TITLES) as RunbookSectionId[]).map((id) => {
    const phrases = (overrides[id] ?? DEFAULT_SECTION_PHRASES[id]).map((p) => p.toLowerCase());
    const h = headings.find((x) => phrases.some((p) => x.text.toLowerCase().includes(p)));
    return h ? { id, title: SECTION_TITLES[id], present: true, heading: h.text, line: h.line } : { id, title: SECTION_TITLES[id], present: false };
  });
}
