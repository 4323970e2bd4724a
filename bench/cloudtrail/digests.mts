// Benchmark child: signs a digest chain over the archive once (cached), then times validateDigests and prints JSON.

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { publicKeyList, writeDigestChain } from '../../src/collect/cloudtrail/digest-fixtures.js';
import { validateDigests } from '../../src/collect/cloudtrail/digests.js';

const [dir, from, to] = process.argv.slice(2);
const start = new Date(`${from}T00:00:00Z`);
const end = new Date(`${to}T00:00:00Z`);
end.setUTCDate(end.getUTCDate() + 1);
const keyFile = join(dir, 'bench-public-keys.json');
if (!existsSync(keyFile)) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  const logs = walk(join(dir, 'AWSLogs')).filter((p) => p.includes('/CloudTrail/') && p.endsWith('.json.gz'));
  for (const region of ['us-east-1', 'eu-central-1'])
    await writeDigestChain({
      root: dir,
      bucket: 'bench-trail-bucket',
      account: '123456789012',
      region,
      trail: 'org-trail',
      privateKey,
      start,
      hours: Math.round((end.getTime() - start.getTime()) / 3_600_000),
      logFiles: logs.filter((p) => p.includes(`/${region}/`)).map((p) => relative(dir, p)),
    });
  writeFileSync(keyFile, JSON.stringify(publicKeyList(privateKey)));
}
const t0 = performance.now();
const r = await validateDigests({
  digests: [join(dir, 'AWSLogs')],
  logs: [join(dir, 'AWSLogs')],
  publicKeys: JSON.parse(readFileSync(keyFile, 'utf8')).PublicKeyList,
  period: { label: `${from}..${to}`, from, to, start, end },
});
const ms = performance.now() - t0;
const ru = process.resourceUsage();
console.log(JSON.stringify({ ms, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000, maxRssMB: ru.maxRSS / 1024, digests: r.digests.length, verdict: r.verdict }));
