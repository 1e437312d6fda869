/**
 * Checks every Kubernetes object shares: apiVersion, kind and metadata. Argo CD serves its kinds
 * only at argoproj.io/v1alpha1, so another version is a mistake, not a different object.
 */
import { metadataShape } from './application-shapes.js';
import { objectName } from './formats.js';
import type { ProblemList } from './problems.js';
import { checkShape } from './shape.js';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

export interface HeaderOptions {
  readonly apiVersion: string;
  /** Whether metadata.name must be present; templates may build it from parameters. */
  readonly nameRequired: boolean;
}

export function checkHeader(
  object: Record<string, unknown>,
  options: HeaderOptions,
  problems: ProblemList,
): void {
  if (object.apiVersion !== options.apiVersion) {
    problems.add(
      'apiVersion',
      `must be ${options.apiVersion}, not ${JSON.stringify(object.apiVersion ?? null)}`,
    );
  }
  const metadata = object.metadata;
  if (metadata === undefined || metadata === null) {
    if (options.nameRequired) problems.add('metadata.name', 'is required');
    return;
  }
  checkShape(metadata, metadataShape, 'metadata', problems);
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return;
  const name = (metadata as Record<string, unknown>).name;
  if (options.nameRequired && (name === undefined || name === null || name === '')) {
    problems.add('metadata.name', 'is required');
  } else if (options.nameRequired && typeof name === 'string') {
    const issue = objectName(name);
    if (issue) problems.add('metadata.name', issue);
  }
}
