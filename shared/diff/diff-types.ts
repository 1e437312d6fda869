/**
 * The inputs and outputs of a per-resource comparison. Shapes follow Argo CD's names
 * (`ignoreDifferences`, `jsonPointers`, `jqPathExpressions`, `managedFieldsManagers`) so callers can
 * pass what they parsed from an Application and from argocd-cm unchanged.
 */
import type { KubeObject, ResourceKey } from '../model/index.js';

/** What an ignore rule ignores, without saying which resources it applies to. */
export interface IgnoreRuleBody {
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
  readonly managedFieldsManagers?: readonly string[];
}

/**
 * One `spec.ignoreDifferences[]` entry, or one `resource.customizations.ignoreDifferences.<group>_<kind>`
 * key of argocd-cm. `group` and `kind` are globs (`*` matches any run of characters) as in Argo CD;
 * an absent group means the core group.
 */
export interface IgnoreRule extends IgnoreRuleBody {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
}

export interface IgnoreDifferences {
  /** `spec.ignoreDifferences` of the Application. */
  readonly application?: readonly IgnoreRule[];
  /** argocd-cm `resource.customizations.ignoreDifferences.<group>_<kind>`, already parsed. */
  readonly customizations?: readonly IgnoreRule[];
  /** argocd-cm `resource.customizations.ignoreDifferences.all`: applies to every resource. */
  readonly all?: IgnoreRuleBody;
}

export interface DiffResourceOptions {
  readonly key: ResourceKey;
  /** Rendered from git; absent when the resource is only live (a prune candidate). */
  readonly desired?: KubeObject;
  /** Read from the cluster; absent when the resource does not exist yet. */
  readonly live?: KubeObject;
  /** Server-side dry-run apply of `desired`: already carries the server's defaults. */
  readonly predicted?: KubeObject;
  readonly ignore?: IgnoreDifferences;
  /** Field manager our applies use; fields it owns in live but that desired lost are drift. */
  readonly fieldManager?: string;
}

export type SyncStatusCode = 'Synced' | 'OutOfSync';
export type ChangeKind = 'create' | 'delete' | 'update' | 'none';
/** Which comparison ran: predicted vs live, or live restricted to what desired (and we) manage. */
export type ComparisonMode = 'predicted' | 'desired-fields';

export interface DiffResult {
  readonly key: ResourceKey;
  readonly status: SyncStatusCode;
  /** As Argo CD's DiffResult.Modified: true for create and update, false for none and delete. */
  readonly modified: boolean;
  /** Live without desired: OutOfSync until pruned. */
  readonly requiresPruning: boolean;
  readonly change: ChangeKind;
  /** Paths of differing fields, e.g. `spec.template.spec.containers[name=web].image`; empty on create/delete. */
  readonly changedPaths: readonly string[];
  readonly comparison: ComparisonMode;
  /** Normalised, ignore rules applied, Secret values masked; undefined when there is no desired. */
  readonly normalizedDesired?: KubeObject;
  /** Normalised live as compared (see ComparisonMode), masked; undefined when there is no live. */
  readonly normalizedLive?: KubeObject;
}

export const DEFAULT_FIELD_MANAGER = 'argocd-controller';
