// Parser and static evaluator: expressions → values, templates and heredocs, functions, unknowns, syntax errors.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHcl } from '../../src/collect/terraform/hcl.js';
import { Evaluator, type Scope } from '../../src/collect/terraform/evaluate.js';
import { Ref, Unk, type Val } from '../../src/collect/terraform/values.js';

/** A scope with fixed variables/locals and resources that exist with the given configured attributes. */
function scope(opts: { vars?: Record<string, Val>; locals?: Record<string, Val>; resources?: Record<string, Record<string, Val>> } = {}): Scope {
  return {
    file: 'main.tf',
    variable: (n, at) => (opts.vars && n in opts.vars ? opts.vars[n] : new Unk(`variable "${n}" has no value`, at)),
    local: (n, at) => (opts.locals && n in opts.locals ? opts.locals[n] : new Unk(`local "${n}" missing`, at)),
    resource: (type, name) => {
      const r = opts.resources?.[`${type}.${name}`];
      return r ? { value: new Ref(`${type}.${name}`, [], r), consumed: 0 } : undefined;
    },
    moduleOutput: (n, rest, at) => ({ value: new Unk(`module ${n}`, at), consumed: rest.length }),
    path: () => '.',
  };
}

async function evalAttr(src: string, s: Scope = scope()): Promise<Val> {
  const parsed = await parseHcl(`x = ${src}\n`);
  if (!parsed.ok) throw new Error(`syntax error: ${parsed.error.message} at ${parsed.error.line}:${parsed.error.column}`);
  return new Evaluator(s).eval(parsed.body.attrs.get('x')!.expr);
}

const vars = { name: 'prod', n: 3, on: true, tags: { team: 'sec' }, list: ['a', 'b'] };

describe('static evaluation of known values', () => {
  const cases: { name: string; src: string; want: Val }[] = [
    { name: 'number', src: '42', want: 42 },
    { name: 'negative float', src: '-2.5', want: -2.5 },
    { name: 'bool', src: 'true', want: true },
    { name: 'null', src: 'null', want: null },
    { name: 'quoted string with escapes', src: '"a\\tb\\n\\"c\\" \\u00e9"', want: 'a\tb\n"c" é' },
    { name: 'literal ${ escaped with $$', src: '"cost $${x}"', want: 'cost ${x}' },
    { name: 'interpolation', src: '"${var.name}-trail"', want: 'prod-trail' },
    { name: 'number interpolated into a string', src: '"n=${var.n}"', want: 'n=3' },
    { name: 'lone interpolation keeps the type', src: '"${var.n}"', want: 3 },
    { name: 'tuple', src: '[1, "a", false]', want: [1, 'a', false] },
    { name: 'object with bare and quoted keys', src: '{ a = 1, "b-c" = 2 }', want: { a: 1, 'b-c': 2 } },
    { name: 'object key from an expression', src: '{ (var.name) = 1 }', want: { prod: 1 } },
    { name: 'conditional', src: 'var.on ? "yes" : "no"', want: 'yes' },
    { name: 'arithmetic precedence', src: '1 + 2 * 3', want: 7 },
    { name: 'comparison and logic', src: '!false && 2 >= 2 || false', want: true },
    { name: 'equality of strings', src: 'var.name == "prod"', want: true },
    { name: 'index into a map', src: 'var.tags["team"]', want: 'sec' },
    { name: 'attribute of a map', src: 'var.tags.team', want: 'sec' },
    { name: 'list index', src: 'var.list[1]', want: 'b' },
    { name: 'legacy dotted index', src: 'var.list.0', want: 'a' },
    { name: 'splat over a list of objects', src: '[{ a = 1 }, { a = 2 }][*].a', want: [1, 2] },
    { name: 'for over a list', src: '[for s in var.list : upper(s)]', want: ['A', 'B'] },
    { name: 'for with a filter into an object', src: '{ for i, s in var.list : s => i if s != "a" }', want: { b: 1 } },
    { name: 'jsonencode sorts keys', src: 'jsonencode({ b = [1, true], a = null })', want: '{"a":null,"b":[1,true]}' },
    { name: 'jsondecode', src: 'jsondecode("{\\"k\\": [1, 2]}")', want: { k: [1, 2] } },
    { name: 'format verbs', src: 'format("%s-%03d-%q-%%", "x", 7, "y")', want: 'x-7-"y"-%' },
    { name: 'join', src: 'join(",", ["a", "b"], ["c"])', want: 'a,b,c' },
    { name: 'concat', src: 'concat([1], [2, 3])', want: [1, 2, 3] },
    { name: 'lookup with default', src: 'lookup({ a = 1 }, "b", 9)', want: 9 },
    { name: 'merge, later wins', src: 'merge({ a = 1, b = 1 }, { b = 2 })', want: { a: 1, b: 2 } },
    { name: 'tostring of a number', src: 'tostring(5)', want: '5' },
    { name: 'toset removes duplicates', src: 'toset(["a", "a", "b"])', want: ['a', 'b'] },
    { name: 'tolist', src: 'tolist(["x"])', want: ['x'] },
    { name: 'length of a map', src: 'length({ a = 1, b = 2 })', want: 2 },
    { name: 'nested calls', src: 'lower(replace("A-B", "-", "_"))', want: 'a_b' },
    { name: 'coalesce skips null and empty', src: 'coalesce(null, "", "z")', want: 'z' },
    { name: 'expanded final argument', src: 'max([1, 5, 2]...)', want: 5 },
    { name: 'parenthesised expression', src: '(1 + 1) * 3', want: 6 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(await evalAttr(c.src, scope({ vars })), c.want);
    });
  }
});

describe('heredocs', () => {
  it('<< keeps indentation and interpolates', async () => {
    const p = await parseHcl('x = <<EOT\n  a ${var.name}\n    b\nEOT\n');
    assert.ok(p.ok);
    assert.equal(new Evaluator(scope({ vars })).eval(p.body.attrs.get('x')!.expr), '  a prod\n    b\n');
  });
  it('CRLF files: positions and heredoc text as with LF', async () => {
    const p = await parseHcl('a = 1\r\nx = <<-EOT\r\n    line ${var.name}\r\n    EOT\r\nb = "q"\r\n');
    assert.ok(p.ok);
    assert.equal(new Evaluator(scope({ vars })).eval(p.body.attrs.get('x')!.expr), 'line prod\n');
    assert.deepEqual([p.body.attrs.get('b')!.pos.line, p.body.attrs.get('b')!.pos.column], [5, 1]);
  });
  it('<<- removes the common indentation', async () => {
    const p = await parseHcl('x = <<-EOT\n    {\n      "k": "${var.name}"\n    }\n    EOT\n');
    assert.ok(p.ok);
    assert.equal(new Evaluator(scope({ vars })).eval(p.body.attrs.get('x')!.expr), '{\n  "k": "prod"\n}\n');
  });
});

describe('more functions', () => {
  const cases: { name: string; src: string; want: Val }[] = [
    { name: 'split', src: 'split(",", "a,b")', want: ['a', 'b'] },
    { name: 'element wraps around', src: 'element(["a", "b"], 3)', want: 'b' },
    { name: 'contains', src: 'contains(["a"], "a")', want: true },
    { name: 'keys are sorted', src: 'keys({ b = 1, a = 2 })', want: ['a', 'b'] },
    { name: 'values follow sorted keys', src: 'values({ b = 1, a = 2 })', want: [2, 1] },
    { name: 'zipmap', src: 'zipmap(["a"], [1])', want: { a: 1 } },
    { name: 'flatten', src: 'flatten([[1], [2, [3]]])', want: [1, 2, 3] },
    { name: 'distinct', src: 'distinct([1, 1, 2])', want: [1, 2] },
    { name: 'compact', src: 'compact(["a", "", null])', want: ['a'] },
    { name: 'substr', src: 'substr("hello", 1, 3)', want: 'ell' },
    { name: 'trimprefix', src: 'trimprefix("arn:aws", "arn:")', want: 'aws' },
    { name: 'range', src: 'range(3)', want: [0, 1, 2] },
    { name: 'one of a single-element list', src: 'one(["x"])', want: 'x' },
    { name: 'try returns its first argument when known', src: 'try("a", "b")', want: 'a' },
    // Terraform rejects these expressions, so try() falls back and can() is false (terraform-aws-modules' cis-alarms shape).
    { name: 'try falls back past a missing key', src: 'try({ a = 1 }["b"], {})', want: {} },
    { name: 'try falls back past an index out of range', src: 'try([][0], "none")', want: 'none' },
    { name: 'try falls back past a misused function', src: 'try(lookup({}, "k"), "d")', want: 'd' },
    { name: 'can of a missing attribute is false', src: 'can({ a = 1 }.b)', want: false },
    { name: 'can of a known value is true', src: 'can({ a = 1 }.a)', want: true },
    { name: 'yamldecode of a map of alarms', src: 'yamldecode("root:\\n  pattern: \\"{ $.userIdentity.type = Root }\\"\\n  threshold: 1\\n")', want: { root: { pattern: '{ $.userIdentity.type = Root }', threshold: 1 } } },
    { name: 'yamldecode of an empty document is null', src: 'yamldecode("")', want: null },
    { name: 'formatlist', src: 'formatlist("arn:aws:sns:eu-west-1:1:%s", ["a", "b"])', want: ['arn:aws:sns:eu-west-1:1:a', 'arn:aws:sns:eu-west-1:1:b'] },
    { name: 'alltrue / anytrue', src: '[alltrue([true, "true"]), anytrue([false])]', want: [true, false] },
    { name: 'setunion / setsubtract / setintersection', src: '[setunion(["a"], ["b", "a"]), setsubtract(["a", "b"], ["a"]), setintersection(["a", "b"], ["b"])]', want: [['a', 'b'], ['b'], ['b']] },
    { name: 'sum and chunklist', src: '[sum([1, 2]), chunklist(["a", "b", "c"], 2)]', want: [3, [['a', 'b'], ['c']]] },
    { name: 'basename / dirname / strcontains', src: '[basename("a/b.tf"), dirname("a/b.tf"), strcontains("abc", "b")]', want: ['b.tf', 'a', true] },
    { name: 'nonsensitive returns its argument', src: 'nonsensitive("x")', want: 'x' },
    { name: 'provider-namespaced name of a built-in', src: 'provider::terraform::tostring(1)', want: '1' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(await evalAttr(c.src), c.want);
    });
  }
});

describe('references', () => {
  const resources = { 'aws_s3_bucket.b': { bucket: 'logs' }, 'aws_cloudwatch_log_group.ct': { name: '/ct' } };
  it('a configured attribute keeps the reference and its value', async () => {
    const v = await evalAttr('aws_s3_bucket.b.bucket', scope({ resources }));
    assert.ok(v instanceof Ref);
    assert.equal(v.address, 'aws_s3_bucket.b');
    assert.equal(v.known, 'logs');
  });
  it('a computed attribute is a reference without a value', async () => {
    const v = await evalAttr('aws_cloudwatch_log_group.ct.arn', scope({ resources }));
    assert.ok(v instanceof Ref);
    assert.equal(v.known, undefined);
  });
  // A reference inside a string built by a template, join() or format() still points at its resource.
  const strings: { name: string; src: string; address?: string; known?: string }[] = [
    { name: '"${ref.arn}:*"', src: '"${aws_cloudwatch_log_group.ct.arn}:*"', address: 'aws_cloudwatch_log_group.ct' },
    { name: 'join("", [ref.arn, ":*"])', src: 'join("", [aws_cloudwatch_log_group.ct.arn, ":*"])', address: 'aws_cloudwatch_log_group.ct' },
    { name: 'format("%s:*", ref.arn)', src: 'format("%s:*", aws_cloudwatch_log_group.ct.arn)', address: 'aws_cloudwatch_log_group.ct' },
    { name: 'format with %v and a known attribute keeps the text', src: 'format("%v-%d", aws_s3_bucket.b.bucket, 2)', address: 'aws_s3_bucket.b', known: 'logs-2' },
    { name: 'join of two resources names neither', src: 'join(",", [aws_cloudwatch_log_group.ct.arn, aws_s3_bucket.b.arn])' },
    { name: 'join without references is plain text', src: 'join("-", ["a", 1, true])', known: 'a-1-true' },
  ];
  for (const c of strings) {
    it(`${c.name}: ${c.address ? `a reference to ${c.address}` : c.known !== undefined ? 'text' : 'unknown'}`, async () => {
      const v = await evalAttr(c.src, scope({ resources }));
      if (c.address) {
        assert.ok(v instanceof Ref, String(v));
        assert.equal(v.address, c.address);
        assert.equal(v.known, c.known);
      } else if (c.known !== undefined) assert.equal(v, c.known);
      else assert.ok(v instanceof Unk && /a string built from aws_cloudwatch_log_group\.ct\.arn and aws_s3_bucket\.b\.arn/.test(v.reason), String(v));
    });
  }
});

describe('values that cannot be known statically', () => {
  const cases: { name: string; src: string; reason: RegExp }[] = [
    { name: 'variable without a value', src: 'var.missing', reason: /variable "missing"/ },
    { name: 'data source attribute', src: 'data.aws_caller_identity.me.account_id', reason: /data source data\.aws_caller_identity\.me/ },
    { name: 'unknown function', src: 'timestamp()', reason: /function timestamp\(\) is not evaluated/ },
    { name: 'regex replace (RE2, not JavaScript)', src: 'replace("a", "/a/", "b")', reason: /regular expression/ },
    { name: 'conditional on an unknown', src: 'var.missing ? 1 : 2', reason: /condition/ },
    { name: 'jsonencode of a computed value', src: 'jsonencode({ a = aws_x.y.arn })', reason: /known only after apply/ },
    { name: 'template directive', src: '"%{ if true }x%{ endif }"', reason: /template directive/ },
    { name: 'undeclared resource', src: 'aws_x.nope.id', reason: /undeclared resource aws_x\.nope/ },
    // An unknown value is not an error: try() returns it (it is what try() would return at apply time).
    { name: 'try keeps an unknown first argument', src: 'try(var.missing, "fallback")', reason: /variable "missing"/ },
    { name: 'can of an unknown value is unknown', src: 'can(var.missing)', reason: /can\(\): variable "missing"/ },
    { name: 'compact of a list with an unknown element', src: 'compact([var.missing, "a"])', reason: /variable "missing"/ },
    { name: 'a sensitive value is never read', src: 'sensitive("secret")', reason: /marked sensitive/ },
    { name: 'yamldecode of invalid YAML', src: 'yamldecode("a: [")', reason: /yamldecode: invalid YAML/ },
    { name: 'index out of range', src: '[1][3]', reason: /out of range/ },
    { name: 'lookup without default of a missing key', src: 'lookup({}, "k")', reason: /no key "k"/ },
  ];
  const resources = { 'aws_x.y': {} };
  for (const c of cases) {
    it(c.name, async () => {
      const v = await evalAttr(c.src, scope({ vars, resources }));
      assert.ok(v instanceof Unk, `expected an unknown, got ${JSON.stringify(v)}`);
      assert.match(v.reason, c.reason);
      assert.ok(v.location?.line, 'an unknown carries a location');
    });
  }
});

describe('syntax errors', () => {
  const cases: { name: string; src: string; line: number; column: number; message: RegExp }[] = [
    { name: 'unclosed block points at its opening', src: 'x = 1\nresource "a" "b" {\n  x = 1\n', line: 2, column: 1, message: /block opened here is not closed/ },
    { name: 'unterminated string', src: 'x = "abc\n', line: 1, column: 5, message: /string opened here is not closed/ },
    { name: 'unclosed list', src: 'x = [1, 2\ny = 3\n', line: 1, column: 5, message: /list opened here is not closed/ },
    { name: 'missing value', src: 'resource "a" "b" {\n  x =\n}\n', line: 2, column: 3, message: /unexpected "x"/ },
    { name: 'doubled operator: the line of the broken attribute', src: 'a = 1\nb = 2\n\nc = = 3\n', line: 4, column: 1, message: /unexpected "c"/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await parseHcl(c.src);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.deepEqual([r.error.line, r.error.column], [c.line, c.column], r.error.message);
      assert.match(r.error.message, c.message);
    });
  }
  it('gives 1-based positions for blocks and attributes', async () => {
    const r = await parseHcl('\n\nresource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n');
    assert.ok(r.ok);
    const b = r.body.blocks[0];
    assert.deepEqual([b.pos.line, b.pos.column, b.pos.endLine], [3, 1, 5]);
    assert.deepEqual([b.attrs.get('bucket')!.pos.line, b.attrs.get('bucket')!.pos.column], [4, 3]);
  });
});

// Unknown values keep the expression they are of data sources (in their module) and other symbolic unknowns, so
// two names written the same way are known to be equal; anything less certain has no symbol.
describe('symbols of unknown values', () => {
  const inModule = (prefix: string): Scope => ({ ...scope(), modulePrefix: prefix });
  const cases: { name: string; src: string; s?: Scope; symbol: string | undefined }[] = [
    { name: 'a data source attribute', src: 'data.aws_caller_identity.c.account_id', s: inModule(''), symbol: '${data.aws_caller_identity.c.account_id}' },
    { name: 'a data source attribute in a module instance', src: 'data.aws_region.r.name', s: inModule('module.a["x"].'), symbol: '${module.a["x"].data.aws_region.r.name}' },
    { name: 'a template of text and a data source', src: '"trail-${data.aws_caller_identity.c.account_id}"', s: inModule(''), symbol: 'trail-${data.aws_caller_identity.c.account_id}' },
    { name: 'format and join build the same symbol', src: 'format("trail-%s", join("", [data.aws_caller_identity.c.account_id]))', s: inModule(''), symbol: 'trail-${data.aws_caller_identity.c.account_id}' },
    { name: 'a literal index is part of the address', src: 'data.aws_availability_zones.z.names[0]', s: inModule(''), symbol: '${data.aws_availability_zones.z.names[0]}' },
    { name: 'an index that is an expression: no symbol', src: 'data.aws_availability_zones.z.names[var.i]', s: inModule(''), symbol: undefined },
    { name: 'a scope that does not say its module: no symbol', src: 'data.aws_caller_identity.c.account_id', symbol: undefined },
    { name: 'known text that looks like a symbol is escaped', src: '"$${data.aws_caller_identity.c.account_id}-${data.aws_caller_identity.c.account_id}"', s: inModule(''), symbol: '$${data.aws_caller_identity.c.account_id}-${data.aws_caller_identity.c.account_id}' },
    { name: 'a template with an unknown that has no symbol: no symbol', src: '"trail-${data.aws_caller_identity.c.account_id}-${timestamp()}"', s: inModule(''), symbol: undefined },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const v = await evalAttr(c.src, c.s);
      assert.ok(v instanceof Unk, String(v));
      assert.equal(v.symbol, c.symbol);
    });
  }
});
