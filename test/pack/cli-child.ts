// Runs the keygen and verify commands as a real process (the lead's main.ts registers them the same way).

import { Command, CommanderError } from 'commander';
import { register as registerKeygen } from '../../src/cli/commands/keygen.js';
import { register as registerVerify } from '../../src/cli/commands/verify.js';
import { makeOut, reportError } from '../../src/cli/output.js';

const program = new Command('evidence-pack').exitOverride();
registerKeygen(program);
registerVerify(program);
for (const c of program.commands) c.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = e instanceof CommanderError ? (e.code === 'commander.helpDisplayed' ? 0 : 2) : reportError(makeOut(), e);
}
