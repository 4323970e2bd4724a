// Static evaluation of HCL expressions against a scope (variables, locals, resources, modules).

import type { Expr, Pos, Step } from './hcl.js';
import { callFunction } from './functions.js';
import { Ref, Unk, interpolate, invalid, isObj, toBool, toNum, toStr, typeName, valEquals, type Val, type ValObject } from './values.js';
import type { SourceLocation } from '../../model/location.js';

/** What an expression can see; implemented by a module instance (+ resource instance for count/each). */
export interface Scope {
  file: string;
  variable(name: string, at: SourceLocation): Val;
  local(name: string, at: SourceLocation): Val;
  /** `type.name` of a managed resource: returns its value, or undefined when not declared. */
  /** `evalIndex` evaluates an index expression in the caller's context (count.index, each, for variables). */
  resource(type: string, name: string, rest: Step[], at: SourceLocation, evalIndex: (e: Expr) => Val): { value: Val; consumed: number } | undefined;
  moduleOutput(name: string, rest: Step[], at: SourceLocation, evalIndex: (e: Expr) => Val): { value: Val; consumed: number };
  path(attr: string): Val;
  /** `file(path)`: the content of a file, relative to the root module folder (as Terraform resolves it). */
  readFile?(path: string, at: SourceLocation): Val;
  /** `templatefile(path, vars)`: the file rendered as a string template with only `vars` in scope. */
  renderTemplateFile?(path: string, vars: Val, at: SourceLocation): Val;
  count?: number;
  each?: { key: Val; value: Val };
  /** The module instance's address prefix (`module.a["k"].`, '' in the root): names unknown values (Unk.symbol). */
  modulePrefix?: string;
}

export function locOf(file: string, p: Pos): SourceLocation {
  return { file, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn };
}

export class Evaluator {
  constructor(
    readonly scope: Scope,
    private readonly iter: Map<string, Val> = new Map(),
  ) {}

  private at(p: Pos): SourceLocation {
    return locOf(this.scope.file, p);
  }

  eval(e: Expr): Val {
    switch (e.k) {
      case 'lit':
        return e.value;
      case 'template':
        return this.template(e.parts, e.pos);
      case 'tuple':
        return e.items.map((x) => this.eval(x));
      case 'object': {
        const out: ValObject = {};
        for (const { key, value } of e.items) {
          const k = toStr(this.eval(key));
          if (k instanceof Unk) return k.with(`object key: ${k.reason}`, k.location ?? this.at(key.pos));
          out[k] = this.eval(value);
        }
        return out;
      }
      case 'var':
        return this.root(e.name, [], e.pos).value;
      case 'get': {
        if (e.base.k === 'var') {
          const { value, consumed } = this.root(e.base.name, e.steps, e.pos);
          return this.steps(value, e.steps.slice(consumed), e.pos);
        }
        return this.steps(this.eval(e.base), e.steps, e.pos);
      }
      case 'call': {
        let args = e.args.map((a) => this.eval(a));
        if (e.expandLast && args.length) {
          const last = args[args.length - 1];
          if (last instanceof Unk) return last;
          if (!Array.isArray(last)) return invalid(`${e.name}(…): the expanded argument is not a list`, this.at(e.pos));
          args = [...args.slice(0, -1), ...last];
        }
        if (e.name === 'file' && this.scope.readFile) {
          const p = toStr(args[0] ?? null);
          return p instanceof Unk ? p : this.scope.readFile(p, this.at(e.pos));
        }
        if (e.name === 'templatefile' && this.scope.renderTemplateFile) {
          const p = toStr(args[0] ?? null);
          return p instanceof Unk ? p : this.scope.renderTemplateFile(p, args[1] ?? {}, this.at(e.pos));
        }
        const r = callFunction(e.name, args);
        return r instanceof Unk && !r.location ? r.with(r.reason, this.at(e.pos)) : r;
      }
      case 'cond': {
        const t = toBool(this.eval(e.test));
        if (t instanceof Unk) return t.with(`condition: ${t.reason}`, t.location ?? this.at(e.test.pos));
        return t ? this.eval(e.then) : this.eval(e.else);
      }
      case 'unary': {
        const v = this.eval(e.operand);
        if (e.op === '!') {
          const b = toBool(v);
          return b instanceof Unk ? b : !b;
        }
        const n = toNum(v);
        return n instanceof Unk ? n : -n;
      }
      case 'binary':
        return this.binary(e.op, e.left, e.right, e.pos);
      case 'for':
        return this.forExpr(e);
      case 'unsupported':
        return new Unk(`${e.what} is not evaluated statically`, this.at(e.pos));
    }
  }

  private template(parts: (string | Expr)[], p: Pos): Val {
    // "${x}" alone keeps x's type and identity (Terraform semantics).
    if (parts.length === 1 && typeof parts[0] !== 'string') return this.eval(parts[0]);
    return interpolate(parts.map((part) => (typeof part === 'string' ? part : this.eval(part))), this.at(p));
  }

  /**
   * The symbol of a data source attribute: its address as written (`${data.aws_caller_identity.c.account_id}`),
   * or undefined when a step is not a plain attribute or a literal index (then two reads may differ).
   */
  private symbolOf(base: string, steps: Step[]): string | undefined {
    let out = base;
    for (const s of steps) {
      if ('attr' in s) out += `.${s.attr}`;
      else if ('index' in s && s.index.k === 'lit' && (typeof s.index.value === 'number' || typeof s.index.value === 'string')) out += `[${JSON.stringify(s.index.value)}]`;
      else return undefined;
    }
    return `\${${out}}`;
  }

  /** Resolves the first name of a traversal; returns how many following steps it consumed. */
  private root(name: string, steps: Step[], p: Pos): { value: Val; consumed: number } {
    const at = this.at(p);
    if (this.iter.has(name)) return { value: this.iter.get(name)!, consumed: 0 };
    const firstAttr = steps[0] && 'attr' in steps[0] ? steps[0].attr : undefined;
    switch (name) {
      case 'var':
        if (!firstAttr) return { value: new Unk('`var` needs an attribute name', at), consumed: 0 };
        return { value: this.scope.variable(firstAttr, at), consumed: 1 };
      case 'local':
        if (!firstAttr) return { value: new Unk('`local` needs an attribute name', at), consumed: 0 };
        return { value: this.scope.local(firstAttr, at), consumed: 1 };
      case 'count':
        if (this.scope.count === undefined) return { value: new Unk('count.index used outside a resource with count', at), consumed: 1 };
        return { value: this.scope.count, consumed: 1 };
      case 'each':
        if (!this.scope.each) return { value: new Unk('each used outside a resource with for_each', at), consumed: 1 };
        return { value: firstAttr === 'key' ? this.scope.each.key : this.scope.each.value, consumed: 1 };
      case 'path':
        return { value: firstAttr ? this.scope.path(firstAttr) : new Unk('path needs an attribute', at), consumed: 1 };
      case 'terraform':
        return { value: new Unk(`terraform.${firstAttr ?? ''} depends on the run`, at), consumed: 1 };
      case 'self':
        return { value: new Unk('self is known only in provisioners', at), consumed: steps.length };
      case 'data': {
        const parts = steps.slice(0, 2).map((s) => ('attr' in s ? s.attr : '?'));
        const symbol = this.scope.modulePrefix === undefined ? undefined : this.symbolOf(`${this.scope.modulePrefix}data`, steps);
        return { value: new Unk(`data source data.${parts.join('.')} is read at plan time`, at, false, undefined, symbol), consumed: steps.length };
      }
      case 'module':
        if (!firstAttr) return { value: new Unk('`module` needs a module name', at), consumed: 0 };
        {
          const r = this.scope.moduleOutput(firstAttr, steps.slice(1), at, (x) => this.eval(x));
          return { value: r.value, consumed: 1 + r.consumed };
        }
      default: {
        if (!firstAttr) return { value: new Unk(`unknown name "${name}"`, at), consumed: 0 };
        const r = this.scope.resource(name, firstAttr, steps.slice(1), at, (x) => this.eval(x));
        if (!r) return { value: new Unk(`reference to undeclared resource ${name}.${firstAttr}`, at), consumed: steps.length };
        return { value: r.value, consumed: 1 + r.consumed };
      }
    }
  }

  steps(v: Val, steps: Step[], p: Pos): Val {
    let cur = v;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if ('splat' in s) {
        const rest = [...s.splat, ...steps.slice(i + 1)];
        const base = cur instanceof Ref && cur.known !== undefined ? cur.known : cur;
        if (base instanceof Unk) return base;
        const items = base === null ? [] : Array.isArray(base) ? base : [base];
        return items.map((x) => this.steps(x, rest, p));
      }
      const key = 'attr' in s ? s.attr : this.eval(s.index);
      cur = index(cur, key, this.at(s.pos));
      if (cur instanceof Unk) return cur;
    }
    return cur;
  }

  private binary(op: string, l: Expr, r: Expr, p: Pos): Val {
    const a = this.eval(l);
    // && and || short-circuit on a known left side, so `false && unknown` is still known.
    if (op === '&&' || op === '||') {
      const x = toBool(a);
      if (!(x instanceof Unk) && (op === '&&' ? !x : x)) return x;
      const y = toBool(this.eval(r));
      if (y instanceof Unk) return y;
      if (x instanceof Unk) return (op === '&&' ? !y : y) ? y : x;
      return y;
    }
    const b = this.eval(r);
    if (op === '==' || op === '!=') {
      for (const side of [a, b]) if (side instanceof Unk || (side instanceof Ref && side.known === undefined)) return side instanceof Unk ? side : new Unk(`${side.describe()} is known only after apply`, this.at(p));
      const pa = a instanceof Ref ? a.known! : a;
      const pb = b instanceof Ref ? b.known! : b;
      const eq = valEquals(pa, pb);
      return op === '==' ? eq : !eq;
    }
    const x = toNum(a);
    const y = toNum(b);
    if (x instanceof Unk) return x;
    if (y instanceof Unk) return y;
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return y === 0 ? invalid('division by zero', this.at(p)) : x / y;
      case '%':
        return y === 0 ? invalid('modulo by zero', this.at(p)) : x % y;
      case '<':
        return x < y;
      case '>':
        return x > y;
      case '<=':
        return x <= y;
      case '>=':
        return x >= y;
      default:
        return new Unk(`operator ${op} is not supported`, this.at(p));
    }
  }

  private forExpr(e: Extract<Expr, { k: 'for' }>): Val {
    const coll = this.eval(e.collection);
    const base = coll instanceof Ref && coll.known !== undefined ? coll.known : coll;
    if (base instanceof Unk || base instanceof Ref) return base instanceof Unk ? base : new Unk(`for: ${base.describe()} is known only after apply`, this.at(e.pos));
    let entries: [Val, Val][];
    if (Array.isArray(base)) entries = base.map((v, i) => [i, v]);
    else if (isObj(base)) entries = Object.keys(base).sort().map((k) => [k, base[k]]);
    else return invalid(`for: cannot iterate over ${typeName(base)}`, this.at(e.pos));
    const tupleOut: Val[] = [];
    const objOut: ValObject = {};
    for (const [k, v] of entries) {
      const iter = new Map(this.iter);
      if (e.keyVar) iter.set(e.keyVar, k);
      iter.set(e.valueVar, v);
      const sub = new Evaluator(this.scope, iter);
      if (e.cond) {
        const c = toBool(sub.eval(e.cond));
        if (c instanceof Unk) return c;
        if (!c) continue;
      }
      const value = sub.eval(e.valueExpr);
      if (!e.keyExpr) {
        tupleOut.push(value);
        continue;
      }
      const key = toStr(sub.eval(e.keyExpr));
      if (key instanceof Unk) return key;
      if (e.grouping) ((objOut[key] ??= []) as Val[]).push(value);
      else if (key in objOut) return invalid(`for: duplicate key "${key}"`, this.at(e.pos));
      else objOut[key] = value;
    }
    return e.keyExpr ? objOut : tupleOut;
  }
}

/** `v.key` / `v[key]`; indexing through a reference keeps the reference and narrows its known value. */
export function index(v: Val, key: Val, at: SourceLocation): Val {
  if (v instanceof Unk) return v;
  if (key instanceof Unk) return key;
  if (v instanceof Ref) {
    const path = [...v.path, String(key)];
    if (v.known === undefined) return new Ref(v.address, path);
    // An attribute the configuration does not set is computed by the provider (arn, id …).
    if (isObj(v.known) && !(String(key) in v.known)) return new Ref(v.address, path);
    const inner = index(v.known, key, at);
    // An attribute set to another resource's reference is that reference (`aws_s3_bucket_policy.p.id` is the bucket's id).
    if (inner instanceof Ref) return inner;
    return new Ref(v.address, path, inner instanceof Unk ? undefined : inner);
  }
  if (Array.isArray(v)) {
    const n = toNum(key);
    if (n instanceof Unk) return n;
    if (!Number.isInteger(n) || n < 0 || n >= v.length) return invalid(`index ${n} is out of range (${v.length} elements)`, at);
    return v[n];
  }
  if (isObj(v)) {
    const k = toStr(key);
    if (k instanceof Unk) return k;
    if (!(k in v)) return invalid(`no attribute or key "${k}"`, at);
    return v[k];
  }
  return invalid(`cannot index ${typeName(v)} with ${JSON.stringify(key)}`, at);
}
