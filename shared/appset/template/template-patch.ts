/**
 * `spec.templatePatch`: a template (rendered with the same parameters) that yields YAML or JSON
 * merged over each generated Application as Argo CD's strategic merge patch does for the
 * Application type: objects merge key by key, `null` deletes a key, lists are replaced except
 * `metadata.finalizers`, which merges as a set. The patch may not change `spec.project`.
 */
import { parse } from 'yaml';
import { DriftlessError, messageOf } from '../../errors/index.js';
import { isPlainObject, type ParamSet } from '../params.js';
import { replaceString, type TemplateMode } from './render.js';

export interface TemplatePatchOptions {
  readonly application: Record<string, unknown>;
  readonly templatePatch: string;
  readonly params: ParamSet;
  readonly mode: TemplateMode;
}

export function applyTemplatePatch(options: TemplatePatchOptions): Record<string, unknown> {
  const { application, mode, params } = options;
  const text = replaceString(options.templatePatch, params, mode);
  let patch: unknown;
  try {
    patch = parse(text, { version: '1.2' });
  } catch (e) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `templatePatch: not YAML or JSON after templating: ${messageOf(e)}`,
    );
  }
  if (patch === null || patch === undefined) return application;
  if (!isPlainObject(patch)) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `templatePatch: must render an object, got ${JSON.stringify(text)}`,
    );
  }
  const merged = mergePatch(application, patch, []) as Record<string, unknown>;
  const spec = merged.spec;
  const originalSpec = application.spec;
  if (isPlainObject(spec) && isPlainObject(originalSpec)) {
    if (originalSpec.project === undefined) delete spec.project;
    else spec.project = originalSpec.project;
  }
  return merged;
}

function mergePatch(target: unknown, patch: unknown, path: readonly string[]): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const here = [...path, key];
    if (here.join('.') === 'metadata.finalizers' && Array.isArray(value) && Array.isArray(out[key])) {
      const existing = out[key] as unknown[];
      out[key] = [...existing, ...value.filter((v) => !existing.includes(v))];
      continue;
    }
    out[key] = mergePatch(out[key], value, here);
  }
  return out;
}
