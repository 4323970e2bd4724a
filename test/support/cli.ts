// Spawns the CLI as a user runs it — the compiled bin/evidence-pack.js (`npm test` builds dist/ first) —
// capturing exit code, stdout and stderr.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/evidence-pack.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))) {
  throw new Error('dist/ is missing: run the tests with `npm test` (it builds first) or run `npm run build`');
}

/** The command line that starts the CLI: [node, bin/evidence-pack.js]. */
export const CLI = [process.execPath, BIN];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const env = { ...process.env, NO_COLOR: '1', ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const r = spawnSync(CLI[0], [CLI[1], ...args], { cwd: opts.cwd ?? process.cwd(), env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** As `cli`, without blocking this process: for tests whose servers (a TSA on loopback) run in the test process. */
export function cliAsync(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const env = { ...process.env, NO_COLOR: '1', ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolve) => {
    execFile(CLI[0], [CLI[1], ...args], { cwd: opts.cwd ?? process.cwd(), env: env as NodeJS.ProcessEnv, encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
