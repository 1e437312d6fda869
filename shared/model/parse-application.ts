/**
 * Application: check it the way Argo CD's CRD and its app validation do, then apply the defaults
 * Argo CD applies when it reads one (project `default`, targetRevision `HEAD`, a history of 10).
 * The input is never changed; the defaulted Application is a copy.
 */

import { applicationSpecFields } from './application-shapes.js';
import type { Application, ApplicationSource } from './argo-types.js';
import type { LoadedDocument } from './load-documents.js';
import { ARGO_API_VERSION, checkHeader } from './object-header.js';
import { type Parsed, sourceOf } from './parsed.js';
import { childPath, ProblemList } from './problems.js';
import { checkShape, isRecord, obj } from './shape.js';

export const DEFAULT_PROJECT = 'default';
export const DEFAULT_TARGET_REVISION = 'HEAD';
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

const SOURCE_TYPES = ['helm', 'kustomize', 'directory', 'plugin'] as const;

export function parseApplication(doc: LoadedDocument): Parsed<Application> {
  const problems = new ProblemList(doc);
  const object = doc.object;
  checkHeader(object, { apiVersion: ARGO_API_VERSION, nameRequired: true }, problems);
  if (!isRecord(object.spec)) {
    problems.add(
      'spec',
      object.spec === undefined || object.spec === null ? 'is required' : 'must be an object',
    );
  } else {
    checkApplicationSpec(object.spec, { path: 'spec', template: false }, problems);
  }
  if (problems.size > 0) return { kind: 'invalid', problems: problems.toArray() };
  return { kind: 'valid', value: withApplicationDefaults(object), source: sourceOf(doc) };
}

export interface SpecCheckOptions {
  /** Path of the spec in the document (`spec`, `spec.template.spec`). */
  readonly path: string;
  /** An ApplicationSet template: fields may be filled from parameters or a patch, so none is required. */
  readonly template: boolean;
}

/** Type checks plus the rules between fields that a schema alone cannot state. */
export function checkApplicationSpec(
  spec: Record<string, unknown>,
  options: SpecCheckOptions,
  problems: ProblemList,
): void {
  const { path, template } = options;
  checkShape(spec, obj(applicationSpecFields, template ? [] : ['destination']), path, problems);

  const destination = spec.destination;
  if (isRecord(destination)) {
    const hasServer = isSet(destination.server);
    const hasName = isSet(destination.name);
    if (hasServer && hasName)
      problems.add(childPath(path, 'destination'), 'set either server or name, not both');
    else if (!hasServer && !hasName && !template)
      problems.add(childPath(path, 'destination'), 'set server or name');
  }

  const sources = spec.sources;
  const hasSources = Array.isArray(sources) && sources.length > 0;
  if (!hasSources && !isSet(spec.source) && !template) {
    problems.add(childPath(path, 'source'), 'is required (or sources)');
  }
  if (isRecord(spec.source)) checkSourceTypes(spec.source, childPath(path, 'source'), problems);
  if (Array.isArray(sources)) {
    sources.forEach((source, i) => {
      if (isRecord(source)) checkSourceTypes(source, childPath(childPath(path, 'sources'), i), problems);
    });
  }
}

/** Argo CD refuses a source that names more than one tool ("multiple application sources defined"). */
function checkSourceTypes(source: Record<string, unknown>, path: string, problems: ProblemList): void {
  const present = SOURCE_TYPES.filter((type) => isSet(source[type]));
  if (present.length > 1) problems.add(path, `set only one of ${present.join(', ')}`);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** A copy of a checked Application with Argo CD's defaults in place. */
export function withApplicationDefaults(object: Record<string, unknown>): Application {
  const app = structuredClone(object) as unknown as Application;
  const spec = app.spec;
  if (!spec.project) spec.project = DEFAULT_PROJECT;
  if (spec.source) defaultSource(spec.source);
  for (const source of spec.sources ?? []) defaultSource(source);
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) {
    spec.revisionHistoryLimit = DEFAULT_REVISION_HISTORY_LIMIT;
  }
  return app;
}

function defaultSource(source: ApplicationSource): void {
  if (!source.targetRevision) source.targetRevision = DEFAULT_TARGET_REVISION;
}
