/**
 * The name of a repository's directory in the object cache. `repoKey` deliberately ignores
 * scheme and port (it is the identity Argo CD's webhook matching uses), but two servers on one
 * host with different ports, or http and https endpoints, are different object stores: sharing a
 * directory would mix their refs and fetched markers. So the cache name adds both back; a port
 * equal to the scheme's default is dropped so `https://h/r` and `https://h:443/r` still share.
 */
import { createHash } from 'node:crypto';
import { repoKey } from './repo-url.js';

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ssh: '22', git: '9418' };

/** `scheme://` + repoKey with the port, when it is not the scheme's default, after the host. */
export function cacheIdentity(url: string): string {
  const key = repoKey(url);
  const spelled = SCHEME.exec(url.trim().toLowerCase());
  // scp-style `git@host:org/repo` has no scheme and no port: it is ssh on its default port.
  const scheme = spelled?.[1] ?? 'ssh';
  const authority = spelled?.[2] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port === undefined || port === DEFAULT_PORTS[scheme]) return `${scheme}://${key}`;
  const slash = key.indexOf('/');
  return slash < 0
    ? `${scheme}://${key}:${port}`
    : `${scheme}://${key.slice(0, slash)}:${port}${key.slice(slash)}`;
}

/** 32 hex digits of sha256(cacheIdentity): fixed length, no URL characters on disk. */
export function cacheDirName(url: string): string {
  return createHash('sha256').update(cacheIdentity(url)).digest('hex').slice(0, 32);
}

/** Whether a cache entry name is a repository store (and not a lock or an eviction in progress). */
export function isStoreName(name: string): boolean {
  return /^[0-9a-f]{32}$/.test(name);
}
