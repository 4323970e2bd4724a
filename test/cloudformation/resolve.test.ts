// Static resolution of intrinsic functions: provided values, unknowns with reasons, and malformed input reported.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childOf, parseYamlTemplate } from '../../src/collect/cloudformation/parse.js';
import { computeCidr, ResourceRef, TemplateResolver, UnknownValue, type ResolveOptions } from '../../src/collect/cloudformation/resolve.js';

const HEAD = `Parameters:
  Env: {Type: String, Default: prod}
  Open: {Type: String}
  Secret: {Type: String, NoEcho: true, Default: hunter2}
  Version: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /cdk-bootstrap/version}
  Days: {Type: Number, Default: 30}
Mappings:
  M: {prod: {Name: p}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Loop1: !Condition Loop2
  Loop2: !Not [!Condition Loop1]
  InRegion: !Equals [!Ref AWS::Region, eu-central-1]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
Outputs:
  V:
    Value: `;

function run(expr: string, opts: ResolveOptions = {}) {
  const parsed = parseYamlTemplate(HEAD + expr + '\n');
  assert.ok(parsed.root, JSON.stringify(parsed.problems));
  const problems: { level: string; message: string; line?: number }[] = [];
  const resolver = new TemplateResolver(parsed.root, opts, (level, message, pos) => problems.push({ level, message, line: pos?.line }));
  const node = childOf(childOf(childOf(parsed.root, 'Outputs'), 'V'), 'Value');
  assert.ok(node);
  return { value: resolver.resolve(node), problems, resolver };
}

const VALUE_LINE = HEAD.split('\n').length;

describe('values that resolve', () => {
  const table: { name: string; expr: string; opts?: ResolveOptions; expected: unknown }[] = [
    { name: 'a provided parameter beats the Default', expr: '!Ref Env', opts: { parameters: { Env: 'test' } }, expected: 'test' },
    { name: 'a provided value for a parameter without Default', expr: '!Ref Open', opts: { parameters: { Open: 'x' } }, expected: 'x' },
    { name: 'a Number parameter is passed on as text', expr: '!Ref Days', expected: '30' },
    { name: 'a provided pseudo parameter', expr: '!Ref AWS::Region', opts: { pseudoParameters: { 'AWS::Region': 'eu-central-1' } }, expected: 'eu-central-1' },
    { name: 'a condition on a provided pseudo parameter', expr: '!If [InRegion, yes, no]', opts: { pseudoParameters: { 'AWS::Region': 'eu-west-1' } }, expected: 'no' },
    { name: 'Sub with provided pseudo parameters', expr: "!Sub 'arn:${AWS::Partition}:sns:${AWS::Region}'", opts: { pseudoParameters: { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-central-1' } }, expected: 'arn:aws:sns:eu-central-1' },
    { name: 'AWS::NoValue removes a list element', expr: '[a, !If [IsProd, !Ref AWS::NoValue, b], c]', expected: ['a', 'c'] },
    { name: 'Fn::Length (LanguageExtensions)', expr: '{"Fn::Length": [a, b, c]}', expected: 3 },
    { name: 'Fn::ToJsonString (LanguageExtensions)', expr: '{"Fn::ToJsonString": {a: !Ref Env}}', expected: '{"a":"prod"}' },
    { name: 'FindInMap DefaultValue (LanguageExtensions)', expr: '!FindInMap [M, test, Name, {DefaultValue: d}]', expected: 'd' },
    { name: 'Select from a literal list', expr: '!Select [0, [x, y]]', expected: 'x' },
  ];
  for (const t of table) {
    it(t.name, () => {
      const r = run(t.expr, t.opts);
      assert.deepEqual(r.value, t.expected);
      assert.deepEqual(r.problems, []);
    });
  }
});

describe('values known only at deploy time are unknown, with the reason', () => {
  const table: { name: string; expr: string; reason: RegExp }[] = [
    { name: 'NoEcho parameters are never read', expr: '!Ref Secret', reason: /Secret is NoEcho; its value is not read/ },
    { name: 'SSM parameter types are resolved at deploy time', expr: '!Ref Version', reason: /read from SSM Parameter Store/ },
    { name: 'dynamic references', expr: "'{{resolve:secretsmanager:db:SecretString:password}}'", reason: /\{\{resolve:secretsmanager:…\}\} is resolved at deploy time/ },
    { name: 'Join with a resource attribute', expr: "!Join ['', [!GetAtt Bucket.Arn, '/*']]", reason: /element 0: Bucket\.Arn, known only after deployment/ },
    { name: 'Sub with a parameter without default', expr: "!Sub 'x-${Open}'", reason: /\$\{Open\} \(parameter Open has no Default/ },
    { name: 'Select from an unknown list', expr: '!Select [0, !GetAZs ""]', reason: /Fn::Select: Fn::GetAZs/ },
    { name: 'Equals on a resource attribute', expr: '!Equals [!GetAtt Bucket.Arn, x]', reason: /known only after deployment/ },
    { name: 'If on a condition on an unprovided pseudo parameter', expr: '!If [InRegion, a, b]', reason: /condition "InRegion": pseudo parameter AWS::Region/ },
  ];
  for (const t of table) {
    it(t.name, () => {
      const r = run(t.expr);
      assert.ok(r.value instanceof UnknownValue, `got ${JSON.stringify(r.value)}`);
      assert.match(r.value.reason, t.reason);
      assert.deepEqual(r.problems.filter((p) => p.level === 'error'), []);
    });
  }

  it('the secret Default of a NoEcho parameter appears nowhere in the result', () => {
    const r = run("!Sub 'pw=${Secret}'");
    assert.ok(!JSON.stringify(r.value).includes('hunter2'));
    assert.ok(r.value instanceof UnknownValue && !r.value.reason.includes('hunter2'));
  });
});

describe('malformed intrinsics are errors at their line', () => {
  const table: { name: string; expr: string; error: RegExp }[] = [
    { name: 'Ref to an undefined name', expr: '!Ref Nope', error: /Ref to "Nope", which is neither a parameter nor a resource/ },
    { name: 'unknown pseudo parameter', expr: '!Ref AWS::Nope', error: /unknown pseudo parameter AWS::Nope/ },
    { name: 'GetAtt on a non-resource', expr: '!GetAtt Env.Arn', error: /Fn::GetAtt on "Env", which is not a resource/ },
    { name: 'GetAtt without attribute', expr: '!GetAtt Bucket', error: /Fn::GetAtt expects "LogicalId.Attribute"/ },
    { name: 'Sub naming a missing resource attribute', expr: "!Sub '${Nope.Arn}'", error: /Nope", which is not a resource/ },
    { name: 'If with two arguments', expr: '!If [IsProd, a]', error: /Fn::If expects a list of 3 arguments/ },
    { name: 'If on an undefined condition', expr: '!If [Nope, a, b]', error: /condition "Nope" is not defined/ },
    { name: 'condition cycle', expr: '!If [Loop1, a, b]', error: /refers to itself \(cycle: Loop1 → Loop2 → Loop1\)/ },
    { name: 'FindInMap missing key', expr: '!FindInMap [M, test, Name]', error: /Mappings has no M\.test\.Name/ },
    { name: 'Select out of range', expr: '!Select [5, [a]]', error: /index 5 is out of range/ },
    { name: 'Select with a negative index', expr: '!Select [-1, [a]]', error: /non-negative integer/ },
    { name: 'Split with an empty delimiter', expr: "!Split ['', abc]", error: /delimiter must be a non-empty string/ },
    { name: 'unknown Fn:: function', expr: '{"Fn::Nope": x}', error: /unknown intrinsic function Fn::Nope/ },
    { name: 'Cidr with a bad block', expr: '!Cidr [300.0.0.0/8, 2, 8]', error: /"300\.0\.0\.0\/8" is not a CIDR block/ },
    { name: 'Cidr that does not fit', expr: "!Cidr ['10.0.0.0/24', 4, 7]", error: /4 subnets of \/25 do not fit in \/24/ },
    { name: 'Equals with one argument', expr: '!Equals [a]', error: /Fn::Equals expects a list of 2 arguments/ },
    { name: 'Condition that is not a boolean', expr: '!Not [abc]', error: /expected a condition \(true\/false\), got "abc"/ },
  ];
  for (const t of table) {
    it(t.name, () => {
      const r = run(t.expr);
      assert.ok(r.value instanceof UnknownValue, `got ${JSON.stringify(r.value)}`);
      const error = r.problems.find((p) => p.level === 'error');
      assert.ok(error, 'an error problem is reported');
      assert.match(error.message, t.error);
      assert.ok(error.line !== undefined && error.line >= 10, `line given: ${error.line}`);
    });
  }

  it('errors carry the JSON path of the offending value', () => {
    const r = run('!Ref Nope');
    assert.match(r.problems[0].message, /^Outputs\.V\.Value: /);
    assert.equal(r.problems[0].line, VALUE_LINE);
  });
});

describe('resource links', () => {
  it('Ref and GetAtt to resources are links, whatever the form', () => {
    for (const expr of ['!Ref Bucket', "!Sub '${Bucket}'", '{Ref: Bucket}']) {
      const v = run(expr).value;
      assert.ok(v instanceof ResourceRef && v.logicalId === 'Bucket' && v.attribute === undefined, expr);
    }
    for (const expr of ['!GetAtt Bucket.Arn', "!Sub '${Bucket.Arn}'", '{"Fn::GetAtt": [Bucket, Arn]}']) {
      const v = run(expr).value;
      assert.ok(v instanceof ResourceRef && v.logicalId === 'Bucket' && v.attribute === 'Arn', expr);
    }
  });
});

describe('Fn::Cidr', () => {
  const table = [
    // Example from the Fn::Cidr reference.
    { block: '192.168.0.0/24', count: 6, bits: 5, expected: ['192.168.0.0/27', '192.168.0.32/27', '192.168.0.64/27', '192.168.0.96/27', '192.168.0.128/27', '192.168.0.160/27'] },
    { block: '10.1.2.3/16', count: 2, bits: 12, expected: ['10.1.0.0/20', '10.1.16.0/20'] },
    { block: '2001:db8::/56', count: 3, bits: 64, expected: ['2001:db8::/64', '2001:db8:0:1::/64', '2001:db8:0:2::/64'] },
  ];
  for (const t of table) {
    it(`${t.block} × ${t.count} with ${t.bits} bits`, () => {
      assert.deepEqual(computeCidr(t.block, t.count, t.bits), t.expected);
    });
  }
});
