// Tolerant readers for the Report's open-ended sections (e.g. `sections.activations`), shared by the renderers.

import { BROKEN_REASONS, gapCount, isComplete, type SourceCoverage } from '../model/coverage.js';

export type Rec = Record<string, unknown>;

export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first of `keys` holding a non-empty string or a finite number, as a string. */
export function str(o: Rec, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function num(o: Rec, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** "25 min 19 s", "3 h 2 min", "4 d 1 h"; `unknown` when the duration was not recorded. */
export function humanDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** The coverage section as both renderers show it: one row per source, then every skipped object and rejected record. */
export function coverageView(report: { coverage?: SourceCoverage[] }) {
  const sources = report.coverage ?? [];
  const rows = sources.map((c) => ({
    source: c.source,
    asked: c.asked,
    listed: c.listed,
    read: c.read,
    skippedCount: c.skipped.length,
    droppedCount: gapCount(c.dropped),
    complete: isComplete(c),
    broken: c.skipped.some((g) => (BROKEN_REASONS as readonly string[]).includes(g.reason)),
  }));
  const gaps = sources.flatMap((c) => [
    ...c.skipped.map((g) => ({ ...g, source: c.source, kind: 'SKIPPED', broken: (BROKEN_REASONS as readonly string[]).includes(g.reason) })),
    ...c.dropped.map((g) => ({ ...g, source: c.source, kind: 'REJECTED', broken: false })),
  ]);
  return { rows, gaps };
}
