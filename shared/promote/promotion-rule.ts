/**
 * The automated promotion rule, read from the Application it starts at:
 * `driftless.dev/promote-to: web-staging` names the next environment's Application, and
 * `driftless.dev/promote-field` says what to bump there: `targetRevision` (the default) or
 * `image`. When the app is Synced and Healthy after a successful operation at a revision, the next
 * environment takes what this one runs. For `image`, that is the image tags of this app's
 * kustomization at the synced commit, written into the next app's kustomization on its branch
 * (promote-images.ts). For `targetRevision`, it is this app's own targetRevision when
 * that names a release (a version tag such as `v1.1.0`) or a commit, else the synced commit SHA,
 * since promoting a branch name would make the next environment follow the branch, not the
 * release that was proven here.
 */
import { DriftlessError } from '../errors/index.js';
import type { Application } from '../model/argo-types.js';

export const PROMOTE_TO_ANNOTATION = 'driftless.dev/promote-to';
export const PROMOTE_FIELD_ANNOTATION = 'driftless.dev/promote-field';

export interface PromotionRule {
  readonly from: string;
  readonly to: string;
  readonly field: PromotionField;
}

export type PromotionField = 'targetRevision' | 'image';
const FIELDS: readonly PromotionField[] = ['targetRevision', 'image'];

/** The rule an Application carries; undefined when it has none; an error naming the bad annotation. */
export function promotionRuleOf(app: Application): PromotionRule | undefined {
  const annotations = app.metadata.annotations ?? {};
  const to = annotations[PROMOTE_TO_ANNOTATION]?.trim();
  if (to === undefined || to === '') return undefined;
  const field = annotations[PROMOTE_FIELD_ANNOTATION]?.trim() || 'targetRevision';
  if (!(FIELDS as readonly string[]).includes(field)) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `Application "${app.metadata.name}": metadata.annotations["${PROMOTE_FIELD_ANNOTATION}"]: "${field}" is not supported; use ${FIELDS.join(' or ')}`,
      { context: { application: app.metadata.name } },
    );
  }
  if (to === app.metadata.name) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `Application "${app.metadata.name}": metadata.annotations["${PROMOTE_TO_ANNOTATION}"]: an app cannot promote to itself`,
      { context: { application: app.metadata.name } },
    );
  }
  return { from: app.metadata.name, to, field: field as PromotionField };
}

const VERSION_TAG = /^v?\d+(\.\d+){1,2}([-+][0-9A-Za-z.-]+)?$/;
const SHA = /^[0-9a-f]{7,40}$/;

/** What the next environment should be set to, given the commit this app synced. */
export function promotedRevision(app: Application, syncedCommit: string): string {
  const source = app.spec.sources?.[0] ?? app.spec.source;
  const own = source?.targetRevision?.trim() ?? '';
  if (VERSION_TAG.test(own) || (SHA.test(own) && syncedCommit.startsWith(own))) return own;
  return syncedCommit;
}
