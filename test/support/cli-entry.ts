// Runs the CLI from source (tests): `node --import tsx test/support/cli-entry.ts <args>`.
import { main } from '../../src/cli/main.js';
process.exitCode = await main(process.argv);
