/**
 * Does an Application's `repoURL` name the repository a hook came from? Argo CD answers with a
 * pattern built from the payload's web URL (`GetWebURLRegex` in util/webhook): case-insensitive;
 * optional `http`/`https`/`ssh` scheme; optional user; optional `ssh.` or `altssh.` subdomain; the
 * host; optional port; `:` or `/`; the path; optional `.git`. So `https://github.com/o/r`,
 * `git@github.com:o/r.git`, `ssh://git@ssh.github.com:443/o/r` and `HTTPS://GitHub.com/O/R.git`
 * all match `https://github.com/o/r`, while another host or path never does.
 */

/** Argo CD's `usernameRegex` (RFC 3986 user info as shadow's chkname allows it). */
const USERNAME = String.raw`[\w.][\w.-]{0,30}[\w.$-]?`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A matcher for every spelling of the repository whose web page is `webURL`; undefined if unparsable. */
export function repoURLMatcher(webURL: string): ((repoURL: string) => boolean) | undefined {
  let url: URL;
  try {
    url = new URL(webURL);
  } catch {
    return undefined;
  }
  const host = escapeRegExp(url.hostname);
  const path = escapeRegExp(url.pathname.slice(1));
  const pattern = new RegExp(
    `^((https?|ssh)://)?(${USERNAME}@)?((alt)?ssh\\.)?${host}(:\\d+)?[:/]${path}(\\.git)?$`,
    'i',
  );
  return (repoURL) => pattern.test(repoURL);
}

/**
 * The web URL of a clone URL, for callers that name a repository by how they clone it (the
 * generic refresh endpoint, the configuration repository): scheme, user, port, `.git` and a
 * trailing `/` dropped; scp-style `git@host:path` understood.
 */
export function webURLOf(repoURL: string): string | undefined {
  const trimmed = repoURL.trim();
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(trimmed);
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    host = scp[1] ?? '';
    path = scp[2] ?? '';
  } else {
    try {
      const url = new URL(trimmed);
      host = url.hostname;
      path = url.pathname;
    } catch {
      return undefined;
    }
  }
  const cleanPath = path
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '');
  if (!host || !cleanPath) return undefined;
  return `https://${host.replace(/^(alt)?ssh\./i, '')}/${cleanPath}`;
}
