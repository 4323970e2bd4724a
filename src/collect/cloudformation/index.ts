// CloudFormation / CDK collector: reads templates (YAML, JSON, cdk.out) and normalises them into infra snapshots.

import { extname, resolve } from 'node:path';
import { messageOf } from '../../errors.js';
import type { EvidenceProblem } from '../../model/evidence.js';
import { isUnknown, linkMatches, type Bucket, type InfraSnapshot, type Link, type Unknown } from '../../model/infra.js';
import { findTemplateFiles, relPath, type TemplateFile } from './files.js';
import { normaliseTemplate, type BucketPolicyFact } from './normalise.js';
import { childOf, parseJsonTemplate, parseYamlTemplate, type CfnNode, type ParsedTemplate } from './parse.js';
import { TemplateResolver, type ResolveOptions } from './resolve.js';

export interface CollectCloudFormationOptions extends ResolveOptions {
  /** Template files or folders, relative to baseDir (or absolute). */
  paths: string[];
  /** Folder that locations are made relative to (the config file's folder). */
  baseDir: string;
}

export { computeCidr, PSEUDO_PARAMETERS, type ResolveOptions } from './resolve.js';
export { MAX_TEMPLATE_BYTES } from './files.js';

/** Transforms whose effect the resolver understands; any other macro rewrites the template at deploy time. */
const UNDERSTOOD_TRANSFORMS = new Set(['AWS::LanguageExtensions']);

interface Template {
  /** Only the path is kept: the file's bytes are released once it is parsed. */
  path: string;
  root: CfnNode;
  snapshot: InfraSnapshot;
  logicalIds: string[];
}

/**
 * One snapshot per configured path. Entity ids are logical ids; a logical id defined in two or more of the
 * templates read by one call is prefixed with the template path (`cdk.out/A.template.json#Trail`) everywhere,
 * links included. A file reached through two configured paths is read once, under the first.
 */
export async function collectCloudFormation(opts: CollectCloudFormationOptions): Promise<InfraSnapshot[]> {
  const snapshots: InfraSnapshot[] = [];
  const templates: Template[] = [];
  const seen = new Set<string>();
  for (const input of opts.paths) {
    const found = await findTemplateFiles(input, opts.baseDir, seen);
    const snapshot: InfraSnapshot = { origin: 'cloudformation', root: rootLabel(input, opts.baseDir), entities: [], files: [], problems: [...found.problems] };
    snapshots.push(snapshot);
    for (const file of found.files) {
      const parsed = parseTemplate(file);
      const problems = parsed.problems.map((p): EvidenceProblem => ({ level: p.level, message: p.message, location: { file: file.path, line: p.line, column: p.column } }));
      const resources = parsed.root ? childOf(parsed.root, 'Resources') : undefined;
      if (parsed.root !== undefined && resources === undefined) {
        snapshot.problems.push({ level: 'warning', message: 'skipped: not a CloudFormation template (no Resources section)', location: { file: file.path } });
        continue;
      }
      snapshot.files.push({ path: file.path, sha256: file.sha256, size: file.bytes.length, absPath: file.absPath });
      snapshot.problems.push(...problems);
      if (parsed.root === undefined || resources === undefined) continue;
      if (resources.kind !== 'map') {
        snapshot.problems.push({ level: 'error', message: 'Resources: expected a mapping of logical ids to resources', location: { file: file.path, line: resources.pos.line, column: resources.pos.column } });
        continue;
      }
      snapshot.problems.push(...transformWarnings(parsed.root, file.path));
      templates.push({ path: file.path, root: parsed.root, snapshot, logicalIds: resources.entries.map((e) => e.key) });
    }
  }

  const definedIn = new Map<string, number>();
  for (const t of templates) for (const id of new Set(t.logicalIds)) definedIn.set(id, (definedIn.get(id) ?? 0) + 1);

  const policies: { fact: BucketPolicyFact; snapshot: InfraSnapshot }[] = [];
  for (const t of templates) {
    const report = (level: 'error' | 'warning', message: string, pos: { line: number; column: number } | undefined) =>
      t.snapshot.problems.push({ level, message, location: { file: t.path, line: pos?.line, column: pos?.column } });
    const resolver = new TemplateResolver(t.root, opts, report);
    const idOf = (logicalId: string) => ((definedIn.get(logicalId) ?? 0) > 1 ? `${t.path}#${logicalId}` : logicalId);
    const account = opts.pseudoParameters?.['AWS::AccountId'];
    const region = opts.pseudoParameters?.['AWS::Region'];
    let result;
    try {
      result = normaliseTemplate({ file: t.path, root: t.root, resolver, idOf, report, account, region });
    } catch (e) {
      // A defect here must cost one template, not the run: record it like any other collection error.
      t.snapshot.problems.push({ level: 'error', message: `could not normalise this template: ${messageOf(e)}`, location: { file: t.path } });
      continue;
    }
    t.snapshot.entities.push(...result.entities);
    for (const fact of result.bucketPolicies) policies.push({ fact, snapshot: t.snapshot });
  }
  applyBucketPolicies(policies, snapshots);
  return snapshots;
}

function rootLabel(input: string, baseDir: string): string {
  return relPath(baseDir, resolve(baseDir, input));
}

function parseTemplate(file: TemplateFile): ParsedTemplate {
  const ext = extname(file.path).toLowerCase();
  const json = ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && /^\s*\{/.test(file.text));
  return json ? parseJsonTemplate(file.text) : parseYamlTemplate(file.text);
}

function transformWarnings(root: CfnNode, file: string): EvidenceProblem[] {
  const node = childOf(root, 'Transform');
  if (node === undefined) return [];
  const names = node.kind === 'seq' ? node.items : [node];
  return names.flatMap((n) => {
    const name = n.kind === 'scalar' ? String(n.value) : 'a macro';
    if (UNDERSTOOD_TRANSFORMS.has(name)) return [];
    return [{ level: 'warning' as const, message: `Transform ${name} rewrites the template at deploy time; resources it adds or changes are not analysed`, location: { file, line: n.pos.line, column: n.pos.column }, opaque: true }];
  });
}

/**
 * Marks each bucket that an AWS::S3::BucketPolicy targets (by reference or by name, in any template read):
 * public wins over unknown, unknown over not public.
 */
function applyBucketPolicies(policies: { fact: BucketPolicyFact; snapshot: InfraSnapshot }[], snapshots: InfraSnapshot[]): void {
  const buckets = snapshots.flatMap((s) => s.entities.filter((e): e is Bucket => e.type === 'bucket'));
  const byKey = new Map<string, Bucket[]>();
  for (const b of buckets) {
    for (const key of [`id:${b.id}`, typeof b.name.value === 'string' ? `name:${b.name.value}` : undefined]) {
      if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), b]);
    }
  }
  for (const { fact, snapshot } of policies) {
    if (isUnknown(fact.target)) {
      snapshot.problems.push({ level: 'warning', message: `bucket policy ${fact.id}: cannot tell which bucket it applies to: ${fact.target.unknown}`, location: fact.at });
      continue;
    }
    const target: Link = fact.target;
    const candidates = [...(byKey.get(`id:${target.ref}`) ?? []), ...(byKey.get(`name:${target.name}`) ?? [])];
    const matches = [...new Set(candidates)].filter((b) => linkMatches(target, b, [b.name.value]));
    if (matches.length === 0) {
      snapshot.problems.push({ level: 'warning', message: `bucket policy ${fact.id} applies to ${target.ref ?? target.name}, which is not a bucket defined in these templates`, location: fact.at });
      continue;
    }
    for (const bucket of matches) {
      const current = bucket.publicByPolicy;
      const rank = (v: boolean | Unknown | undefined) => (v === true ? 2 : isUnknown(v) ? 1 : 0);
      if (current === undefined || current.defaulted || rank(fact.public) > rank(current.value)) {
        bucket.publicByPolicy = { value: fact.public, at: fact.at };
      }
    }
  }
}
