// `terraform show -json` plan documents → resource views (planned_values for values, configuration for references).

import { parse as parseJson, type AnyNode } from '@humanwhocodes/momoa';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { SourceLocation } from '../../model/location.js';
import { jsonLoc, jsonToVal, type AttrValue, type BlockView, type ResourceView } from './config.js';
import { Ref, Unk, isObj, type Val } from './values.js';

type Json = unknown;

function member(o: AnyNode | undefined, name: string): AnyNode | undefined {
  if (!o || o.type !== 'Object') return undefined;
  return o.members.find((m) => (m.name.type === 'String' ? m.name.value : m.name.name) === name)?.value;
}

function elements(a: AnyNode | undefined): AnyNode[] {
  return a && a.type === 'Array' ? a.elements.map((e) => e.value) : [];
}

function plainJson(n: AnyNode | undefined): Json {
  if (!n) return undefined;
  const v = jsonToVal(n);
  return v;
}

const NOT_RESOURCES = /^(var|local|data|each|count|path|self|terraform)\./;

/** configuration.root_module[.module_calls.X.module]* for a planned module address such as module.a["k"].module.b. */
function configModule(root: AnyNode | undefined, moduleAddress: string): AnyNode | undefined {
  let cur = root;
  for (const m of moduleAddress.matchAll(/module\.([^.[]+)(?:\[[^\]]*\])?/g)) cur = member(member(member(cur, 'module_calls'), m[1]), 'module');
  return cur;
}

/**
 * Resource addresses a configuration expression refers to, in order of appearance, prefixed with their
 * module; references to module outputs are followed to the resources behind them.
 */
function referencedResources(config: AnyNode | undefined, moduleAddress: string, refs: string[], depth = 0): string[] {
  const out: string[] = [];
  const add = (a: string) => {
    if (!out.includes(a)) out.push(a);
  };
  for (const ref of refs) {
    if (NOT_RESOURCES.test(ref)) continue;
    const mod = /^module\.([^.[]+)(\[[^\]]*\])?\.([^.[]+)/.exec(ref);
    if (mod) {
      if (depth > 16) continue;
      const childAddress = `${moduleAddress ? `${moduleAddress}.` : ''}module.${mod[1]}${mod[2] ?? ''}`;
      const expr = member(member(member(configModule(config, childAddress), 'outputs'), mod[3]), 'expression');
      const inner = plainJson(member(expr, 'references'));
      if (Array.isArray(inner)) referencedResources(config, childAddress, inner as string[], depth + 1).forEach(add);
      continue;
    }
    if (/^module\./.test(ref)) continue; // the module object itself, listed next to module.x.output
    const m = /^([a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+(?:\[[^\]]*\])?)/.exec(ref);
    if (m) add(`${moduleAddress ? `${moduleAddress}.` : ''}${m[1]}`);
  }
  // `aws_x.y[0].id` is listed with `aws_x.y` too; keep the more precise address.
  return out.filter((a) => !out.some((b) => b !== a && b.startsWith(`${a}[`)));
}

/** List-typed attributes the normaliser reads; their references map element by element. */
const LIST_ATTRIBUTES = new Set(['alarm_actions', 'ok_actions', 'insufficient_data_actions']);

interface PlanContext {
  config: AnyNode | undefined;
  moduleAddress: string;
  address: string;
  /** A state document: values are applied values, none is a provider default. */
  state: boolean;
}

class PlanBlock implements BlockView {
  constructor(
    readonly file: string,
    readonly values: AnyNode | undefined,
    readonly exprs: AnyNode | undefined,
    readonly afterUnknown: Json,
    /** `sensitive_values` for this block: sensitive attributes are never read (plans hold them in clear text). */
    readonly sensitive: Json,
    readonly at: SourceLocation,
    readonly ctx: PlanContext,
  ) {}

  attr(name: string): AttrValue | undefined {
    const isSensitive = isObj(this.sensitive as Val) && (this.sensitive as Record<string, Json>)[name] === true;
    const v = isSensitive ? undefined : member(this.values, name);
    const expr = member(this.exprs, name);
    const refs = plainJson(member(expr, 'references'));
    const targets = Array.isArray(refs) ? referencedResources(this.ctx.config, this.ctx.moduleAddress, refs as string[]) : [];
    const at = v ? jsonLoc(this.file, v, `${this.ctx.address}.${name}`) : this.at;
    const unknownSpec = isObj(this.afterUnknown as Val) ? (this.afterUnknown as Record<string, Json>)[name] : undefined;
    const unknownAfterApply = unknownSpec === true;
    if (targets.length && LIST_ATTRIBUTES.has(name)) {
      // A tuple of references: one element per referenced resource, in order of appearance.
      const known = v?.type === 'Array' ? v.elements.map((e) => e.value) : [];
      const length = Array.isArray(unknownSpec) ? unknownSpec.length : v?.type === 'Array' ? known.length : targets.length;
      const values = Array.from({ length }, (_, i) => (known[i] && known[i].type !== 'Null' ? jsonToVal(known[i]) : undefined));
      // Literal elements are known; the unknown ones come from the references, in order, when they pair up.
      const unknownAt = values.flatMap((v, i) => (v === undefined ? [i] : []));
      const items: Val[] = values.map((kv, i) => {
        if (targets.length === length) return new Ref(targets[i], [], kv);
        if (kv !== undefined) return kv;
        if (unknownAt.length === targets.length) return new Ref(targets[unknownAt.indexOf(i)], []);
        return new Unk(`${this.ctx.address}.${name}[${i}] is known only after apply`, at);
      });
      return { value: items, at };
    }
    if (targets.length) return { value: new Ref(targets[0], [], v && v.type !== 'Null' ? jsonToVal(v) : undefined), at };
    if (isSensitive) return { value: new Unk(`${this.ctx.address}.${name} is sensitive; its value is not read`, this.at), at: this.at };
    if (!v || v.type === 'Null') {
      if (unknownAfterApply) return { value: new Unk(`${this.ctx.address}.${name} is known only after apply`, at), at };
      return undefined;
    }
    const value = jsonToVal(v);
    // In a plan, an attribute the configuration does not set was filled in by the provider; a state has only applied values.
    return expr || this.ctx.state ? { value, at } : { value, at, defaulted: true };
  }

  blocks(name: string): BlockView[] {
    const exprList = elements(member(this.exprs, name));
    const unk = isObj(this.afterUnknown as Val) ? (this.afterUnknown as Record<string, Json>)[name] : undefined;
    const sens = isObj(this.sensitive as Val) ? (this.sensitive as Record<string, Json>)[name] : undefined;
    return elements(member(this.values, name))
      .filter((b) => b.type === 'Object')
      .map((b, i) => new PlanBlock(this.file, b, exprList[i], Array.isArray(unk) ? unk[i] : undefined, Array.isArray(sens) ? sens[i] : sens, jsonLoc(this.file, b), this.ctx));
  }
}

class PlanResource extends PlanBlock implements ResourceView {
  constructor(
    file: string,
    values: AnyNode | undefined,
    exprs: AnyNode | undefined,
    afterUnknown: Json,
    sensitive: Json,
    at: SourceLocation,
    ctx: PlanContext,
    readonly type: string,
    readonly address: string,
  ) {
    super(file, values, exprs, afterUnknown, sensitive, at, ctx);
  }
}

/** `format_version` major versions of `terraform show -json` this reader knows: 0.1 (Terraform 0.12–0.14), 0.2 (0.15), 1.x (1.0 on). */
const FORMATS = /^(0\.[12]|1\.\d+)$/;

/**
 * Reads a `terraform show -json` document: a plan (`planned_values`, with `configuration` for the references
 * between resources) or a state (`values`: applied values, where links are the names and ARNs themselves).
 * Attributes listed in `sensitive_values` are never read. Structural problems are recorded with their JSON path
 * and never thrown.
 */
export function readPlan(text: string, file: string, problems: EvidenceProblem[]): ResourceView[] {
  let doc;
  try {
    doc = parseJson(text);
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    problems.push({ level: 'error', message: `invalid JSON in ${file}:${err.line ?? 1}:${err.column ?? 1}: ${err.message}`, location: { file, line: err.line, column: err.column }, skip: 'not-parseable' });
    return [];
  }
  const root = doc.body;
  // "Reject any input which reports an unsupported major version" (Terraform JSON output format).
  const version = member(root, 'format_version');
  if (version?.type === 'String' && !FORMATS.test(version.value)) {
    problems.push({ level: 'error', message: `${file}: format_version ${version.value} is not supported (expected 0.1, 0.2 or 1.x)`, location: jsonLoc(file, version, '$.format_version'), skip: 'wrong-shape' });
    return [];
  }
  const planned = member(member(root, 'planned_values'), 'root_module');
  const applied = planned ? undefined : member(member(root, 'values'), 'root_module');
  if (root.type !== 'Object' || (!planned && !applied)) {
    problems.push({ level: 'error', message: `${file}: expected "planned_values.root_module" (\`terraform show -json <planfile>\`) or "values.root_module" (\`terraform show -json\` of a state); this is not a plan or state document`, location: { file, line: 1, column: 1, pointer: '$.planned_values.root_module' }, skip: 'wrong-shape' });
    return [];
  }
  const state = applied !== undefined;
  const config = member(member(root, 'configuration'), 'root_module');
  if (!config && !state) problems.push({ level: 'warning', message: `${file}: no "configuration" section; references between resources are not known and links fall back to names`, location: { file, line: 1, column: 1, pointer: '$.configuration' } });

  const afterUnknown = new Map<string, Json>();
  for (const rc of elements(member(root, 'resource_changes'))) {
    const addr = member(rc, 'address');
    if (addr?.type === 'String') afterUnknown.set(addr.value, plainJson(member(member(rc, 'change'), 'after_unknown')));
  }

  const out: ResourceView[] = [];
  const walk = (mod: AnyNode, pointer: string) => {
    const moduleAddress = (() => {
      const a = member(mod, 'address');
      return a?.type === 'String' ? a.value : '';
    })();
    const cfg = configModule(config, moduleAddress);
    const cfgByKey = new Map<string, AnyNode>();
    for (const r of elements(member(cfg, 'resources'))) {
      const mode = member(r, 'mode');
      const addr = member(r, 'address');
      if (mode?.type === 'String' && mode.value === 'managed' && addr?.type === 'String') cfgByKey.set(addr.value, r);
    }
    elements(member(mod, 'resources')).forEach((r, i) => {
      const get = (k: string) => {
        const n = member(r, k);
        return n?.type === 'String' ? n.value : undefined;
      };
      const address = get('address');
      const type = get('type');
      const name = get('name');
      const p = `${pointer}.resources[${i}]`;
      if (get('mode') !== 'managed') return;
      if (!address || !type || !name) {
        problems.push({ level: 'error', message: `${file}: resource at ${p} lacks "address", "type" or "name"`, location: jsonLoc(file, r, p) });
        return;
      }
      const exprs = member(cfgByKey.get(`${type}.${name}`), 'expressions');
      const ctx = { config, moduleAddress, address, state };
      const sensitive = plainJson(member(r, 'sensitive_values'));
      out.push(new PlanResource(file, member(r, 'values'), exprs, afterUnknown.get(address), sensitive, jsonLoc(file, r, address), ctx, type, address));
    });
    elements(member(mod, 'child_modules')).forEach((c, i) => walk(c, `${pointer}.child_modules[${i}]`));
  };
  if (planned) walk(planned, '$.planned_values.root_module');
  else walk(applied!, '$.values.root_module');
  return out;
}

