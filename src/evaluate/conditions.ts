// Resources that may not be created (Terraform `count` / `for_each` not known statically) leave a check `unknown`
// only when its verdict depends on them: a verdict that is the same whether or not they are created is that verdict.

import type { Entity, InfraSnapshot } from '../model/infra.js';
import type { CheckOutcome, EvidenceSet } from './define-check.js';

/** At most this many distinct conditions are combined (2^n evaluations); beyond, the check stays as it is. */
const MAX_CONDITIONS = 5;

/**
 * The condition an entity exists under: its reason within its root module (one `var.create` is one condition in a
 * root; the same words in two roots are two conditions, as two roots have their own variables).
 */
const conditionKey = (s: InfraSnapshot, e: Entity) => `${s.root}\u0000${e.conditional!.unknown}`;

/** The distinct conditions under which some IaC entity exists. */
function conditionsOf(snapshots: InfraSnapshot[]): string[] {
  return [...new Set(snapshots.flatMap((s) => s.entities.flatMap((e) => (e.conditional ? [conditionKey(s, e)] : []))))].sort();
}

/** The snapshots as they are when the conditions in `created` hold and the others do not. */
function world(snapshots: InfraSnapshot[], created: Set<string>): InfraSnapshot[] {
  return snapshots.map((s) => ({
    ...s,
    entities: s.entities.flatMap((e): Entity[] => {
      if (!e.conditional) return [e];
      if (!created.has(conditionKey(s, e))) return [];
      const { conditional: _, ...sure } = e;
      return [sure as Entity];
    }),
  }));
}

/**
 * Evaluates `evaluate` in every combination of the conditions (each independently true or false: a superset of
 * what can really happen, so a verdict shared by all combinations is sound) and returns the verdict they share,
 * as the combination where every conditional resource is created reports it (its findings point at them).
 * Undefined when there is no condition, too many, or the combinations disagree or stay `unknown`.
 */
export function decideOverConditions(ev: EvidenceSet, evaluate: (ev: EvidenceSet) => CheckOutcome, statusOf: (o: CheckOutcome) => string): CheckOutcome | undefined {
  if (ev.iac.state !== 'collected') return undefined;
  const snapshots = ev.iac.value;
  const conditions = conditionsOf(snapshots);
  if (conditions.length === 0 || conditions.length > MAX_CONDITIONS) return undefined;
  let all: CheckOutcome | undefined;
  let shared: string | undefined;
  for (let mask = (1 << conditions.length) - 1; mask >= 0; mask--) {
    const created = new Set(conditions.filter((_, i) => mask & (1 << i)));
    const out = evaluate({ ...ev, iac: { ...ev.iac, value: world(snapshots, created) } });
    const status = statusOf(out);
    if (status !== 'pass' && status !== 'fail') return undefined;
    if (shared !== undefined && status !== shared) return undefined;
    shared = status;
    all ??= out;
  }
  const reasons = [...new Set(conditions.map((c) => c.slice(c.indexOf('\u0000') + 1)))];
  const why = reasons.length === 1 ? reasons[0] : `${conditions.length} conditions: ${reasons.join('; ')}`;
  return { ...all!, status: shared as 'pass' | 'fail', reason: `${all!.reason} — ${shared} whether or not the resources whose count / for_each is not known are created (${why})` };
}
