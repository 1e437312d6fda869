/**
 * Reach content ids remembered per revision. Planning a kustomize or helm render (its reach
 * walk) costs a few milliseconds against well under one for a cache lookup, and a worker asks for
 * the same app at the same revision again and again (refreshes, drift scans). A revision names
 * its content (a commit SHA, or a content hash for plain directories) and the reach is a pure
 * function of that content and the request, so the id found once holds for the revision: the
 * memo is keyed by repository, revision and every request field the plan reads. Failed plans
 * are never remembered. Bounded, oldest out, like the symlink scan's memo.
 */
import { createHash } from 'node:crypto';
import type { RenderLimits, RenderRequest, SourceType } from './types.js';

const MAX_REMEMBERED = 4_096;
const remembered = new Map<string, string>();

export interface ReachMemoKeyOptions {
  readonly request: RenderRequest;
  readonly sourceType: SourceType;
  readonly sourcePath: string;
  readonly limits: RenderLimits;
}

export function reachMemoKey(options: ReachMemoKeyOptions): string {
  const { request } = options;
  const parts = [
    request.tree.repoURL,
    request.tree.revision,
    options.sourceType,
    options.sourcePath,
    request.appName,
    request.appNamespace ?? '',
    request.destinationNamespace ?? '',
    request.kubeVersion ?? '',
    JSON.stringify(request.apiVersions ?? []),
    JSON.stringify(request.source),
    JSON.stringify(options.limits),
  ];
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

export function rememberedReachId(key: string): string | undefined {
  return remembered.get(key);
}

export function rememberReachId(key: string, contentId: string): void {
  remembered.delete(key);
  remembered.set(key, contentId);
  for (const oldest of remembered.keys()) {
    if (remembered.size <= MAX_REMEMBERED) break;
    remembered.delete(oldest);
  }
}
