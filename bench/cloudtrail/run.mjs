// CloudTrail benchmark, one command: generates a synthetic archive and times gzip -dc, jq, our scan, the DuckDB engine
// and digest validation.
// Usage: node bench/cloudtrail/run.mjs [--size 500m|2g|5g] [--dir <archive folder>] [--skip-jq] [--skip-duckdb]

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BREAK_GLASS, generate, PERIOD } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizeArg = opt('--size', '500m');
const m = /^(\d+(?:\.\d+)?)([mg])$/i.exec(sizeArg);
if (!m) {
  console.error(`--size: expected e.g. 500m or 5g, got ${sizeArg}`);
  process.exit(2);
}
const bytes = Math.round(Number(m[1]) * (m[2].toLowerCase() === 'g' ? 1e9 : 1e6));
const files = Math.max(2000, Math.round(bytes / 250e3));
const dir = resolve(opt('--dir', `/tmp/evidence-pack-bench/cloudtrail-${sizeArg}`));
// The workplace's shared folder: beside the repository (CI), else /work/shared; EVIDENCE_PACK_SHARED overrides both.
const shared = process.env.EVIDENCE_PACK_SHARED ?? (existsSync(resolve(repo, '..', 'shared')) ? resolve(repo, '..', 'shared') : '/work/shared');
const testdata = resolve(shared, 'testdata', 'cloudtrail');
const manifestPath = join(dir, 'manifest.json');

/** Runs a shell pipeline; wall time, and CPU time (user + sys of every process in it) from bash's `time`. */
function sh(cmd) {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', `TIMEFORMAT='%U %S'; time ( ${cmd} )`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd}\nexit ${r.status}: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms, cpuMs: (user + sys) * 1000, out: r.stdout };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

let manifest;
const want = JSON.stringify({ bytes, files, seed: 42 });
if (existsSync(manifestPath) && JSON.parse(readFileSync(manifestPath, 'utf8')).key === want) {
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  console.log(`archive: reusing ${dir}`);
} else {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  manifest = { key: want, ...generate({ root: dir, bytes, files, testdata }) };
  writeFileSync(manifestPath, JSON.stringify(manifest));
  console.log(`archive: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const MB = manifest.uncompressedBytes / 1e6;
console.log(
  `archive: ${manifest.files} files, ${MB.toFixed(0)} MB uncompressed, ${(manifest.compressedBytes / 1e6).toFixed(0)} MB gzip, ` +
    `${manifest.records} records from ${manifest.templates} real event shapes, ${manifest.planted.length} planted activations`,
);

const logs = `find ${dir}/AWSLogs -path '*/CloudTrail/*' -name '*.json.gz' -print0 | sort -z`;
// Drop the page cache's advantage for nobody: warm it once so every contender reads from memory.
sh(`${logs} | xargs -0 cat > /dev/null`);

const a = sh(`${logs} | xargs -0 gzip -dc > /dev/null`);
const result = { a: a.ms };

// Measure the code as it ships: compiled JavaScript, not TypeScript compiled on the fly by tsx in every worker.
// The build sits under node_modules/.cache so that package imports resolve from the repository.
const build = join(repo, 'node_modules', '.cache', 'evidence-pack-bench');
rmSync(build, { recursive: true, force: true });
mkdirSync(build, { recursive: true });
writeFileSync(join(build, 'package.json'), '{"type":"module"}');
// The build's package root: the detection definitions are looked up beside it.
symlinkSync(join(repo, 'mappings'), join(build, 'mappings'));
const roots = ['bench/cloudtrail/scan.mts', 'bench/cloudtrail/digests.mts', 'src/collect/cloudtrail/scan-worker.ts', 'src/detections/detector.ts'];
const tsc = spawnSync(
  process.execPath,
  [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--outDir', build, '--rootDir', repo, '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--resolveJsonModule', '--esModuleInterop', ...roots],
  { cwd: repo, encoding: 'utf8' },
);
if (!existsSync(join(build, 'bench', 'cloudtrail', 'scan.mjs'))) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
const { Detector } = await import(join(build, 'src', 'detections', 'detector.js'));
const { names } = new Detector(BREAK_GLASS).scanGuard();
const jqSelect =
  `.Records[] | select((.eventName | IN(${names.map((n) => JSON.stringify(n)).join(',')})) ` +
  `or .userIdentity.type == "Root" or (tostring | test("BreakGlass|bg-emergency")))`;
let jqCount;
if (!args.includes('--skip-jq')) {
  const b = sh(`${logs} | xargs -0 gzip -dc | jq -c '${jqSelect}' | wc -l`);
  result.b = b.ms;
  result.bCpu = b.cpuMs;
  jqCount = Number(b.out.trim());
}

/** One engine in its own process (its peak RSS is its own). */
function collectWith(engine) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(build, 'bench', 'cloudtrail', 'scan.mjs'), join(dir, 'AWSLogs'), manifestPath, PERIOD.from, PERIOD.to, JSON.stringify(BREAK_GLASS), engine], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${engine} failed: ${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), processMs: performance.now() - t0 };
}
const c = collectWith('scan');
const processMs = c.processMs;
result.c = c.ms;
const e = args.includes('--skip-duckdb') ? undefined : collectWith('duckdb');

let d;
const digestsTs = join(repo, 'src', 'collect', 'cloudtrail', 'digests.ts');
const exportsValidate = existsSync(digestsTs) && /export (async )?function validateDigests/.test(await readFile(digestsTs, 'utf8'));
if (exportsValidate) {
  const r = spawnSync(process.execPath, [join(build, 'bench', 'cloudtrail', 'digests.mjs'), dir, PERIOD.from, PERIOD.to], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) d = { error: r.stderr.trim().split('\n').slice(-3).join(' ') };
  else d = JSON.parse(r.stdout.trim().split('\n').pop());
}

const rate = (ms) => `${(MB / (ms / 1000)).toFixed(0)} MB/s`;
const line = (label, ms, cpuMs, extra = '') =>
  console.log(`${label.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(7)} s wall ${rate(ms).padStart(9)}  ${(cpuMs / 1000).toFixed(2).padStart(7)} s CPU${extra}`);
console.log('');
console.log(`load average at the end: ${load()} (2 vCPUs: above 2, other jobs share the cores and wall times rise)`);
line('(a) gzip -dc of all files > /dev/null', a.ms, a.cpuMs);
if (result.b !== undefined) line('(b) gzip -dc | jq (same selection)', result.b, result.bCpu, `  ${jqCount} records selected`);
else console.log('(b) jq: skipped (--skip-jq)');
line('(c) evidence-pack scan + detection', c.ms, c.cpuMs, `  peak RSS ${c.maxRssMB.toFixed(0)} MB; whole process ${(processMs / 1000).toFixed(2)} s`);
if (e) line('(e) evidence-pack, engine duckdb', e.ms, e.cpuMs, `  peak RSS ${e.maxRssMB.toFixed(0)} MB; whole process ${(e.processMs / 1000).toFixed(2)} s`);
else console.log('(e) duckdb: skipped (--skip-duckdb)');
if (d && !d.error) line('(d) evidence-pack digest validation', d.ms, d.cpuMs ?? NaN, `  peak RSS ${d.maxRssMB.toFixed(0)} MB; ${d.digests} digests, verdict ${d.verdict}`);
else console.log(`(d) digest validation: ${exportsValidate ? `failed: ${d.error}` : 'skipped (digests.ts does not export validateDigests)'}`);
console.log('');
console.log(`planted activations found: ${c.plantedFound}/${c.planted}; extra activations: ${c.extraActivations}; file problems: ${c.fileProblems}`);
const ok = (b) => (b ? 'met' : 'NOT MET');
console.log(`target (c) <= (a):       c/a = ${(c.ms / a.ms).toFixed(2)}  ${ok(c.ms <= a.ms)}`);
if (result.b !== undefined) console.log(`target (c) 8x faster (b): b/c = ${(result.b / c.ms).toFixed(1)}  ${ok(result.b / c.ms >= 8)}`);
console.log(`target peak RSS < 300 MB: ${c.maxRssMB.toFixed(0)} MB  ${ok(c.maxRssMB < 300)}`);
if (e) console.log(`duckdb engine: the same activations as the scanner: ${e.activationsSha256 === c.activationsSha256 ? 'yes' : 'NO'} (${e.activations} activations, ${e.plantedFound}/${e.planted} planted)`);
if (c.plantedFound !== c.planted || c.extraActivations !== 0 || (e && e.activationsSha256 !== c.activationsSha256)) process.exitCode = 1;
