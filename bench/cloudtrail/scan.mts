// Benchmark child: collects CloudTrail evidence from an archive with one engine (the built-in scanner, or DuckDB) and
// prints figures as JSON.

import { createHash } from 'node:crypto';
import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';
import { collectCloudTrailDuckDb } from '../../src/collect/cloudtrail/duckdb.js';

const [dir, manifestPath, from, to, breakGlassJson, engine = 'scan'] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const start = new Date(`${from}T00:00:00Z`);
const end = new Date(`${to}T00:00:00Z`);
end.setUTCDate(end.getUTCDate() + 1);
const t0 = performance.now();
const ev = await (engine === 'duckdb' ? collectCloudTrailDuckDb : collectCloudTrail)({
  config: { logs: [dir] },
  breakGlass: JSON.parse(breakGlassJson),
  period: { label: `${from}..${to}`, from, to, start, end },
  trailBuckets: ['bench-trail-bucket'],
});
const ms = performance.now() - t0;
const ru = process.resourceUsage();
const found = new Set(ev.activations.map((a) => a.eventIds.join(',')));
const planted = manifest.planted.map((p: { eventIds: string[] }) => p.eventIds.join(','));
console.log(
  JSON.stringify({
    ms,
    cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000,
    maxRssMB: ru.maxRSS / 1024,
    records: ev.recordsRead,
    eventsInPeriod: ev.eventsInPeriod,
    files: ev.sources.length,
    fileProblems: ev.fileProblems.length,
    activations: ev.activations.length,
    plantedFound: planted.filter((p: string) => found.has(p)).length,
    planted: planted.length,
    extraActivations: [...found].filter((f) => !planted.includes(f)).length,
    counts: ev.counts,
    // The same activations, whichever engine found them.
    activationsSha256: createHash('sha256').update(JSON.stringify(ev.activations)).digest('hex'),
  }),
);
