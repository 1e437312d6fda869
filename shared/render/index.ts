/**
 * Rendering: turns one Application source at one revision into the Kubernetes objects Argo CD
 * would produce for it. Order of operations in renderSource:
 *   1. resolve the source path inside the tree (never above its root) and the limits;
 *   2. choose the source type (explicit block, else discovery of files in the path);
 *   3. for kustomize and helm, work out what the render can read (its reach): the kustomization
 *      graph or the chart with its value files, the whole repository only when that cannot be
 *      known; only kustomization files, Chart.yaml files and listings are read for this;
 *   4. compute the cache key from content (see render-cache.ts): the source path's id for a
 *      directory, the content of the reach for kustomize and helm (see reach-key.ts), so a
 *      commit elsewhere in a monorepo keeps the hit; the reach's id is remembered per revision
 *      (reach-id-memo.ts) so a repeated hit at one revision skips the walk; return a hit;
 *   5. render: directory (parse files here), kustomize (`kubectl kustomize`) or helm
 *      (`helm template`), both on a private copy of exactly that reach;
 *   6. flatten Lists, store in the cache, return the objects in the tool's (or walk) order.
 * Every error is a DriftlessError prefixed with `render app "<name>" at <rev>: ` and naming the
 * file or path at fault.
 */
import { posix } from 'node:path';
import { DriftlessError, isDriftlessError, messageOf } from '../errors/index.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { apiVersionsOf, appEnv, kubeVersionOf } from './app-env.js';
import { discoverSourceType, explicitSourceType } from './detect-source-type.js';
import { renderDirectory } from './directory-renderer.js';
import { type HelmPlan, planHelm, renderHelm } from './helm-renderer.js';
import { type KustomizePlan, planKustomize, renderKustomize } from './kustomize-renderer.js';
import { resolveLimits } from './limits.js';
import { reachMemoKey, rememberedReachId, rememberReachId } from './reach-id-memo.js';
import { reachContentId } from './reach-key.js';
import { renderCacheKey } from './render-cache.js';
import type { RenderContext, RenderRequest, RenderResult, SourceType } from './types.js';

export { discoverSourceType, explicitSourceType } from './detect-source-type.js';
export { globMatcher } from './glob.js';
export { objectsToYaml } from './manifest-yaml.js';
export {
  type CachedRender,
  DiskRenderCache,
  MemoryRenderCache,
  normaliseRepoURL,
  type RenderCache,
  renderCacheKey,
} from './render-cache.js';
export {
  defaultRenderLimits,
  type MaterializedCopy,
  type RenderLimits,
  type RenderRequest,
  type RenderResult,
  type SourceType,
} from './types.js';
export { settleWorkDirs } from './work-dir.js';

export async function renderSource(request: RenderRequest): Promise<RenderResult> {
  const clock: Clock = request.clock ?? systemClock;
  const started = clock.now().getTime();
  const sourcePath = normaliseSourcePath(request.source.path ?? '');
  try {
    const limits = resolveLimits(request.limits);
    const sourceType = await chooseSourceType(request, sourcePath);
    const context: RenderContext = { request, sourcePath, limits, env: appEnv(request, sourcePath) };
    let plan: RenderPlan | undefined;
    let contentId: string | undefined;
    if (sourceType === 'directory') {
      contentId = await request.tree.idOf(sourcePath);
    } else {
      const memoKey = request.cache ? reachMemoKey({ request, sourceType, sourcePath, limits }) : undefined;
      contentId = memoKey ? rememberedReachId(memoKey) : undefined;
      if (contentId === undefined) {
        plan = await planRender(context, sourceType);
        if (plan.kind !== 'directory') {
          contentId = await reachContentId({ lookup: plan.plan.lookup, reach: plan.plan.reach });
        }
        if (memoKey && contentId !== undefined) rememberReachId(memoKey, contentId);
      }
    }
    if (contentId === undefined) throw appPathMissing(sourcePath);
    const key = request.cache ? cacheKey(request, sourcePath, sourceType, contentId) : undefined;
    if (request.cache && key) {
      const hit = await request.cache.get(key);
      if (hit) {
        return {
          sourceType: hit.sourceType,
          objects: [...hit.objects],
          cached: true,
          durationMs: elapsed(clock, started),
        };
      }
    }
    plan ??= await planRender(context, sourceType);
    if (plan.kind === 'directory') {
      const { objects } = await renderDirectory(context);
      if (request.cache && key) await request.cache.set(key, { sourceType, objects });
      return { sourceType, objects, cached: false, durationMs: elapsed(clock, started) };
    }
    const { objects, materialized } =
      plan.kind === 'kustomize'
        ? await renderKustomize(context, plan.plan)
        : await renderHelm(context, plan.plan);
    if (request.cache && key) await request.cache.set(key, { sourceType, objects });
    return { sourceType, objects, cached: false, durationMs: elapsed(clock, started), materialized };
  } catch (e) {
    throw withAppContext(e, request, sourcePath);
  }
}

type RenderPlan =
  | { readonly kind: 'directory' }
  | { readonly kind: 'kustomize'; readonly plan: KustomizePlan }
  | { readonly kind: 'helm'; readonly plan: HelmPlan };

/**
 * Kustomize and helm renders work out what they can read before the cache is consulted: their
 * key is the content of that reach, not of the whole repository (see reach-key.ts).
 */
async function planRender(context: RenderContext, sourceType: SourceType): Promise<RenderPlan> {
  if (sourceType === 'kustomize') return { kind: 'kustomize', plan: await planKustomize(context) };
  if (sourceType === 'helm') return { kind: 'helm', plan: await planHelm(context) };
  return { kind: 'directory' };
}

async function chooseSourceType(request: RenderRequest, sourcePath: string): Promise<SourceType> {
  const explicit = explicitSourceType(request.source);
  const entries = await request.tree.list(sourcePath).catch((e: unknown) => {
    if (isDriftlessError(e, 'NOT_FOUND')) throw appPathMissing(sourcePath);
    throw e;
  });
  return explicit ?? discoverSourceType(entries);
}

function cacheKey(
  request: RenderRequest,
  sourcePath: string,
  sourceType: SourceType,
  contentId: string,
): string {
  const { repoURL: _repo, ...source } = request.source;
  // ${ARGOCD_APP_REVISION} in an option makes the output depend on the commit, not just its content.
  const usesEnv = JSON.stringify(source).includes('$');
  return renderCacheKey({
    repoURL: request.source.repoURL,
    contentId,
    sourceType,
    sourcePath,
    options: {
      source,
      appName: request.appName,
      appNamespace: request.appNamespace ?? '',
      destinationNamespace: request.destinationNamespace ?? '',
      kubeVersion: kubeVersionOf(request) ?? '',
      apiVersions: apiVersionsOf(request) ?? [],
      revision: usesEnv ? request.tree.revision : '',
    },
  });
}

/** Repository-relative, POSIX, '' for the root; a path above the root is refused. */
export function normaliseSourcePath(path: string): string {
  const p = posix.normalize(path.trim() === '' ? '.' : path.trim()).replace(/\/+$/, '');
  if (p === '..' || p.startsWith('../') || posix.isAbsolute(p)) {
    throw new DriftlessError('RENDER_FAILED', `${path}: app path is outside the repository`, {
      context: { path, field: 'spec.source.path' },
    });
  }
  return p === '.' ? '' : p;
}

function appPathMissing(sourcePath: string): DriftlessError {
  return new DriftlessError('RENDER_FAILED', `${sourcePath || '.'}: app path does not exist`, {
    context: { path: sourcePath, field: 'spec.source.path' },
  });
}

function withAppContext(e: unknown, request: RenderRequest, sourcePath: string): DriftlessError {
  const prefix = `render app "${request.appName}" at ${request.tree.revision.slice(0, 7)}: `;
  if (isDriftlessError(e)) {
    return new DriftlessError(e.code, prefix + e.message, {
      retryable: e.retryable,
      cause: e,
      context: { ...e.context, app: request.appName, revision: request.tree.revision, sourcePath },
    });
  }
  return new DriftlessError('RENDER_FAILED', `${prefix}${sourcePath || '.'}: ${messageOf(e)}`, {
    cause: e,
    context: { app: request.appName, revision: request.tree.revision, sourcePath },
  });
}

function elapsed(clock: Clock, started: number): number {
  return clock.now().getTime() - started;
}
