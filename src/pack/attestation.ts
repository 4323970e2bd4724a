// The pack's in-toto Statement: every file as a subject, and a predicate with the maturity level and check summary.

import type { Report } from '../model/report.js';
import { AUDIT_PACK_PREDICATE_TYPE, IN_TOTO_STATEMENT_TYPE, type InTotoStatement } from './dsse.js';
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

export function buildStatement(report: Report, toolVersion: string, manifestSha256: string, files: { path: string; bytes: Buffer }[]): InTotoStatement<AuditPackPredicate> {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: files.map((f) => ({ name: f.path, digest: { sha256: sha256Hex(f.bytes) } })).sort((a, b) => cmp(a.name, b.name)),
    predicateType: AUDIT_PACK_PREDICATE_TYPE,
    predicate: {
      tool: { name: 'evidence-pack', version: toolVersion },
      organisation: report.organisation,
      control: report.control.id,
      period: { label: report.period.label, from: report.period.from, to: report.period.to },
      generatedAt: report.generatedAt,
      maturity: { level: report.maturity.level, name: report.maturity.levelName },
      checks: report.summary.checks,
      requirements: report.summary.requirements,
      manifestSha256,
    },
  };
}
