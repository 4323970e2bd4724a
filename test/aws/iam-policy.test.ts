// `iam-policy` covers exactly the calls the collectors make: the policy, the registry and the mocks' received commands agree.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collectAws } from '../../src/collect/aws/collect.js';
import { AWS_CALLS, AwsCaller, CALLER_ONLY, type AwsCall } from '../../src/collect/aws/calls.js';
import { runLakeQueries } from '../../src/collect/aws/lake.js';
import { collectCloudTrailAthena } from '../../src/collect/cloudtrail/athena.js';
import { iamPolicy } from '../../src/collect/aws/policy.js';
import { startMoto, type Moto } from '../support/moto.js';
import { buildWorld, CALLER, compliantAccount, HOME, type World } from '../support/aws-world.js';
import { iamActionOf, type PolicyDocument } from '../support/aws-wire.js';
import { awsConfig, breakGlass, NOW, QUARTER } from './helpers.js';
import { cli } from '../support/cli.js';

let moto: Moto;
let world: World;
before(async () => {
  moto = await startMoto();
  world = await buildWorld(moto, { caller: compliantAccount({ roles: [{ name: 'BreakGlassAudit', mfa: true, maxSessionDuration: 3600 }, { name: 'BreakGlassAdmin', mfa: true, maxSessionDuration: 3600 }] }), members: [compliantAccount()] });
  world.state.lake.eventDataStores.push('EXAMPLE-f852-4e8f');
});
after(async () => {
  await moto?.stop();
});

/** Everything enabled: organisation discovery, assumed roles, literal and glob roles, users, secrets, LookupEvents, Lake. */
async function everyCall(policy?: PolicyDocument): Promise<{ recorded: Set<string>; received: Set<string>; failed: string[] }> {
  const wire = world.wire({ policy: policy && (() => policy) });
  const clients = world.clients(wire);
  const live = await collectAws({ config: awsConfig({ accounts: 'organization', assumeRole: { roleName: 'EvidencePackReadOnly' } }), breakGlass, period: QUARTER, clients, now: NOW, lookupEvents: true });
  const caller = new AwsCaller();
  await runLakeQueries({ caller, client: clients('cloudtrail', HOME), where: { account: CALLER, region: HOME }, eventDataStore: 'EXAMPLE-f852-4e8f', period: QUARTER });
  await collectCloudTrailAthena({ breakGlass, period: QUARTER, athena: { client: clients('athena', HOME), caller, where: { account: CALLER, region: HOME }, config: { workgroup: 'primary', database: 'security', table: 'cloudtrail_logs' }, pollIntervalMs: 0 } });
  await wire.close();
  const failed = [...live.calls, ...caller.calls].filter((c) => !c.ok && c.error?.code !== 'NoSuchEntity').map((c) => `${c.api}: ${c.error?.code}`);
  const recorded = new Set([...live.calls, ...caller.calls].map((c) => c.api));
  // What actually reached the wire, named the same way (service:Operation).
  const received = new Set(wire.received.map((o) => o.api));
  assert.ok(live.accounts.some((a) => a.account === world.members[0]));
  return { recorded, received, failed };
}

let unrestricted: ReturnType<typeof everyCall> | undefined;
/** The collection with no policy on the wire, made once for the tests that read it. */
const everyCallOnce = () => (unrestricted ??= everyCall());

describe('iam-policy: one source of truth', () => {
  it('the collectors make every call in AWS_CALLS, and no other', async () => {
    const { recorded, received, failed } = await everyCallOnce();
    assert.deepEqual(failed, []);
    assert.deepEqual([...recorded].sort(), Object.keys(AWS_CALLS).sort());
    assert.deepEqual([...received].sort(), [...recorded].sort(), 'every request on the wire went through the recording caller');
  });

  it('the generated policies are enough: under them (enforced on the wire) every call succeeds', async () => {
    const p = iamPolicy({ roleName: 'EvidencePackReadOnly', organization: true });
    const { failed, recorded } = await everyCall({ Version: '2012-10-17', Statement: [...p.read.Statement, ...p.caller!.Statement] });
    assert.deepEqual(failed, []);
    assert.equal(recorded.size, Object.keys(AWS_CALLS).length);
  });

  it('each call\'s IAM action in the registry is the one the Service Authorization Reference names (the wire\'s own table)', () => {
    for (const api of Object.keys(AWS_CALLS) as AwsCall[]) assert.equal(AWS_CALLS[api], iamActionOf(api), api);
  });

  it('the policies grant exactly the actions of those calls, read-only, and nothing else', async () => {
    const { recorded } = await everyCallOnce();
    const p = iamPolicy({ roleName: 'EvidencePackReadOnly', organization: true });
    // Athena reads the table definition from Glue on the caller's behalf: granted, though no call of ours names it.
    const catalog = p.read.Statement.find((s) => s.Sid === 'EvidencePackAthenaCatalog');
    assert.deepEqual(catalog?.Action, ['glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable']);
    const granted = [...p.read.Statement, ...p.caller!.Statement].filter((s) => s !== catalog).flatMap((s) => s.Action).sort();
    const needed = [...new Set([...recorded].map((c) => AWS_CALLS[c as AwsCall]))].sort();
    assert.deepEqual(granted, needed);
    assert.deepEqual(p.read.Statement[0].Action.filter((a) => !/:(Get|List|Describe|Lookup|StartQuery)/.test(a)), [], 'read policy is read-only');
    assert.ok(!p.read.Statement[0].Action.some((a) => CALLER_ONLY.map((c) => AWS_CALLS[c]).includes(a as never)), 'AssumeRole / ListAccounts only in the caller policy');
    assert.equal(p.caller!.Statement.find((s) => s.Sid === 'EvidencePackAssumeReadRole')!.Resource, 'arn:aws:iam::*:role/EvidencePackReadOnly');
    assert.ok(!p.read.Statement[0].Action.includes('secretsmanager:GetSecretValue'), 'never reads secret values');
  });

  const cases: { name: string; args: string[]; code: number; check: (out: string, err: string) => void }[] = [
    { name: 'read policy only', args: ['iam-policy'], code: 0, check: (out) => assert.deepEqual(JSON.parse(out), iamPolicy().read) },
    { name: 'with the caller policy', args: ['iam-policy', '--role-name', 'EvidencePackReadOnly', '--organization'], code: 0, check: (out) => assert.deepEqual(JSON.parse(out), iamPolicy({ roleName: 'EvidencePackReadOnly', organization: true })) },
    { name: 'without Lake', args: ['iam-policy', '--no-lake'], code: 0, check: (out) => assert.ok(!JSON.parse(out).Statement[0].Action.includes('cloudtrail:StartQuery')) },
    {
      name: 'without Athena',
      args: ['iam-policy', '--no-athena'],
      code: 0,
      check: (out) => {
        const doc = JSON.parse(out);
        assert.ok(!JSON.stringify(doc).includes('athena:') && !JSON.stringify(doc).includes('glue:'));
        assert.ok(doc.Statement[0].Action.includes('cloudtrail:StartQuery'));
      },
    },
    { name: 'bad role name: usage error, no stack trace', args: ['iam-policy', '--role-name', 'bad name!'], code: 2, check: (out, err) => { assert.equal(out, ''); assert.match(err, /--role-name "bad name!" is not an IAM role name/); assert.doesNotMatch(err, /\n\s+at /); } },
  ];
  for (const c of cases) {
    it(`evidence-pack ${c.args.join(' ')} — ${c.name}`, () => {
      const r = cli(c.args);
      assert.equal(r.code, c.code, r.stderr);
      c.check(r.stdout, r.stderr);
    });
  }
});
