/**
 * Applies `spec.source.kustomize` to a kustomization the way Argo CD does with `kustomize edit`
 * (only `kubectl kustomize` is available here, so the same edits are made to the YAML directly),
 * in Argo CD's order: namePrefix, nameSuffix, images, replicas, commonLabels, commonAnnotations,
 * namespace, patches, components. Images and label values go through envsubst with the
 * ARGOCD_APP_* environment; annotations only with `commonAnnotationsEnvsubst`. Adding a label or
 * annotation whose key is already set fails unless forced, as `kustomize edit add` does.
 */
import { DriftlessError } from '../errors/index.js';
import type { ApplicationSourceKustomize } from '../model/argo-types.js';
import { envsubst } from './app-env.js';
import { isRecord } from './manifest-yaml.js';

export interface KustomizeEditOptions {
  readonly kustomization: Record<string, unknown>;
  readonly options: ApplicationSourceKustomize;
  readonly env: Readonly<Record<string, string>>;
  /** The kustomization file, for messages. */
  readonly file: string;
  /** Whether a component path (relative to the kustomization) exists. */
  readonly componentExists: (path: string) => boolean;
}

export function hasKustomizeEdits(o: ApplicationSourceKustomize | undefined): boolean {
  if (!o) return false;
  return Boolean(
    o.namePrefix ||
      o.nameSuffix ||
      o.images?.length ||
      o.replicas?.length ||
      Object.keys(o.commonLabels ?? {}).length ||
      Object.keys(o.commonAnnotations ?? {}).length ||
      o.namespace ||
      o.patches?.length ||
      o.components?.length,
  );
}

export function applyKustomizeEdits(edit: KustomizeEditOptions): Record<string, unknown> {
  const k = structuredClone(edit.kustomization);
  const o = edit.options;
  if (o.namePrefix) k.namePrefix = o.namePrefix;
  if (o.nameSuffix) k.nameSuffix = o.nameSuffix;
  if (o.images?.length)
    setImages(
      k,
      o.images.map((i) => envsubst(i, edit.env)),
      edit.file,
    );
  if (o.replicas?.length) setReplicas(k, o.replicas, edit.file);
  if (o.commonLabels && Object.keys(o.commonLabels).length > 0) {
    const labels = mapValues(o.commonLabels, (v) => envsubst(v, edit.env));
    if (o.labelWithoutSelector) {
      const entry: Record<string, unknown> = { pairs: labels };
      if (o.labelIncludeTemplates === true) entry.includeTemplates = true;
      k.labels = [...listField(k, 'labels', edit.file), entry];
    } else {
      k.commonLabels = addToMap(k, 'commonLabels', labels, o.forceCommonLabels === true, edit.file, 'label');
    }
  }
  if (o.commonAnnotations && Object.keys(o.commonAnnotations).length > 0) {
    const annotations = o.commonAnnotationsEnvsubst
      ? mapValues(o.commonAnnotations, (v) => envsubst(v, edit.env))
      : o.commonAnnotations;
    k.commonAnnotations = addToMap(
      k,
      'commonAnnotations',
      annotations,
      o.forceCommonAnnotations === true,
      edit.file,
      'annotation',
    );
  }
  if (o.namespace) k.namespace = o.namespace;
  if (o.patches?.length) k.patches = [...listField(k, 'patches', edit.file), ...o.patches.map(cleanPatch)];
  if (o.components?.length) {
    const wanted = o.ignoreMissingComponents ? o.components.filter(edit.componentExists) : o.components;
    const existing = listField(k, 'components', edit.file);
    const added = wanted.filter((c) => !existing.includes(c));
    if (existing.length > 0 || added.length > 0) k.components = [...existing, ...added];
  }
  return k;
}

interface ImageEdit {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** `kustomize edit set image` argument forms: name=newName:tag, name=newName@digest, name:tag, name@digest, name=newName. */
export function parseImageArg(arg: string): ImageEdit {
  const eq = arg.indexOf('=');
  const name = eq >= 0 ? arg.slice(0, eq) : undefined;
  const spec = eq >= 0 ? arg.slice(eq + 1) : arg;
  let rest = spec;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const edit: ImageEdit = { name: name ?? rest };
  if (name !== undefined && rest !== '' && rest !== name) edit.newName = rest;
  if (tag) edit.newTag = tag;
  if (digest) edit.digest = digest;
  return edit;
}

function setImages(k: Record<string, unknown>, args: readonly string[], file: string): void {
  const images = listField(k, 'images', file).map((i) => (isRecord(i) ? { ...i } : i));
  for (const arg of args) {
    const edit = parseImageArg(arg);
    const existing = images.find((i) => isRecord(i) && i.name === edit.name) as
      | Record<string, unknown>
      | undefined;
    const target = existing ?? { name: edit.name };
    if (edit.newName) target.newName = edit.newName;
    if (edit.newTag) {
      target.newTag = edit.newTag;
      delete target.digest;
    }
    if (edit.digest) {
      target.digest = edit.digest;
      if (!edit.newTag) delete target.newTag;
    }
    if (!existing) images.push(target);
  }
  k.images = images;
}

function setReplicas(
  k: Record<string, unknown>,
  replicas: ApplicationSourceKustomize['replicas'],
  file: string,
) {
  const list = listField(k, 'replicas', file).map((r) => (isRecord(r) ? { ...r } : r));
  for (const r of replicas ?? []) {
    const count = typeof r.count === 'number' ? r.count : Number.parseInt(String(r.count), 10);
    if (!Number.isInteger(count) || String(count) !== String(r.count).trim()) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `spec.source.kustomize.replicas: count ${JSON.stringify(r.count)} for ${r.name} is not an integer`,
        { context: { field: 'spec.source.kustomize.replicas' } },
      );
    }
    const existing = list.find((x) => isRecord(x) && x.name === r.name) as
      | Record<string, unknown>
      | undefined;
    if (existing) existing.count = count;
    else list.push({ name: r.name, count });
  }
  k.replicas = list;
}

function addToMap(
  k: Record<string, unknown>,
  field: string,
  add: Readonly<Record<string, string>>,
  force: boolean,
  file: string,
  what: string,
): Record<string, unknown> {
  const current = k[field] ?? {};
  if (!isRecord(current)) {
    throw new DriftlessError('RENDER_FAILED', `${file}: ${field} is not a map`, {
      context: { path: file, field },
    });
  }
  const out = { ...current };
  for (const [key, value] of Object.entries(add)) {
    if (key in out && !force) {
      throw new DriftlessError(
        'RENDER_FAILED',
        `${file}: ${what} ${key} already in kustomization file; set force${field[0]!.toUpperCase()}${field.slice(1)} to override`,
        { context: { path: file, field } },
      );
    }
    out[key] = value;
  }
  return out;
}

function listField(k: Record<string, unknown>, field: string, file: string): unknown[] {
  const v = k[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    throw new DriftlessError('RENDER_FAILED', `${file}: expected '${field}' to be a list`, {
      context: { path: file, field },
    });
  }
  return v;
}

function cleanPatch(p: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== ''));
}

function mapValues(m: Readonly<Record<string, string>>, f: (v: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));
}
