/** Key values of each item type (see schema.ts for the layout). */
import { keyString, type ResourceKey } from '../model/kube-object.js';
import { ITEM } from './schema.js';
import type { AppRef } from './state-store.js';

export type ManifestSide = 'desired' | 'live';

export function appName(ref: AppRef): string {
  return `${ref.namespace}/${ref.name}`;
}

export function appPartition(ref: AppRef): string {
  return `${ITEM.app}#${appName(ref)}`;
}

export function repoLinkSortKey(repo: string): string {
  return `${ITEM.repoLink}${repo}`;
}

export function resourceSortKey(key: ResourceKey): string {
  return `${ITEM.resource}${keyString(key)}`;
}

/** Chunks carry the content hash so a rewrite never mixes old and new chunks. */
export function chunkPrefix(key: ResourceKey, side: ManifestSide, hash: string): string {
  return `${ITEM.chunk}${keyString(key)}#${side}#${hash.slice(0, 16)}#`;
}

export function chunkSortKey(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(4, '0')}`;
}

export function historySortKey(id: number): string {
  return `${ITEM.history}${String(id).padStart(12, '0')}`;
}

export function deliveryPartition(id: string): string {
  return `${ITEM.delivery}#${id}`;
}
