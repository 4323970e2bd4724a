// Every short-form intrinsic tag resolves exactly like its long form; unknown tags are errors, never strings.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonTemplate, parseYamlTemplate, childOf, SHORT_TAGS } from '../../src/collect/cloudformation/parse.js';
import { ResourceRef, TemplateResolver, UnknownValue, type Resolved } from '../../src/collect/cloudformation/resolve.js';
import { collectOne, entity, errors, yamlTemplate } from './helpers.js';

const YAML_HEAD = `Parameters:
  Env: {Type: String, Default: prod}
  NoDefault: {Type: String}
  Subnets: {Type: CommaDelimitedList, Default: "a,b,c"}
Mappings:
  Retention: {prod: {Days: 400}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Undecided: !Equals [!Ref NoDefault, x]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  LogGroup: {Type: AWS::Logs::LogGroup}
Outputs:
  V:
    Value: `;

const JSON_HEAD = {
  Parameters: { Env: { Type: 'String', Default: 'prod' }, NoDefault: { Type: 'String' }, Subnets: { Type: 'CommaDelimitedList', Default: 'a,b,c' } },
  Mappings: { Retention: { prod: { Days: 400 } } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, Undecided: { 'Fn::Equals': [{ Ref: 'NoDefault' }, 'x'] } },
  Resources: { Bucket: { Type: 'AWS::S3::Bucket' }, LogGroup: { Type: 'AWS::Logs::LogGroup' } },
};

/** A resolved value with classes turned into comparable data. */
function plain(v: Resolved): unknown {
  if (v instanceof ResourceRef) return { ref: v.logicalId, attribute: v.attribute };
  if (v instanceof UnknownValue) return { unknown: v.reason };
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function resolveOutput(parsed: ReturnType<typeof parseYamlTemplate>) {
  assert.ok(parsed.root, `parse failed: ${JSON.stringify(parsed.problems)}`);
  const problems: string[] = [];
  const resolver = new TemplateResolver(parsed.root, {}, (level, message) => problems.push(`${level}: ${message}`));
  const node = childOf(childOf(childOf(parsed.root, 'Outputs'), 'V'), 'Value');
  assert.ok(node);
  return { value: plain(resolver.resolve(node)), problems: [...parsed.problems.map((p) => `${p.level}: ${p.message}`), ...problems] };
}

interface TagCase {
  name: string;
  /** Tags this case exercises (for the inventory test). */
  tags: string[];
  yaml: string;
  json: unknown;
  expected: unknown | ((v: unknown) => boolean);
}

const isUnknownMentioning = (text: string) => (v: unknown) =>
  typeof v === 'object' && v !== null && typeof (v as { unknown?: string }).unknown === 'string' && (v as { unknown: string }).unknown.includes(text);

const CASES: TagCase[] = [
  { name: 'Ref to a parameter with a Default', tags: ['!Ref'], yaml: '!Ref Env', json: { Ref: 'Env' }, expected: 'prod' },
  { name: 'Ref to a resource is a link', tags: ['!Ref'], yaml: '!Ref Bucket', json: { Ref: 'Bucket' }, expected: { ref: 'Bucket', attribute: undefined } },
  { name: 'Ref to a parameter without Default is unknown', tags: ['!Ref'], yaml: '!Ref NoDefault', json: { Ref: 'NoDefault' }, expected: isUnknownMentioning('NoDefault has no Default') },
  { name: 'Ref to a pseudo parameter is unknown', tags: ['!Ref'], yaml: '!Ref AWS::Region', json: { Ref: 'AWS::Region' }, expected: isUnknownMentioning('AWS::Region') },
  { name: 'GetAtt dotted', tags: ['!GetAtt'], yaml: '!GetAtt LogGroup.Arn', json: { 'Fn::GetAtt': ['LogGroup', 'Arn'] }, expected: { ref: 'LogGroup', attribute: 'Arn' } },
  { name: 'GetAtt list', tags: ['!GetAtt'], yaml: '!GetAtt [LogGroup, Arn]', json: { 'Fn::GetAtt': ['LogGroup', 'Arn'] }, expected: { ref: 'LogGroup', attribute: 'Arn' } },
  { name: 'Sub of one reference keeps the link', tags: ['!Sub'], yaml: "!Sub '${LogGroup.Arn}'", json: { 'Fn::Sub': '${LogGroup.Arn}' }, expected: { ref: 'LogGroup', attribute: 'Arn' } },
  { name: 'Sub with parameters', tags: ['!Sub'], yaml: "!Sub 'logs-${Env}-${!Literal}'", json: { 'Fn::Sub': 'logs-${Env}-${!Literal}' }, expected: 'logs-prod-${Literal}' },
  { name: 'Sub with a variable map (seq form)', tags: ['!Sub'], yaml: "!Sub ['${A}/${Env}', {A: !Ref Env}]", json: { 'Fn::Sub': ['${A}/${Env}', { A: { Ref: 'Env' } }] }, expected: 'prod/prod' },
  { name: 'Sub naming what is missing', tags: ['!Sub'], yaml: "!Sub 'arn:aws:s3:::${Bucket}/${AWS::AccountId}'", json: { 'Fn::Sub': 'arn:aws:s3:::${Bucket}/${AWS::AccountId}' }, expected: (v) => isUnknownMentioning('${Bucket}')(v) && isUnknownMentioning('${AWS::AccountId}')(v) },
  { name: 'If picks the true branch', tags: ['!If'], yaml: '!If [IsProd, on, off]', json: { 'Fn::If': ['IsProd', 'on', 'off'] }, expected: 'on' },
  { name: 'If on an unknown condition is unknown', tags: ['!If'], yaml: '!If [Undecided, on, off]', json: { 'Fn::If': ['Undecided', 'on', 'off'] }, expected: isUnknownMentioning('Undecided') },
  { name: 'Join', tags: ['!Join'], yaml: "!Join ['/', ['', aws, !Ref Env]]", json: { 'Fn::Join': ['/', ['', 'aws', { Ref: 'Env' }]] }, expected: '/aws/prod' },
  { name: 'Select from a list parameter', tags: ['!Select'], yaml: '!Select [1, !Ref Subnets]', json: { 'Fn::Select': ['1', { Ref: 'Subnets' }] }, expected: 'b' },
  { name: 'Split', tags: ['!Split'], yaml: "!Split [',', 'x,y']", json: { 'Fn::Split': [',', 'x,y'] }, expected: ['x', 'y'] },
  { name: 'Equals', tags: ['!Equals'], yaml: '!Equals [!Ref Env, prod]', json: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, expected: true },
  { name: 'And with Condition', tags: ['!And', '!Condition'], yaml: '!And [!Equals [a, a], !Condition IsProd]', json: { 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { Condition: 'IsProd' }] }, expected: true },
  { name: 'Or decided by one operand despite an unknown one', tags: ['!Or', '!Condition'], yaml: '!Or [!Condition Undecided, !Condition IsProd]', json: { 'Fn::Or': [{ Condition: 'Undecided' }, { Condition: 'IsProd' }] }, expected: true },
  { name: 'Not', tags: ['!Not', '!Condition'], yaml: '!Not [!Condition IsProd]', json: { 'Fn::Not': [{ Condition: 'IsProd' }] }, expected: false },
  { name: 'FindInMap with a Ref key', tags: ['!FindInMap'], yaml: '!FindInMap [Retention, !Ref Env, Days]', json: { 'Fn::FindInMap': ['Retention', { Ref: 'Env' }, 'Days'] }, expected: 400 },
  { name: 'Base64', tags: ['!Base64'], yaml: '!Base64 hello', json: { 'Fn::Base64': 'hello' }, expected: 'aGVsbG8=' },
  { name: 'Cidr', tags: ['!Cidr'], yaml: "!Cidr ['10.0.0.0/16', 2, 8]", json: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, expected: ['10.0.0.0/24', '10.0.1.0/24'] },
  { name: 'GetAZs is unknown', tags: ['!GetAZs'], yaml: "!GetAZs ''", json: { 'Fn::GetAZs': '' }, expected: isUnknownMentioning('Availability Zones') },
  { name: 'ImportValue is unknown', tags: ['!ImportValue'], yaml: '!ImportValue shared-topic-arn', json: { 'Fn::ImportValue': 'shared-topic-arn' }, expected: isUnknownMentioning('"shared-topic-arn"') },
  { name: 'Transform (map form) is unknown', tags: ['!Transform'], yaml: '!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}', json: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }, expected: isUnknownMentioning('AWS::Include') },
];

describe('short-form tags resolve like their long form', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const fromYaml = resolveOutput(parseYamlTemplate(YAML_HEAD + c.yaml + '\n'));
      const fromJson = resolveOutput(parseJsonTemplate(JSON.stringify({ ...JSON_HEAD, Outputs: { V: { Value: c.json } } }, null, 1)));
      if (typeof c.expected === 'function') assert.ok((c.expected as (v: unknown) => boolean)(fromYaml.value), `got ${JSON.stringify(fromYaml.value)}`);
      else assert.deepEqual(fromYaml.value, c.expected);
      assert.deepEqual(fromJson.value, fromYaml.value);
      assert.deepEqual(fromYaml.problems.filter((p) => p.startsWith('error')), []);
    });
  }

  it('covers every registered short-form tag', () => {
    const covered = new Set(CASES.flatMap((c) => c.tags));
    assert.deepEqual(Object.keys(SHORT_TAGS).filter((t) => !covered.has(t)), []);
  });
});

describe('tags on every node kind', () => {
  const table = [
    { name: 'scalar', yaml: '!Join scalar-not-a-list', expectError: /Fn::Join expects a list of 2 arguments/ },
    { name: 'sequence', yaml: '!Ref [a, b]', expectError: /Ref expects a logical id/ },
    { name: 'mapping', yaml: '!Sub {a: b}', expectError: /Fn::Sub expects a string/ },
  ];
  for (const t of table) {
    it(`a tag on a ${t.name} is kept as the intrinsic (and checked), not dropped`, () => {
      const out = resolveOutput(parseYamlTemplate(YAML_HEAD + t.yaml + '\n'));
      assert.ok(isUnknownMentioning('')(out.value), `got ${JSON.stringify(out.value)}`);
      assert.ok(out.problems.some((p) => t.expectError.test(p)), out.problems.join('\n'));
    });
  }
});

describe('unknown tags', () => {
  const table = [
    { name: 'scalar', value: '!Reff CloudTrailBucket', tag: '!Reff' },
    { name: 'sequence', value: '!Joinn [\'\', [a, b]]', tag: '!Joinn' },
    { name: 'mapping', value: '!Subb {x: y}', tag: '!Subb' },
  ];
  for (const t of table) {
    it(`an unknown tag on a ${t.name} is an error with line and column, and the field is unknown`, async () => {
      const snapshot = await collectOne(
        yamlTemplate(`  CloudTrailBucket:
    Type: AWS::S3::Bucket
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: ${t.value}
`),
      );
      const problem = snapshot.problems.find((p) => p.message.includes(t.tag));
      assert.ok(problem, JSON.stringify(snapshot.problems));
      assert.equal(problem.level, 'error');
      assert.deepEqual([problem.location?.file, problem.location?.line], ['template.yaml', 9]);
      assert.ok((problem.location?.column ?? 0) > 20);
      assert.match(problem.message, /Resources\.Trail\.Properties\.S3BucketName: unknown tag/);
      const trail = entity(snapshot, 'trail', 'Trail');
      assert.ok('unknown' in trail.bucket.value, `bucket must not be a silently stringified value: ${JSON.stringify(trail.bucket.value)}`);
    });
  }

  it('a known tag never degrades to its bare string', async () => {
    const snapshot = await collectOne(
      yamlTemplate(`  CloudTrailBucket:
    Type: AWS::S3::Bucket
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref CloudTrailBucket
`),
    );
    assert.deepEqual(entity(snapshot, 'trail', 'Trail').bucket.value, { ref: 'CloudTrailBucket' });
    assert.deepEqual(errors(snapshot), []);
  });
});
