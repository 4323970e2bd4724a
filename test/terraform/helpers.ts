// Test helpers for the Terraform collector: temp folders built from object literals, entity look-ups.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Entity, Field, InfraSnapshot } from '../../src/model/infra.js';

/** Writes `files` (path → content) under a fresh temp folder; returns its path and a cleanup. */
export function tempTree(files: Record<string, string | Buffer>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ep-tf-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function entity(s: InfraSnapshot, id: string): Entity {
  const e = s.entities.find((x) => x.id === id);
  if (!e) throw new Error(`no entity ${id}; have ${s.entities.map((x) => x.id).join(', ')}`);
  return e;
}

/** A field of an entity by name (typed loosely, for table tests). */
export function fieldOf(e: Entity, name: string): Field<unknown> {
  const f = (e as unknown as Record<string, Field<unknown> | undefined>)[name];
  if (!f) throw new Error(`${e.id} has no field ${name}`);
  return f;
}

/** Entities without locations/origin: what must be equal whichever input (.tf or plan) they came from. */
export function comparable(s: InfraSnapshot): Record<string, unknown> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('unknown' in o) return { unknown: true };
      return Object.fromEntries(
        Object.entries(o)
          .filter(([k]) => k !== 'at' && k !== 'origin' && k !== 'location')
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  return Object.fromEntries(s.entities.map((e) => [e.id, strip(e)]));
}
