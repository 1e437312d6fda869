/**
 * Desired state of one Application: resolve each source's targetRevision to a commit, open the
 * tree at that commit and render it. Multi-source Applications render every source that has a
 * path or chart and concatenate the objects in source order, as Argo CD does; a source that only
 * names a `ref` contributes nothing of its own.
 */
import { DriftlessError, isDriftlessError, messageOf } from '../errors/index.js';
import type { Application, ApplicationSource } from '../model/argo-types.js';
import type { KubeObject } from '../model/kube-object.js';
import type { GitSource } from '../ports/source-tree.js';
import type { ToolRunner } from '../ports/tool-runner.js';
import { type RenderCache, type RenderLimits, renderSource, type SourceType } from '../render/index.js';

export interface RenderApplicationRequest {
  readonly app: Application;
  readonly git: GitSource;
  readonly tools: ToolRunner;
  readonly cache?: RenderCache;
  readonly limits?: Partial<RenderLimits>;
  /** Overrides every source's targetRevision (`driftless render --revision`). */
  readonly revision?: string;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
}

export interface RenderedSource {
  readonly repoURL: string;
  readonly path: string;
  readonly targetRevision: string;
  /** The commit the revision resolved to. */
  readonly commit: string;
  readonly sourceType: SourceType;
  readonly cached: boolean;
  readonly durationMs: number;
  readonly objectCount: number;
}

export interface RenderedApplication {
  readonly app: string;
  readonly objects: KubeObject[];
  readonly sources: readonly RenderedSource[];
  /** Commits in source order; a single-source app has one. */
  readonly revisions: readonly string[];
}

export function applicationSources(app: Application): readonly ApplicationSource[] {
  if (app.spec.sources && app.spec.sources.length > 0) return app.spec.sources;
  if (app.spec.source) return [app.spec.source];
  return [];
}

export async function renderApplication(request: RenderApplicationRequest): Promise<RenderedApplication> {
  const { app } = request;
  const name = app.metadata.name;
  const rendered: RenderedSource[] = [];
  const objects: KubeObject[] = [];
  const revisions: string[] = [];
  for (const [index, source] of applicationSources(app).entries()) {
    const targetRevision = request.revision ?? source.targetRevision;
    const commit = await resolveRevision(request.git, name, source.repoURL, targetRevision);
    revisions.push(commit);
    if (source.chart !== undefined) {
      throw new DriftlessError(
        'RENDER_FAILED',
        `render app "${name}": spec.source${sourceSuffix(app, index)}.chart: Helm charts from a chart repository are not supported yet; point the source at a chart in git`,
        { context: { app: name } },
      );
    }
    if (source.path === undefined && source.ref !== undefined) continue;
    const tree = await request.git.open(source.repoURL, commit);
    const result = await renderSource({
      appName: name,
      appNamespace: app.metadata.namespace,
      source: { ...source, targetRevision },
      destinationNamespace: app.spec.destination.namespace,
      tree,
      tools: request.tools,
      cache: request.cache,
      limits: request.limits,
      kubeVersion: request.kubeVersion,
      apiVersions: request.apiVersions,
    });
    objects.push(...result.objects);
    rendered.push({
      repoURL: source.repoURL,
      path: source.path ?? '',
      targetRevision,
      commit,
      sourceType: result.sourceType,
      cached: result.cached,
      durationMs: result.durationMs,
      objectCount: result.objects.length,
    });
  }
  return { app: name, objects, sources: rendered, revisions };
}

async function resolveRevision(
  git: GitSource,
  app: string,
  repoURL: string,
  revision: string,
): Promise<string> {
  try {
    return await git.resolve(repoURL, revision);
  } catch (e) {
    if (isDriftlessError(e)) {
      throw new DriftlessError(e.code, `render app "${app}": ${e.message}`, {
        retryable: e.retryable,
        cause: e,
        context: { ...e.context, app },
      });
    }
    throw new DriftlessError('GIT_TRANSPORT', `render app "${app}": ${messageOf(e)}`, {
      cause: e,
      retryable: true,
    });
  }
}

function sourceSuffix(app: Application, index: number): string {
  return app.spec.sources && app.spec.sources.length > 0 ? `s[${index}]` : '';
}
