// Check tables for the runbook checks: pure functions of RunbookEvidence (the collector has its own git tests).
import versioned from '../../src/evaluate/checks/waf-sov-070.process.runbook-versioned.js';
import sections from '../../src/evaluate/checks/waf-sov-070.process.runbook-sections.js';
import current from '../../src/evaluate/checks/waf-sov-070.process.runbook-current.js';
import accessDefined from '../../src/evaluate/checks/waf-sov-070.process.break-glass-access-defined.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence, runbook } from '../support/evidence.js';
import { SECTION_TITLES } from '../../src/collect/runbook/sections.js';
import type { RunbookSection } from '../../src/model/runbook.js';
import type { RunbookSectionId } from '../../src/config/load.js';

const rev = (date: string, sha = 'a'.repeat(40)) => ({ sha, date, author: 'Ann <ann@example.com>', subject: 'update' });
const IN_FORCE = rev('2026-06-30T11:05:00+02:00');
const allSections = (missing: RunbookSectionId[] = []): RunbookSection[] =>
  (Object.keys(SECTION_TITLES) as RunbookSectionId[]).map((id, i) =>
    missing.includes(id) ? { id, title: SECTION_TITLES[id], present: false } : { id, title: SECTION_TITLES[id], present: true, heading: SECTION_TITLES[id], line: 3 + i * 5 },
  );

checkTable(versioned, {
  pass: [
    { name: 'committed, clean', evidence: runbook({ inForce: IN_FORCE, revisions: [IN_FORCE], sha256: 'x' }), reason: /is versioned: 1 revision/ },
    { name: 'later revisions listed but not counted', evidence: runbook({ inForce: IN_FORCE, revisions: [IN_FORCE], laterRevisions: [rev('2026-10-12T08:00:00Z', 'b'.repeat(40))], sha256: 'x' }), reason: /1 later revision\(s\) after the period end are not counted/ },
  ],
  fail: [
    { name: 'not a git repository', evidence: runbook({ state: 'not-a-repository', stateReason: 'runbooks/break-glass.md is not inside a git repository' }), reason: /not inside a git repository/ },
    { name: 'file missing', evidence: runbook({ state: 'missing', existsInWorkingCopy: false, stateReason: 'does not exist' }), reason: /does not exist/ },
    { name: 'never committed', evidence: runbook({ state: 'not-tracked', stateReason: 'has never been committed' }), reason: /never been committed/ },
    { name: 'uncommitted changes', evidence: runbook({ inForce: IN_FORCE, revisions: [IN_FORCE], dirty: true, sha256: 'x' }), reason: /uncommitted changes/ },
    { name: 'first committed after the period end', evidence: runbook({ laterRevisions: [rev('2026-10-01T00:00:00Z')], stateReason: 'first committed on 2026-10-01, after the period end 2026-09-30' }), reason: /after the period end/ },
  ],
  unknown: [{ name: 'runbook not configured', evidence: () => baseEvidence(), reason: /runbook not collected/ }],
});

checkTable(sections, {
  pass: [{ name: 'all six sections', evidence: runbook({ inForce: IN_FORCE, sha256: 'x', sections: allSections() }), reason: /all 6 required sections/ }],
  fail: [
    { name: 'no post-incident review', evidence: runbook({ inForce: IN_FORCE, sha256: 'x', sections: allSections(['post-incident-review']) }), reason: /lacks: Post-incident review$/ },
    { name: 'two missing', evidence: runbook({ inForce: IN_FORCE, sha256: 'x', sections: allSections(['approval-chain', 'decommissioning']) }), reason: /Approval chain, Decommissioning/ },
  ],
  unknown: [
    { name: 'no revision in force', evidence: runbook({ state: 'missing', stateReason: 'gone' }), reason: /no revision .* in force/ },
    { name: 'runbook not configured', evidence: () => baseEvidence(), reason: /not collected/ },
  ],
});

checkTable(current, {
  pass: [
    { name: 'revised 3 months before period end', evidence: runbook({ inForce: IN_FORCE }), reason: /day\(s\) before the period end/ },
    { name: 'revised exactly 365 days before the end', evidence: runbook({ inForce: rev('2025-10-01T00:00:00Z') }) },
  ],
  fail: [{ name: 'revised 13 months before', evidence: runbook({ inForce: rev('2025-08-30T00:00:00Z') }), reason: /more than 12 months/ }],
  unknown: [{ name: 'no revision in force', evidence: runbook({ state: 'missing', stateReason: 'gone' }) }],
});

const bg = { roles: ['arn:aws:iam::*:role/BreakGlass'], users: [], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: true, secrets: [] };
checkTable(accessDefined, {
  pass: [
    { name: 'identities declared', evidence: () => baseEvidence({ breakGlass: bg, breakGlassDeclared: true }), reason: /role arn:aws:iam::\*:role\/BreakGlass/ },
    { name: 'runbook in force documents it', evidence: runbook({ inForce: IN_FORCE }), reason: /documents the emergency access/ },
  ],
  fail: [],
  unknown: [{ name: 'neither', evidence: () => baseEvidence(), reason: /no break-glass identities declared/ }],
});
