/**
 * The key apps are indexed under for webhook routing. A webhook names its repository in one form
 * (https clone URL, ssh URL, scp-like `git@host:org/repo`), the Application in another, so the
 * key keeps only what Argo CD's webhook matching compares: host and path, case-insensitively,
 * without scheme, user, port, a trailing `.git` or slash.
 */
export function repoKey(repoUrl: string): string {
  let rest = repoUrl.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
  } else {
    // scp-like syntax: user@host:path (no scheme, the first colon separates host and path)
    const scp = /^([^/@:]+@)?([^/:]+):(?!\d+\/)(.*)$/.exec(rest);
    if (scp) rest = `${scp[2]}/${scp[3]}`;
  }
  const at = rest.indexOf('@');
  const slash = rest.indexOf('/');
  if (at >= 0 && (slash < 0 || at < slash)) rest = rest.slice(at + 1);
  const firstSlash = rest.indexOf('/');
  const host = (firstSlash < 0 ? rest : rest.slice(0, firstSlash)).replace(/:\d*$/, '');
  let path = firstSlash < 0 ? '' : rest.slice(firstSlash + 1);
  path = path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  return path === '' ? host : `${host}/${path}`;
}
