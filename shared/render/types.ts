/**
 * The shapes of one render: what goes in, what comes out, and the limits that keep a hostile
 * repository from exhausting the worker.
 */
import type { ApplicationSource } from '../model/argo-types.js';
import type { KubeObject } from '../model/kube-object.js';
import type { Clock } from '../ports/clock.js';
import type { SourceTree } from '../ports/source-tree.js';
import type { ToolRunner } from '../ports/tool-runner.js';
import type { RenderCache } from './render-cache.js';

export type SourceType = 'directory' | 'kustomize' | 'helm';

export interface RenderLimits {
  /** Files read (directory) or materialized (kustomize, helm). */
  readonly maxFiles: number;
  /** Bytes read or materialized in total. */
  readonly maxTotalBytes: number;
  readonly maxFileBytes: number;
  /** YAML alias expansions per document (billion-laughs guard). */
  readonly maxAliasCount: number;
  /** stdout + stderr of one tool run. */
  readonly maxOutputBytes: number;
  /** One tool run; the process is killed after this. */
  readonly timeoutMs: number;
  /** Directory nesting below the source path (directory) or the repository root (materialize). */
  readonly maxDepth: number;
}

export const defaultRenderLimits: RenderLimits = {
  maxFiles: 10_000,
  maxTotalBytes: 100 * 1024 * 1024,
  maxFileBytes: 10 * 1024 * 1024,
  maxAliasCount: 100,
  maxOutputBytes: 64 * 1024 * 1024,
  timeoutMs: 60_000,
  maxDepth: 32,
};

export interface RenderRequest {
  readonly appName: string;
  /** Namespace of the Application object itself (part of the cache key). */
  readonly appNamespace?: string;
  readonly source: ApplicationSource;
  readonly destinationNamespace?: string;
  readonly tree: SourceTree;
  /** Cluster version (e.g. `1.35.2` or `v1.35`), passed to helm/kustomize as Argo CD does. */
  readonly kubeVersion?: string;
  /** Cluster API versions (`apps/v1`, `monitoring.coreos.com/v1/ServiceMonitor` ...). */
  readonly apiVersions?: readonly string[];
  readonly tools: ToolRunner;
  readonly cache?: RenderCache;
  readonly limits?: Partial<RenderLimits>;
  readonly clock?: Clock;
}

export interface RenderResult {
  readonly sourceType: SourceType;
  readonly objects: KubeObject[];
  readonly cached: boolean;
  readonly durationMs: number;
  /** What was written for the tool (kustomize and helm renders that ran it). */
  readonly materialized?: MaterializedCopy;
}

/** The private copy a kustomize or helm render ran on. */
export interface MaterializedCopy {
  /** Files written. */
  readonly files: number;
  /** `reachable`: only the paths the render can read; `repository`: all of it (see reason). */
  readonly scope: 'reachable' | 'repository';
  /** Why the whole repository was needed (a remote reference, a glob, a symlink). */
  readonly reason?: string;
}

/** What the kustomize and helm renderers return. */
export interface ToolRender {
  readonly objects: KubeObject[];
  readonly materialized: MaterializedCopy;
}

/** What a renderer needs once the request is resolved: the source path and effective limits. */
export interface RenderContext {
  readonly request: RenderRequest;
  /** Repository-relative, normalised, '' for the root. */
  readonly sourcePath: string;
  readonly limits: RenderLimits;
  /** ARGOCD_APP_* and KUBE_* variables, as Argo CD's repo-server sets them. */
  readonly env: Readonly<Record<string, string>>;
}
