// What shell completion offers for an option's value or an argument, declared next to the option itself.

import type { Argument, Option } from 'commander';

/**
 * `file` / `dir`: paths; `none`: free text (nothing is offered); a list: these words; a function: words computed
 * when the script is generated (e.g. the check ids). `list: true` values are comma-separated (`--format a,b`).
 */
export type ValueSource = 'file' | 'dir' | 'none' | readonly string[] | (() => readonly string[]);
export interface Completion {
  values: ValueSource;
  list?: boolean;
}

const KEY = Symbol('evidence-pack.completion');
type Completable = (Option | Argument) & { [KEY]?: Completion };

/** Records what completion offers for this option or argument; returns it for chaining into addOption/addArgument. */
export function completes<T extends Option | Argument>(target: T, values: ValueSource, opts: { list?: boolean } = {}): T {
  (target as Completable)[KEY] = { values, ...opts };
  return target;
}

/** The declared completion of an option or argument; an undeclared value is a path (the shell's default). */
export function completionOf(target: Option | Argument): Completion {
  return (target as Completable)[KEY] ?? { values: 'file' };
}

/** The words of a completion, or the path kind. */
export function wordsOf(c: Completion): readonly string[] | 'file' | 'dir' | 'none' {
  return typeof c.values === 'function' ? c.values() : c.values;
}
