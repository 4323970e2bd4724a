// `evidence-pack iam-policy`: prints the least-privilege read-only IAM policy the live AWS collectors need.

import type { Command } from 'commander';
import { iamPolicy } from '../../collect/aws/policy.js';
import { EvidencePackError } from '../../errors.js';

export function register(program: Command): void {
  program
    .command('iam-policy')
    .description('print the least-privilege read-only IAM policy for live AWS evidence (generated from the calls the collectors make)')
    .option('--role-name <name>', 'also print the caller policy that assumes this role in each account')
    .option('--organization', 'the caller lists the organisation\'s accounts (aws.accounts: organization)')
    .option('--no-lake', 'leave out CloudTrail Lake (StartQuery, GetQueryResults)')
    .addHelpText(
      'after',
      `
The read policy goes on the role named by aws.assumeRole.roleName in every account (or on the identity that
runs the tool). Every action is a read; none returns a secret value (Secrets Manager DescribeSecret only).

Example:
  $ evidence-pack iam-policy --role-name EvidencePackReadOnly --organization > policy.json`,
    )
    .action((opts: { roleName?: string; organization?: boolean; lake: boolean }) => {
      if (opts.roleName !== undefined && !/^[\w+=,.@/-]{1,64}$/.test(opts.roleName)) {
        throw new EvidencePackError('USAGE', `--role-name "${opts.roleName}" is not an IAM role name`, { hint: 'letters, digits and +=,.@_-/ (at most 64)' });
      }
      const p = iamPolicy({ roleName: opts.roleName, organization: opts.organization, lake: opts.lake });
      process.stdout.write(JSON.stringify(p.caller ? { read: p.read, caller: p.caller } : p.read, null, 2) + '\n');
    });
}
