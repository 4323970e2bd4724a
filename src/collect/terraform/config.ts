// Terraform configuration loading: module folders, variables/tfvars, locals, count/for_each and module instances.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseJson, type AnyNode } from '@humanwhocodes/momoa';
import type { Parser } from 'web-tree-sitter';
import type { EvidenceProblem } from '../../model/evidence.js';
import type { SourceLocation } from '../../model/location.js';
import { Evaluator, locOf, type Scope } from './evaluate.js';
import { relPath, type FileReader } from './files.js';
import { parseHclWith, type Expr, type HclAttribute, type HclBlock, type ParseResult, type Step } from './hcl.js';
import { Ref, Unk, invalid, isObj, toNum, toStr, typeName, type Val, type ValObject } from './values.js';
import { comparableSource, moduleProvider, readModuleManifest, type ModuleManifest } from './modules-json.js';
import { withTypeDefaults } from './types.js';
import { parseTerraformJson } from './json-syntax.js';

interface Declared<T> {
  node: T;
  file: string;
}

export interface ModuleDef {
  dir: string;
  variables: Map<string, Declared<HclBlock>>;
  locals: Map<string, Declared<HclAttribute>>;
  resources: Map<string, Declared<HclBlock>>;
  modules: Map<string, Declared<HclBlock>>;
  outputs: Map<string, Declared<HclBlock>>;
  /** `data` blocks by `type.name`; only those that are pure functions of the configuration are read (iam.ts). */
  data: Map<string, Declared<HclBlock>>;
}

/** A value given to a root variable (tfvars) or module input, with where it was set. */
interface InputValue {
  value: () => Val;
  at: SourceLocation;
}

/** An attribute value as read by the normaliser, from a .tf expression or a plan document. */
export interface AttrValue {
  value: Val;
  at: SourceLocation;
  /** Set when the value is the provider's (plan documents fill in defaults). */
  defaulted?: boolean;
}

export interface BlockView {
  at: SourceLocation;
  attr(name: string): AttrValue | undefined;
  /** Nested blocks by type; an Unk when a `dynamic` block generates them. */
  blocks(name: string): BlockView[] | Unk;
}

export interface ResourceView extends BlockView {
  address: string;
  type: string;
  /** Set when the resource exists only under a count / for_each that cannot be known statically: why. */
  possible?: Unk;
}

interface InstanceKey {
  suffix: string;
  count?: number;
  each?: { key: string | Unk; value: Val };
  /** Set when count / for_each cannot be known statically: the instance exists only if … (the reason). */
  possible?: Unk;
}

/** The id attribute equals a configured attribute for these types (AWS provider docs, "Attribute Reference"). */
const ID_ATTRIBUTE: Record<string, string> = {
  aws_s3_bucket: 'bucket',
  aws_cloudwatch_log_group: 'name',
  aws_cloudwatch_log_metric_filter: 'name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
  aws_s3_bucket_public_access_block: 'bucket',
  aws_s3_bucket_policy: 'bucket',
};

const META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'provider', 'providers', 'depends_on']);

/** Utility providers: a module published for one of them (by the registry's naming rule) manages no AWS resources. */
const NO_AWS_RESOURCES = new Set(['null', 'random', 'tls', 'local', 'template', 'http', 'external', 'time', 'archive', 'cloudinit']);

function isLocalSource(s: string): boolean {
  return s.startsWith('./') || s.startsWith('../') || s === '.' || s === '..';
}

/** Loads module folders (each once) and records syntax errors; shared by every instance of a module. */
export class ConfigLoader {
  private readonly defs = new Map<string, ModuleDef>();
  private manifests = new Map<string, ModuleManifest | undefined>();
  constructor(
    readonly parser: Parser,
    readonly reader: FileReader,
    readonly problems: EvidenceProblem[],
  ) {}

  /** The `terraform init` manifest of a root module folder (read once), or undefined when there is none. */
  manifest(rootDir: string): ModuleManifest | undefined {
    if (!this.manifests.has(rootDir)) this.manifests.set(rootDir, readModuleManifest(rootDir, this.reader, this.problems));
    return this.manifests.get(rootDir);
  }

  loadModule(dirOrFile: string): ModuleDef {
    const cached = this.defs.get(dirOrFile);
    if (cached) return cached;
    const def: ModuleDef = { dir: dirOrFile, variables: new Map(), locals: new Map(), resources: new Map(), modules: new Map(), outputs: new Map(), data: new Map() };
    this.defs.set(dirOrFile, def);
    const isDir = statSync(dirOrFile, { throwIfNoEntry: false })?.isDirectory() ?? false;
    if (isDir) def.dir = dirOrFile;
    else def.dir = dirname(dirOrFile);
    const paths = isDir ? this.reader.moduleFiles(dirOrFile) : [dirOrFile];
    // Override files are merged last, in order, into what the other files declare (Terraform "Override Files").
    const isOverride = (p: string) => /(^|[\\/])(override|[^\\/]*_override)\.tf(\.json)?$/.test(p);
    for (const abs of [...paths.filter((p) => !isOverride(p)), ...paths.filter(isOverride)]) {
      const f = this.reader.read(abs, { evidence: true });
      if (!f) continue;
      const parsed = abs.endsWith('.json') ? parseTerraformJson(this.parser, f.text) : this.parse(f.text, f.rel);
      if (!parsed.ok) {
        const { line, column, message } = parsed.error;
        this.problems.push({ level: 'error', message: `syntax error in ${f.rel}:${line}:${column}: ${message}; the file was not evaluated`, location: { file: f.rel, line, column }, skip: 'not-parseable' });
        continue;
      }
      for (const b of parsed.body.blocks) {
        if (isOverride(abs)) this.override(def, b, f.rel);
        else this.declare(def, b, f.rel);
      }
    }
    return def;
  }

  /** Parses one file; a failure of the parser itself is reported like a syntax error, for that file only. */
  private parse(text: string, file: string): ParseResult {
    try {
      return parseHclWith(this.parser, text);
    } catch (e) {
      return { ok: false, error: { message: `the parser failed (${(e as Error)?.message ?? String(e)})`, line: 1, column: 1 } };
    }
  }

  /** Merges an override block: its attributes replace the original's, its nested blocks replace those of the same type. */
  private override(def: ModuleDef, b: HclBlock, file: string): void {
    const maps: Record<string, Map<string, Declared<HclBlock>> | undefined> = { resource: def.resources, variable: def.variables, module: def.modules, output: def.outputs };
    if (b.type === 'locals') {
      for (const [name, a] of b.attrs) def.locals.set(name, { node: a, file });
      return;
    }
    const map = maps[b.type];
    if (!map) return;
    const key = b.type === 'resource' ? b.labels.join('.') : b.labels[0];
    const original = map.get(key);
    if (!original) {
      this.problems.push({ level: 'warning', message: `override file ${file} overrides ${b.type} "${key}", which is not declared; the override is ignored`, location: locOf(file, b.pos) });
      return;
    }
    const attrs = new Map(original.node.attrs);
    for (const [name, a] of b.attrs) attrs.set(name, { ...a, file });
    const replaced = new Set(b.blocks.map((x) => x.type));
    const blocks = [...original.node.blocks.filter((x) => !replaced.has(x.type)), ...b.blocks.map((x) => ({ ...x, file }))];
    // Attribute positions point into the override file; the resource keeps its original location.
    map.set(key, { node: { ...original.node, attrs, blocks }, file: original.file });
  }

  private declare(def: ModuleDef, b: HclBlock, file: string): void {
    const dup = (kind: string, name: string, map: Map<string, Declared<unknown>>) => {
      const prev = map.get(name)!;
      this.problems.push({ level: 'error', message: `duplicate ${kind} "${name}" (first declared in ${prev.file})`, location: locOf(file, b.pos) });
    };
    const add = <T>(map: Map<string, Declared<T>>, kind: string, name: string, node: T) => {
      if (map.has(name)) dup(kind, name, map);
      else map.set(name, { node, file });
    };
    switch (b.type) {
      case 'variable':
        if (b.labels[0]) add(def.variables, 'variable', b.labels[0], b);
        break;
      case 'locals':
        for (const [name, a] of b.attrs) add(def.locals, 'local', name, a);
        break;
      case 'resource':
        if (b.labels.length === 2) add(def.resources, 'resource', `${b.labels[0]}.${b.labels[1]}`, b);
        break;
      case 'module':
        if (b.labels[0]) add(def.modules, 'module', b.labels[0], b);
        break;
      case 'output':
        if (b.labels[0]) add(def.outputs, 'output', b.labels[0], b);
        break;
      case 'data':
        if (b.labels.length === 2) add(def.data, 'data source', `${b.labels[0]}.${b.labels[1]}`, b);
        break;
      default:
        break; // provider, terraform, moved, import …
    }
  }

  /** Reads terraform.tfvars(.json), *.auto.tfvars(.json) (sorted) then the explicit var files, later wins. */
  loadVarFiles(rootDir: string, explicit: string[]): Map<string, InputValue> {
    const out = new Map<string, InputValue>();
    const auto = [
      ...['terraform.tfvars', 'terraform.tfvars.json'].map((n) => join(rootDir, n)).filter((p) => existsSync(p)),
      ...this.reader
        .moduleFiles(rootDir, '.auto.tfvars')
        .concat(this.reader.moduleFiles(rootDir, '.auto.tfvars.json'))
        .sort(),
    ];
    for (const p of [...auto, ...explicit]) {
      if (!existsSync(p)) {
        const rel = this.reader.rel(p);
        this.problems.push({ level: 'error', message: `variable file ${rel} does not exist`, location: { file: rel }, skip: 'not-found' });
        continue;
      }
      const f = this.reader.read(p, { evidence: true });
      if (!f) continue;
      if (p.endsWith('.json')) this.jsonVars(f.text, f.rel, out);
      else this.hclVars(f.text, f.rel, out);
    }
    return out;
  }

  private hclVars(text: string, file: string, out: Map<string, InputValue>): void {
    const parsed = this.parse(text, file);
    if (!parsed.ok) {
      const { line, column, message } = parsed.error;
      this.problems.push({ level: 'error', message: `syntax error in ${file}:${line}:${column}: ${message}; its values were not used`, location: { file, line, column }, skip: 'not-parseable' });
      return;
    }
    // tfvars hold literal values only; the empty scope turns any reference into an Unk.
    const ev = new Evaluator(emptyScope(file));
    for (const [name, a] of parsed.body.attrs) {
      let memo: Val | undefined;
      out.set(name, { value: () => (memo ??= ev.eval(a.expr)), at: locOf(file, a.pos) });
    }
  }

  private jsonVars(text: string, file: string, out: Map<string, InputValue>): void {
    let doc;
    try {
      doc = parseJson(text);
    } catch (e) {
      const err = e as Error & { line?: number; column?: number };
      this.problems.push({ level: 'error', message: `invalid JSON in ${file}:${err.line ?? 1}:${err.column ?? 1}: ${err.message}`, location: { file, line: err.line, column: err.column }, skip: 'not-parseable' });
      return;
    }
    if (doc.body.type !== 'Object') {
      this.problems.push({ level: 'error', message: `${file}: expected a JSON object of variable values, got ${doc.body.type}`, location: { file, line: 1, column: 1 }, skip: 'wrong-shape' });
      return;
    }
    for (const m of doc.body.members) {
      const value = jsonToVal(m.value);
      out.set(m.name.type === 'String' ? m.name.value : m.name.name, { value: () => value, at: jsonLoc(file, m) });
    }
  }
}

export function jsonLoc(file: string, n: { loc: { start: { line: number; column: number }; end: { line: number; column: number } } }, pointer?: string): SourceLocation {
  return { file, line: n.loc.start.line, column: n.loc.start.column, endLine: n.loc.end.line, endColumn: n.loc.end.column, ...(pointer ? { pointer } : {}) };
}

export function jsonToVal(n: AnyNode): Val {
  switch (n.type) {
    case 'Object':
      return Object.fromEntries(n.members.map((m) => [m.name.type === 'String' ? m.name.value : m.name.name, jsonToVal(m.value)]));
    case 'Array':
      return n.elements.map((e) => jsonToVal(e.value));
    case 'String':
    case 'Number':
    case 'Boolean':
      return n.value;
    case 'Null':
      return null;
    default:
      return new Unk(`unsupported JSON value ${n.type}`);
  }
}

/**
 * Renders a template file: its text is the body of a heredoc (same template language, no escapes but
 * `$${`), parsed by the same parser under a delimiter that does not occur in it.
 */
function renderTemplate(loader: ConfigLoader, text: string, file: string, vars: ValObject, at: SourceLocation): Val {
  let marker = 'EP_TEMPLATE_END';
  while (text.includes(marker)) marker += '_';
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const parsed = parseHclWith(loader.parser, `x = <<${marker}\n${body}${marker}\n`);
  if (!parsed.ok) return new Unk(`templatefile: ${file} is not a valid template (${parsed.error.message})`, at);
  const value = new Evaluator(emptyScope(file), new Map(Object.entries(vars))).eval(parsed.body.attrs.get('x')!.expr);
  if (typeof value === 'string' && !text.endsWith('\n')) return value.slice(0, -1);
  return value instanceof Unk ? new Unk(`templatefile(${file}): ${value.reason}`, at) : value;
}

function emptyScope(file: string): Scope {
  const none = (what: string, at: SourceLocation) => new Unk(`${what} cannot be used here`, at);
  return {
    file,
    variable: (n, at) => none(`var.${n}`, at),
    local: (n, at) => none(`local.${n}`, at),
    resource: () => undefined,
    moduleOutput: (n, rest, at) => ({ value: none(`module.${n}`, at), consumed: rest.length }),
    path: () => new Unk('path is not available here'),
  };
}

/** One instance of a module (the root, or a `module` block instance) with lazily evaluated members. */
export class ModuleInstance {
  private readonly localMemo = new Map<string, Val | typeof PENDING>();
  private readonly varMemo = new Map<string, Val>();
  private readonly children = new Map<string, ChildModule>();
  private readonly instanceMemo = new Map<string, ResourceInstance[]>();

  constructor(
    readonly loader: ConfigLoader,
    readonly def: ModuleDef,
    /** '' for the root, else `module.a.` or `module.a["k"].` */
    readonly prefix: string,
    private readonly inputs: Map<string, InputValue>,
    /** Module folders instantiated above this one, to detect cycles; the first is the root module folder. */
    readonly stack: string[],
    /** The call path as `terraform init` records it (`a.b`, '' for the root): the key into modules.json. */
    readonly callPath = '',
    /** Set when this instance exists only under a count / for_each that cannot be known statically. */
    readonly possible?: Unk,
  ) {}

  scope(file: string, key: InstanceKey = { suffix: '' }): Scope {
    return {
      file,
      variable: (name, at) => this.variable(name, at),
      local: (name, at) => this.local(name, at),
      resource: (type, name, rest, at, evalIndex) => this.resourceRef(type, name, rest, at, evalIndex),
      moduleOutput: (name, rest, at, evalIndex) => this.moduleOutput(name, rest, at, evalIndex),
      // Relative to the root module folder, where Terraform runs; file() resolves against the same folder.
      path: (attr) => (attr === 'module' ? relPath(this.stack[0], this.def.dir) : attr === 'root' || attr === 'cwd' ? '.' : new Unk(`path.${attr} is not known`)),
      readFile: (p, at) => this.readFile('file', p, at),
      renderTemplateFile: (p, vars, at) => {
        const text = this.readFile('templatefile', p, at);
        if (typeof text !== 'string') return text;
        if (!isObj(vars)) return invalid(`templatefile("${p}"): the variables must be an object, got ${typeName(vars)}`, at);
        return renderTemplate(this.loader, text, this.loader.reader.rel(resolve(this.stack[0], p)), vars, at);
      },
      count: key.count,
      each: key.each,
      modulePrefix: this.prefix,
    };
  }

  /** Reads a file for file()/templatefile(): hashed for the index, its bytes never offered for copying. */
  private readFile(fn: string, p: string, at: SourceLocation): Val {
    const abs = resolve(this.stack[0], p);
    if (!existsSync(abs)) {
      this.problem(`${fn}("${p}"): ${this.loader.reader.rel(abs)} does not exist`, at);
      return invalid(`${fn}("${p}"): the file does not exist`, at);
    }
    const f = this.loader.reader.read(abs, { offerBytes: false });
    return f ? f.text : new Unk(`${fn}("${p}"): the file was not read (see the problems)`, at);
  }

  /** `opaque`: a module whose resources and outputs are not evaluated (it may define anything). */
  private problem(message: string, location?: SourceLocation, level: EvidenceProblem['level'] = 'warning', opaque = false): void {
    this.loader.problems.push({ level, message, location, ...(opaque ? { opaque } : {}) });
  }

  /** Where this module instance is, for messages: `module.a["k"]`, or the root folder. */
  private where(): string {
    return this.prefix ? this.prefix.slice(0, -1) : `the root module ${this.loader.reader.rel(this.stack[0])}`;
  }

  variable(name: string, at: SourceLocation): Val {
    const memo = this.varMemo.get(name);
    if (memo !== undefined) return memo;
    const decl = this.def.variables.get(name);
    let v: Val;
    if (!decl) {
      // Terraform would reject the configuration; here it is a value nobody can know, and only what reads it is unknown.
      this.problem(`var.${name} is not declared in ${this.where()}; what reads it is unknown`, at);
      v = new Unk(`variable "${name}" is not declared`, at);
    } else {
      const input = this.inputs.get(name);
      const dflt = decl.node.attrs.get('default');
      const declAt = locOf(decl.file, decl.node.pos);
      const sensitive = decl.node.attrs.get('sensitive');
      // Secrets never enter a pack: a sensitive variable's value is not read at all.
      if (sensitive && sensitive.expr.k === 'lit' && sensitive.expr.value === true) v = new Unk(`variable "${name}" is sensitive; its value is not read`, declAt);
      else if (input && !(input.value() === null && dflt && isFalse(decl.node.attrs.get('nullable')))) v = input.value();
      else if (dflt) v = new Evaluator(emptyScope(decl.file)).eval(dflt.expr);
      else v = new Unk(`variable "${name}" has no default and no value is given${this.prefix ? ` by ${this.prefix.slice(0, -1)}` : ' in a .tfvars file'}`, declAt, false, undefined, `\${${this.prefix}var.${name}}`);
      const type = decl.node.attrs.get('type');
      if (type && !(v instanceof Unk)) v = withTypeDefaults(type.expr, v);
    }
    this.varMemo.set(name, v);
    return v;
  }

  local(name: string, at: SourceLocation): Val {
    const memo = this.localMemo.get(name);
    if (memo === PENDING) return invalid(`local.${name} refers to itself (cycle)`, at);
    if (memo !== undefined) return memo;
    const decl = this.def.locals.get(name);
    if (!decl) {
      this.problem(`local.${name} is not declared in ${this.where()}; what reads it is unknown`, at);
      return new Unk(`local value "${name}" is not declared`, at);
    }
    this.localMemo.set(name, PENDING);
    const v = new Evaluator(this.scope(decl.file)).eval(decl.node.expr);
    this.localMemo.set(name, v);
    return v;
  }

  /** Instances of a declared resource after count/for_each expansion; one possible instance when that is unknown. */
  instances(key: string): ResourceInstance[] {
    const memo = this.instanceMemo.get(key);
    if (memo) return memo;
    const decl = this.def.resources.get(key)!;
    const ev = new Evaluator(this.scope(decl.file));
    const address = `${this.prefix}${key}`;
    const keys = expand(decl.node, ev, decl.file);
    if (keys[0]?.possible) this.problem(`${address}: ${keys[0].possible.reason}; it is read as one instance that may not exist`, keys[0].possible.location ?? locOf(decl.file, decl.node.pos));
    const result = keys.map((k) => new ResourceInstance(this, decl.node, decl.file, key.split('.')[0], `${address}${k.suffix}`, k));
    this.instanceMemo.set(key, result);
    return result;
  }

  private resourceRef(type: string, name: string, rest: Step[], at: SourceLocation, evalIndex: (e: Expr) => Val): { value: Val; consumed: number } | undefined {
    const key = `${type}.${name}`;
    const decl = this.def.resources.get(key);
    if (!decl) {
      // Often defined in another stack or a file not given: unknown where it is used, nothing more.
      this.problem(`${this.prefix}${key} is not declared in ${this.where()}; what reads it is unknown`, at);
      return undefined;
    }
    const insts = this.instances(key);
    const expanded = decl.node.attrs.has('count') || decl.node.attrs.has('for_each');
    if (!expanded) return { value: insts[0].asValue(), consumed: 0 };
    const possible = insts.length === 1 ? insts[0].key.possible : undefined;
    const first = rest[0];
    if (first && 'index' in first) {
      const k = evalIndex(first.index);
      if (k instanceof Unk) return { value: k, consumed: 1 };
      // With an unknown for_each, any key names the one possible instance; with an unknown count, index 0 does.
      if (possible && (insts[0].key.each || k === 0)) return { value: insts[0].asValue(), consumed: 1 };
      const suffix = typeof k === 'number' ? `[${k}]` : `[${JSON.stringify(toStr(k))}]`;
      const inst = insts.find((i) => i.address === `${this.prefix}${key}${suffix}`);
      if (inst) return { value: inst.asValue(), consumed: 1 };
      const missing = `${this.prefix}${key}${suffix} does not exist`;
      return { value: possible ? new Unk(`${missing} unless ${possible.reason}`, at) : invalid(missing, at), consumed: 1 };
    }
    // The whole collection: its length or keys are unknown when count / for_each is.
    if (possible) return { value: possible.with(`the instances of ${this.prefix}${key} are not known: ${possible.reason}`, possible.location ?? at), consumed: rest.length };
    if (decl.node.attrs.has('count')) return { value: insts.map((i) => i.asValue()), consumed: 0 };
    return { value: Object.fromEntries(insts.map((i) => [i.key.each!.key as string, i.asValue()])), consumed: 0 };
  }

  child(name: string): ChildModule {
    let c = this.children.get(name);
    if (c) return c;
    const decl = this.def.modules.get(name);
    c = decl ? this.instantiate(name, decl) : new Unk(`module "${name}" is not declared`);
    this.children.set(name, c);
    return c;
  }

  /** The folder a module call's code is read from, or why it cannot be read (the module is then opaque). */
  private moduleDir(address: string, callPath: string, source: string, at: SourceLocation): string | Unk {
    if (isLocalSource(source)) {
      const dir = resolve(this.def.dir, source);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        this.problem(`${address}: module folder ${this.loader.reader.rel(dir)} does not exist; its resources and outputs are not evaluated`, at, 'warning', true);
        return new Unk(`${address}: module folder missing`, at);
      }
      return dir;
    }
    const manifest = this.loader.manifest(this.stack[0]);
    const provider = moduleProvider(source);
    const opaque = (why: string): Unk => {
      // A module published for a utility provider (a label / naming module for `null`) manages no AWS resources:
      // its outputs stay unknown, but it cannot hold a trail, bucket or alarm that would change an absence.
      if (provider && NO_AWS_RESOURCES.has(provider)) this.problem(`${address}: module source "${source}" ${why}; its outputs are not evaluated (a module for the "${provider}" provider defines no AWS resources)`, at, 'warning');
      else this.problem(`${address}: module source "${source}" ${why}; its resources and outputs are not evaluated`, at, 'warning', true);
      return new Unk(`${address} comes from "${source}", which is not read (${why})`, at);
    };
    if (!manifest) return opaque('is not downloaded: run `terraform init` (or `tofu init`) in the root module, or check a plan (`terraform show -json`)');
    const entry = manifest.modules.get(callPath);
    if (!entry) return opaque(`is not listed in ${manifest.file}: run \`terraform init\` again`);
    if (comparableSource(entry.source) !== comparableSource(source)) return opaque(`differs from the source recorded in ${manifest.file} ("${entry.source}"): run \`terraform init\` again`);
    if (!existsSync(entry.dir) || !statSync(entry.dir).isDirectory()) return opaque(`was downloaded to ${this.loader.reader.rel(entry.dir)}, which no longer exists: run \`terraform init\` again`);
    return entry.dir;
  }

  private instantiate(name: string, decl: Declared<HclBlock>): ChildModule {
    const at = locOf(decl.file, decl.node.pos);
    const address = `${this.prefix}module.${name}`;
    const callPath = this.callPath ? `${this.callPath}.${name}` : name;
    const srcAttr = decl.node.attrs.get('source');
    const source = srcAttr ? new Evaluator(this.scope(decl.file)).eval(srcAttr.expr) : undefined;
    if (typeof source !== 'string') {
      this.problem(`${address}: the module source must be a literal string; its resources and outputs are not evaluated`, at, 'warning', true);
      return new Unk(`${address}: source is not a literal string`, at);
    }
    const dir = this.moduleDir(address, callPath, source, at);
    if (dir instanceof Unk) return dir;
    if (this.stack.includes(dir)) {
      const chain = [...this.stack.slice(this.stack.indexOf(dir)), dir].map((d) => this.loader.reader.rel(d)).join(' → ');
      this.problem(`${address}: cyclic module reference (${chain})`, at, 'error');
      return invalid(`${address} is part of a module cycle`, at);
    }
    const def = this.loader.loadModule(dir);
    const keys = expand(decl.node, new Evaluator(this.scope(decl.file)), decl.file);
    if (keys[0]?.possible) this.problem(`${address}: ${keys[0].possible.reason}; it is read as one instance that may not exist`, keys[0].possible.location ?? at);
    const instances = keys.map((k) => {
      const ev = new Evaluator(this.scope(decl.file, k));
      const inputs = new Map<string, InputValue>();
      for (const [attrName, a] of decl.node.attrs) {
        if (META_ARGS.has(attrName)) continue;
        let memo: Val | undefined;
        inputs.set(attrName, { value: () => (memo ??= ev.eval(a.expr)), at: locOf(decl.file, a.pos) });
        if (!def.variables.has(attrName)) this.problem(`${address}: input "${attrName}" is not a variable of ${this.loader.reader.rel(dir)}`, locOf(decl.file, a.pos));
      }
      const possible = k.possible ?? this.possible;
      return { key: k, instance: new ModuleInstance(this.loader, def, `${address}${k.suffix}.`, inputs, [...this.stack, dir], callPath, possible) };
    });
    return { counted: decl.node.attrs.has('count'), eached: decl.node.attrs.has('for_each'), instances };
  }

  private moduleOutput(name: string, rest: Step[], at: SourceLocation, evalIndex: (e: Expr) => Val): { value: Val; consumed: number } {
    const c = this.child(name);
    if (c instanceof Unk) return { value: c, consumed: rest.length };
    let consumed = 0;
    let inst: ModuleInstance | undefined;
    const possible = c.instances.length === 1 ? c.instances[0].key.possible : undefined;
    if (c.counted || c.eached) {
      const first = rest[0];
      if (!first || !('index' in first)) {
        if (possible) return { value: possible.with(`the instances of module.${name} are not known: ${possible.reason}`, possible.location ?? at), consumed: rest.length };
        const all = c.instances.map((i) => i.instance.outputsValue());
        return { value: c.counted ? all : Object.fromEntries(c.instances.map((i, n) => [i.key.each!.key as string, all[n]])), consumed: 0 };
      }
      const k = evalIndex(first.index);
      if (k instanceof Unk) return { value: k, consumed: 1 };
      inst = possible && (c.eached || k === 0) ? c.instances[0].instance : c.instances.find((i) => (c.counted ? i.key.count === k : i.key.each?.key === k))?.instance;
      if (!inst) return { value: possible ? new Unk(`module.${name}[${JSON.stringify(k)}] does not exist unless ${possible.reason}`, at) : invalid(`module.${name}[${JSON.stringify(k)}] does not exist`, at), consumed: 1 };
      consumed = 1;
    } else {
      inst = c.instances[0].instance;
    }
    const out = rest[consumed];
    if (out && 'attr' in out) return { value: inst.output(out.attr, at), consumed: consumed + 1 };
    return { value: inst.outputsValue(), consumed };
  }

  output(name: string, at: SourceLocation): Val {
    const decl = this.def.outputs.get(name);
    if (!decl) {
      this.problem(`${this.prefix.slice(0, -1)} has no output "${name}"; what reads it is unknown`, at);
      return invalid(`module output "${name}" is not declared`, at);
    }
    const v = decl.node.attrs.get('value');
    const value = v ? new Evaluator(this.scope(decl.file)).eval(v.expr) : null;
    const sensitive = decl.node.attrs.get('sensitive');
    if (sensitive && sensitive.expr.k === 'lit' && sensitive.expr.value === true) {
      // Keep which resource it names (a link is not a secret), never the value.
      return value instanceof Ref ? new Ref(value.address, value.path) : new Unk(`output "${name}" of ${this.prefix.slice(0, -1)} is sensitive; its value is not read`, locOf(decl.file, decl.node.pos));
    }
    return value;
  }

  outputsValue(): ValObject {
    return Object.fromEntries([...this.def.outputs.keys()].map((n) => [n, this.output(n, {})]));
  }

  /** Every resource instance of this module and of its child modules, in a stable order. */
  allResources(): ResourceInstance[] {
    const out: ResourceInstance[] = [];
    for (const key of [...this.def.resources.keys()].sort()) out.push(...this.instances(key));
    for (const name of [...this.def.modules.keys()].sort()) {
      const c = this.child(name);
      if (!(c instanceof Unk)) for (const i of c.instances) out.push(...i.instance.allResources());
    }
    return out;
  }
}

type ChildModule = Unk | { counted: boolean; eached: boolean; instances: { key: InstanceKey; instance: ModuleInstance }[] };

const PENDING = Symbol('pending');

/** `nullable = false`: a null input then takes the default (Terraform input variables). */
function isFalse(a: HclAttribute | undefined): boolean {
  return a !== undefined && a.expr.k === 'lit' && a.expr.value === false;
}

/**
 * count / for_each → instance keys (HCL semantics: count is a whole number; for_each a map or set of strings).
 * When they cannot be known statically, one possible instance stands for "the instances, if any" (count.index 0,
 * or an unknown each.key), marked with why it may not exist.
 */
function expand(block: HclBlock, ev: Evaluator, file: string): InstanceKey[] {
  const count = block.attrs.get('count');
  const forEach = block.attrs.get('for_each');
  if (count) {
    const at = locOf(file, count.pos);
    const n = toNum(ev.eval(count.expr));
    if (n instanceof Unk) return [{ suffix: '[0]', count: 0, possible: n.with(`count is not known statically (${n.reason})`, at) }];
    if (!Number.isInteger(n) || n < 0) return [{ suffix: '[0]', count: 0, possible: invalid(`count must be a whole number, got ${n}`, at) }];
    return Array.from({ length: n }, (_, i) => ({ suffix: `[${i}]`, count: i }));
  }
  if (forEach) {
    const v = ev.eval(forEach.expr);
    const at = locOf(file, forEach.pos);
    const base = v instanceof Ref && v.known !== undefined ? v.known : v;
    const possible = (u: Unk): InstanceKey[] => [{ suffix: '[?]', each: { key: u, value: u }, possible: u }];
    if (base instanceof Unk) return possible(base.with(`for_each is not known statically (${base.reason})`, at));
    if (base instanceof Ref) return possible(new Unk(`for_each depends on ${base.describe()}, known only after apply`, at));
    if (isObj(base)) return Object.keys(base).sort().map((k) => ({ suffix: `[${JSON.stringify(k)}]`, each: { key: k, value: base[k] } }));
    if (Array.isArray(base)) {
      const keys: string[] = [];
      for (const x of base) {
        const s = toStr(x);
        if (s instanceof Unk) return possible(s.with(`for_each element is not known statically (${s.reason})`, at));
        if (!keys.includes(s)) keys.push(s);
      }
      return keys.sort().map((k) => ({ suffix: `[${JSON.stringify(k)}]`, each: { key: k, value: k } }));
    }
    if (base === null) return possible(invalid('for_each is null', at));
    return possible(invalid(`for_each must be a map or a set of strings, got ${typeName(base)}`, at));
  }
  return [{ suffix: '' }];
}

/** One resource instance; its attributes are evaluated lazily with its count.index / each. */
export class ResourceInstance implements ResourceView {
  private memo: Val | typeof PENDING | undefined;
  constructor(
    readonly module: ModuleInstance,
    readonly block: HclBlock,
    readonly file: string,
    readonly type: string,
    readonly address: string,
    readonly key: InstanceKey,
  ) {}

  get at(): SourceLocation {
    return { ...locOf(this.file, this.block.pos), pointer: this.address };
  }

  get possible(): Unk | undefined {
    return this.key.possible ?? this.module.possible;
  }

  private readonly evaluators = new Map<string, Evaluator>();
  private readonly views = new Map<HclBlock, BlockView>();

  /** Evaluator for expressions written in `file` (override files put some in another file). */
  private evaluator(file: string): Evaluator {
    let ev = this.evaluators.get(file);
    if (!ev) this.evaluators.set(file, (ev = new Evaluator(this.module.scope(file, this.key))));
    return ev;
  }

  private view(block: HclBlock, inFile = this.file, iter?: Map<string, Val>): BlockView {
    const cached = iter ? undefined : this.views.get(block);
    if (cached) return cached;
    const self = this;
    const blockFile = block.file ?? inFile;
    const evaluator = (file: string) => (iter ? new Evaluator(this.module.scope(file, this.key), iter) : this.evaluator(file));
    const memo = new Map<string, AttrValue | undefined>();
    const view: BlockView = {
      at: locOf(blockFile, block.pos),
      attr(name) {
        if (memo.has(name)) return memo.get(name);
        const a = block.attrs.get(name);
        const file = a?.file ?? blockFile;
        const v = a ? { value: evaluator(file).eval(a.expr), at: locOf(file, a.pos) } : undefined;
        memo.set(name, v);
        return v;
      },
      blocks(name) {
        const out = block.blocks.filter((b) => b.type === name).map((b) => self.view(b, blockFile, iter));
        for (const dyn of block.blocks.filter((b) => b.type === 'dynamic' && b.labels[0] === name)) {
          const expanded = self.expandDynamic(dyn, dyn.file ?? blockFile, evaluator, iter);
          if (expanded instanceof Unk) return expanded;
          out.push(...expanded);
        }
        return out;
      },
    };
    if (!iter) this.views.set(block, view);
    return view;
  }

  /** `dynamic "x" { for_each, iterator, content {} }` → one block view per element, with `x.key` / `x.value`. */
  private expandDynamic(dyn: HclBlock, file: string, evaluator: (file: string) => Evaluator, iter?: Map<string, Val>): BlockView[] | Unk {
    const at = locOf(file, dyn.pos);
    const forEach = dyn.attrs.get('for_each');
    const content = dyn.blocks.find((b) => b.type === 'content');
    if (!forEach || !content) return new Unk(`dynamic "${dyn.labels[0]}" needs for_each and a content block`, at);
    const iteratorExpr = dyn.attrs.get('iterator')?.expr;
    const name = iteratorExpr?.k === 'var' ? iteratorExpr.name : dyn.labels[0];
    const coll = evaluator(file).eval(forEach.expr);
    const base = coll instanceof Ref && coll.known !== undefined ? coll.known : coll;
    if (base instanceof Unk) return new Unk(`dynamic "${dyn.labels[0]}" blocks: for_each is not known statically (${base.reason})`, base.location ?? at);
    let entries: [Val, Val][];
    if (Array.isArray(base)) entries = base.map((v, i) => [i, v]);
    else if (isObj(base)) entries = Object.keys(base).sort().map((k) => [k, base[k]]);
    else return new Unk(`dynamic "${dyn.labels[0]}" blocks: for_each must be a collection, got ${typeName(base)}`, at);
    return entries.map(([key, value]) => {
      const inner = new Map(iter ?? []);
      inner.set(name, { key, value });
      return this.view(content, file, inner);
    });
  }

  attr(name: string): AttrValue | undefined {
    return this.view(this.block).attr(name);
  }

  blocks(name: string): BlockView[] | Unk {
    return this.view(this.block).blocks(name);
  }

  /** The instance as a referenced value: a Ref whose known part holds the configured attributes. */
  asValue(): Ref {
    if (this.memo === PENDING) return new Ref(this.address, []);
    if (this.memo === undefined) {
      this.memo = PENDING;
      this.memo = this.configured(this.block, this.file);
      const idAttr = ID_ATTRIBUTE[this.type];
      const known = this.memo as ValObject;
      if (idAttr && known[idAttr] !== undefined) known.id = known[idAttr];
    }
    return new Ref(this.address, [], this.memo as Val);
  }

  private configured(block: HclBlock, inFile: string): ValObject {
    const out: ValObject = {};
    const file = block.file ?? inFile;
    for (const [name, a] of block.attrs) if (!META_ARGS.has(name)) out[name] = this.evaluator(a.file ?? file).eval(a.expr);
    for (const b of block.blocks) {
      if (b.type === 'dynamic' || b.type === 'lifecycle') continue;
      ((out[b.type] ??= []) as Val[]).push(this.configured(b, file));
    }
    return out;
  }
}
