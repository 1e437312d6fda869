/**
 * ApplicationSet → Applications. For each entry of `spec.generators`: parameter sets and merged
 * template (transform) → one Application per set (template rendering, then `templatePatch`) →
 * the ApplicationSet's namespace and a controller ownerReference to it → checked as any
 * Application is. Any failure makes the whole result an error naming the ApplicationSet and
 * the generator: callers then keep every Application that exists, never act on a partial set.
 */
import { DriftlessError, isDriftlessError, messageOf } from '../errors/index.js';
import {
  type Application,
  type ApplicationSet,
  formatProblem,
  type LoadedDocument,
  parseApplication,
} from '../model/index.js';
import type { GeneratorRun } from './generators/generator-run.js';
import { transformGenerator } from './generators/transform.js';
import { missingKeyOption } from './go-template/index.js';
import { isPlainObject } from './params.js';
import type { GeneratorSources } from './sources.js';
import { renderApplicationTemplate, type TemplateMode } from './template/render.js';
import { applyTemplatePatch } from './template/template-patch.js';

export interface GenerateOptions {
  readonly appSet: ApplicationSet;
  readonly sources: GeneratorSources;
}

export type GenerateResult =
  | { readonly kind: 'ok'; readonly applications: readonly Application[] }
  | { readonly kind: 'error'; readonly error: DriftlessError; readonly generator: string };

export async function generateApplications(options: GenerateOptions): Promise<GenerateResult> {
  const { appSet } = options;
  const name = appSet.metadata.name;
  let mode: TemplateMode;
  try {
    mode = {
      goTemplate: appSet.spec.goTemplate === true,
      missingKey: missingKeyOption(appSet.spec.goTemplateOptions),
    };
  } catch (e) {
    return failure(name, 'spec.goTemplateOptions', e);
  }
  const run: GeneratorRun = { mode, sources: options.sources };
  const applications: Application[] = [];
  const seen = new Set<string>();
  const generators = Array.isArray(appSet.spec.generators) ? appSet.spec.generators : [];
  for (const [i, generator] of generators.entries()) {
    const names = Object.keys(generator).filter((key) => key !== 'selector');
    let at = names.length === 1 ? `spec.generators[${i}].${names[0]}` : `spec.generators[${i}]`;
    try {
      const results = await transformGenerator({
        generator,
        at: `spec.generators[${i}]`,
        baseTemplate: isPlainObject(appSet.spec.template) ? appSet.spec.template : {},
        run,
        interpolation: {},
      });
      for (const result of results) {
        at = result.at;
        for (const params of result.params) {
          const application = buildApplication({ appSet, template: result.template, params, mode });
          const appName = application.metadata.name;
          if (seen.has(appName)) {
            throw new DriftlessError(
              'INVALID_MANIFEST',
              `ApplicationSet ${name} contains applications with duplicate name: ${appName}`,
              { context: { applicationSet: name, application: appName } },
            );
          }
          seen.add(appName);
          applications.push(application);
        }
      }
    } catch (e) {
      return failure(name, at, e);
    }
  }
  return { kind: 'ok', applications };
}

interface BuildOptions {
  readonly appSet: ApplicationSet;
  readonly template: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly mode: TemplateMode;
}

function buildApplication(options: BuildOptions): Application {
  const { appSet, params, mode } = options;
  let object = renderApplicationTemplate({
    template: options.template,
    params,
    mode,
    preserveResourcesOnDeletion: appSet.spec.syncPolicy?.preserveResourcesOnDeletion === true,
  });
  const patch = appSet.spec.templatePatch;
  if (typeof patch === 'string' && patch.trim() !== '') {
    object = applyTemplatePatch({ application: object, templatePatch: patch, params, mode });
  }
  const metadata = (isPlainObject(object.metadata) ? object.metadata : {}) as Record<string, unknown>;
  if (appSet.metadata.namespace) metadata.namespace = appSet.metadata.namespace;
  metadata.ownerReferences = [ownerReferenceTo(appSet)];
  object.metadata = metadata;
  const doc: LoadedDocument = { file: `ApplicationSet ${appSet.metadata.name}`, index: 0, line: 1, object };
  const parsed = parseApplication(doc);
  if (parsed.kind === 'invalid') {
    const appName = typeof metadata.name === 'string' && metadata.name ? `"${metadata.name}"` : '(no name)';
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `generated Application ${appName} is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { context: { problems: parsed.problems.map(formatProblem) } },
    );
  }
  return parsed.value;
}

/** The controller reference Argo CD sets on what an ApplicationSet generates; it is how ownership is told. */
export function ownerReferenceTo(appSet: ApplicationSet): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    name: appSet.metadata.name,
    ...(appSet.metadata.uid ? { uid: appSet.metadata.uid } : {}),
    controller: true,
    blockOwnerDeletion: true,
  };
}

function failure(appSetName: string, generator: string, e: unknown): GenerateResult {
  const base = isDriftlessError(e) ? e : undefined;
  const message = messageOf(e);
  const located = message.startsWith('spec.') ? message : `${generator}: ${message}`;
  const error = new DriftlessError(base?.code ?? 'INTERNAL', `ApplicationSet "${appSetName}": ${located}`, {
    retryable: base?.retryable ?? false,
    context: { ...(base?.context ?? {}), applicationSet: appSetName, generator },
    cause: e,
  });
  return { kind: 'error', error, generator };
}
