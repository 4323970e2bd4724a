// Benchmark child: runs the full CloudTrail scan with detection on an archive and prints figures as JSON.

import { collectCloudTrail } from '../../src/collect/cloudtrail/index.js';

const [dir, manifestPath, from, to, breakGlassJson] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const start = new Date(`${from}T00:00:00Z`);
const end = new Date(`${to}T00:00:00Z`);
end.setUTCDate(end.getUTCDate() + 1);
const t0 = performance.now();
const ev = await collectCloudTrail({
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
  }),
);
