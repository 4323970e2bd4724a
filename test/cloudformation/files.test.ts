// Bad input and discovery: which files are read, which are skipped and why, and that one bad file spoils nothing else.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectCloudFormation, MAX_TEMPLATE_BYTES } from '../../src/collect/cloudformation/index.js';
import { entity, tempTree } from './helpers.js';

const TOPIC_YAML = 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: alerts}\n';
const topicJson = (id: string) => JSON.stringify({ Resources: { [id]: { Type: 'AWS::SNS::Topic' } } }, null, 1);

describe('discovery', () => {
  it('recurses for *.yaml, *.yml, *.json, *.template and cdk.out/*.template.json, in a stable order', async () => {
    const dir = await tempTree({
      'infra/b.yml': TOPIC_YAML.replace('Topic:', 'B:'),
      'infra/a.yaml': TOPIC_YAML.replace('Topic:', 'A:'),
      'infra/legacy.template': TOPIC_YAML.replace('Topic:', 'Legacy:'),
      'infra/json.template': topicJson('JsonTemplate'),
      'infra/cdk.out/App.template.json': topicJson('CdkTopic'),
      'infra/nested/deep/c.json': topicJson('C'),
      'infra/README.md': '# not a template',
      'infra/notes.txt': 'Resources: nope',
    });
    const [s] = await collectCloudFormation({ paths: ['infra'], baseDir: dir });
    assert.deepEqual(
      s.files.map((f) => f.path),
      ['infra/a.yaml', 'infra/b.yml', 'infra/cdk.out/App.template.json', 'infra/json.template', 'infra/legacy.template', 'infra/nested/deep/c.json'],
    );
    assert.deepEqual(
      s.entities.map((e) => e.id),
      ['A', 'B', 'CdkTopic', 'JsonTemplate', 'Legacy', 'C'],
    );
    assert.equal(s.root, 'infra');
    assert.deepEqual(s.problems, []);
  });

  it('records each file with its sha256 and size, relative to baseDir', async () => {
    const dir = await tempTree({ 'stack.yaml': TOPIC_YAML });
    const [s] = await collectCloudFormation({ paths: ['.'], baseDir: dir });
    assert.deepEqual(s.files.map(({ path, sha256, size }) => ({ path, sha256, size })), [
      { path: 'stack.yaml', sha256: createHash('sha256').update(TOPIC_YAML).digest('hex'), size: Buffer.byteLength(TOPIC_YAML) },
    ]);
    assert.equal(entity(s, 'sns-topic', 'Topic').at.file, 'stack.yaml');
  });

  it('gives one snapshot per configured path and reads a file reached twice only once', async () => {
    const dir = await tempTree({ 'a/one.yaml': TOPIC_YAML, 'b/two.yaml': TOPIC_YAML.replace('Topic:', 'Two:') });
    const snapshots = await collectCloudFormation({ paths: ['a', 'b', 'a/one.yaml'], baseDir: dir });
    assert.deepEqual(
      snapshots.map((s) => [s.root, s.entities.map((e) => e.id)]),
      [
        ['a', ['Topic']],
        ['b', ['Two']],
        ['a/one.yaml', []],
      ],
    );
  });
});

describe('skipped input, each with a reason', () => {
  const cases: { name: string; files: Record<string, string | Buffer>; skipped: string; reason: RegExp }[] = [
    { name: 'JSON that is not a template', files: { 'package.json': '{"name": "app", "version": "1.0.0"}' }, skipped: 'package.json', reason: /not a CloudFormation template \(no Resources section\)/ },
    { name: 'YAML that is not a template', files: { '.github/workflows/ci.yml': 'on: push\njobs: {}\n' }, skipped: '.github/workflows/ci.yml', reason: /no Resources section/ },
    { name: 'a binary file', files: { 'blob.json': Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x7d]) }, skipped: 'blob.json', reason: /binary file/ },
    { name: 'a file that is not UTF-8', files: { 'latin1.yaml': Buffer.from([0x52, 0x65, 0x73, 0x3a, 0x20, 0xe9, 0xe8, 0x0a]) }, skipped: 'latin1.yaml', reason: /invalid UTF-8/ },
    { name: 'a dependencies folder', files: { 'node_modules/x/t.json': topicJson('X') }, skipped: 'node_modules', reason: /skipped folder node_modules/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = await tempTree({ ...c.files, 'ok.yaml': TOPIC_YAML });
      const [s] = await collectCloudFormation({ paths: ['.'], baseDir: dir });
      const p = s.problems.find((x) => x.location?.file === c.skipped);
      assert.ok(p, JSON.stringify(s.problems));
      assert.equal(p.level, 'warning');
      assert.match(p.message, c.reason);
      assert.deepEqual(s.files.map((f) => f.path), ['ok.yaml']);
      assert.deepEqual(s.entities.map((e) => e.id), ['Topic']);
    });
  }

  it(`a file over ${MAX_TEMPLATE_BYTES} bytes`, async () => {
    const dir = await tempTree({ 'ok.yaml': TOPIC_YAML });
    await writeFile(join(dir, 'huge.json'), Buffer.alloc(MAX_TEMPLATE_BYTES + 1, 0x20));
    const [s] = await collectCloudFormation({ paths: ['.'], baseDir: dir });
    assert.deepEqual(
      s.problems.map((p) => [p.level, p.location?.file, p.message]),
      [['warning', 'huge.json', `skipped: ${MAX_TEMPLATE_BYTES + 1} bytes is over the ${MAX_TEMPLATE_BYTES}-byte limit for a template`]],
    );
    assert.deepEqual(s.entities.map((e) => e.id), ['Topic']);
  });

  it('symbolic links: leaving the folder is skipped, staying inside is followed, loops end', async () => {
    const outside = await tempTree({ 'secret.yaml': TOPIC_YAML.replace('Topic:', 'Outside:') });
    const dir = await tempTree({ 'infra/real/t.yaml': TOPIC_YAML });
    await symlink(join(outside, 'secret.yaml'), join(dir, 'infra/escape.yaml'));
    await symlink(outside, join(dir, 'infra/escape-dir'));
    await symlink(join(dir, 'infra/real'), join(dir, 'infra/alias'));
    await symlink(join(dir, 'infra'), join(dir, 'infra/real/loop'));
    const [s] = await collectCloudFormation({ paths: ['infra'], baseDir: dir });
    assert.deepEqual(s.entities.map((e) => e.id), ['Topic']);
    const skipped = s.problems.map((p) => [p.location?.file, p.message.replace(/\(points to .*\)/, '(points to …)')]);
    assert.deepEqual(skipped, [
      ['infra/escape-dir', 'skipped: symbolic link leaves the configured folder infra (points to …)'],
      ['infra/escape.yaml', 'skipped: symbolic link leaves the configured folder infra (points to …)'],
    ]);
    assert.ok(!JSON.stringify(s).includes('Outside'));
  });

  it('a configured path that does not exist is an error, not a crash', async () => {
    const dir = await tempTree({ 'ok.yaml': TOPIC_YAML });
    const snapshots = await collectCloudFormation({ paths: ['missing', 'ok.yaml'], baseDir: dir });
    assert.deepEqual(snapshots[0].problems.map((p) => [p.level, p.message]), [['error', 'path not found: missing (expected a CloudFormation template or a folder of templates)']]);
    assert.deepEqual(snapshots[1].entities.map((e) => e.id), ['Topic']);
  });
});

describe('syntax errors name file, line and column; other templates are still collected', () => {
  const cases = [
    { name: 'YAML: bad indentation', file: 'broken.yaml', text: 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n   Bad: [\n', line: 4, message: /^YAML syntax error: / },
    { name: 'YAML: duplicate key', file: 'dup.yaml', text: 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Topic:\n    Type: AWS::SNS::Topic\n', line: 4, message: /Map keys must be unique/ },
    // `yaml` reports an unclosed quote where it notices it: the end of the input.
    { name: 'YAML: unclosed quote', file: 'quote.yml', text: "Resources:\n  T:\n    Type: 'AWS::SNS::Topic\n", line: 4, message: /^YAML syntax error: Missing closing 'quote/ },
    { name: 'JSON: trailing comma', file: 'broken.json', text: '{\n  "Resources": {\n    "T": {"Type": "AWS::SNS::Topic"},\n  }\n}\n', line: 4, message: /^JSON syntax error: Unexpected token RBrace/ },
    { name: 'JSON: duplicate key', file: 'dup.json', text: '{"Resources": {\n "T": {"Type": "AWS::SNS::Topic"},\n "T": {"Type": "AWS::SNS::Topic"}}}', line: 3, message: /Resources\.T: duplicate key "T"/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = await tempTree({ [c.file]: c.text, 'good.yaml': TOPIC_YAML.replace('Topic:', 'Good:') });
      const [s] = await collectCloudFormation({ paths: ['.'], baseDir: dir });
      const err = s.problems.find((p) => p.level === 'error');
      assert.ok(err, JSON.stringify(s.problems));
      assert.equal(err.location?.file, c.file);
      assert.equal(err.location?.line, c.line);
      assert.ok((err.location?.column ?? 0) >= 1);
      assert.match(err.message, c.message);
      assert.ok(s.entities.some((e) => e.id === 'Good'));
      assert.ok(s.files.some((f) => f.path === c.file), 'a template that failed to parse is still listed with its hash');
    });
  }

  it('Resources that is not a mapping', async () => {
    const dir = await tempTree({ 't.yaml': 'Resources: [a]\n' });
    const [s] = await collectCloudFormation({ paths: ['.'], baseDir: dir });
    assert.deepEqual(s.problems.map((p) => [p.level, p.location?.line, p.message]), [['error', 1, 'Resources: expected a mapping of logical ids to resources']]);
  });
});

describe('templates across files', () => {
  it('a logical id defined in two templates is prefixed with the file, links included', async () => {
    const stack = (bucket: string) => `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties: {BucketName: ${bucket}}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: !Ref Logs}
  Unique${bucket.replace(/-/g, '')}:
    Type: AWS::SNS::Topic
`;
    const dir = await tempTree({ 'eu/stack.yaml': stack('eu-logs'), 'us/stack.yaml': stack('us-logs') });
    const snapshots = await collectCloudFormation({ paths: ['eu', 'us'], baseDir: dir });
    assert.deepEqual(
      snapshots.map((s) => s.entities.map((e) => e.id)),
      [
        ['eu/stack.yaml#Logs', 'eu/stack.yaml#Trail', 'Uniqueeulogs'],
        ['us/stack.yaml#Logs', 'us/stack.yaml#Trail', 'Uniqueuslogs'],
      ],
    );
    assert.deepEqual(entity(snapshots[1], 'trail', 'us/stack.yaml#Trail').bucket.value, { ref: 'us/stack.yaml#Logs' });
  });

  it('a bucket policy in one template applies to the bucket named in another', async () => {
    const dir = await tempTree({
      'bucket.yaml': 'Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: trail-logs}\n',
      'policy.yaml': 'Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: trail-logs\n      PolicyDocument: {Statement: [{Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}]}\n',
    });
    const [s] = await collectCloudFormation({ paths: ['.'], baseDir: dir });
    const b = entity(s, 'bucket', 'Logs');
    assert.equal(b.publicByPolicy?.value, true);
    assert.equal(b.publicByPolicy?.at.file, 'policy.yaml');
  });

  it('a Transform other than AWS::LanguageExtensions is reported', async () => {
    const dir = await tempTree({
      'sam.yaml': `Transform: AWS::Serverless-2016-10-31\n${TOPIC_YAML}`,
      'lang.yaml': `Transform: AWS::LanguageExtensions\n${TOPIC_YAML.replace('Topic:', 'Lang:')}`,
    });
    const [s] = await collectCloudFormation({ paths: ['.'], baseDir: dir });
    assert.deepEqual(s.problems.map((p) => [p.level, p.location?.file, p.location?.line, p.message]), [
      ['warning', 'sam.yaml', 1, 'Transform AWS::Serverless-2016-10-31 rewrites the template at deploy time; resources it adds or changes are not analysed'],
    ]);
  });

  it('is deterministic: the same input gives the same snapshots', async () => {
    const dir = await tempTree({ 'a.yaml': TOPIC_YAML, 'sub/b.json': topicJson('B'), 'sub/bad.yaml': 'Resources: {T: !Nope x}\n' });
    await mkdir(join(dir, 'empty'));
    const strip = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'absPath' ? undefined : v));
    const one = strip(await collectCloudFormation({ paths: ['.'], baseDir: dir }));
    const two = strip(await collectCloudFormation({ paths: ['.'], baseDir: dir }));
    assert.equal(one, two);
  });
});

describe('snapshot root', () => {
  it('is the configured path relative to baseDir, however it was written', async () => {
    const dir = await tempTree({ 'infra/cfn/t.yaml': TOPIC_YAML });
    const snapshots = await collectCloudFormation({ paths: ['infra/cfn/', join(dir, 'infra'), './infra/cfn/t.yaml', '.'], baseDir: dir });
    assert.deepEqual(snapshots.map((s) => s.root), ['infra/cfn', 'infra', 'infra/cfn/t.yaml', '.']);
  });
});

describe('dangling symbolic links', () => {
  it('are skipped with a reason, in a folder and when named directly', async () => {
    const dir = await tempTree({ 'infra/ok.yaml': TOPIC_YAML });
    await symlink(join(dir, 'gone.yaml'), join(dir, 'infra/dangling.yaml'));
    const snapshots = await collectCloudFormation({ paths: ['infra', 'infra/dangling.yaml'], baseDir: dir });
    assert.deepEqual(
      snapshots.map((s) => s.problems.map((p) => [p.level, p.location?.file, p.message])),
      [[['warning', 'infra/dangling.yaml', 'skipped: symbolic link to a missing target']], [['warning', 'infra/dangling.yaml', 'skipped: symbolic link to a missing target']]],
    );
    assert.deepEqual(snapshots[0].entities.map((e) => e.id), ['Topic']);
  });
});
