// Benchmark of the Terraform collector: 2,000 generated .tf files, parse+normalise vs tree-sitter parse alone.
// Usage: node bench/iac/run.mjs [--files 2000] [--keep]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

/** Writes a Terraform repository: a root module with many files and local modules called from it. */
function generate(dir, totalFiles) {
  const moduleCount = 40;
  const filesPerModule = 10;
  const rootFiles = totalFiles - moduleCount * filesPerModule;
  const root = join(dir, 'infra');
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'variables.tf'),
    'variable "env" {\n  type    = string\n  default = "prod"\n}\nvariable "retention" {\n  default = 365\n}\n',
  );
  writeFileSync(join(root, 'terraform.tfvars'), 'env = "bench"\n');
  for (let i = 1; i < rootFiles - 1; i++) {
    const n = String(i).padStart(4, '0');
    let body;
    switch (i % 4) {
      case 0:
        body = `resource "aws_s3_bucket" "logs_${n}" {\n  bucket = "\${var.env}-logs-${n}"\n}\n\nresource "aws_s3_bucket_public_access_block" "logs_${n}" {\n  bucket                  = aws_s3_bucket.logs_${n}.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n\nresource "aws_s3_bucket_policy" "logs_${n}" {\n  bucket = aws_s3_bucket.logs_${n}.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Sid       = "AWSCloudTrailWrite"\n      Effect    = "Allow"\n      Principal = { Service = "cloudtrail.amazonaws.com" }\n      Action    = "s3:PutObject"\n      Resource  = "\${aws_s3_bucket.logs_${n}.arn}/AWSLogs/*"\n      Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }\n    }]\n  })\n}\n`;
        break;
      case 1:
        body = `resource "aws_cloudwatch_log_group" "trail_${n}" {\n  name              = "/aws/cloudtrail/\${var.env}-${n}"\n  retention_in_days = var.retention\n}\n\nresource "aws_cloudtrail" "trail_${n}" {\n  name                          = "trail-${n}"\n  s3_bucket_name                = aws_s3_bucket.logs_${String(i - 1).padStart(4, '0')}.id\n  is_multi_region_trail         = true\n  enable_log_file_validation    = true\n  include_global_service_events = true\n  cloud_watch_logs_group_arn    = "\${aws_cloudwatch_log_group.trail_${n}.arn}:*"\n\n  event_selector {\n    read_write_type           = "All"\n    include_management_events = true\n  }\n}\n`;
        break;
      case 2:
        body = `locals {\n  filters_${n} = {\n    root = "{$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent}"\n    iam  = "{($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy)}"\n  }\n}\n\nresource "aws_cloudwatch_log_metric_filter" "f_${n}" {\n  for_each       = local.filters_${n}\n  name           = "\${each.key}-${n}"\n  pattern        = each.value\n  log_group_name = aws_cloudwatch_log_group.trail_${String(i - 1).padStart(4, '0')}.name\n\n  metric_transformation {\n    name      = "\${upper(each.key)}Count${n}"\n    namespace = "CloudTrailMetrics"\n    value     = "1"\n  }\n}\n`;
        break;
      default:
        body = `resource "aws_sns_topic" "alerts_${n}" {\n  name = "alerts-${n}"\n}\n\nresource "aws_cloudwatch_metric_alarm" "a_${n}" {\n  count               = 2\n  alarm_name          = format("alarm-%s-%d", "${n}", count.index)\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n  evaluation_periods  = 1\n  metric_name         = count.index == 0 ? "ROOTCount${String(i - 1).padStart(4, '0')}" : "IAMCount${String(i - 1).padStart(4, '0')}"\n  namespace           = "CloudTrailMetrics"\n  period              = 300\n  statistic           = "Sum"\n  threshold           = 1\n  alarm_actions       = [aws_sns_topic.alerts_${n}.arn]\n}\n`;
    }
    writeFileSync(join(root, `r${n}.tf`), body);
  }
  const calls = [];
  for (let m = 0; m < moduleCount; m++) {
    const mdir = join(dir, 'modules', `m${m}`);
    mkdirSync(mdir, { recursive: true });
    writeFileSync(join(mdir, 'variables.tf'), 'variable "name" { type = string }\nvariable "topic" { type = string }\n');
    writeFileSync(join(mdir, 'outputs.tf'), 'output "group" {\n  value = aws_cloudwatch_log_group.g.name\n}\n');
    writeFileSync(join(mdir, 'main.tf'), 'resource "aws_cloudwatch_log_group" "g" {\n  name = "/bench/${var.name}"\n}\n');
    for (let f = 3; f < filesPerModule; f++) {
      writeFileSync(
        join(mdir, `alarm${f}.tf`),
        `resource "aws_cloudwatch_log_metric_filter" "f${f}" {\n  name           = "\${var.name}-f${f}"\n  pattern        = "{ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed != Yes }"\n  log_group_name = aws_cloudwatch_log_group.g.name\n  metric_transformation {\n    name      = "NoMfa${f}"\n    namespace = "Bench"\n    value     = "1"\n  }\n}\n\nresource "aws_cloudwatch_metric_alarm" "a${f}" {\n  alarm_name    = "\${var.name}-a${f}"\n  metric_name   = aws_cloudwatch_log_metric_filter.f${f}.metric_transformation[0].name\n  namespace     = "Bench"\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n  evaluation_periods  = 1\n  period        = 60\n  statistic     = "Sum"\n  threshold     = 1\n  alarm_actions = [var.topic]\n}\n`,
      );
    }
    calls.push(
      m % 4 === 0
        ? `module "m${m}" {\n  source   = "../modules/m${m}"\n  for_each = toset(["a", "b"])\n  name     = "m${m}-\${each.key}"\n  topic    = aws_sns_topic.alerts_0003.arn\n}\n`
        : `module "m${m}" {\n  source = "../modules/m${m}"\n  name   = "m${m}"\n  topic  = aws_sns_topic.alerts_0003.arn\n}\n`,
    );
  }
  // r0000.tf also declares the bucket that the first trail (r0001.tf) writes to.
  calls.push('resource "aws_s3_bucket" "logs_0000" {\n  bucket = "${var.env}-logs-0000"\n}\n');
  writeFileSync(join(root, 'r0000.tf'), calls.join('\n'));
  return root;
}

function countTf(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countTf(join(dir, e.name)) : e.name.endsWith('.tf') ? 1 : 0), 0);
}

async function phase(name, dir) {
  const { register } = await import('tsx/esm/api');
  register();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const mod = await import('../../src/collect/terraform/index.ts');
  const parser = await mod.hclParser();
  const tInit = performance.now();
  const cInit = process.cpuUsage();
  let result;
  if (name === 'parse') {
    // Baseline: read every .tf file and let tree-sitter build its tree, nothing else.
    const files = [];
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.tf')) files.push(join(d, e.name));
      }
    };
    walk(dir);
    let nodes = 0;
    for (const f of files) {
      const tree = parser.parse(readFileSync(f, 'utf8'));
      nodes += tree.rootNode.descendantCount;
      tree.delete();
    }
    result = { files: files.length, nodes };
  } else {
    const [s] = await mod.collectTerraform({ paths: ['infra'], baseDir: dir });
    result = { files: s.files.filter((f) => f.path.endsWith('.tf')).length, entities: s.entities.length, problems: s.problems.length };
  }
  const t1 = performance.now();
  const cpu = process.cpuUsage(cInit);
  const cpuInit = process.cpuUsage(c0);
  return {
    ...result,
    initMs: tInit - t0,
    workMs: t1 - tInit,
    // CPU time (user + system) of this process: less distorted than wall time when the machine is shared.
    workCpuMs: (cpu.user + cpu.system) / 1000,
    initCpuMs: (cpuInit.user + cpuInit.system - cpu.user - cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

if (args[0] === '--phase') {
  const out = await phase(args[1], args[2]);
  process.stdout.write(JSON.stringify(out));
} else {
  const total = Number(opt('files', '2000'));
  const dir = mkdtempSync(join(tmpdir(), 'ep-bench-iac-'));
  try {
    generate(dir, total);
    const files = countTf(dir);
    const run = (name) => {
      const r = spawnSync(process.execPath, [self, '--phase', name, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`${name} phase failed:\n${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    // Each phase runs in a fresh process so that peak RSS belongs to that phase alone; the parse
    // baseline runs first and last to expose warm-cache effects.
    const parse1 = run('parse');
    const full = run('collect');
    const parse2 = run('parse');
    const parseMs = Math.min(parse1.workMs, parse2.workMs);
    const parseCpuMs = Math.min(parse1.workCpuMs, parse2.workCpuMs);
    const [load1] = loadavg();
    const fmt = (n, d = 0) => n.toFixed(d);
    console.log(`IaC benchmark: ${files} .tf files (${total - 400} root files, 40 local modules x 10 files), ${cpus().length} CPUs, Node ${process.version}, load average ${load1.toFixed(1)}`);
    console.log(`  parse + evaluate + normalise: ${fmt(full.workMs)} ms wall, ${fmt(full.workCpuMs)} ms CPU -> ${fmt((files / full.workMs) * 1000)} files/s (${fmt((files / full.workCpuMs) * 1000)} per CPU-second); ${full.entities} entities, ${full.problems} problems`);
    console.log(`    + parser start-up (wasm):   ${fmt(full.initMs)} ms wall; total ${fmt(full.initMs + full.workMs)} ms (target < 4000 ms)`);
    console.log(`  tree-sitter parse alone:      ${fmt(parseMs)} ms wall, ${fmt(parseCpuMs)} ms CPU -> ${fmt((files / parseMs) * 1000)} files/s (${parse1.nodes} syntax nodes)`);
    console.log(`  ratio full / parse alone:     ${fmt(full.workMs / parseMs, 2)}x wall, ${fmt(full.workCpuMs / parseCpuMs, 2)}x CPU`);
    console.log(`  peak RSS: full ${fmt(full.maxRssMb)} MB (target < 400 MB), parse alone ${fmt(Math.max(parse1.maxRssMb, parse2.maxRssMb))} MB`);
    if (full.files !== files) console.log(`  WARNING: the collector read ${full.files} of ${files} .tf files`);
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${dir}`);
  }
}
