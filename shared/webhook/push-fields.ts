/**
 * What GitHub and GitLab push payloads share: a full ref name and commits that each list the
 * files they added, modified and removed.
 */
import type { JsonObject, PayloadFields } from './payload-fields.js';
import type { GitRef } from './webhook-types.js';

export function gitRef(full: string): GitRef {
  if (full.startsWith('refs/heads/')) return { type: 'branch', name: full.slice('refs/heads/'.length), full };
  if (full.startsWith('refs/tags/')) return { type: 'tag', name: full.slice('refs/tags/'.length), full };
  return { type: 'other', name: full, full };
}

/** Files touched by any of the commits, in first-seen order, each once. */
export function unionOfChangedFiles(
  fields: PayloadFields,
  path: string,
  commits: readonly JsonObject[],
): string[] {
  const files = new Set<string>();
  commits.forEach((commit, index) => {
    const commitFields = fields.child(`${path}[${index}]`, commit);
    for (const key of ['added', 'modified', 'removed']) {
      for (const file of commitFields.strings(key)) files.add(file);
    }
  });
  return [...files];
}
