/**
 * Turning a template into an Application for one parameter set, as Argo CD does: every string
 * (values and map keys alike) is templated on its own, with fasttemplate or Go templates; an
 * empty parameter set leaves the template untouched; the resources finalizer is added unless
 * the template sets finalizers or `preserveResourcesOnDeletion` is on.
 */
import { executeGoTemplate, type MissingKey } from '../go-template/index.js';
import { isPlainObject, type ParamSet } from '../params.js';
import { replaceFastTemplate } from './fasttemplate.js';

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface TemplateMode {
  readonly goTemplate: boolean;
  readonly missingKey: MissingKey;
}

export function replaceString(text: string, params: ParamSet, mode: TemplateMode): string {
  return mode.goTemplate
    ? executeGoTemplate(text, params, mode.missingKey)
    : replaceFastTemplate(text, params);
}

/** A copy of `value` with every string and map key templated; null map entries are dropped as Go drops nil ones. */
export function renderDeep(value: unknown, params: ParamSet, mode: TemplateMode): unknown {
  if (typeof value === 'string') return replaceString(value, params, mode);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, params, mode));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === null || child === undefined) continue;
      out[replaceString(key, params, mode)] = renderDeep(child, params, mode);
    }
    return out;
  }
  return value;
}

export interface RenderTemplateOptions {
  /** The merged ApplicationSet template (`metadata`, `spec`). */
  readonly template: Readonly<Record<string, unknown>>;
  readonly params: ParamSet;
  readonly mode: TemplateMode;
  readonly preserveResourcesOnDeletion: boolean;
}

/** The Application (apiVersion, kind, metadata, spec) one parameter set yields. */
export function renderApplicationTemplate(options: RenderTemplateOptions): Record<string, unknown> {
  const { template, params, mode } = options;
  const metadata = isPlainObject(template.metadata) ? template.metadata : {};
  const base: Record<string, unknown> = {
    metadata: pickMetadata(metadata),
    spec: isPlainObject(template.spec) ? template.spec : {},
  };
  if (Object.keys(params).length === 0) return structuredClone({ ...APPLICATION_HEADER, ...base });
  const rendered = renderDeep(base, params, mode) as { metadata: Record<string, unknown>; spec: unknown };
  const finalizers = rendered.metadata.finalizers;
  if (!options.preserveResourcesOnDeletion && !(Array.isArray(finalizers) && finalizers.length > 0)) {
    rendered.metadata.finalizers = [RESOURCES_FINALIZER];
  }
  return { ...APPLICATION_HEADER, ...rendered };
}

const APPLICATION_HEADER = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;

/** Only these template metadata fields reach the Application, as in Argo CD's GetTempApplication. */
function pickMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['name', 'namespace', 'labels', 'annotations', 'finalizers']) {
    if (metadata[key] !== undefined && metadata[key] !== null) out[key] = metadata[key];
  }
  return out;
}
