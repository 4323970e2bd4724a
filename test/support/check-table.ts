// CheckTester: declarative pass / fail / unknown tables for one check (after ESLint's RuleTester).
// Rejects unnamed and duplicate cases, and a table without both a passing and a failing case.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckDefinition, EvidenceSet } from '../../src/evaluate/define-check.js';
import { runCheck } from '../../src/evaluate/engine.js';
import type { CheckResult } from '../../src/model/check.js';
import type { Status } from '../../src/model/status.js';
import { formatLocation } from '../../src/model/location.js';

export interface CheckCase {
  name: string;
  evidence: () => EvidenceSet | Promise<EvidenceSet>;
  /** The reason must match. */
  reason?: RegExp;
  /** Each must appear among the result's locations, formatted as file:line[:col]. */
  locations?: RegExp[];
  /** Extra assertions on the result. */
  assert?: (r: CheckResult) => void;
}

export interface CheckTable {
  pass: CheckCase[];
  fail: CheckCase[];
  unknown?: CheckCase[];
  error?: CheckCase[];
  not_applicable?: CheckCase[];
}

/** The registry of check ids that have a table, for the inventory test. */
export const TESTED_CHECKS = new Set<string>();

export function checkTable(check: CheckDefinition, table: CheckTable): void {
  const id = check.meta.id;
  const groups = Object.entries(table) as [Status, CheckCase[]][];
  const names = new Set<string>();
  for (const [, cases] of groups) {
    for (const c of cases) {
      if (!c.name?.trim()) throw new Error(`${id}: a case has no name`);
      if (names.has(c.name)) throw new Error(`${id}: duplicate case name "${c.name}"`);
      names.add(c.name);
    }
  }
  const nonPass = groups.filter(([s]) => s !== 'pass').reduce((n, [, c]) => n + c.length, 0);
  if (!table.pass.length || !nonPass) throw new Error(`${id}: a check table needs at least one pass and one non-pass case`);
  TESTED_CHECKS.add(id);
  describe(id, () => {
    for (const [status, cases] of groups) {
      for (const c of cases) {
        test(`${status}: ${c.name}`, async () => {
          const result = runCheck(check, await c.evidence());
          assert.equal(result.status, status, `expected ${status}, got ${result.status}: ${result.reason}`);
          assert.ok(result.reason.length > 0, 'every result has a reason');
          if (c.reason) assert.match(result.reason, c.reason);
          const locs = result.locations.map(formatLocation);
          for (const l of c.locations ?? []) assert.ok(locs.some((x) => l.test(x)), `no location matches ${l} in ${JSON.stringify(locs)}`);
          c.assert?.(result);
        });
      }
    }
  });
}
