// The pack's in-toto Statement: every file as a subject, and a predicate with the maturity level and check summary.

import type { Report } from '../model/report.js';
import { AUDIT_PACK_PREDICATE_TYPE, IN_TOTO_STATEMENT_TYPE, type InTotoStatement, type ResourceDescriptor } from './dsse.js';
import { cmp, sha256Hex } from './manifest.js';

/** Predicate of https://evidence-pack.dev/attestation/audit-pack/v1 (documented in docs/verifying-a-pack.md). */
export interface AuditPackPredicate {
  tool: { name: string; version: string };
  organisation: string;
  control: string;
  period: { label: string; from: string; to: string };
  generatedAt: string;
  maturity: { level: number; name: string };
  checks: Report['summary']['checks'];
  requirements: Report['summary']['requirements'];
  manifestSha256: string;
}

/** What a caller may add to the pack's statement (`attest`: the git commit and the release predicate). */
export interface AttestationOptions {
  /** Subjects that are not files of the pack, e.g. `{ name: 'git+<origin>', digest: { gitCommit } }`; listed after the files. */
  subjects?: ResourceDescriptor[];
  /** predicateType of the statement; default the audit-pack predicate. */
  predicateType?: string;
  /** Builds the predicate from the audit-pack one (which carries manifestSha256, checked by verifyPack); default: it unchanged. */
  predicate?: (base: AuditPackPredicate) => AuditPackPredicate;
}

export function buildStatement(
  report: Report,
  toolVersion: string,
  manifestSha256: string,
  files: { path: string; bytes: Buffer }[],
  opts: AttestationOptions = {},
): InTotoStatement<AuditPackPredicate> {
  const base: AuditPackPredicate = {
    tool: { name: 'evidence-pack', version: toolVersion },
    organisation: report.organisation,
    control: report.control.id,
    period: { label: report.period.label, from: report.period.from, to: report.period.to },
    generatedAt: report.generatedAt,
    maturity: { level: report.maturity.level, name: report.maturity.levelName },
    checks: report.summary.checks,
    requirements: report.summary.requirements,
    manifestSha256,
  };
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [
      ...files.map((f) => ({ name: f.path, digest: { sha256: sha256Hex(f.bytes) } })).sort((a, b) => cmp(a.name, b.name)),
      ...(opts.subjects ?? []),
    ],
    predicateType: opts.predicateType ?? AUDIT_PACK_PREDICATE_TYPE,
    predicate: opts.predicate ? opts.predicate(base) : base,
  };
}
