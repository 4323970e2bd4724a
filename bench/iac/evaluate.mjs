// Benchmark of the IaC checks on bench/iac's generated 2,000-file repository: collect + evaluate vs parse alone.
// Usage: node bench/iac/evaluate.mjs [--files 2000]   (reuses run.mjs's generator and its parse-only phase)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const runScript = fileURLToPath(new URL('./run.mjs', import.meta.url));
const args = process.argv.slice(2);

async function evaluatePhase(dir) {
  const { register } = await import('tsx/esm/api');
  register();
  const t0 = performance.now();
  const { hclParser } = await import('../../src/collect/terraform/index.ts');
  await hclParser();
  const { collectTerraform } = await import('../../src/collect/terraform/index.ts');
  const { IAC_CHECKS } = await import('../../src/iac.ts');
  const { runChecks } = await import('../../src/evaluate/engine.ts');
  const tInit = performance.now();
  const c0 = process.cpuUsage();
  const snapshots = await collectTerraform({ paths: ['infra'], baseDir: dir });
  const tCollect = performance.now();
  const c1 = process.cpuUsage();
  const none = { state: 'not-configured', reason: 'bench' };
  const evidence = {
    period: { label: 'bench', from: '2026-01-01', to: '2026-03-31', start: new Date('2026-01-01'), end: new Date('2026-04-01') },
    breakGlass: { roles: ['arn:aws:iam::111122223333:role/BreakGlassAdmin'], users: ['break-glass-responder-01'], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: false, secrets: [] },
    breakGlassDeclared: true,
    runbook: none,
    iac: { state: 'collected', value: snapshots },
    cloudtrail: none,
    integrity: none,
    evidenceRefs: {},
  };
  const results = runChecks(IAC_CHECKS, evidence);
  const tEval = performance.now();
  const c2 = process.cpuUsage();
  const cpu = (a, b) => (b.user - a.user + b.system - a.system) / 1000;
  return {
    files: snapshots[0].files.filter((f) => f.path.endsWith('.tf')).length,
    entities: snapshots[0].entities.length,
    findings: results.reduce((n, r) => n + r.findings.length, 0),
    statuses: Object.fromEntries(results.map((r) => [r.id.replace('waf-sov-070.tf.aws.', ''), r.status])),
    initMs: tInit - t0,
    collectMs: tCollect - tInit,
    evaluateMs: tEval - tCollect,
    collectCpuMs: cpu(c0, c1),
    evaluateCpuMs: cpu(c1, c2),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

if (args[0] === '--phase') {
  process.stdout.write(JSON.stringify(await evaluatePhase(args[1])));
} else {
  const files = args.includes('--files') ? args[args.indexOf('--files') + 1] : '2000';
  // run.mjs generates the repository, prints the collector's figures, and keeps the folder for us.
  const gen = spawnSync(process.execPath, [runScript, '--files', files, '--keep'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (gen.status !== 0) throw new Error(`bench/iac/run.mjs failed:\n${gen.stderr}`);
  process.stdout.write(gen.stdout);
  const dir = /kept (\S+)/.exec(gen.stdout)?.[1];
  if (!dir) throw new Error('bench/iac/run.mjs did not report the folder it kept');
  try {
    const phase = (script, a) => {
      const r = spawnSync(process.execPath, [script, '--phase', ...a], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`phase failed:\n${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    const runs = [phase(self, [dir]), phase(self, [dir])];
    const best = runs.reduce((a, b) => (a.collectMs + a.evaluateMs <= b.collectMs + b.evaluateMs ? a : b));
    const parse = [phase(runScript, ['parse', dir]), phase(runScript, ['parse', dir])].reduce((a, b) => (a.workMs <= b.workMs ? a : b));
    const total = best.collectMs + best.evaluateMs;
    const fmt = (n, d = 0) => n.toFixed(d);
    console.log(`IaC checks on the same repository: ${best.files} .tf files, ${best.entities} entities, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} (best of 2 runs)`);
    console.log(`  collect (parse + evaluate + normalise): ${fmt(best.collectMs)} ms wall, ${fmt(best.collectCpuMs)} ms CPU`);
    console.log(`  run the ${Object.keys(best.statuses).length} IaC checks:                ${fmt(best.evaluateMs)} ms wall, ${fmt(best.evaluateCpuMs)} ms CPU (${best.findings} findings)`);
    const totalCpu = best.collectCpuMs + best.evaluateCpuMs;
    console.log(`  parse + evaluate + checks:              ${fmt(total)} ms wall, ${fmt(totalCpu)} ms CPU -> ${fmt((best.files / total) * 1000)} files/s (${fmt((best.files / totalCpu) * 1000)} per CPU-second); with parser start-up ${fmt(best.initMs + total)} ms wall (target < 4000 ms)`);
    console.log(`  ratio to tree-sitter parse alone:       ${fmt(total / parse.workMs, 2)}x wall, ${fmt(totalCpu / parse.workCpuMs, 2)}x CPU (parse alone ${fmt(parse.workMs)} ms wall, ${fmt(parse.workCpuMs)} ms CPU)`);
    console.log(`  peak RSS: ${fmt(best.maxRssMb)} MB (target < 400 MB)`);
    console.log(`  verdicts: ${Object.entries(best.statuses).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
