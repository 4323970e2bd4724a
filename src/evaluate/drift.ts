// IaC vs live drift: the checks whose IaC and live verdicts disagree (from the engine's per-source verdicts), plus attribute differences.

import type { CheckResult } from '../model/check.js';
import type { CheckDrift, DriftReport, ResourceDrift } from '../model/aws.js';
import { isUnknown, type Entity, type Field, type InfraSnapshot } from '../model/infra.js';
import { formatLocation } from '../model/location.js';
import type { EvidenceSet } from './define-check.js';

/** Attributes compared per entity type; the entity's `name` pairs IaC with live. */
const COMPARED: Record<string, string[]> = {
  trail: ['multiRegion', 'logFileValidation', 'globalServiceEvents', 'logging', 'managementEvents'],
  alarm: ['actionsEnabled', 'metricName', 'namespace'],
  bucket: ['objectLock', 'publicByPolicy'],
  'metric-filter': ['pattern'],
};

function nameOf(e: Entity): string | undefined {
  const n = (e as { name?: Field<string> }).name?.value;
  return typeof n === 'string' ? n : undefined;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Attribute-level differences between IaC and live entities of the same type and name. */
export function resourceDrift(iac: InfraSnapshot[], live: InfraSnapshot[]): Pick<DriftReport, 'resources' | 'missing' | 'notCompared'> {
  const resources: ResourceDrift[] = [];
  const missing: DriftReport['missing'] = [];
  const notCompared: string[] = [];
  const liveEntities = live.flatMap((s) => s.entities);
  const iacEntities = iac.flatMap((s) => s.entities);
  for (const type of Object.keys(COMPARED)) {
    const liveByName = new Map<string, Entity[]>();
    for (const e of liveEntities.filter((x) => x.type === type)) {
      const n = nameOf(e);
      if (n) liveByName.set(n, [...(liveByName.get(n) ?? []), e]);
    }
    const iacNames = new Set<string>();
    for (const d of iacEntities.filter((x) => x.type === type)) {
      const name = nameOf(d);
      if (!name) {
        notCompared.push(`${type} ${d.id}: its name is not known statically`);
        continue;
      }
      iacNames.add(name);
      const matches = liveByName.get(name) ?? [];
      if (!matches.length) {
        // Only "missing" when the live read of that type can be trusted to be complete.
        if (!live.some((s) => s.problems.some((p) => p.level === 'error'))) missing.push({ type, name, side: 'live', at: formatLocation(d.at) });
        else notCompared.push(`${type} ${name}: not found live, but some live calls failed`);
        continue;
      }
      for (const l of matches) {
        for (const attr of COMPARED[type]) {
          const a = (d as unknown as Record<string, Field<unknown> | undefined>)[attr];
          const b = (l as unknown as Record<string, Field<unknown> | undefined>)[attr];
          if (!a || !b) continue;
          if (isUnknown(a.value) || isUnknown(b.value)) {
            notCompared.push(`${type} ${name} ${attr}: ${isUnknown(a.value) ? `IaC unknown (${a.value.unknown})` : `live unknown (${(b.value as { unknown: string }).unknown})`}`);
            continue;
          }
          if (JSON.stringify(a.value) !== JSON.stringify(b.value)) {
            resources.push({ type, name, attribute: attr, iac: show(a.value), live: show(b.value), account: l.account, region: l.region, iacAt: formatLocation(a.at), liveAt: formatLocation(b.at) });
          }
        }
      }
    }
    for (const [name, es] of liveByName) if (!iacNames.has(name) && type === 'trail' && iacEntities.some((x) => x.type === type)) missing.push({ type, name, side: 'iac', at: formatLocation(es[0].at) });
  }
  return { resources, missing, notCompared };
}

/** The requirements of a control and the checks that demonstrate them (map's ControlDef, read structurally: evaluate sits below map). */
type RequirementChecks = { requirements: { id: string; text: string; checks?: string[]; supporting?: string[] }[] };

/**
 * Per control requirement, the checks whose verdict on IaC (pass or fail) differs from their verdict on a live
 * account (the per-source verdicts the engine gives each check, `CheckResult.sources`); `unknown` on either side
 * is not drift. Plus the attribute-level differences between IaC and live entities.
 */
export function computeDrift(ev: EvidenceSet, results: CheckResult[], control: RequirementChecks): DriftReport | undefined {
  if (ev.live?.state !== 'collected' || ev.iac.state !== 'collected') return undefined;
  const iac = ev.iac.value;
  const scopes = ev.live.value.scopes;
  const decided = (x: string) => x === 'pass' || x === 'fail';
  const drifts = new Map<string, CheckDrift>();
  for (const r of results) {
    const onIac = r.sources?.find((s) => s.source === 'iac');
    if (!onIac || !decided(onIac.status)) continue;
    const live = (r.sources ?? []).filter((s) => s.source === 'aws-live' && decided(s.status) && s.status !== onIac.status);
    if (live.length) drifts.set(r.id, { check: r.id, iac: onIac.status, live: live.map((s) => ({ account: s.account ?? '', region: (s.regions ?? []).join(', '), status: s.status, reason: s.reason })) });
  }
  const controls = control.requirements
    .map((r) => ({ id: r.id, text: r.text, checks: [...(r.checks ?? []), ...(r.supporting ?? [])].flatMap((id) => (drifts.has(id) ? [drifts.get(id)!] : [])) }))
    .filter((r) => r.checks.length);
  const res = resourceDrift(iac, scopes.map((s) => s.snapshot));
  return { compared: { iac: iac.map((s) => s.root), live: scopes.map((s) => `${s.account}/${s.region}${s.enabled ? '' : ' (region not enabled)'}`) }, controls, ...res };
}
