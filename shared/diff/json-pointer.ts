/**
 * RFC 6901 JSON Pointers, as used by `ignoreDifferences[].jsonPointers`. A pointer is resolved
 * against a concrete document because a token such as `0` means an array index only where the
 * document holds an array at that point.
 */
import { DriftlessError } from '../errors/index.js';
import { type FieldPath, isJsonObject, type PathSegment } from './json-value.js';

/** Splits a pointer into its unescaped tokens (`~1` is `/`, `~0` is `~`, in that order). */
export function parseJsonPointer(pointer: string): readonly string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `jsonPointer "${pointer}": must be empty or start with "/"`,
      {
        context: { jsonPointer: pointer },
      },
    );
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) {
        throw new DriftlessError(
          'INVALID_MANIFEST',
          `jsonPointer "${pointer}": bad escape in token "${token}"`,
          {
            context: { jsonPointer: pointer },
          },
        );
      }
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** The concrete path the pointer names in `doc`, or undefined when the document lacks it. */
export function resolveJsonPointer(doc: unknown, tokens: readonly string[]): FieldPath | undefined {
  const path: PathSegment[] = [];
  let cur: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      const index = Number(token);
      if (index >= cur.length) return undefined;
      path.push(index);
      cur = cur[index];
    } else if (isJsonObject(cur)) {
      if (!Object.hasOwn(cur, token)) return undefined;
      path.push(token);
      cur = cur[token];
    } else {
      return undefined;
    }
  }
  return path;
}
