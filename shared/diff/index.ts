/**
 * diff: desired against live, as Argo CD compares them. Pure functions; the sync engine feeds them
 * objects it rendered and read.
 *
 * Order of operations in diffResource (see diff-resource.ts): field ownership is read from live
 * managedFields; both sides are normalised (server bookkeeping, status, last-applied and tracking
 * annotations dropped, Secret stringData folded into data); managedFieldsManagers, jsonPointers
 * and jqPathExpressions remove ignored fields from both sides; then either the server-side
 * dry-run result (`predicted`) is compared with live, or live is restricted to the fields desired
 * and our field manager hold; the result names differing paths and carries masked copies.
 *
 * unifiedDiff renders a result like `argocd app diff`; applyRespectIgnoreDifferences prepares
 * desired for an apply with RespectIgnoreDifferences=true; compileJqPathExpression exposes the jq
 * subset (field/index access, [], []?, |, ',', select, and/or/not, comparisons, startswith,
 * endswith, contains, test, has, length, type, ascii_downcase/upcase, tostring).
 */
export { changedPaths } from './changed-paths.js';
export { diffResource } from './diff-resource.js';
export * from './diff-types.js';
export { type CompiledIgnoreRules, compileIgnoreRules, type MatchedIgnore } from './ignore-rules.js';
export { compileJqPathExpression, type JqPathExpression, type JqPathsOutcome } from './jq-path-expression.js';
export { parseJsonPointer } from './json-pointer.js';
export { diffLines, type LineEdit, unifiedHunks } from './line-diff.js';
export { LAST_APPLIED_ANNOTATION, normalizeObject, TRACKING_ANNOTATION } from './normalize.js';
export { renderYaml } from './render-yaml.js';
export { applyRespectIgnoreDifferences, type RespectIgnoreOptions } from './respect-ignore.js';
export { maskSecretPair } from './secret-mask.js';
export { type UnifiedDiffOptions, unifiedDiff } from './unified-diff.js';
