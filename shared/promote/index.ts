/**
 * Promotion: `driftless promote APP --to REV` moves an Application to another revision by
 * committing the change to the config repository, so the sync follows from git like any other.
 *
 * 1. Open the config repository: a checkout (its current branch and `origin`), or a URL fetched
 *    at depth 1 into a temporary bare store.
 * 2. Find the one YAML file in the committed tree that defines the Application.
 * 3. Resolve REV against the Application's repoURL first (tag, branch, SHA or semver
 *    constraint); a revision that does not resolve is refused before anything is written.
 * 4. Edit only the targetRevision scalar (edit-target-revision.ts), commit it straight into the
 *    object store with a message naming who and what, and push.
 * 5. A refused push (the branch moved) fetches the new tip and re-applies the edit there once,
 *    unless someone changed that same targetRevision meanwhile: then it refuses (STATE_CONFLICT).
 * 6. A checkout is fast-forwarded to the new commit (only files that changed are touched).
 * With `commit: false` nothing is written and the edited file is returned (a state-only pin).
 *
 * Automated promotion (promotion-rule.ts): an Application annotated `driftless.dev/promote-to`
 * that is Synced and Healthy after a successful operation has the pipeline run the same
 * promotion on the next environment; an unchanged result is no commit. With
 * `driftless.dev/promote-field: image` the next environment's kustomization takes this one's image
 * tags instead (promote-images.ts), committed and pushed the same way.
 */
export { type CommitFileOptions, type CommitIdentity, commitFile } from './commit-file.js';
export {
  type ConfigRepositoryLocation,
  type OpenConfigRepositoryOptions,
  type OpenedConfigRepository,
  openConfigRepository,
} from './config-repository.js';
export {
  type ApplicationSourceRef,
  locateApplicationSource,
  setTargetRevision,
  type TargetRevisionEdit,
  type TargetRevisionEditOptions,
} from './edit-target-revision.js';
export { type FindApplicationOptions, type FoundApplication, findApplication } from './find-application.js';
export { type PromoteOptions, type PromoteResult, promote } from './promote.js';
export {
  imageText,
  type KustomizationText,
  kustomizationImages,
  type PromoteImagesOptions,
  type PromoteImagesResult,
  promoteImages,
  readKustomization,
} from './promote-images.js';
export {
  PROMOTE_FIELD_ANNOTATION,
  PROMOTE_TO_ANNOTATION,
  type PromotionField,
  type PromotionRule,
  promotedRevision,
  promotionRuleOf,
} from './promotion-rule.js';
