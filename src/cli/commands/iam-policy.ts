// `evidence-pack iam-policy`: prints the least-privilege read-only IAM policy the live AWS collectors need.

import type { Command } from 'commander';
import { iamPolicy } from '../../collect/aws/policy.js';
import { EvidencePackError } from '../../errors.js';
import { loadConfig } from '../../config/load.js';
import { kmsSigningStatement } from '../../pack/kms.js';

export function register(program: Command): void {
  program
    .command('iam-policy')
    .description('print the least-privilege read-only IAM policy for live AWS evidence (generated from the calls the collectors make)')
    .option('--role-name <name>', 'also print the caller policy that assumes this role in each account')
    .option('--organization', 'the caller lists the organisation\'s accounts (aws.accounts: organization)')
    .option('--no-lake', 'leave out CloudTrail Lake (StartQuery, GetQueryResults)')
    .option('--sign-kms-key <id>', 'add kms:GetPublicKey and kms:Sign on this AWS KMS signing key (id, ARN, alias/… or alias ARN)')
    .option('--config <file>', "add what the config's signing.kms key needs (as --sign-kms-key)")
    .option('--no-athena', 'leave out the Athena engine (StartQueryExecution, GetQueryExecution, GetQueryResults, Glue table reads)')
    .addHelpText(
      'after',
      `
The read policy goes on the role named by aws.assumeRole.roleName in every account (or on the identity that
runs the tool). Every action is a read; none returns a secret value (Secrets Manager DescribeSecret only).
When the pack is signed through AWS KMS, the identity that runs the tool also needs kms:GetPublicKey and
kms:Sign on that key: that statement goes in the caller policy (or the read policy when there is none).

Example:
  $ evidence-pack iam-policy --role-name EvidencePackReadOnly --organization > policy.json
  $ evidence-pack iam-policy --config evidence-pack.yaml     # with signing.kms: adds the KMS signing statement`,
    )
    .action((opts: { roleName?: string; organization?: boolean; lake: boolean; athena: boolean; signKmsKey?: string; config?: string }) => {
      if (opts.roleName !== undefined && !/^[\w+=,.@/-]{1,64}$/.test(opts.roleName)) {
        throw new EvidencePackError('USAGE', `--role-name "${opts.roleName}" is not an IAM role name`, { hint: 'letters, digits and +=,.@_-/ (at most 64)' });
      }
      const p = iamPolicy({ roleName: opts.roleName, organization: opts.organization, lake: opts.lake, athena: opts.athena });
      const kms = opts.signKmsKey ? { keyId: opts.signKmsKey } : opts.config ? loadConfig(opts.config).signing?.kms : undefined;
      if (kms) (p.caller ?? p.read).Statement.push(kmsSigningStatement(kms.keyId, kms.region));
      process.stdout.write(JSON.stringify(p.caller ? { read: p.read, caller: p.caller } : p.read, null, 2) + '\n');
    });
}
