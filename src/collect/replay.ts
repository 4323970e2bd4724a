// Metric-filter replay: IaC metric filters that feed a notifying alarm become scan callbacks over the logs.

import type { FilterReplay } from '../model/cloudtrail.js';
import { entitiesOf, isUnknown, type InfraSnapshot } from '../model/infra.js';
import { matchesEvent, needlesOf, parseFilterPattern } from '../detections/filter-pattern/index.js';
import { notifyingFilters } from '../detections/alarms.js';
import { messageOf } from '../errors.js';

/**
 * Metric filters from IaC, as scan callbacks that record the event IDs they match (metric-filter replay):
 * how often each alarm would have fired, and which activations no alarm would have caught.
 */
export function replayFilters(snapshots: InfraSnapshot[]): { filters: { id: string; matches(e: unknown): boolean; needles?: string[] }[]; replayed: FilterReplay } {
  const replayed: FilterReplay = { filters: [], skipped: [] };
  const filters = notifyingFilters(entitiesOf(snapshots, 'metric-filter'), entitiesOf(snapshots, 'alarm')).flatMap(({ filter, alarms }) => {
    const text = filter.pattern.value;
    if (isUnknown(text)) {
      replayed.skipped.push({ id: filter.id, reason: `pattern cannot be known statically (${text.unknown})` });
      return [];
    }
    let pattern;
    try {
      pattern = parseFilterPattern(text);
    } catch (e) {
      replayed.skipped.push({ id: filter.id, reason: `invalid pattern: ${messageOf(e)}` });
      return [];
    }
    const entry = { id: filter.id, pattern: text, alarms: alarms.map((a) => a.id), matches: 0, eventIds: [] as string[] };
    replayed.filters.push(entry);
    const seen = new Set<string>();
    return [{
      id: filter.id,
      needles: needlesOf(pattern),
      matches(e: unknown) {
        const hit = matchesEvent(pattern, e);
        const id = (e as { eventID?: unknown }).eventID;
        if (hit && typeof id === 'string' && !seen.has(id)) {
          seen.add(id);
          entry.matches++;
          entry.eventIds.push(id);
        }
        return hit;
      },
    }];
  });
  return { filters, replayed };
}
