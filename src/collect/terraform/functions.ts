// Terraform built-in functions that can be evaluated statically; anything else yields an Unk.

import { parse as parseYaml } from 'yaml';
import { Ref, Unk, firstUnknown, interpolate, invalid, isObj, plain, toBool, toNum, toStr, typeName, valEquals, type Val, type ValObject } from './values.js';

type Fn = (args: Val[]) => Val;

class FnError extends Error {}

function str(v: Val): string {
  const s = toStr(v);
  if (s instanceof Unk) throw s;
  return s;
}
function num(v: Val): number {
  const n = toNum(v);
  if (n instanceof Unk) throw n;
  return n;
}
function bool(v: Val): boolean {
  const b = toBool(v);
  if (b instanceof Unk) throw b;
  return b;
}
function list(v: Val, fn: string): Val[] {
  const p = v instanceof Ref && v.known !== undefined ? v.known : v;
  if (p instanceof Unk) throw p;
  if (!Array.isArray(p)) throw new FnError(`${fn}: expected a list, got ${typeName(v)}`);
  return p;
}
function obj(v: Val, fn: string): ValObject {
  const p = v instanceof Ref && v.known !== undefined ? v.known : v;
  if (p instanceof Unk) throw p;
  if (!isObj(p)) throw new FnError(`${fn}: expected a map or object, got ${typeName(v)}`);
  return p;
}

function sortedJson(v: Val): unknown {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (isObj(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedJson(v[k])]));
  return v;
}

function fromJson(x: unknown): Val {
  if (Array.isArray(x)) return x.map(fromJson);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fromJson(v)]));
  return x as Val;
}

function distinct(xs: Val[]): Val[] {
  const out: Val[] = [];
  for (const x of xs) if (!out.some((y) => valEquals(x, y))) out.push(x);
  return out;
}

/**
 * Terraform's `format` verbs that matter in configuration: %s %d %v %q %f %%, with optional width. A reference
 * or an unknown formatted with %s or %v stays itself inside the string (see interpolate()).
 */
function format(args: Val[]): Val {
  const spec = str(args[0]);
  let i = 1;
  const parts: Val[] = [];
  let last = 0;
  for (const m of spec.matchAll(/%([-+# 0]*\d*(?:\.\d+)?)([sdvqftxXbeEgGo%])/g)) {
    parts.push(spec.slice(last, m.index));
    last = m.index! + m[0].length;
    const verb = m[2];
    if (verb === '%') {
      parts.push('%');
      continue;
    }
    if (i >= args.length) throw new FnError('format: too few arguments for the format string');
    const a = args[i++];
    switch (verb) {
      case 'd':
        parts.push(String(Math.trunc(num(a))));
        break;
      case 'f':
        parts.push(num(a).toFixed(6));
        break;
      case 'q':
        parts.push(JSON.stringify(str(a)));
        break;
      case 'v':
        parts.push(a instanceof Ref || a instanceof Unk ? a : typeof plain(a) === 'object' && plain(a) !== null ? JSON.stringify(sortedJson(plain(a))) : str(a));
        break;
      default:
        parts.push(a instanceof Ref || a instanceof Unk ? a : str(a));
    }
  }
  parts.push(spec.slice(last));
  return interpolate(parts);
}

/** `join(sep, lists…)`: references and unknowns among the elements stay themselves inside the string (see interpolate()). */
function join(sep: Val, lists: Val[]): Val {
  const items = lists.flatMap((l) => list(l, 'join'));
  if (!items.some((x) => x instanceof Ref || x instanceof Unk)) return items.map(str).join(str(sep));
  const s = str(sep);
  return interpolate(items.flatMap((x, i) => (i === 0 ? [x] : [s, x])));
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode: ([v]) => {
    const p = plain(v);
    const u = firstUnknown(p);
    // The text is unknown, its structure is not: keep it for readers of the document (policies).
    if (u) throw new Unk(u.reason, u.location, u.invalid, v);
    return JSON.stringify(sortedJson(p));
  },
  jsondecode: ([v]) => {
    if (v instanceof Unk && v.json !== undefined) return v.json;
    try {
      return fromJson(JSON.parse(str(v)));
    } catch (e) {
      if (e instanceof Unk) throw e;
      throw new FnError(`jsondecode: invalid JSON (${(e as Error).message})`);
    }
  },
  // Terraform reads YAML 1.2 (one document); `yaml`'s default core schema is the same.
  yamldecode: ([v]) => {
    const text = str(v);
    let doc: unknown;
    try {
      doc = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
    } catch (e) {
      throw new FnError(`yamldecode: invalid YAML (${(e as Error).message.split('\n')[0]})`);
    }
    return fromJson(doc === undefined ? null : doc);
  },
  format: (args) => format(args),
  formatlist: (args) => {
    // Each list argument gives one element per row; the other arguments repeat (Terraform's formatlist).
    const lists = args.slice(1).filter((a) => Array.isArray(a instanceof Ref && a.known !== undefined ? a.known : a));
    const n = lists.length ? Math.min(...lists.map((l) => list(l, 'formatlist').length)) : 1;
    return Array.from({ length: n }, (_, i) => format([args[0], ...args.slice(1).map((a) => (lists.includes(a) ? list(a, 'formatlist')[i] : a))]));
  },
  join: ([sep, ...lists]) => join(sep, lists),
  split: ([sep, s]) => str(s).split(str(sep)),
  concat: (lists) => lists.flatMap((l) => list(l, 'concat')),
  flatten: ([l]) => {
    const flat = (xs: Val[]): Val[] => xs.flatMap((x) => (Array.isArray(x) ? flat(x) : [x]));
    return flat(list(l, 'flatten'));
  },
  lookup: ([m, k, def]) => {
    const o = obj(m, 'lookup');
    const key = str(k);
    if (key in o) return o[key];
    if (def === undefined) throw new FnError(`lookup: the map has no key "${key}" and no default was given`);
    return def;
  },
  merge: (objs) => Object.assign({}, ...objs.filter((o) => o !== null).map((o) => obj(o, 'merge'))) as ValObject,
  tostring: ([v]) => (v === null ? null : str(v)),
  tonumber: ([v]) => (v === null ? null : num(v)),
  tobool: ([v]) => {
    if (v === null) return null;
    const b = toBool(v);
    if (b instanceof Unk) throw b;
    return b;
  },
  tolist: ([v]) => list(v, 'tolist'),
  toset: ([v]) => distinct(list(v, 'toset')),
  tomap: ([v]) => obj(v, 'tomap'),
  length: ([v]) => {
    const p = v instanceof Ref && v.known !== undefined ? v.known : v;
    if (typeof p === 'string') return [...p].length;
    if (isObj(p)) return Object.keys(p).length;
    return list(v, 'length').length;
  },
  upper: ([s]) => str(s).toUpperCase(),
  lower: ([s]) => str(s).toLowerCase(),
  title: ([s]) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: ([s]) => str(s).trim(),
  trim: ([s, cut]) => {
    const chars = new Set(str(cut));
    const a = [...str(s)];
    while (a.length && chars.has(a[0])) a.shift();
    while (a.length && chars.has(a[a.length - 1])) a.pop();
    return a.join('');
  },
  trimprefix: ([s, p]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trimsuffix: ([s, p]) => (str(s).endsWith(str(p)) && str(p) ? str(s).slice(0, -str(p).length) : str(s)),
  startswith: ([s, p]) => str(s).startsWith(str(p)),
  endswith: ([s, p]) => str(s).endsWith(str(p)),
  replace: ([s, search, rep]) => {
    const needle = str(search);
    // A /regex/ search uses RE2 syntax; JavaScript regexes differ, so do not guess.
    if (needle.length > 1 && needle.startsWith('/') && needle.endsWith('/')) throw new Unk('replace with a regular expression is not evaluated statically');
    return str(s).split(needle).join(str(rep));
  },
  substr: ([s, off, len]) => {
    const chars = [...str(s)];
    const o = num(off) < 0 ? chars.length + num(off) : num(off);
    const l = num(len) < 0 ? chars.length - o : num(len);
    return chars.slice(o, o + l).join('');
  },
  element: ([l, i]) => {
    const xs = list(l, 'element');
    if (xs.length === 0) throw new FnError('element: the list is empty');
    return xs[((Math.trunc(num(i)) % xs.length) + xs.length) % xs.length];
  },
  index: ([l, v]) => {
    const i = list(l, 'index').findIndex((x) => valEquals(x, v));
    if (i < 0) throw new FnError('index: the value is not in the list');
    return i;
  },
  contains: ([l, v]) => list(l, 'contains').some((x) => valEquals(x, v)),
  distinct: ([l]) => distinct(list(l, 'distinct')),
  compact: ([l]) => {
    const xs = list(l, 'compact');
    // An unknown element may be empty: which elements remain is unknown (a reference to a resource never is).
    const u = xs.find((x): x is Unk => x instanceof Unk);
    if (u) throw u;
    return xs.filter((x) => x !== null && x !== '');
  },
  alltrue: ([l]) => list(l, 'alltrue').every((x) => bool(x)),
  anytrue: ([l]) => list(l, 'anytrue').some((x) => bool(x)),
  sum: ([l]) => list(l, 'sum').reduce<number>((a, x) => a + num(x), 0),
  setunion: (ls) => distinct(ls.flatMap((l) => list(l, 'setunion'))),
  setintersection: ([first, ...rest]) => distinct(list(first, 'setintersection').filter((x) => rest.every((l) => list(l, 'setintersection').some((y) => valEquals(x, y))))),
  setsubtract: ([a, b]) => distinct(list(a, 'setsubtract').filter((x) => !list(b, 'setsubtract').some((y) => valEquals(x, y)))),
  chunklist: ([l, size]) => {
    const xs = list(l, 'chunklist');
    const n = num(size);
    if (n <= 0) return [xs];
    return Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
  },
  strcontains: ([s, sub]) => str(s).includes(str(sub)),
  basename: ([p]) => str(p).replace(/\/+$/, '').split('/').pop() ?? '',
  dirname: ([p]) => {
    const parts = str(p).split('/');
    parts.pop();
    return parts.join('/') || '.';
  },
  // A sensitive value is never read: it stays unknown, so it cannot reach a pack.
  sensitive: () => {
    throw new Unk('the value is marked sensitive; it is not read');
  },
  nonsensitive: ([v]) => v,
  keys: ([m]) => Object.keys(obj(m, 'keys')).sort(),
  values: ([m]) => {
    const o = obj(m, 'values');
    return Object.keys(o)
      .sort()
      .map((k) => o[k]);
  },
  zipmap: ([ks, vs]) => {
    const k = list(ks, 'zipmap').map(str);
    const v = list(vs, 'zipmap');
    return Object.fromEntries(k.map((key, i) => [key, v[i] ?? null]));
  },
  coalesce: (args) => {
    const found = args.find((a) => a !== null && a !== '');
    if (found === undefined) throw new FnError('coalesce: all arguments are null or empty');
    return found;
  },
  coalescelist: (args) => args.find((a) => Array.isArray(a) && a.length > 0) ?? [],
  one: ([l]) => {
    const xs = list(l, 'one');
    if (xs.length > 1) throw new FnError('one: the list has more than one element');
    return xs[0] ?? null;
  },
  range: (args) => {
    const [start, end, step] = args.length === 1 ? [0, num(args[0]), 1] : [num(args[0]), num(args[1]), args[2] === undefined ? 1 : num(args[2])];
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) throw new FnError('range: more than 1024 elements');
    }
    return out;
  },
  min: (args) => Math.min(...args.map(num)),
  max: (args) => Math.max(...args.map(num)),
  abs: ([n]) => Math.abs(num(n)),
  ceil: ([n]) => Math.ceil(num(n)),
  floor: ([n]) => Math.floor(num(n)),
  sort: ([l]) => list(l, 'sort').map(str).sort(),
  reverse: ([l]) => [...list(l, 'reverse')].reverse(),
  slice: ([l, a, b]) => list(l, 'slice').slice(num(a), num(b)),
};

/** Calls a built-in. Unknown inputs and functions give an Unk; misuse gives an Unk naming the function. */
export function callFunction(name: string, args: Val[]): Val {
  const bare = name.replace(/^provider::[^:]+::/, '');
  if (bare === 'try') {
    // Falls back past expressions Terraform rejects (a missing key …); a merely unknown value stays unknown,
    // since try() would return it at apply time.
    for (const a of args) {
      const u = firstUnknown(a);
      if (u?.invalid) continue;
      return a;
    }
    return invalid('try(): no argument can be evaluated');
  }
  if (bare === 'can') {
    const u = firstUnknown(args[0] ?? null);
    if (u?.invalid) return false;
    return args[0] instanceof Unk ? new Unk(`can(): ${args[0].reason}`, args[0].location) : true;
  }
  const fn = FUNCTIONS[bare];
  if (!fn) return new Unk(`function ${name}() is not evaluated statically`);
  try {
    return fn(args);
  } catch (e) {
    if (e instanceof Unk) return e;
    if (e instanceof FnError) return invalid(e.message);
    return invalid(`${bare}(): ${(e as Error).message}`);
  }
}
