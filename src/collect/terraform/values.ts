// Runtime values of the static Terraform evaluator: known data, references to resources, and unknowns.

import type { SourceLocation } from '../../model/location.js';

/**
 * A value that cannot be known statically; carries why and where. `invalid` marks an expression Terraform
 * itself would reject (a missing key, an index out of range, a function misused): `try()` falls back past
 * it and `can()` is false, while a merely unknown value (a variable without a value) stays unknown.
 */
export class Unk {
  constructor(
    readonly reason: string,
    readonly location?: SourceLocation,
    readonly invalid = false,
    /**
     * For a string that is `jsonencode(x)` of a value with unknown parts: `x` itself, so a reader of the JSON
     * (a policy) can still judge the parts that are known.
     */
    readonly json?: Val,
    /**
     * The value as a string template of the unknown inputs it is made of (`${var.env}`,
     * `cloudtrail-${data.aws_caller_identity.c.account_id}`): two unknowns with the same symbol are the same value.
     * Set only where that is certain: data source attributes and variables without a value, and strings built of
     * them and known text.
     */
    readonly symbol?: string,
  ) {}
  /** The same unknown with a new reason and location (keeps whether it is invalid, and its JSON structure). */
  with(reason: string, location?: SourceLocation): Unk {
    return new Unk(reason, location, this.invalid, this.json, this.symbol);
  }
}

/** An expression Terraform would reject: see Unk.invalid. */
export function invalid(reason: string, location?: SourceLocation): Unk {
  return new Unk(reason, location, true);
}

/**
 * A reference to a resource (or one of its attributes). `known` is the attribute's value when the
 * configuration sets it (e.g. `aws_s3_bucket.b.bucket`); computed attributes (arn, id) have none.
 */
export class Ref {
  constructor(
    readonly address: string,
    readonly path: string[],
    readonly known?: Val,
  ) {}
  describe(): string {
    return [this.address, ...this.path].join('.');
  }
}

export type Val = null | boolean | number | string | Val[] | ValObject | Unk | Ref;
export interface ValObject {
  [key: string]: Val;
}

export function isObj(v: Val): v is ValObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unk) && !(v instanceof Ref);
}

/** The first Unk found anywhere inside a value (deep), or undefined when the value is fully known. */
export function firstUnknown(v: Val): Unk | undefined {
  if (v instanceof Unk) return v;
  if (v instanceof Ref) return v.known === undefined ? new Unk(`${v.describe()} is known only after apply`) : firstUnknown(v.known);
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  } else if (isObj(v)) {
    for (const x of Object.values(v)) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** Replaces references by their known values (or an Unk); used where only data matters (jsonencode). */
export function plain(v: Val): Val {
  if (v instanceof Ref) return v.known === undefined ? new Unk(`${v.describe()} is known only after apply`) : plain(v.known);
  if (Array.isArray(v)) return v.map(plain);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export function typeName(v: Val): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'tuple';
  if (v instanceof Unk) return 'unknown';
  if (v instanceof Ref) return 'reference';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Terraform's automatic conversion to string (numbers and bools convert; collections do not). */
export function toStr(v: Val): string | Unk {
  if (v instanceof Ref) return v.known === undefined ? new Unk(`${v.describe()} is known only after apply`) : toStr(v.known);
  if (v instanceof Unk) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return invalid(`expected a string, got ${typeName(v)}`);
}

/**
 * Values joined into one string (a template, `join()`, `format()`): one reference among them, however often
 * (`"${aws_x.y.arn}:*"`), still points at that resource; with several, which one the string names is not known.
 */
export function interpolate(parts: Val[], at?: SourceLocation): Val {
  let text = '';
  const refs: Ref[] = [];
  let unknown: Unk | undefined;
  for (const v of parts) {
    if (v instanceof Ref) refs.push(v);
    const s = toStr(v);
    if (s instanceof Unk) unknown ??= s;
    else text += s;
  }
  if (refs.length > 0 && refs.every((r) => r.address === refs[0].address)) return new Ref(refs[0].address, refs[0].path, unknown ? undefined : text);
  if (refs.length > 1 && unknown) return new Unk(`a string built from ${refs.map((r) => r.describe()).join(' and ')}, known only after apply`, at);
  if (unknown) {
    // Text and unknowns that each have a symbol: the string is known as an expression of them.
    const pieces = parts.map((v) => {
      // Known text is escaped as in HCL, so it never reads as an unknown's symbol.
      if (!(v instanceof Unk)) {
        const t = toStr(v);
        return typeof t === 'string' ? t.replaceAll('${', () => '$${') : undefined;
      }
      return v.symbol !== undefined && !v.invalid ? v.symbol : undefined;
    });
    const symbol = refs.length === 0 && pieces.every((x) => typeof x === 'string') ? pieces.join('') : undefined;
    return new Unk(unknown.reason, unknown.location ?? at, unknown.invalid, undefined, symbol);
  }
  return text;
}

export function toBool(v: Val): boolean | Unk {
  if (v instanceof Ref) return v.known === undefined ? new Unk(`${v.describe()} is known only after apply`) : toBool(v.known);
  if (v instanceof Unk) return v;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return invalid(`expected a bool, got ${typeName(v)}`);
}

export function toNum(v: Val): number | Unk {
  if (v instanceof Ref) return v.known === undefined ? new Unk(`${v.describe()} is known only after apply`) : toNum(v.known);
  if (v instanceof Unk) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return invalid(`expected a number, got ${typeName(v)}`);
}

/** Deep equality for known values (Terraform `==`). */
export function valEquals(a: Val, b: Val): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valEquals(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return valEquals(ka, kb) && ka.every((k) => valEquals(a[k], b[k]));
  }
  return a === b;
}
