// The one way a URL that may carry a secret (a token in a git remote, an API key in a TSA URL) is shown or stored.

/** The URL without user, password or query; scp-like git remotes ("git@host:org/repo") lose the user. */
export function publicUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return url.replace(/^[^@/]+@(?=[^:]+:)/, ''); // scp-like "git@host:org/repo" → "host:org/repo"
  }
}
