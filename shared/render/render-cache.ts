/**
 * Rendered output, addressed by content: the key hashes the normalised repository URL, the content
 * id the output depends on, and every option that changes the output. For a directory source the
 * content id is that of the source path; kustomize and helm read outside their path (`../base`,
 * `../common`), so they key on the content of everything they can reach (reach-key.ts), or on
 * the whole tree when that cannot be known. Two implementations: an in-memory LRU for one
 * warm process, and a directory of JSON files that survives across processes (a Lambda's /tmp).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../model/kube-object.js';
import type { SourceType } from './types.js';

export interface CachedRender {
  readonly sourceType: SourceType;
  readonly objects: readonly KubeObject[];
}

export interface RenderCache {
  get(key: string): Promise<CachedRender | undefined>;
  set(key: string, value: CachedRender): Promise<void>;
}

export interface RenderKeyParts {
  readonly repoURL: string;
  readonly contentId: string;
  readonly sourceType: SourceType;
  readonly sourcePath: string;
  /** Everything else that changes the output (source options, app, namespaces, versions...). */
  readonly options: unknown;
}

export function renderCacheKey(parts: RenderKeyParts): string {
  const canonical = canonicalJson({ ...parts, repoURL: normaliseRepoURL(parts.repoURL), v: 1 });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Lowercase, no trailing `/` or `.git`, so spellings of one repository share entries. */
export function normaliseRepoURL(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Least-recently-used, bounded by entry count; hands out copies so callers cannot alter entries. */
export class MemoryRenderCache implements RenderCache {
  private readonly entries = new Map<string, CachedRender>();

  constructor(private readonly options: { readonly maxEntries: number } = { maxEntries: 256 }) {}

  async get(key: string): Promise<CachedRender | undefined> {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return structuredClone(hit);
  }

  async set(key: string, value: CachedRender): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, structuredClone(value));
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** One JSON file per key under `dir`; written to a temp name then renamed, so readers never see half a file. */
export class DiskRenderCache implements RenderCache {
  constructor(private readonly options: { readonly dir: string }) {}

  async get(key: string): Promise<CachedRender | undefined> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as CachedRender;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: CachedRender): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(join(this.options.dir, key.slice(0, 2)), { recursive: true });
    const temp = `${path}.${randomUUID()}`;
    await writeFile(temp, JSON.stringify(value));
    await rename(temp, path);
  }

  private pathOf(key: string): string {
    return join(this.options.dir, key.slice(0, 2), `${key}.json`);
  }
}
