// Runs the process collectors a config asks for and turns them into evidence-set fields, index items, pack files and report sections.

import { readFileSync } from 'node:fs';
import type { Config } from '../../config/load.js';
import type { Collected, EvidenceItem, EvidenceKind, PopulationRecord } from '../../model/evidence.js';
import type { ProcessFile, RecordSet, RiskAcceptance } from '../../model/process.js';
import { formatLocation } from '../../model/location.js';
import type { EvidenceSet } from '../../model/evidence-set.js';
import { messageOf } from '../../errors.js';
import { collectApprovals, collectDrills, collectReviews, collectRiskAcceptances, collectSecretStore, collectTickets, type CollectedRecords, type ProcessCollectOptions } from './index.js';
import { sha256Hex } from './records.js';
import { relative } from 'node:path';
import { CoverageRecorder, coverageParameters, type SourceCoverage } from '../../model/coverage.js';
import type { InputRoots } from '../input-files.js';

export interface ProcessCollection {
  evidence: Pick<EvidenceSet, 'calendar' | 'reviews' | 'drills' | 'secretStore' | 'tickets' | 'approvals' | 'processFiles'>;
  refs: Partial<Record<EvidenceKind, string[]>>;
  items: EvidenceItem[];
  files: { path: string; bytes: Buffer }[];
  problems: { source: string; level: 'error' | 'warning'; message: string; location?: string }[];
  sections: Record<string, unknown>;
  populations: PopulationRecord[];
  riskAcceptances?: Collected<RecordSet<RiskAcceptance>>;
  coverage: SourceCoverage[];
}

type Source = { key: 'reviews' | 'drills' | 'secretStore' | 'tickets' | 'approvals' | 'riskAcceptances'; kind: EvidenceKind; configKey: string; prefix: string; run: (o: ProcessCollectOptions) => CollectedRecords<unknown> };

const SOURCES: Source[] = [
  { key: 'reviews', kind: 'reviews', configKey: 'reviews', prefix: 'evidence/reviews', run: collectReviews },
  { key: 'drills', kind: 'drills', configKey: 'drills', prefix: 'evidence/drills', run: collectDrills },
  { key: 'secretStore', kind: 'secret-store', configKey: 'secretStore', prefix: 'evidence/secret-store', run: collectSecretStore },
  { key: 'tickets', kind: 'tickets', configKey: 'tickets', prefix: 'evidence/tickets', run: collectTickets },
  { key: 'approvals', kind: 'approvals', configKey: 'approvals', prefix: 'evidence/approvals', run: collectApprovals },
  { key: 'riskAcceptances', kind: 'risk-acceptances', configKey: 'riskAcceptances', prefix: 'evidence/risk-acceptances', run: collectRiskAcceptances },
];

/** Pack-internal path: never escapes the pack. */
function packPath(prefix: string, rel: string): string {
  return `${prefix}/${rel.split(/[\\/]+/).map((s) => (s === '..' ? '_up' : s)).filter((s) => s && s !== '.').join('/')}`;
}

export function collectProcess(config: Config, collectedAt: string, roots?: InputRoots): ProcessCollection {
  const out: ProcessCollection = { evidence: { calendar: config.calendar }, refs: {}, items: [], files: [], problems: [], sections: {}, populations: [], coverage: [] };
  const allFiles: ProcessFile[] = [];
  const baseOpts = { baseDir: config.baseDir, calendar: config.calendar, roots, maxFileBytes: config.limits?.maxFileBytes };
  for (const src of SOURCES) {
    const configured = config[src.key];
    if (configured === undefined) {
      if (src.key !== 'riskAcceptances') (out.evidence as Record<string, unknown>)[src.key] = { state: 'not-configured', reason: `not configured (config key \`${src.configKey}\`)` };
      continue;
    }
    const paths = Array.isArray(configured) ? configured : [configured];
    let result: Collected<RecordSet<unknown>>;
    try {
      const r = src.run({ ...baseOpts, paths });
      const { copies, artefacts, ...set } = r;
      result = { state: 'collected', value: set };
      out.coverage.push(r.coverage);
      allFiles.push(...r.files);
      out.refs[src.kind] = [];
      for (const f of r.files) {
        const copy = copies.find((c) => c.path === f.path);
        const pp = packPath(src.prefix, f.path);
        if (copy) out.files.push({ path: pp, bytes: copy.bytes });
        const id = `${src.kind}:${f.path}`;
        out.items.push({
          id,
          kind: src.kind,
          source: f.path,
          sha256: f.sha256,
          size: f.size,
          collectedAt,
          packPath: pp,
          problems: f.secrets.length ? f.secrets.map((s) => ({ level: 'error' as const, message: `secret-looking value in ${s.field} (${s.detector}) redacted in the pack copy; sha256 is of the original`, location: s.location })) : undefined,
        });
        out.refs[src.kind]!.push(id);
      }
      for (const a of artefacts ?? []) {
        const bytes = readFileSync(a.absPath);
        const pp = packPath('evidence/drills/artefacts', a.path);
        if (!out.files.some((f) => f.path === pp)) {
          out.files.push({ path: pp, bytes });
          out.items.push({ id: `drill-artefact:${a.path}`, kind: 'drills', source: a.path, sha256: sha256Hex(bytes), size: bytes.length, collectedAt, packPath: pp });
          out.refs.drills!.push(`drill-artefact:${a.path}`);
        }
      }
      for (const p of r.problems) out.problems.push({ source: src.configKey, level: p.level, message: p.message, location: p.location && formatLocation(p.location) });
      out.populations.push({
        population: `${src.configKey} records`,
        sourceSystem: 'files named in evidence-pack.yaml',
        selection: `${src.configKey}: ${r.files.map((f) => f.path).join(', ')}`,
        parameters: { files: String(r.files.length), rejected: String(r.rejected), ...coverageParameters(r.coverage) },
        extractedAt: collectedAt,
        recordCount: r.records.length,
        sha256: sha256Hex(JSON.stringify(r.records)),
      });
      out.sections[src.key] = { records: r.records, rejected: r.rejected, files: r.files.map(({ absPath: _a, ...f }) => f) };
    } catch (e) {
      const reason = `reading ${src.configKey} failed: ${messageOf(e)}`;
      result = { state: 'unavailable', reason };
      const rec = new CoverageRecorder(src.kind, src.configKey, paths.map((p) => relative(config.baseDir, p) || p));
      for (const p of paths) rec.skip(relative(config.baseDir, p) || p, 'unavailable', reason);
      out.coverage.push(rec.result());
      out.problems.push({ source: src.configKey, level: 'error', message: reason });
    }
    if (src.key === 'riskAcceptances') out.riskAcceptances = result as Collected<RecordSet<RiskAcceptance>>;
    else (out.evidence as Record<string, unknown>)[src.key] = result;
  }
  out.evidence.processFiles = allFiles;
  return out;
}
