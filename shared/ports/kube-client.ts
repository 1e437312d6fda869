/**
 * The cluster port. The adapter (shared/kube) goes through @kubernetes/client-node; the engine
 * (diff, sync) only sees this interface. Errors are DriftlessError with code KUBE_API, carrying
 * `status` (HTTP code) and `reason` (the Status reason) in context; 429/5xx are retryable.
 */
import type { KubeObject, ResourceKey } from '../model/kube-object.js';

export interface ApiResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name used in paths (deployments). */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

export interface DeleteOptions {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly dryRun?: boolean;
}

export interface ListOptions {
  /** Omit for all namespaces (or for cluster-scoped kinds). */
  readonly namespace?: string;
  readonly labelSelector?: string;
}

export interface KubeClient {
  /** Discovery (cached): the resource serving apiVersion/kind, or undefined if the server has none. */
  resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined>;
  /** Forget cached discovery, e.g. after CRDs were created. */
  invalidateDiscovery(): void;
  /** All served resources (preferred versions), from discovery. */
  serverResources(): Promise<readonly ApiResource[]>;
  get(apiVersion: string, key: ResourceKey): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Server-side apply (PATCH application/apply-patch+yaml). Returns the object the server answered. */
  apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /** Create (POST); fails with 409 AlreadyExists. */
  create(
    obj: KubeObject,
    options?: { readonly dryRun?: boolean; readonly fieldManager?: string },
  ): Promise<KubeObject>;
  /** Replace (PUT) with the live resourceVersion. */
  replace(
    obj: KubeObject,
    options?: { readonly dryRun?: boolean; readonly fieldManager?: string },
  ): Promise<KubeObject>;
  /** Returns false if the object was already gone. */
  delete(apiVersion: string, key: ResourceKey, options?: DeleteOptions): Promise<boolean>;
  /** Server version (gitVersion, e.g. v1.35.2). */
  version(): Promise<string>;
}
