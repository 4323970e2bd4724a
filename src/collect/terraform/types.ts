// Variable type constraints that change a value: `optional(type, default)` attributes of object types (Terraform 1.3+).

import type { Expr } from './hcl.js';
import { Evaluator, type Scope } from './evaluate.js';
import { Unk, isObj, type Val, type ValObject } from './values.js';

const NO_SCOPE: Scope = {
  file: '',
  variable: () => new Unk('a type default cannot read variables'),
  local: () => new Unk('a type default cannot read locals'),
  resource: () => undefined,
  moduleOutput: (_n, rest) => ({ value: new Unk('a type default cannot read modules'), consumed: rest.length }),
  path: () => new Unk('a type default cannot read path'),
};

function call(t: Expr): { name: string; args: Expr[] } | undefined {
  return t.k === 'call' ? { name: t.name, args: t.args } : undefined;
}

/**
 * Applies a variable's type constraint to a given value the way Terraform's conversion does for what matters
 * here: an object attribute declared `optional(T, d)` that is absent or null takes `d` (or null), recursively
 * through objects, maps, lists and sets. Anything else is returned as given.
 */
export function withTypeDefaults(type: Expr, v: Val): Val {
  const c = call(type);
  if (!c || v instanceof Unk || v === null) return v;
  if (c.name === 'optional') return c.args[0] ? withTypeDefaults(c.args[0], v) : v;
  if ((c.name === 'list' || c.name === 'set') && Array.isArray(v) && c.args[0]) return v.map((x) => withTypeDefaults(c.args[0], x));
  if (c.name === 'map' && isObj(v) && c.args[0]) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withTypeDefaults(c.args[0], x)]));
  if (c.name === 'object' && isObj(v) && c.args[0]?.k === 'object') {
    const out: ValObject = { ...v };
    for (const { key, value: attrType } of c.args[0].items) {
      const name = key.k === 'lit' ? String(key.value) : key.k === 'var' ? key.name : undefined;
      if (name === undefined) continue;
      const opt = call(attrType);
      if ((out[name] === undefined || out[name] === null) && opt?.name === 'optional') {
        out[name] = opt.args[1] ? withTypeDefaults(opt.args[0], new Evaluator(NO_SCOPE).eval(opt.args[1])) : null;
      } else if (out[name] !== undefined) {
        out[name] = withTypeDefaults(attrType, out[name]);
      }
    }
    return out;
  }
  return v;
}
