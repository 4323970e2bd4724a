// Git's refusals said as what they are: a repository owned by another user is "dubious ownership", not "no repository".

import { EvidencePackError, messageOf } from '../errors.js';

/** The user error for git refusing a repository owned by another user (CVE-2022-24765), or undefined. */
export function dubiousOwnership(e: unknown, what: string): EvidencePackError | undefined {
  const m = /dubious ownership in repository at '([^']+)'/.exec(messageOf(e));
  if (!m) return undefined;
  return new EvidencePackError('INPUT_INVALID', `git refuses to read ${what} ${m[1]}: it is owned by another user ("dubious ownership")`, {
    hint: `if you trust it, run: git config --global --add safe.directory '${m[1]}'  (or run evidence-pack as the repository's owner)`,
  });
}
