#!/usr/bin/env node
// Entry point installed as `evidence-pack`: runs the compiled CLI (built by `npm ci` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write('evidence-pack: the compiled CLI is missing (dist/). Run `npm ci` or `npm run build` first.\n');
  process.exit(2);
}
const { main } = await import(compiled.href);
process.exitCode = await main(process.argv);
