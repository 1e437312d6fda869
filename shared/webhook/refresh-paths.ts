/**
 * Which changed files concern which source. Argo CD's rules (util/app/path: `GetSourceRefreshPaths`,
 * `AppFilesHaveChanged`), matched here:
 * - only with the `argocd.argoproj.io/manifest-generate-paths` annotation are paths looked at at
 *   all; without it every app whose repository and revision match is refreshed, whatever the
 *   files (a source path is NOT used as a filter by default);
 * - the annotation is a `;`-separated list; an entry starting with `/` is relative to the
 *   repository root, any other (including `.`) is joined to the source's `path`;
 * - a changed file concerns an entry when it is that entry, lies in that directory or below, or
 *   matches it as a Go `filepath.Match` glob (`*` and `?` stay within one path segment, `[...]`
 *   classes, `\` escapes; no `**`);
 * - an empty list of changed files means the payload did not say, so every app is refreshed.
 */
import { posix } from 'node:path';

export const MANIFEST_GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

/** Refresh paths (repository-relative, no leading `/`) of one source; empty when not annotated. */
export function sourceRefreshPaths(annotation: string | undefined, sourcePath: string | undefined): string[] {
  if (annotation === undefined || annotation === '') return [];
  const paths: string[] = [];
  for (const raw of annotation.split(';')) {
    const item = raw.trim();
    if (item === '') continue;
    paths.push(item.startsWith('/') ? item.slice(1) : posix.normalize(posix.join(sourcePath ?? '', item)));
  }
  return paths;
}

/**
 * The changed files of one event, made absolute and split into directories once, so routing an
 * event across thousands of apps does not redo that work (or recompile globs) per app.
 */
export class ChangedFiles {
  readonly #files: ReadonlyArray<{ readonly path: string; readonly directory: string }>;
  readonly #globs = new Map<string, RegExp | undefined>();

  constructor(files: readonly string[]) {
    this.#files = files.map((file) => {
      const path = posix.normalize(absolute(file));
      return { path, directory: posix.dirname(path) };
    });
  }

  /** No list: the payload did not say which files changed. */
  get unknown(): boolean {
    return this.#files.length === 0;
  }

  /** Argo CD's `AppFilesHaveChanged`: true without a list or without refresh paths. */
  touch(refreshPaths: readonly string[]): boolean {
    if (this.unknown || refreshPaths.length === 0) return true;
    return refreshPaths.some((refreshPath) => {
      const root = posix.normalize(absolute(refreshPath));
      const glob = GLOB_META.test(root) ? this.#glob(root) : undefined;
      return this.#files.some(
        (file) => file.path === root || isUnderRoot(root, file.directory) || glob?.test(file.path) === true,
      );
    });
  }

  #glob(pattern: string): RegExp | undefined {
    if (!this.#globs.has(pattern)) this.#globs.set(pattern, goGlobRegExp(pattern));
    return this.#globs.get(pattern);
  }
}

/** Without these a Go glob matches only itself, which the equality test already covers. */
const GLOB_META = /[*?[\\]/;

export function filesHaveChanged(refreshPaths: readonly string[], changedFiles: readonly string[]): boolean {
  return new ChangedFiles(changedFiles).touch(refreshPaths);
}

function absolute(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** The file's directory is the root or below it (Argo CD's `EnforceToCurrentRoot`). */
function isUnderRoot(root: string, directory: string): boolean {
  const cleanRoot = root.length > 1 ? root.replace(/\/+$/, '') : root;
  if (cleanRoot === '/' || cleanRoot === directory) return true;
  return directory.startsWith(`${cleanRoot}/`);
}

/** Go's `filepath.Match` on `/`-separated paths; a malformed pattern matches nothing, as in Go. */
export function goGlobMatch(pattern: string, name: string): boolean {
  const regex = goGlobRegExp(pattern);
  return regex?.test(name) === true;
}

function goGlobRegExp(pattern: string): RegExp | undefined {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\') {
      const next = pattern[++i];
      if (next === undefined) return undefined;
      source += escapeChar(next);
    } else if (char === '[') {
      const end = classEnd(pattern, i + 1);
      if (end < 0) return undefined;
      const body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      const members = classMembers(negated ? body.slice(1) : body);
      if (members === undefined) return undefined;
      // A class never matches the separator, negated or not.
      source += negated ? `[^/${members}]` : `(?!/)[${members}]`;
      i = end;
    } else source += escapeChar(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeChar(char: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

/** Index of the `]` closing a class that starts at `from`, honouring `\` escapes; -1 if none. */
function classEnd(pattern: string, from: number): number {
  let i = from;
  if (pattern[i] === '^') i++;
  for (; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === ']') return i;
  }
  return -1;
}

/** The members of a class body as a RegExp class body; undefined when Go would call it malformed. */
function classMembers(body: string): string | undefined {
  if (body === '') return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    let char = body[i] as string;
    // Go refuses a bare `-` where a member should start.
    if (char === '-') return undefined;
    if (char === '\\') {
      char = body[++i] ?? '';
      if (char === '') return undefined;
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      let high = body[i + 2] as string;
      let skip = 2;
      if (high === '\\') {
        high = body[i + 3] ?? '';
        skip = 3;
        if (high === '') return undefined;
      }
      if (high < char) return undefined;
      out += `${escapeChar(char)}-${escapeChar(high)}`;
      i += skip;
    } else out += escapeChar(char);
  }
  return out;
}
