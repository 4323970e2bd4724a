// Runs a command as an unprivileged user, so that "unreadable" means unreadable: root ignores chmod 000.
// As root (CI) it goes through setpriv to uid/gid 65534; without setpriv it throws — such rows must fail, never skip.

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const NOBODY = 65534;

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The command prefix that drops privileges ([] when the tests already run unprivileged). */
export function unprivilegedPrefix(): string[] {
  if (!isRoot()) return [];
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the tests run as root and setpriv (util-linux) is missing: unreadable-file rows cannot be tested (install util-linux)');
  }
  return ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
}

/** Gives a tree to the unprivileged user (as root; a no-op otherwise), so that it can read and write it. */
export function giveToUnprivileged(dir: string): void {
  if (!isRoot()) return;
  const walk = (p: string) => {
    chownSync(p, NOBODY, NOBODY);
    if (lstatSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
}

/** Proves the drop works here: the unprivileged user cannot read a file of mode 000. */
export function assertDropWorks(file: string): void {
  const [cmd, ...args] = [...unprivilegedPrefix(), 'cat', file];
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status === 0) throw new Error(`${file} (mode 000) was readable as the unprivileged user: the unreadable rows would prove nothing`);
}
