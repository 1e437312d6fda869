/**
 * The two glob dialects the git generator inherits from Argo CD. Directories (and branch names)
 * match with Go's `path.Match`: `*` and `?` stop at `/`, `[...]` classes, `\` escapes, and the
 * whole path must match. Files are listed by `git ls-files -- <pattern>`, whose pathspec glob
 * lets `*` cross `/` and also matches everything under a directory the pattern names literally.
 */
import { DriftlessError } from '../errors/index.js';

const cache = new Map<string, RegExp>();

/** Go's `path.Match(pattern, name)`; a malformed pattern is an error naming it. */
export function goPathMatch(pattern: string, name: string): boolean {
  return compile(`go:${pattern}`, () => globToRegExp(pattern, false)).test(name);
}

/** `git ls-files` pathspec matching without magic signatures. */
export function gitPathspecMatch(pattern: string, file: string): boolean {
  const literal = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (literal === '' || literal === '.') return true;
  if (file === literal || file.startsWith(`${literal}/`)) return true;
  if (!/[*?[]/.test(literal)) return false;
  return compile(`git:${literal}`, () => globToRegExp(literal, true)).test(file);
}

function compile(key: string, build: () => RegExp): RegExp {
  let re = cache.get(key);
  if (!re) {
    re = build();
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

function globToRegExp(pattern: string, starCrossesSlash: boolean): RegExp {
  const any = starCrossesSlash ? '[\\s\\S]' : '[^/]';
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') out += `${any}*`;
    else if (ch === '?') out += any;
    else if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw badPattern(pattern);
      out += escapeRegExp(next);
      i++;
    } else if (ch === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) throw badPattern(pattern);
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^') || (starCrossesSlash && body.startsWith('!'));
      if (negated) body = body.slice(1);
      if (body === '') throw badPattern(pattern);
      const inner = body.replace(/\\(.)/g, '$1').replace(/[\]\\^]/g, '\\$&');
      out += negated ? `[^${inner}${starCrossesSlash ? '' : '/'}]` : `[${inner}]`;
      i = end;
    } else out += escapeRegExp(ch);
  }
  return new RegExp(`^${out}$`, 'u');
}

function classEnd(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']' && i > start + 1) return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function badPattern(pattern: string): DriftlessError {
  return new DriftlessError('INVALID_MANIFEST', `syntax error in pattern ${JSON.stringify(pattern)}`);
}
