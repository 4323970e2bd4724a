// Coverage of the sources whose readers report problems rather than call the recorder: CloudTrail logs, IaC, digests.

import type { CloudTrailEvidence } from '../model/cloudtrail.js';
import type { IntegrityResult } from '../model/cloudtrail-integrity.js';
import { CoverageRecorder, type SkipReason, type SourceCoverage } from '../model/coverage.js';
import type { InfraSnapshot } from '../model/infra.js';
import type { SourceLocation } from '../model/location.js';

/** Coverage of the CloudTrail log scan: files read completely, skipped (one entry per object) and records dropped. */
export function cloudtrailCoverage(asked: string[], show: (p: string) => string, ct?: CloudTrailEvidence, failure?: string): SourceCoverage {
  const rec = new CoverageRecorder('cloudtrail-logs', 'CloudTrail logs', asked.map(show));
  if (!ct) {
    for (const root of asked) rec.skip(show(root), 'unavailable', failure ?? 'not read', { file: show(root) });
    return rec.result();
  }
  rec.list(ct.objectsListed);
  const skips = new Map<string, { skip: SkipReason; reasons: string[] }>();
  for (const p of ct.fileProblems) {
    if (p.skip) {
      const s = skips.get(p.path);
      if (s) s.reasons.push(p.reason);
      else skips.set(p.path, { skip: p.skip, reasons: [p.reason] });
    } else if (p.drop) rec.drop(show(p.path), p.drop, p.reason, p.count ?? 1, { file: show(p.path) });
  }
  for (const [path, s] of skips) rec.skip(show(path), s.skip, s.reasons.join('; '), { file: show(path) });
  rec.read(ct.sources.filter((s) => !skips.has(s.path)).length);
  return rec.result();
}

/**
 * Why an IaC problem means a file or resource was not evaluated. The Terraform and CloudFormation readers
 * report problems as messages: an `error` is always a gap, a `warning` only when it says a file was skipped.
 */
function iacSkip(level: 'error' | 'warning', message: string, skip?: SkipReason, terraform = false): SkipReason | undefined {
  // The Terraform reader says why itself (an error it does not tag is broken input); CloudFormation messages are still classified here.
  if (skip) return skip;
  if (terraform) return level === 'error' ? 'not-parseable' : undefined;
  if (level === 'warning' && !/^skipped /.test(message)) return undefined;
  if (/does not exist|broken symbolic link/.test(message)) return 'not-found';
  if (/leaves the configured root/.test(message)) return 'symlink-outside-roots';
  if (/not a regular file/.test(message)) return 'special-file';
  if (/larger than/.test(message)) return 'too-large';
  if (/binary file|not valid UTF-8/.test(message)) return 'bad-encoding';
  if (/cannot (be read|list)/.test(message)) return 'unreadable';
  if (/duplicate key/.test(message)) return 'duplicate-key';
  if (/is not read; its resources are not evidence/.test(message)) return 'unavailable';
  return 'not-parseable';
}

/** Coverage of the IaC read: files read, and every file or resource that was not evaluated. */
export function iacCoverage(snapshots: InfraSnapshot[], asked: string[], show: (p: string) => string): SourceCoverage {
  const rec = new CoverageRecorder('iac', 'IaC (Terraform / CloudFormation)', asked.map(show));
  // One entry per file: its first reason, and every message (a file that cannot be read leaves others unresolved).
  const byObject = new Map<string, { skip: SkipReason; messages: string[]; location: SourceLocation }>();
  for (const s of snapshots) {
    for (const p of s.problems) {
      const skip = iacSkip(p.level, p.message, p.skip, s.origin === 'terraform' || s.origin === 'terraform-plan');
      if (!skip) continue;
      const object = p.location?.file ?? s.root;
      const seen = byObject.get(object);
      if (!seen) byObject.set(object, { skip, messages: [p.message], location: p.location ?? { file: object } });
      else if (!seen.messages.includes(p.message)) seen.messages.push(p.message);
    }
  }
  for (const [object, g] of byObject) rec.skip(object, g.skip, g.messages.join('; '), g.location);
  const broken = new Set(byObject.keys());
  const files = new Set(snapshots.flatMap((s) => s.files.map((f) => f.path)));
  rec.list(new Set([...files, ...broken]).size);
  rec.read([...files].filter((f) => !broken.has(f)).length);
  return rec.result();
}

/** Coverage of digest validation: digests read, digests that could not be read, sources that could not be listed. */
export function integrityCoverage(asked: string[], show: (p: string) => string, r?: IntegrityResult, failure?: string): SourceCoverage {
  const rec = new CoverageRecorder('cloudtrail-digests', 'CloudTrail digests', asked.map(show));
  if (!r) {
    for (const root of asked) rec.skip(show(root), 'unavailable', failure ?? 'not read', { file: show(root) });
    return rec.result();
  }
  rec.list(r.digests.length + (r.skipped?.length ?? 0));
  for (const s of r.skipped ?? []) rec.skip(show(s.path), s.skip, s.reason, { file: show(s.path) });
  const skippedPaths = new Set((r.skipped ?? []).map((s) => s.path));
  for (const d of r.digests) {
    if (d.status === 'unreadable') rec.skip(show(d.path), /^cannot be read/.test(d.reason ?? '') ? 'unreadable' : 'not-parseable', d.reason ?? 'not a digest file', { file: show(d.path) });
    else if (d.malformed?.length) rec.skip(show(d.path), 'wrong-shape', `malformed: ${d.malformed.join('; ')}`, { file: show(d.path) });
    else rec.read();
  }
  for (const p of r.problems) if (p.level === 'error' && !/: malformed digest: /.test(p.message) && !skippedPaths.has(p.location?.file ?? '')) rec.skip(p.location?.file ? show(p.location.file) : 'digest sources', 'unavailable', p.message, p.location);
  return rec.result();
}
