// Pack comparison (`evidence-pack diff`): verify both packs, then maturity, criteria, checks and activations old → new.

import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EvidencePackError, messageOf } from '../errors.js';
import type { Report } from '../model/report.js';
import { isAtLeast, type Status } from '../model/status.js';
import { RELEASE_PREDICATE_TYPE } from '../pack/dsse.js';
import { PACK_FILES } from '../pack/manifest.js';
import { verifyPack } from '../pack/verify.js';

/** The report.json versions this build can compare. */
export const SUPPORTED_SCHEMA_VERSIONS = [1];

export interface LoadedPack {
  dir: string;
  kind: 'pack' | 'release-attestation';
  report: Report;
  signer?: string;
}

export interface PackDiff {
  old: { dir: string; organisation: string; period: string; level: number };
  new: { dir: string; organisation: string; period: string; level: number };
  level: { from: number; to: number; change: number };
  criteria: { gained: CriterionChange[]; lost: CriterionChange[] };
  checks: { regressed: CheckChange[]; improved: CheckChange[]; added: CheckChange[]; removed: CheckChange[] };
  activations: { new: string[]; resolved: string[] };
  /** Level dropped, a criterion was lost, or a check got worse (what --fail-on-regression gates on). */
  regression: boolean;
}

export interface CriterionChange {
  id: string;
  level: number;
  text: string;
  from: string;
  to: string;
}

export interface CheckChange {
  id: string;
  title: string;
  from: Status | null;
  to: Status | null;
}

const packError = (dir: string, what: string, hint?: string) => new EvidencePackError('PACK_INVALID', `${dir}: ${what}`, { hint });

/** Loads a pack written by `run` (signed) or `attest`, after verifying it; every failure is a PACK_INVALID error saying which. */
export async function loadPackForDiff(path: string): Promise<LoadedPack> {
  const dir = resolve(path);
  try {
    if (!lstatSync(dir).isDirectory()) throw packError(path, 'is not a folder', 'pass the folder written by `evidence-pack run` or `attest`');
  } catch (e) {
    if (e instanceof EvidencePackError) throw e;
    throw new EvidencePackError('INPUT_NOT_FOUND', `${path}: no such pack folder`);
  }
  const present = new Set(readdirSync(dir));
  if (!present.has(PACK_FILES.reportJson)) throw packError(path, 'not an evidence pack (no report.json)', 'pass the folder written by `evidence-pack run` or `attest`');
  // One verifier for every pack: `run` packs and `attest` release attestations are written by the same writer.
  const v = await verifyPack(dir);
  if (!v.signed) throw packError(path, 'the pack is UNSIGNED: nothing proves its files are unchanged', 'diff compares signed packs only: use `evidence-pack attest` or a signed `run`');
  if (!v.ok) {
    const details = [...v.problems, ...v.files.filter((f) => f.status !== 'ok').map((f) => `${f.path}: ${f.status}${f.problems.length ? ` (${f.problems.join('; ')})` : ''}`)];
    throw new EvidencePackError('PACK_INVALID', `${path}: TAMPERED or broken: the pack does not verify`, { details, hint: 'run `evidence-pack verify` on it for the full report' });
  }
  const kind: LoadedPack['kind'] = v.predicateType === RELEASE_PREDICATE_TYPE ? 'release-attestation' : 'pack';
  let report: Report;
  try {
    report = JSON.parse(readFileSync(join(dir, PACK_FILES.reportJson), 'utf8'));
  } catch (e) {
    throw packError(path, `report.json is not JSON (${messageOf(e)})`);
  }
  if (!SUPPORTED_SCHEMA_VERSIONS.includes(report.schemaVersion)) {
    throw packError(path, `report.json has schemaVersion ${JSON.stringify(report.schemaVersion)}; this evidence-pack compares version ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`, 'use the evidence-pack release that wrote the pack, or regenerate both packs with this one');
  }
  return { dir, kind, report, signer: v.signer };
}

function activationIds(r: Report): string[] {
  return (r.sections.activations ?? []).map((a) => (a as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
}

/** Compares two reports of the same schema version, old → new. */
export function diffReports(oldR: Report, newR: Report, dirs: { old: string; new: string } = { old: '', new: '' }): PackDiff {
  if (oldR.schemaVersion !== newR.schemaVersion) {
    throw new EvidencePackError('PACK_INVALID', `incompatible packs: report.json schemaVersion ${oldR.schemaVersion} vs ${newR.schemaVersion}`, { hint: 'regenerate both packs with the same evidence-pack release' });
  }
  const oldCrit = new Map(oldR.maturity.criteria.map((c) => [c.id, c]));
  const newCrit = new Map(newR.maturity.criteria.map((c) => [c.id, c]));
  const change = (id: string): CriterionChange => {
    const c = (newCrit.get(id) ?? oldCrit.get(id))!;
    return { id, level: c.level, text: c.text, from: oldCrit.get(id)?.status ?? 'absent', to: newCrit.get(id)?.status ?? 'absent' };
  };
  const ids = [...new Set([...oldCrit.keys(), ...newCrit.keys()])];
  const gained = ids.filter((id) => newCrit.get(id)?.status === 'met' && oldCrit.get(id)?.status !== 'met').map(change);
  const lost = ids.filter((id) => oldCrit.get(id)?.status === 'met' && newCrit.get(id)?.status !== 'met').map(change);

  const oldChecks = new Map(oldR.checks.map((c) => [c.id, c]));
  const newChecks = new Map(newR.checks.map((c) => [c.id, c]));
  const checks: PackDiff['checks'] = { regressed: [], improved: [], added: [], removed: [] };
  for (const [id, n] of newChecks) {
    const o = oldChecks.get(id);
    if (!o) checks.added.push({ id, title: n.title, from: null, to: n.status });
    else if (o.status !== n.status) (isAtLeast(n.status, o.status) ? checks.regressed : checks.improved).push({ id, title: n.title, from: o.status, to: n.status });
  }
  for (const [id, o] of oldChecks) if (!newChecks.has(id)) checks.removed.push({ id, title: o.title, from: o.status, to: null });

  const oldAct = new Set(activationIds(oldR));
  const newAct = new Set(activationIds(newR));
  const level = { from: oldR.maturity.level, to: newR.maturity.level, change: newR.maturity.level - oldR.maturity.level };
  const side = (r: Report, dir: string) => ({ dir, organisation: r.organisation, period: r.period.label, level: r.maturity.level });
  return {
    old: side(oldR, dirs.old),
    new: side(newR, dirs.new),
    level,
    criteria: { gained, lost },
    checks,
    activations: { new: [...newAct].filter((a) => !oldAct.has(a)).sort(), resolved: [...oldAct].filter((a) => !newAct.has(a)).sort() },
    regression: level.change < 0 || lost.length > 0 || checks.regressed.length > 0,
  };
}

/** Verifies and loads both packs, then compares them. */
export async function diffPacks(oldDir: string, newDir: string): Promise<PackDiff> {
  const [o, n] = [await loadPackForDiff(oldDir), await loadPackForDiff(newDir)];
  return diffReports(o.report, n.report, { old: oldDir, new: newDir });
}
