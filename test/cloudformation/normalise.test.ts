// Normalisation of CloudFormation resources into infra entities: values, documented defaults, links and locations.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Field } from '../../src/model/infra.js';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';
import { collectOne, entity, errors, ofType, tempTree, yamlTemplate } from './helpers.js';

const valueOf = <T>(f: Field<T> | undefined) => f?.value;
const isUnknown = (v: unknown): v is { unknown: string } => typeof v === 'object' && v !== null && 'unknown' in v;

describe('AWS::CloudTrail::Trail', () => {
  it('applies the documented defaults, located at the resource', async () => {
    const s = await collectOne(
      yamlTemplate(`  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: my-logs
`),
    );
    const t = entity(s, 'trail', 'Trail');
    assert.deepEqual(
      [t.multiRegion, t.logFileValidation, t.globalServiceEvents, t.managementEvents, t.organisationTrail].map((f) => [f?.value, f?.defaulted]),
      [
        [false, true],
        [false, true],
        [true, true],
        [true, true],
        [false, true],
      ],
    );
    assert.deepEqual(t.logGroup, { value: null, at: t.at, defaulted: true });
    assert.deepEqual(t.bucket.value, { name: 'my-logs' });
    assert.equal(t.logging.value, true);
    assert.ok(isUnknown(t.name.value) && /TrailName not set/.test(t.name.value.unknown));
    assert.deepEqual([t.at.file, t.at.line, t.at.column, t.at.pointer], ['template.yaml', 3, 3, 'Resources.Trail']);
    assert.deepEqual([t.logging.at.line, t.logging.at.pointer], [6, 'Resources.Trail.Properties.IsLogging']);
    assert.equal(t.multiRegion.at, t.at);
    assert.deepEqual(errors(s), []);
  });

  it('IsLogging is required: missing gives unknown and an error naming it', async () => {
    const s = await collectOne(
      yamlTemplate(`  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: my-logs
`),
    );
    const t = entity(s, 'trail', 'Trail');
    assert.ok(isUnknown(t.logging.value));
    assert.deepEqual(errors(s), ['3:3 Resources.Trail: IsLogging is required on AWS::CloudTrail::Trail but is not set']);
  });

  const values = [
    { name: 'literal true', yaml: 'true', expected: true },
    { name: 'string "false" (as every parameter value is a string)', yaml: '"false"', expected: false },
    { name: 'a parameter Default', yaml: '!Ref Multi', expected: true, params: '  Multi: {Type: String, AllowedValues: ["true", "false"], Default: "true"}\n' },
    { name: 'a parameter without Default', yaml: '!Ref Multi', expected: 'unknown: parameter Multi has no Default', params: '  Multi: {Type: String}\n' },
    { name: 'an If on a known condition', yaml: '!If [Prod, true, false]', expected: true, params: '  Env: {Type: String, Default: prod}\n', conditions: '  Prod: !Equals [!Ref Env, prod]\n' },
    { name: 'a word that is not a boolean', yaml: 'maybe', expected: 'error: expected a boolean (true/false), got "maybe"' },
  ];
  for (const v of values) {
    it(`IsMultiRegionTrail from ${v.name}`, async () => {
      const extra = (v.params ? `Parameters:\n${v.params}` : '') + (v.conditions ? `Conditions:\n${v.conditions}` : '');
      const s = await collectOne(
        yamlTemplate(
          `  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: my-logs
      IsMultiRegionTrail: ${v.yaml}
`,
          extra,
        ),
      );
      const f = entity(s, 'trail', 'Trail').multiRegion;
      if (typeof v.expected === 'boolean') {
        assert.equal(f.value, v.expected);
        assert.deepEqual(errors(s), []);
      } else if (v.expected.startsWith('unknown: ')) {
        assert.ok(isUnknown(f.value) && f.value.unknown.includes(v.expected.slice(9)), JSON.stringify(f.value));
        assert.deepEqual(errors(s), []);
      } else {
        assert.ok(isUnknown(f.value));
        const errs = errors(s);
        assert.equal(errs.length, 1);
        assert.match(errs[0], /^\d+:\d+ Resources\.Trail\.Properties\.IsMultiRegionTrail: expected a boolean/);
      }
      assert.equal(f.defaulted, undefined);
    });
  }

  const logGroups = [
    { name: 'GetAtt', yaml: '!GetAtt LG.Arn', expected: { ref: 'LG' } },
    { name: 'Sub of one reference', yaml: "!Sub '${LG.Arn}'", expected: { ref: 'LG' } },
    { name: 'literal ARN', yaml: 'arn:aws:logs:eu-central-1:111122223333:log-group:ct:*', expected: { name: 'arn:aws:logs:eu-central-1:111122223333:log-group:ct:*' } },
    { name: 'Sub with account and region', yaml: "!Sub 'arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:ct:*'", expected: 'unknown' },
  ];
  for (const lg of logGroups) {
    it(`CloudWatchLogsLogGroupArn as ${lg.name}`, async () => {
      const s = await collectOne(
        yamlTemplate(`  LG:
    Type: AWS::Logs::LogGroup
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: my-logs
      CloudWatchLogsLogGroupArn: ${lg.yaml}
`),
      );
      const f = entity(s, 'trail', 'Trail').logGroup;
      if (lg.expected === 'unknown') assert.ok(isUnknown(f.value) && /AWS::Region/.test(f.value.unknown), JSON.stringify(f.value));
      else assert.deepEqual(f.value, lg.expected);
      assert.equal(f.at.line, 10);
    });
  }

  const selectors = [
    { name: 'no management events', yaml: 'EventSelectors: [{IncludeManagementEvents: false}]', expected: false },
    { name: 'read-only management events', yaml: 'EventSelectors: [{ReadWriteType: ReadOnly}]', expected: false },
    { name: 'write-only management events', yaml: 'EventSelectors: [{ReadWriteType: WriteOnly}]', expected: true },
    { name: 'a data-only and a management selector', yaml: 'EventSelectors: [{IncludeManagementEvents: false}, {ReadWriteType: All}]', expected: true },
    { name: 'an empty list (CloudTrail default)', yaml: 'EventSelectors: []', expected: true },
    { name: 'advanced: management', yaml: 'AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Management]}]}]', expected: true },
    { name: 'advanced: data events only', yaml: 'AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Data]}, {Field: resources.type, Equals: ["AWS::S3::Object"]}]}]', expected: false },
    { name: 'advanced: read-only management', yaml: 'AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Management]}, {Field: readOnly, Equals: ["true"]}]}]', expected: false },
    { name: 'advanced: write management', yaml: 'AdvancedEventSelectors: [{FieldSelectors: [{Field: eventCategory, Equals: [Management]}, {Field: readOnly, Equals: ["false"]}]}]', expected: true },
    { name: 'selectors from an unknown parameter', yaml: 'EventSelectors: [{IncludeManagementEvents: !Ref AWS::StackName}]', expected: 'unknown' },
  ];
  for (const sel of selectors) {
    it(`management events: ${sel.name}`, async () => {
      const s = await collectOne(
        yamlTemplate(`  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: my-logs
      ${sel.yaml}
`),
      );
      const f = entity(s, 'trail', 'Trail').managementEvents;
      if (sel.expected === 'unknown') assert.ok(isUnknown(f.value));
      else assert.equal(f.value, sel.expected);
      assert.equal(f.at.line, 8);
    });
  }
});

describe('resource Condition', () => {
  const table = [
    { name: 'false: the resource is not created', env: 'test', expected: 0, warning: false },
    { name: 'true: the resource is created', env: 'prod', expected: 1, warning: false },
    { name: 'unknown: kept, with a warning', env: '', expected: 1, warning: true },
  ];
  for (const t of table) {
    it(t.name, async () => {
      const param = t.env ? `{Type: String, Default: ${t.env}}` : '{Type: String}';
      const s = await collectOne(
        yamlTemplate(
          `  Topic:
    Type: AWS::SNS::Topic
    Condition: Prod
`,
          `Parameters:\n  Env: ${param}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n`,
        ),
      );
      assert.equal(ofType(s, 'sns-topic').length, t.expected);
      assert.equal(
        s.problems.some((p) => p.level === 'warning' && /exists only when condition "Prod" holds/.test(p.message)),
        t.warning,
      );
    });
  }
});

describe('AWS::S3::Bucket and its public-access block', () => {
  it('a partial PublicAccessBlockConfiguration: missing flags are false, located at the block', async () => {
    const s = await collectOne(
      yamlTemplate(`  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: trail-logs
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
`),
    );
    const b = entity(s, 'bucket', 'Logs');
    assert.equal(b.name.value, 'trail-logs');
    const pab = entity(s, 'public-access-block', 'Logs/PublicAccessBlockConfiguration');
    assert.deepEqual(pab.bucket?.value, { ref: 'Logs' });
    assert.equal(pab.scope, 'bucket');
    assert.deepEqual(
      [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets].map((f) => [f.value, f.defaulted ?? false, f.at.line]),
      [
        [true, false, 8],
        [false, true, 8],
        [false, true, 8],
        [false, true, 8],
      ],
    );
  });

  it('without PublicAccessBlockConfiguration there is no block entity', async () => {
    const s = await collectOne(yamlTemplate('  Logs:\n    Type: AWS::S3::Bucket\n'));
    assert.equal(ofType(s, 'public-access-block').length, 0);
    const b = entity(s, 'bucket', 'Logs');
    assert.ok(isUnknown(b.name.value) && b.name.defaulted);
    assert.deepEqual([b.objectLock?.value, b.publicByAcl?.value, b.publicByPolicy?.value], [false, false, false]);
  });

  it('a block that depends on an unknown condition has unknown flags', async () => {
    const s = await collectOne(
      yamlTemplate(
        `  Logs:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration: !If
        - Locked
        - {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
        - !Ref AWS::NoValue
`,
        'Parameters:\n  Mode: {Type: String}\nConditions:\n  Locked: !Equals [!Ref Mode, locked]\n',
      ),
    );
    const pab = entity(s, 'public-access-block', 'Logs/PublicAccessBlockConfiguration');
    for (const f of [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets]) {
      assert.ok(isUnknown(f.value) && /condition "Locked"/.test(f.value.unknown), JSON.stringify(f.value));
    }
  });

  it('a block chosen by a known condition is read through the If', async () => {
    const s = await collectOne(
      yamlTemplate(
        `  Logs:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration: !If [Locked, {BlockPublicAcls: true, BlockPublicPolicy: true}, !Ref AWS::NoValue]
`,
        'Parameters:\n  Mode: {Type: String, Default: locked}\nConditions:\n  Locked: !Equals [!Ref Mode, locked]\n',
      ),
    );
    const pab = entity(s, 'public-access-block', 'Logs/PublicAccessBlockConfiguration');
    assert.deepEqual([pab.blockPublicAcls.value, pab.blockPublicPolicy.value, pab.ignorePublicAcls.value, pab.restrictPublicBuckets.value], [true, true, false, false]);
  });

  const acls = [
    { acl: 'PublicRead', expected: true },
    { acl: 'PublicReadWrite', expected: true },
    { acl: 'AuthenticatedRead', expected: true },
    { acl: 'Private', expected: false },
    { acl: 'LogDeliveryWrite', expected: false },
  ];
  for (const a of acls) {
    it(`AccessControl ${a.acl} → publicByAcl ${a.expected}`, async () => {
      const s = await collectOne(yamlTemplate(`  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: ${a.acl}\n`));
      const f = entity(s, 'bucket', 'Logs').publicByAcl;
      assert.equal(f?.value, a.expected);
      assert.equal(f?.at.line, 6);
    });
  }

  const locks = [
    { name: 'ObjectLockEnabled: true', yaml: 'ObjectLockEnabled: true', expected: true },
    { name: 'ObjectLockConfiguration Enabled', yaml: 'ObjectLockConfiguration: {ObjectLockEnabled: Enabled}', expected: true },
    { name: 'ObjectLockEnabled: false', yaml: 'ObjectLockEnabled: false', expected: false },
  ];
  for (const l of locks) {
    it(`object lock from ${l.name}`, async () => {
      const s = await collectOne(yamlTemplate(`  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      ${l.yaml}\n`));
      assert.equal(entity(s, 'bucket', 'Logs').objectLock?.value, l.expected);
    });
  }
});

describe('AWS::S3::BucketPolicy → publicByPolicy', () => {
  const statements = [
    { name: 'Allow to "*" without condition', st: '{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*"}', expected: true },
    { name: 'Allow to AWS "*" in a list', st: '{Effect: Allow, Principal: {AWS: ["arn:aws:iam::111122223333:root", "*"]}, Action: s3:GetObject, Resource: "*"}', expected: true },
    { name: 'Allow with NotPrincipal', st: '{Effect: Allow, NotPrincipal: {AWS: "arn:aws:iam::111122223333:root"}, Action: s3:GetObject, Resource: "*"}', expected: true },
    { name: 'Allow to "*" pinned by aws:SourceAccount', st: '{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*", Condition: {StringEquals: {"aws:SourceAccount": !Ref AWS::AccountId}}}', expected: false },
    { name: 'Allow to "*" pinned by aws:PrincipalOrgID', st: '{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*", Condition: {StringEquals: {"aws:PrincipalOrgID": o-abc}}}', expected: false },
    { name: 'Allow to "*" with a negated condition', st: '{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*", Condition: {StringNotEquals: {"aws:SourceAccount": "111122223333"}}}', expected: true },
    { name: 'Allow to "*" from 0.0.0.0/0', st: '{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*", Condition: {IpAddress: {"aws:SourceIp": 0.0.0.0/0}}}', expected: true },
    { name: 'Allow to "*" with an unrelated condition', st: '{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*", Condition: {Bool: {"aws:SecureTransport": "true"}}}', expected: true },
    { name: 'Deny to "*"', st: '{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*", Condition: {Bool: {"aws:SecureTransport": "false"}}}', expected: false },
    { name: 'Allow to a service', st: '{Effect: Allow, Principal: {Service: cloudtrail.amazonaws.com}, Action: s3:PutObject, Resource: "*"}', expected: false },
    { name: 'Allow to an unknown principal', st: '{Effect: Allow, Principal: {AWS: !Ref Reader}, Action: s3:GetObject, Resource: "*"}', expected: 'unknown' },
  ];
  for (const t of statements) {
    it(t.name, async () => {
      const s = await collectOne(
        yamlTemplate(
          `  Logs:
    Type: AWS::S3::Bucket
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - ${t.st}
`,
          'Parameters:\n  Reader: {Type: String}\n',
        ),
      );
      const f = entity(s, 'bucket', 'Logs').publicByPolicy;
      if (t.expected === 'unknown') assert.ok(isUnknown(f?.value), JSON.stringify(f));
      else assert.equal(f?.value, t.expected);
      assert.deepEqual([f?.at.line, f?.defaulted], [12, undefined]);
      assert.deepEqual(errors(s), []);
    });
  }

  it('a policy naming the bucket literally applies to it; a public one wins over a private one', async () => {
    const s = await collectOne(
      yamlTemplate(`  Logs:
    Type: AWS::S3::Bucket
    Properties: {BucketName: trail-logs}
  Private:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: trail-logs
      PolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: cloudtrail.amazonaws.com}, Action: s3:PutObject, Resource: "*"}]}
  Public:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: trail-logs
      PolicyDocument: {Statement: {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*"}}
  Private2:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: trail-logs
      PolicyDocument: {Statement: []}
`),
    );
    const f = entity(s, 'bucket', 'Logs').publicByPolicy;
    assert.equal(f?.value, true);
    assert.equal(f?.at.line, 15);
  });

  it('a policy for a bucket not in the templates is reported', async () => {
    const s = await collectOne(
      yamlTemplate(`  Elsewhere:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: someone-elses-bucket
      PolicyDocument: {Statement: []}
`),
    );
    assert.ok(s.problems.some((p) => p.level === 'warning' && /applies to someone-elses-bucket, which is not a bucket defined/.test(p.message)));
  });
});

describe('log groups, metric filters, alarms, topics', () => {
  const chain = yamlTemplate(`  LG:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/cloudtrail/x
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref LG
      FilterPattern: '{$.userIdentity.type = Root}'
      MetricTransformations:
        - {MetricName: RootUsage, MetricNamespace: CIS, MetricValue: '1'}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
      Subscription:
        - {Protocol: email, Endpoint: a@example.com}
        - {Protocol: https, Endpoint: 'https://hooks.example.com/x'}
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: root-usage
      MetricName: RootUsage
      Namespace: CIS
      AlarmActions: [!Ref Topic, 'arn:aws:sns:eu-central-1:111122223333:pager']
  MathAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      ActionsEnabled: false
      Metrics:
        - {Id: e1, Expression: 'm1 * 2'}
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: sqs
      Endpoint: !Sub 'arn:aws:sqs:\${AWS::Region}:\${AWS::AccountId}:q'
`);

  it('normalises the whole alarm chain with links and lines', async () => {
    const s = await collectOne(chain);
    assert.deepEqual(errors(s), []);
    assert.equal(entity(s, 'log-group', 'LG').name.value, '/aws/cloudtrail/x');
    const f = entity(s, 'metric-filter', 'Filter');
    assert.deepEqual([f.logGroup.value, f.pattern.value, f.metrics.value], [{ ref: 'LG' }, '{$.userIdentity.type = Root}', [{ name: 'RootUsage', namespace: 'CIS' }]]);
    assert.deepEqual([f.at.line, f.pattern.at.line, f.metrics.at.line], [7, 11, 13]);
    const a = entity(s, 'alarm', 'Alarm');
    assert.deepEqual([a.name.value, a.metricName.value, a.namespace.value, a.actions.value, a.actionsEnabled.value, a.actionsEnabled.defaulted], [
      'root-usage',
      'RootUsage',
      'CIS',
      [{ ref: 'Topic' }, { name: 'arn:aws:sns:eu-central-1:111122223333:pager' }],
      true,
      true,
    ]);
    const m = entity(s, 'alarm', 'MathAlarm');
    assert.deepEqual([m.metricName.value, m.namespace.value, m.actions.value, m.actionsEnabled.value], [null, null, [], false]);
    assert.equal(entity(s, 'sns-topic', 'Topic').name.value, 'alerts');
    const subs = ofType(s, 'sns-subscription');
    assert.deepEqual(
      subs.map((x) => [x.id, x.topic.value, x.protocol.value, x.at.line]),
      [
        ['Topic/Subscription[0]', { ref: 'Topic' }, 'email', 19],
        ['Topic/Subscription[1]', { ref: 'Topic' }, 'https', 20],
        ['Sub', { ref: 'Topic' }, 'sqs', 34],
      ],
    );
    assert.ok(!JSON.stringify(s).includes('a@example.com'), 'subscription endpoints are not copied into entities');
  });

  const broken = [
    { name: 'a metric filter without FilterPattern', yaml: '  F:\n    Type: AWS::Logs::MetricFilter\n    Properties:\n      LogGroupName: x\n      MetricTransformations: [{MetricName: a, MetricNamespace: b, MetricValue: "1"}]\n', error: /FilterPattern is required on AWS::Logs::MetricFilter/ },
    { name: 'a metric transformation without namespace', yaml: '  F:\n    Type: AWS::Logs::MetricFilter\n    Properties:\n      LogGroupName: x\n      FilterPattern: y\n      MetricTransformations: [{MetricName: a, MetricValue: "1"}]\n', error: /MetricTransformations\[0\]: expected a metric transformation with MetricName and MetricNamespace/ },
    { name: 'an alarm with neither MetricName nor Metrics', yaml: '  A:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      AlarmActions: []\n', error: /MetricName \(or Metrics\) is required/ },
    { name: 'a subscription without TopicArn', yaml: '  S:\n    Type: AWS::SNS::Subscription\n    Properties:\n      Protocol: email\n', error: /TopicArn is required on AWS::SNS::Subscription/ },
    { name: 'Properties that are not a mapping', yaml: '  T:\n    Type: AWS::SNS::Topic\n    Properties: [a]\n', error: /Resources\.T\.Properties: expected a mapping/ },
    { name: 'a resource without Type', yaml: '  T:\n    Properties: {}\n', error: /Resources\.T: expected a Type/ },
  ];
  for (const b of broken) {
    it(`reports ${b.name}`, async () => {
      const s = await collectOne(yamlTemplate(b.yaml));
      const errs = errors(s);
      assert.ok(errs.some((e) => b.error.test(e)), errs.join('\n'));
      assert.ok(errs.every((e) => /^\d+:\d+ /.test(e)), 'every error has a line and column');
    });
  }

  it('keeps the resolvable alarm actions and reports the one it cannot resolve', async () => {
    const s = await collectOne(
      yamlTemplate(`  Topic:
    Type: AWS::SNS::Topic
  A:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: m
      Namespace: n
      AlarmActions: [!Ref Topic, !ImportValue pager-topic]
`),
    );
    assert.deepEqual(entity(s, 'alarm', 'A').actions.value, [{ ref: 'Topic' }]);
    assert.ok(s.problems.some((p) => p.level === 'warning' && /an alarm action cannot be resolved: Fn::ImportValue "pager-topic"/.test(p.message)));
  });

  it('alarm actions that are all unknown give unknown', async () => {
    const s = await collectOne(
      yamlTemplate(`  A:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: m
      Namespace: n
      AlarmActions: [!ImportValue pager-topic]
`),
    );
    assert.ok(isUnknown(entity(s, 'alarm', 'A').actions.value));
  });
});

describe('JSON templates', () => {
  it('locates resources and properties by line and column', async () => {
    const json = JSON.stringify(
      {
        Resources: {
          Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
          Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'm', Namespace: 'n', AlarmActions: [{ Ref: 'Topic' }] } },
        },
      },
      null,
      2,
    );
    const s = await collectOne(json, 'stack.template.json');
    const a = entity(s, 'alarm', 'Alarm');
    const lines = json.split('\n');
    assert.equal(a.at.line, lines.findIndex((l) => l.includes('"Alarm"')) + 1);
    assert.equal(a.at.column, 5);
    assert.equal(a.actions.at.line, lines.findIndex((l) => l.includes('"AlarmActions"')) + 1);
    assert.deepEqual(a.actions.value, [{ ref: 'Topic' }]);
    assert.equal(valueOf(entity(s, 'sns-topic', 'Topic').name), 'alerts');
  });
});

describe('Properties as a whole', () => {
  it('an error inside a property is reported once', async () => {
    const s = await collectOne(
      yamlTemplate(`  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Nope
`),
    );
    assert.deepEqual(errors(s), ['7:21 Resources.Trail.Properties.S3BucketName: Ref to "Nope", which is neither a parameter nor a resource of this template']);
  });

  it('an error inside a list element is reported once', async () => {
    const s = await collectOne(
      yamlTemplate(`  A:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: m
      Namespace: n
      AlarmActions: [!Ref Nope]
`),
    );
    assert.deepEqual(errors(s), ['8:22 Resources.A.Properties.AlarmActions[0]: Ref to "Nope", which is neither a parameter nor a resource of this template']);
  });

  it('Properties chosen by an unknown condition make every field unknown, not defaulted', async () => {
    const s = await collectOne(
      yamlTemplate(
        `  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: !If
      - Full
      - {IsLogging: true, S3BucketName: a, IsMultiRegionTrail: true}
      - {IsLogging: true, S3BucketName: a}
`,
        'Parameters:\n  Mode: {Type: String}\nConditions:\n  Full: !Equals [!Ref Mode, full]\n',
      ),
    );
    const t = entity(s, 'trail', 'Trail');
    for (const f of [t.multiRegion, t.logging, t.bucket, t.logFileValidation]) {
      assert.ok(isUnknown(f.value) && /condition "Full"/.test(f.value.unknown), JSON.stringify(f));
      assert.equal(f.defaulted, undefined);
    }
    assert.deepEqual(errors(s), []);
  });

  it('Properties chosen by a known condition are read through the If', async () => {
    const s = await collectOne(
      yamlTemplate(
        `  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: !If
      - Full
      - {IsLogging: true, S3BucketName: a, IsMultiRegionTrail: true}
      - {IsLogging: true, S3BucketName: a}
`,
        'Parameters:\n  Mode: {Type: String, Default: full}\nConditions:\n  Full: !Equals [!Ref Mode, full]\n',
      ),
    );
    const t = entity(s, 'trail', 'Trail');
    assert.deepEqual([t.multiRegion.value, t.logFileValidation.value, t.logFileValidation.defaulted, t.bucket.value], [true, false, true, { name: 'a' }]);
  });
});

describe('pseudo parameters', () => {
  it('given account and region resolve references and label every entity', async () => {
    const dir = await tempTree({
      't.yaml': yamlTemplate(`  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub 'trail-\${AWS::AccountId}-\${AWS::Region}'
      PublicAccessBlockConfiguration: {BlockPublicAcls: true}
`),
    });
    const [s] = await collectCloudFormation({ paths: ['t.yaml'], baseDir: dir, pseudoParameters: { 'AWS::AccountId': '111122223333', 'AWS::Region': 'eu-central-1' } });
    assert.equal(entity(s, 'bucket', 'Logs').name.value, 'trail-111122223333-eu-central-1');
    assert.deepEqual(
      s.entities.map((e) => [e.id, e.account, e.region]),
      [
        ['Logs', '111122223333', 'eu-central-1'],
        ['Logs/PublicAccessBlockConfiguration', '111122223333', 'eu-central-1'],
      ],
    );
  });
});

describe('Fn::ForEach', () => {
  it('a ForEach block in Resources is reported as not analysed, not as a broken resource', async () => {
    const s = await collectOne(
      yamlTemplate(
        `  Fn::ForEach::Topics:
    - Name
    - [A, B]
    - Topic\${Name}:
        Type: AWS::SNS::Topic
`,
        'Transform: AWS::LanguageExtensions\n',
      ),
    );
    assert.deepEqual(s.problems.map((p) => [p.level, p.location?.line, p.message]), [['warning', 4, 'Resources.Fn::ForEach::Topics: resources generated by Fn::ForEach are not expanded or analysed']]);
    assert.deepEqual(s.entities, []);
  });
});
