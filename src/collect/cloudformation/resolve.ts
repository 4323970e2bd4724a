// Evaluates CloudFormation intrinsic functions and conditions statically: literals resolve, references become
// links, anything only known at deploy time becomes an Unknown that says why.

import { childOf, entryOf, type CfnNode, type Pos } from './parse.js';

/** A reference to a resource of the same template (`Ref` / `Fn::GetAtt`). */
export class ResourceRef {
  constructor(
    readonly logicalId: string,
    readonly attribute?: string,
  ) {}
}

/** A value that cannot be known statically, with the reason and where it was written. */
export class UnknownValue {
  constructor(
    readonly reason: string,
    readonly pos?: Pos,
  ) {}
}

/** `AWS::NoValue`: the property (or list element) is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export type Resolved =
  | string
  | number
  | boolean
  | null
  | Resolved[]
  | { [key: string]: Resolved }
  | ResourceRef
  | UnknownValue
  | typeof NO_VALUE;

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const;

export interface ResolveOptions {
  /** Values for template parameters (take precedence over Defaults). */
  parameters?: Record<string, string>;
  /** Values for pseudo parameters, e.g. `{"AWS::Region": "eu-central-1"}`; unset ones are Unknown. */
  pseudoParameters?: Record<string, string>;
}

export type ProblemSink = (level: 'error' | 'warning', message: string, pos: Pos | undefined) => void;

const CONDITION_FUNCTIONS = new Set(['Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::Equals', 'Condition']);

/** Resolves intrinsic functions of one template. Conditions are memoised; cycles are reported. */
export class TemplateResolver {
  private readonly parameters: CfnNode | undefined;
  private readonly mappings: CfnNode | undefined;
  private readonly conditions: CfnNode | undefined;
  readonly resourceTypes = new Map<string, string>();
  private readonly conditionCache = new Map<string, boolean | UnknownValue>();
  private readonly evaluating = new Set<string>();
  private readonly resolved = new WeakMap<CfnNode, Resolved>();

  constructor(
    template: CfnNode,
    private readonly opts: ResolveOptions,
    private readonly report: ProblemSink,
  ) {
    this.parameters = childOf(template, 'Parameters');
    this.mappings = childOf(template, 'Mappings');
    this.conditions = childOf(template, 'Conditions');
    const resources = childOf(template, 'Resources');
    if (resources?.kind === 'map') {
      for (const e of resources.entries) {
        const type = childOf(e.value, 'Type');
        this.resourceTypes.set(e.key, type?.kind === 'scalar' && typeof type.value === 'string' ? type.value : '');
      }
    }
  }

  /** Resolves a node to plain data, links and Unknowns; memoised, so a problem is reported once per node. */
  resolve(node: CfnNode): Resolved {
    if (this.resolved.has(node)) return this.resolved.get(node) as Resolved;
    const value = this.resolveUncached(node);
    this.resolved.set(node, value);
    return value;
  }

  private resolveUncached(node: CfnNode): Resolved {
    switch (node.kind) {
      case 'invalid':
        return new UnknownValue(node.reason, node.pos);
      case 'scalar':
        if (typeof node.value === 'string' && node.value.includes('{{resolve:')) {
          return new UnknownValue(`dynamic reference ${dynamicReferenceService(node.value)} is resolved at deploy time`, node.pos);
        }
        return node.value;
      case 'seq': {
        const out: Resolved[] = [];
        for (const item of node.items) {
          const v = this.resolve(item);
          if (v !== NO_VALUE) out.push(v);
        }
        return out;
      }
      case 'map': {
        const fn = this.intrinsicOf(node);
        if (fn !== undefined) return this.intrinsic(fn, node.entries[0].value, node);
        const out: { [key: string]: Resolved } = {};
        for (const e of node.entries) {
          const v = this.resolve(e.value);
          if (v !== NO_VALUE) out[e.key] = v;
        }
        return out;
      }
    }
  }

  /** Evaluates a condition by name (the `Conditions` section). */
  condition(name: string, pos: Pos | undefined): boolean | UnknownValue {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const def = childOf(this.conditions, name);
    if (def === undefined) {
      const reason = `condition "${name}" is not defined in Conditions`;
      this.report('error', reason, pos);
      return new UnknownValue(reason, pos);
    }
    if (this.evaluating.has(name)) {
      const reason = `condition "${name}" refers to itself (cycle: ${[...this.evaluating, name].join(' → ')})`;
      this.report('error', reason, def.pos);
      return new UnknownValue(reason, def.pos);
    }
    this.evaluating.add(name);
    const result = this.conditionValue(def);
    this.evaluating.delete(name);
    const value = result instanceof UnknownValue ? new UnknownValue(`condition "${name}": ${result.reason}`, result.pos) : result;
    this.conditionCache.set(name, value);
    return value;
  }

  private intrinsicOf(node: CfnNode & { kind: 'map' }): string | undefined {
    if (node.entries.length !== 1) return undefined;
    const key = node.entries[0].key;
    if (key === 'Ref' || key.startsWith('Fn::')) return key;
    if (key === 'Condition' && node.intrinsic) return key;
    return undefined;
  }

  /** A condition expression: `Fn::Equals/And/Or/Not`, `{Condition: name}` or a literal boolean. */
  private conditionValue(node: CfnNode): boolean | UnknownValue {
    if (node.kind === 'map' && node.entries.length === 1 && CONDITION_FUNCTIONS.has(node.entries[0].key)) {
      const v = this.intrinsic(node.entries[0].key, node.entries[0].value, node);
      return v instanceof UnknownValue ? v : this.asBoolean(v, node, 'a condition');
    }
    const v = this.resolve(node);
    return v instanceof UnknownValue ? v : this.asBoolean(v, node, 'a condition');
  }

  private asBoolean(v: Resolved, node: CfnNode, what: string): boolean | UnknownValue {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.malformed(node, `expected ${what} (true/false), got ${describe(v)}`);
  }

  private malformed(node: CfnNode, message: string): UnknownValue {
    const text = `${node.path || '(template)'}: ${message}`;
    this.report('error', text, node.pos);
    return new UnknownValue(message, node.pos);
  }

  private args(arg: CfnNode, fn: string, node: CfnNode, min: number, max = min): CfnNode[] | UnknownValue {
    if (arg.kind !== 'seq' || arg.items.length < min || arg.items.length > max) {
      const n = min === max ? `${min}` : `${min} to ${max}`;
      return this.malformed(node, `${fn} expects a list of ${n} arguments`);
    }
    return arg.items;
  }

  private intrinsic(fn: string, arg: CfnNode, node: CfnNode): Resolved {
    switch (fn) {
      case 'Ref':
        return this.ref(arg, node);
      case 'Fn::GetAtt':
        return this.getAtt(arg, node);
      case 'Fn::Sub':
        return this.sub(arg, node);
      case 'Fn::Join':
        return this.join(arg, node);
      case 'Fn::Select':
        return this.select(arg, node);
      case 'Fn::Split':
        return this.split(arg, node);
      case 'Fn::If':
        return this.ifFn(arg, node);
      case 'Fn::Equals': {
        const a = this.args(arg, fn, node, 2);
        if (a instanceof UnknownValue) return a;
        const [l, r] = a.map((x) => this.resolve(x));
        const unknown = firstUnknown([l, r]) ?? (l instanceof ResourceRef || r instanceof ResourceRef ? new UnknownValue('Fn::Equals compares a resource attribute known only after deployment', node.pos) : undefined);
        if (unknown) return unknown;
        return canonical(l) === canonical(r);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const a = this.args(arg, fn, node, 2, 10);
        if (a instanceof UnknownValue) return a;
        const values = a.map((x) => this.conditionValue(x));
        const decisive = fn === 'Fn::And' ? false : true;
        // A decisive operand settles the result even when another operand is unknown.
        if (values.some((v) => v === decisive)) return decisive;
        return firstUnknown(values) ?? !decisive;
      }
      case 'Fn::Not': {
        const a = this.args(arg, fn, node, 1);
        if (a instanceof UnknownValue) return a;
        const v = this.conditionValue(a[0]);
        return v instanceof UnknownValue ? v : !v;
      }
      case 'Condition': {
        if (arg.kind !== 'scalar' || typeof arg.value !== 'string') return this.malformed(node, 'Condition expects a condition name');
        return this.condition(arg.value, arg.pos);
      }
      case 'Fn::FindInMap':
        return this.findInMap(arg, node);
      case 'Fn::Base64': {
        const v = this.resolve(arg);
        if (v instanceof UnknownValue) return v;
        if (typeof v !== 'string') return this.unknownOperand(node, fn, v);
        return Buffer.from(v, 'utf8').toString('base64');
      }
      case 'Fn::Cidr':
        return this.cidr(arg, node);
      case 'Fn::GetAZs':
        return new UnknownValue('Fn::GetAZs: the Availability Zones of a region are known only at deploy time', node.pos);
      case 'Fn::ImportValue': {
        const v = this.resolve(arg);
        const name = typeof v === 'string' ? ` "${v}"` : '';
        return new UnknownValue(`Fn::ImportValue${name}: the value is exported by another stack`, node.pos);
      }
      case 'Fn::Transform': {
        const name = childOf(arg, 'Name');
        const macro = name?.kind === 'scalar' ? ` ${String(name.value)}` : '';
        this.report('warning', `${node.path}: macro${macro} runs at deploy time; its output is not analysed`, node.pos);
        return new UnknownValue(`Fn::Transform: macro${macro} runs at deploy time`, node.pos);
      }
      case 'Fn::Length': {
        const v = this.resolve(arg);
        if (v instanceof UnknownValue) return v;
        return Array.isArray(v) ? (firstUnknown(v) ?? v.length) : this.unknownOperand(node, fn, v);
      }
      case 'Fn::ToJsonString': {
        const v = this.resolve(arg);
        const u = deepUnknown(v);
        if (u) return u;
        return JSON.stringify(v);
      }
      default:
        return this.malformed(node, `unknown intrinsic function ${fn}`);
    }
  }

  private unknownOperand(node: CfnNode, fn: string, v: Resolved): UnknownValue {
    if (v instanceof ResourceRef) return new UnknownValue(`${fn} of ${refText(v)}, known only after deployment`, node.pos);
    return this.malformed(node, `${fn}: unexpected operand ${describe(v)}`);
  }

  private ref(arg: CfnNode, node: CfnNode): Resolved {
    if (arg.kind !== 'scalar' || typeof arg.value !== 'string') return this.malformed(node, 'Ref expects a logical id, parameter or pseudo parameter name');
    return this.refName(arg.value, node);
  }

  private refName(name: string, node: CfnNode): Resolved {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name.startsWith('AWS::')) {
      if (!(PSEUDO_PARAMETERS as readonly string[]).includes(name)) return this.malformed(node, `unknown pseudo parameter ${name}`);
      const provided = this.opts.pseudoParameters?.[name];
      if (provided !== undefined) return provided;
      return new UnknownValue(`pseudo parameter ${name} is known only at deploy time`, node.pos);
    }
    const param = childOf(this.parameters, name);
    if (param !== undefined) return this.parameter(name, param, node);
    if (this.resourceTypes.has(name)) return new ResourceRef(name);
    return this.malformed(node, `Ref to "${name}", which is neither a parameter nor a resource of this template`);
  }

  private parameter(name: string, param: CfnNode, node: CfnNode): Resolved {
    const type = childOf(param, 'Type');
    const typeName = type?.kind === 'scalar' ? String(type.value) : '';
    const noEcho = childOf(param, 'NoEcho');
    // A NoEcho parameter holds a secret by intent: never read it into evidence.
    if (noEcho?.kind === 'scalar' && (noEcho.value === true || noEcho.value === 'true')) {
      return new UnknownValue(`parameter ${name} is NoEcho; its value is not read`, node.pos);
    }
    const provided = this.opts.parameters?.[name];
    if (typeName.startsWith('AWS::SSM::Parameter::Value')) {
      return new UnknownValue(`parameter ${name} is read from SSM Parameter Store at deploy time`, node.pos);
    }
    if (provided !== undefined) return listParameter(typeName) ? provided.split(',') : provided;
    const def = childOf(param, 'Default');
    if (def === undefined) return new UnknownValue(`parameter ${name} has no Default and no value was provided`, node.pos);
    const v = this.resolve(def);
    if (listParameter(typeName) && typeof v === 'string') return v.split(',').map((s) => s.trim());
    // Parameter values are strings in CloudFormation; a YAML number or boolean Default is passed on as text.
    return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
  }

  private getAtt(arg: CfnNode, node: CfnNode): Resolved {
    let logicalId: string | undefined;
    let attribute: string | undefined;
    if (arg.kind === 'scalar' && typeof arg.value === 'string') {
      const dot = arg.value.indexOf('.');
      if (dot > 0) [logicalId, attribute] = [arg.value.slice(0, dot), arg.value.slice(dot + 1)];
    } else if (arg.kind === 'seq' && arg.items.length === 2) {
      const [a, b] = arg.items;
      if (a.kind === 'scalar' && typeof a.value === 'string') logicalId = a.value;
      const attr = this.resolve(b);
      if (attr instanceof UnknownValue) return attr;
      if (typeof attr === 'string') attribute = attr;
    }
    if (logicalId === undefined || attribute === undefined) {
      return this.malformed(node, 'Fn::GetAtt expects "LogicalId.Attribute" or [LogicalId, Attribute]');
    }
    if (!this.resourceTypes.has(logicalId)) return this.malformed(node, `Fn::GetAtt on "${logicalId}", which is not a resource of this template`);
    return new ResourceRef(logicalId, attribute);
  }

  private sub(arg: CfnNode, node: CfnNode): Resolved {
    let templateNode: CfnNode;
    let vars: CfnNode | undefined;
    if (arg.kind === 'seq' && arg.items.length === 2) [templateNode, vars] = arg.items;
    else templateNode = arg;
    if (templateNode.kind !== 'scalar' || typeof templateNode.value !== 'string') {
      return this.malformed(node, 'Fn::Sub expects a string or [string, {variables}]');
    }
    if (vars !== undefined && vars.kind !== 'map') return this.malformed(node, 'Fn::Sub variables must be a mapping');
    const text = templateNode.value;
    const parts: Array<{ literal: string } | { name: string }> = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m.index > last) parts.push({ literal: text.slice(last, m.index) });
      const inner = m[1];
      // `${!Literal}` is written out as `${Literal}`.
      parts.push(inner.startsWith('!') ? { literal: `\${${inner.slice(1)}}` } : { name: inner.trim() });
      last = re.lastIndex;
    }
    if (last < text.length) parts.push({ literal: text.slice(last) });

    const valueOf = (name: string): Resolved => {
      const v = vars !== undefined ? entryOf(vars, name) : undefined;
      if (v !== undefined) return this.resolve(v.value);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        const id = name.slice(0, dot);
        if (!this.resourceTypes.has(id)) return this.malformed(node, `Fn::Sub: \${${name}} names "${id}", which is not a resource of this template`);
        return new ResourceRef(id, name.slice(dot + 1));
      }
      return this.refName(name, node);
    };
    // The whole value is one reference: keep it, so `!Sub ${LogGroup.Arn}` links like `!GetAtt LogGroup.Arn`.
    if (parts.length === 1 && 'name' in parts[0]) return valueOf(parts[0].name);
    let out = '';
    const missing: string[] = [];
    for (const p of parts) {
      if ('literal' in p) {
        out += p.literal;
        continue;
      }
      const v = valueOf(p.name);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out += String(v);
      else if (v instanceof UnknownValue) missing.push(`\${${p.name}} (${v.reason})`);
      else if (v instanceof ResourceRef) missing.push(`\${${p.name}} (${refText(v)}, known only after deployment)`);
      else missing.push(`\${${p.name}} (not a string)`);
    }
    if (missing.length > 0) return new UnknownValue(`Fn::Sub "${text}": ${missing.join('; ')}`, node.pos);
    return out;
  }

  private join(arg: CfnNode, node: CfnNode): Resolved {
    const a = this.args(arg, 'Fn::Join', node, 2);
    if (a instanceof UnknownValue) return a;
    const delimiter = this.resolve(a[0]);
    if (typeof delimiter !== 'string') return this.malformed(node, 'Fn::Join delimiter must be a string');
    const list = this.resolve(a[1]);
    if (list instanceof UnknownValue) return list;
    if (!Array.isArray(list)) return this.malformed(node, 'Fn::Join expects a list of values to join');
    const missing: string[] = [];
    const strings = list.map((v, i) => {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (v instanceof UnknownValue) missing.push(`element ${i}: ${v.reason}`);
      else if (v instanceof ResourceRef) missing.push(`element ${i}: ${refText(v)}, known only after deployment`);
      else missing.push(`element ${i}: not a string`);
      return '';
    });
    if (missing.length > 0) return new UnknownValue(`Fn::Join: ${missing.join('; ')}`, node.pos);
    return strings.join(delimiter);
  }

  private select(arg: CfnNode, node: CfnNode): Resolved {
    const a = this.args(arg, 'Fn::Select', node, 2);
    if (a instanceof UnknownValue) return a;
    const index = this.resolve(a[0]);
    if (index instanceof UnknownValue) return index;
    const i = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : NaN;
    if (!Number.isInteger(i) || i < 0) return this.malformed(node, `Fn::Select index must be a non-negative integer, got ${describe(index)}`);
    const list = this.resolve(a[1]);
    if (list instanceof UnknownValue) return new UnknownValue(`Fn::Select: ${list.reason}`, node.pos);
    if (!Array.isArray(list)) return this.unknownOperand(node, 'Fn::Select', list);
    if (i >= list.length) return this.malformed(node, `Fn::Select index ${i} is out of range (list has ${list.length} elements)`);
    return list[i];
  }

  private split(arg: CfnNode, node: CfnNode): Resolved {
    const a = this.args(arg, 'Fn::Split', node, 2);
    if (a instanceof UnknownValue) return a;
    const delimiter = this.resolve(a[0]);
    if (typeof delimiter !== 'string' || delimiter === '') return this.malformed(node, 'Fn::Split delimiter must be a non-empty string');
    const source = this.resolve(a[1]);
    if (source instanceof UnknownValue) return new UnknownValue(`Fn::Split: ${source.reason}`, node.pos);
    if (typeof source !== 'string') return this.unknownOperand(node, 'Fn::Split', source);
    return source.split(delimiter);
  }

  private ifFn(arg: CfnNode, node: CfnNode): Resolved {
    const a = this.args(arg, 'Fn::If', node, 3);
    if (a instanceof UnknownValue) return a;
    const [nameNode, whenTrue, whenFalse] = a;
    if (nameNode.kind !== 'scalar' || typeof nameNode.value !== 'string') return this.malformed(node, 'Fn::If expects a condition name first');
    const c = this.condition(nameNode.value, nameNode.pos);
    if (c instanceof UnknownValue) return new UnknownValue(`Fn::If: ${c.reason}`, node.pos);
    return this.resolve(c ? whenTrue : whenFalse);
  }

  private findInMap(arg: CfnNode, node: CfnNode): Resolved {
    const a = this.args(arg, 'Fn::FindInMap', node, 3, 4);
    if (a instanceof UnknownValue) return a;
    const keys = a.slice(0, 3).map((k) => this.resolve(k));
    const fallback = a[3] !== undefined ? childOf(a[3], 'DefaultValue') : undefined;
    const unknown = firstUnknown(keys);
    if (unknown) return new UnknownValue(`Fn::FindInMap: ${unknown.reason}`, node.pos);
    if (keys.some((k) => typeof k !== 'string' && typeof k !== 'number')) return this.malformed(node, 'Fn::FindInMap keys must be strings');
    const [mapName, top, second] = keys.map(String);
    const found = childOf(childOf(childOf(this.mappings, mapName), top), second);
    if (found !== undefined) return this.resolve(found);
    if (fallback !== undefined) return this.resolve(fallback);
    return this.malformed(node, `Fn::FindInMap: Mappings has no ${mapName}.${top}.${second}`);
  }

  private cidr(arg: CfnNode, node: CfnNode): Resolved {
    const a = this.args(arg, 'Fn::Cidr', node, 3);
    if (a instanceof UnknownValue) return a;
    const [block, count, bits] = a.map((x) => this.resolve(x));
    const unknown = firstUnknown([block, count, bits]);
    if (unknown) return new UnknownValue(`Fn::Cidr: ${unknown.reason}`, node.pos);
    const result = computeCidr(String(block), Number(count), Number(bits));
    return typeof result === 'string' ? this.malformed(node, `Fn::Cidr: ${result}`) : result;
  }
}

/** `Fn::Cidr`: the first `count` subnets with `bits` host bits each, for IPv4 and IPv6; a string is an error. */
export function computeCidr(block: string, count: number, bits: number): string[] | string {
  const m = /^(.+)\/(\d{1,3})$/.exec(block);
  if (!m) return `"${block}" is not a CIDR block`;
  const v6 = m[1].includes(':');
  const width = v6 ? 128 : 32;
  const prefix = Number(m[2]);
  const base = v6 ? parseV6(m[1]) : parseV4(m[1]);
  if (base === undefined || prefix > width) return `"${block}" is not a CIDR block`;
  if (!Number.isInteger(count) || count < 1 || count > 256) return `count must be 1..256, got ${count}`;
  if (!Number.isInteger(bits) || bits < 0 || width - bits < prefix) return `cidrBits ${bits} does not fit in /${prefix}`;
  const newPrefix = width - bits;
  if (BigInt(count) > 1n << BigInt(newPrefix - prefix)) return `${count} subnets of /${newPrefix} do not fit in /${prefix}`;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  const start = base & mask;
  const out: string[] = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const addr = start + (i << BigInt(bits));
    out.push(`${v6 ? formatV6(addr) : formatV4(addr)}/${newPrefix}`);
  }
  return out;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n);
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

function parseV6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function formatV6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run (≥ 2) of zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function listParameter(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

function dynamicReferenceService(s: string): string {
  const m = /\{\{resolve:([a-z-]+):/.exec(s);
  return m ? `{{resolve:${m[1]}:…}}` : '{{resolve:…}}';
}

export function refText(r: ResourceRef): string {
  return r.attribute === undefined ? `Ref ${r.logicalId}` : `${r.logicalId}.${r.attribute}`;
}

export function firstUnknown(values: unknown[]): UnknownValue | undefined {
  return values.find((v): v is UnknownValue => v instanceof UnknownValue);
}

/** The first Unknown anywhere inside a resolved value. */
export function deepUnknown(v: Resolved): UnknownValue | undefined {
  if (v instanceof UnknownValue) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = deepUnknown(x);
      if (u) return u;
    }
  } else if (typeof v === 'object' && v !== null && !(v instanceof ResourceRef)) {
    for (const x of Object.values(v)) {
      const u = deepUnknown(x);
      if (u) return u;
    }
  }
  return undefined;
}

function canonical(v: Resolved): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function describe(v: Resolved): string {
  if (v instanceof ResourceRef) return refText(v);
  if (v instanceof UnknownValue) return `unknown (${v.reason})`;
  if (v === NO_VALUE) return 'AWS::NoValue';
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}
