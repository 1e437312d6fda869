/**
 * A read-only view of one repository at one revision: a git commit read straight from the object
 * store, or a plain local directory. Renderers read through it and never touch git themselves.
 * Paths are repository-relative, POSIX, without a leading slash ('' is the root).
 */
export interface TreeEntry {
  readonly name: string;
  /** Repository-relative path. */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'submodule';
  /** Content id: git blob/tree oid, or a content hash for plain directories. */
  readonly id: string;
}

export interface SourceTree {
  /** The repository URL as the Application names it. */
  readonly repoURL: string;
  /** Resolved commit SHA; for a plain directory, a content hash of the whole tree. */
  readonly revision: string;
  /** Content id of the directory (or file) at path; undefined if it does not exist. */
  idOf(path: string): Promise<string | undefined>;
  /** Entries of the directory at path, sorted by name; throws NOT_FOUND if it is not a directory. */
  list(path: string): Promise<readonly TreeEntry[]>;
  readFile(path: string): Promise<Uint8Array>;
  /** Target of a symlink, as stored. */
  readLink(path: string): Promise<string>;
  /**
   * Writes the subtree at `path` (default: the whole tree) into `dir` as real files, for tools that
   * need a filesystem (kustomize, helm). Symlinks that leave the repository are refused.
   */
  materialize(dir: string, options?: { readonly path?: string }): Promise<void>;
}

/** Resolves revisions and opens trees: the git port renderers and the pipeline depend on. */
export interface GitSource {
  /** Resolves targetRevision (branch, tag, SHA, HEAD, refs/pull/N/head ...) to a commit SHA. */
  resolve(repoURL: string, targetRevision: string): Promise<string>;
  /** Opens the tree at a resolved commit (fetching it if it is not cached). */
  open(repoURL: string, commit: string): Promise<SourceTree>;
}
