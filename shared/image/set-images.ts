/**
 * The pure edit behind `image set`: kustomization text in, kustomization text out.
 *
 * Merge rule (kustomize's): each argument replaces the whole entry with the same name (fields it
 * does not set are dropped, unless given as `*`, which keeps the file's value); entries no
 * argument names stay as they are; the list is sorted by name. Entries are written as kustomize
 * writes them: block style, keys in alphabetical order, empty fields omitted, strings quoted only
 * where YAML 1.1 would read them as something else (`"1.0"`, `"yes"`).
 */
import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import { DriftlessError } from '../errors/index.js';
import type { ImageOverride } from './image-argument.js';

export interface KustomizeImage {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
  readonly tagSuffix?: string;
}

export interface SetImagesOptions {
  /** Content of the kustomization file. */
  readonly text: string;
  /** Its path, for messages. */
  readonly path: string;
  readonly overrides: readonly ImageOverride[];
}

export interface SetImagesResult {
  readonly text: string;
  readonly images: readonly KustomizeImage[];
  readonly changed: boolean;
}

const FIELDS = ['digest', 'name', 'newName', 'newTag', 'tagSuffix'] as const;
const KEEP = '*';

export function setImages(options: SetImagesOptions): SetImagesResult {
  const { text, path } = options;
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new DriftlessError('YAML_PARSE', `${path}: ${doc.errors[0]?.message ?? 'invalid YAML'}`, {
      context: { file: path },
    });
  }
  const root = doc.contents;
  if (root !== null && !isMap(root)) {
    throw new DriftlessError('INVALID_MANIFEST', `${path}: a kustomization must be a mapping`, {
      context: { file: path },
    });
  }
  const pair = root?.items.find((p) => isScalar(p.key) && p.key.value === 'images');
  const existing = pair ? readImages(pair.value, path) : [];

  const byName = new Map<string, KustomizeImage>();
  for (const override of options.overrides) byName.set(override.name, toImage(override));
  for (const image of existing) {
    const requested = byName.get(image.name);
    if (!requested) {
      byName.set(image.name, image);
      continue;
    }
    if (![requested.newName, requested.newTag, requested.digest].includes(KEEP)) continue;
    byName.set(image.name, {
      name: image.name,
      ...orKept('newName', requested.newName, image.newName),
      ...orKept('newTag', requested.newTag, image.newTag),
      ...orKept('digest', requested.digest, image.digest),
    });
  }
  const images = [...byName.values()]
    .map(withoutKeepMarkers)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const block = renderImages(images);

  let edited: string;
  if (pair && isScalar(pair.key) && pair.key.range && hasRange(pair.value)) {
    const start = pair.key.range[0];
    const end = pair.value.range[1];
    const replaced = text.slice(start, end);
    edited = text.slice(0, start) + (replaced.endsWith('\n') ? block : block.trimEnd()) + text.slice(end);
  } else if (pair) {
    throw new DriftlessError('INVALID_MANIFEST', `${path}: images: cannot locate the field to edit`, {
      context: { file: path, field: 'images' },
    });
  } else {
    // kustomize writes fields the file did not have after the ones it had.
    edited = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${block}`;
  }
  return { text: edited, images, changed: edited !== text };
}

function toImage(o: ImageOverride): KustomizeImage {
  return {
    name: o.name,
    ...(o.newName ? { newName: o.newName } : {}),
    ...(o.newTag ? { newTag: o.newTag } : {}),
    ...(o.digest ? { digest: o.digest } : {}),
  };
}

function orKept(
  field: 'newName' | 'newTag' | 'digest',
  requested: string | undefined,
  current: string | undefined,
): Partial<KustomizeImage> {
  const value = requested === KEEP ? current : requested;
  return value ? { [field]: value } : {};
}

/** A `*` for an image the file did not have keeps nothing. */
function withoutKeepMarkers(image: KustomizeImage): KustomizeImage {
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = image[field];
    if (value && value !== KEEP) out[field] = value;
  }
  return out as unknown as KustomizeImage;
}

function readImages(value: unknown, path: string): KustomizeImage[] {
  if (value === null || (isScalar(value) && value.value === null)) return [];
  if (!isSeq(value)) {
    throw new DriftlessError('INVALID_MANIFEST', `${path}: images must be a list`, {
      context: { file: path, field: 'images' },
    });
  }
  return value.items.map((item, index) => {
    const where = `${path}: images[${index}]`;
    if (!isMap(item)) {
      throw new DriftlessError('INVALID_MANIFEST', `${where} must be a mapping`, {
        context: { file: path, field: `images[${index}]` },
      });
    }
    const image: Record<string, string> = {};
    for (const p of item.items) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      if (!(FIELDS as readonly string[]).includes(key)) {
        throw new DriftlessError('INVALID_MANIFEST', `${where}: unknown field "${key}"`, {
          context: { file: path, field: `images[${index}].${key}` },
        });
      }
      const v = isScalar(p.value) ? p.value.value : undefined;
      if (v !== null && v !== undefined && v !== '') image[key] = String(v);
    }
    return { name: image.name ?? '', ...image } as KustomizeImage;
  });
}

function renderImages(images: readonly KustomizeImage[]): string {
  const lines = ['images:'];
  for (const image of images) {
    let first = true;
    for (const field of FIELDS) {
      const value = image[field];
      if (!value) continue;
      lines.push(`${first ? '- ' : '  '}${field}: ${scalar(value)}`);
      first = false;
    }
  }
  return `${lines.join('\n')}\n`;
}

function scalar(value: string): string {
  // Go's integer syntax also reads `0o17`; kustomize's writer quotes it, YAML 1.1 alone would not.
  if (/^[-+]?0o[0-7_]+$/.test(value)) return JSON.stringify(value);
  return stringify(value, { version: '1.1', lineWidth: 0 }).trimEnd();
}

function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}
