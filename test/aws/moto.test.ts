// The moto_server test helper: a real emulator the SDK reaches over loopback (signing, XML/JSON parsing, error codes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, CreateBucketCommand, GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

test('moto answers the SDK: a trail created through the API is described back', async () => {
  const s3 = new S3Client(moto.clientConfig('eu-west-1'));
  await s3.send(new CreateBucketCommand({ Bucket: 'trail-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const ct = new CloudTrailClient(moto.clientConfig('eu-west-1'));
  await ct.send(new CreateTrailCommand({ Name: 'org-trail', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true }));
  const out = await ct.send(new DescribeTrailsCommand({}));
  assert.deepEqual(out.trailList?.map((t) => [t.Name, t.IsMultiRegionTrail]), [['org-trail', true]]);
});

test('moto maps a missing configuration to the error AWS returns', async () => {
  const s3 = new S3Client(moto.clientConfig('eu-west-1'));
  await s3.send(new CreateBucketCommand({ Bucket: 'no-pab', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await assert.rejects(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'no-pab' })), { name: 'NoSuchPublicAccessBlockConfiguration' });
});

test('reset forgets every resource', async () => {
  await moto.reset();
  const ct = new CloudTrailClient(moto.clientConfig('eu-west-1'));
  const out = await ct.send(new DescribeTrailsCommand({}));
  assert.deepEqual(out.trailList, []);
});
