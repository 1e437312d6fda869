/**
 * Glob matching as Argo CD matches `directory.include` / `directory.exclude` (gobwas/glob compiled
 * without separators): `*` and `**` match any run of characters INCLUDING `/`, `?` one character,
 * `[abc]` / `[!abc]` / `[a-z]` a class, `{a,b}` alternatives (nestable), `\` escapes. The pattern
 * is matched against the whole path relative to the source path. An invalid pattern matches
 * nothing, as in Argo CD (which logs and returns false).
 */
export function globMatcher(pattern: string): (path: string) => boolean {
  const source = compile(pattern);
  if (source === undefined) return () => false;
  const re = new RegExp(`^${source}$`, 's');
  return (path) => re.test(path);
}

function compile(pattern: string): string | undefined {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return undefined;
      out += escapeChar(next);
      i++;
    } else if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) {
      out += '|';
    } else {
      out += escapeChar(c);
    }
  }
  return depth === 0 ? out : undefined;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
