// Declarative table tests: every case has a unique, non-empty name, so a failure names the row it came from.

import { test } from 'node:test';

export function tableTest<C extends { name: string }>(title: string, cases: readonly C[], run: (c: C) => void | Promise<void>): void {
  const names = new Set<string>();
  for (const c of cases) {
    if (!c.name || c.name.trim() === '') throw new Error(`${title}: a case has no name`);
    if (names.has(c.name)) throw new Error(`${title}: duplicate case name "${c.name}"`);
    names.add(c.name);
  }
  for (const c of cases) test(`${title}: ${c.name}`, () => run(c));
}
