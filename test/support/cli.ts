// Spawns the CLI from source as a user would run it, capturing exit code, stdout and stderr.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const env = { ...process.env, NO_COLOR: '1', ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: opts.cwd ?? process.cwd(), env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
