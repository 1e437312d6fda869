/**
 * Image promotion: the next environment takes the image tags (and digests) the previous one runs.
 * The images of the source environment's kustomization at the commit it synced are copied, by
 * name, into the next environment's kustomization on its branch; only images both name are
 * touched, and each keeps its own newName. The edit is kustomize's (`shared/image` setImages), so
 * the rest of the file stays byte for byte; an edit that changes nothing commits nothing, which
 * makes the rule safe to evaluate on every refresh.
 */
import { posix } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { DriftlessError } from '../errors/index.js';
import { authHeaders, findCredential, GitSourceTree, sanitizeURL } from '../git/index.js';
import { type ImageOverride, type KustomizeImage, setImages } from '../image/index.js';
import type { RepositoryCredential } from '../model/argo-types.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { SourceTree } from '../ports/source-tree.js';
import { type CommitIdentity, commitFile } from './commit-file.js';
import { type OpenedConfigRepository, openConfigRepository } from './config-repository.js';
import { fetchTip, pushCommit } from './promote.js';

/** kustomize's recognised names, in its order. */
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface KustomizationText {
  /** Repository-relative path of the file. */
  readonly path: string;
  readonly text: string;
}

/** The kustomization file of a directory of a tree, as kustomize finds it. */
export async function readKustomization(tree: SourceTree, dir: string): Promise<KustomizationText> {
  const root = dir.replace(/^\.?\/+|\/+$/g, '');
  for (const name of KUSTOMIZATION_NAMES) {
    const path = root === '' || root === '.' ? name : posix.join(root, name);
    const bytes = await tree.readFile(path).catch(() => undefined);
    if (bytes !== undefined) return { path, text: new TextDecoder().decode(bytes) };
  }
  throw new DriftlessError(
    'NOT_FOUND',
    `${sanitizeURL(tree.repoURL)} at ${tree.revision.slice(0, 7)}: ${root || '.'}: no kustomization file (expected one of ${KUSTOMIZATION_NAMES.join(', ')})`,
    { context: { path: root } },
  );
}

/** The `images` entries of a kustomization. */
export function kustomizationImages(file: KustomizationText): readonly KustomizeImage[] {
  return setImages({ text: file.text, path: file.path, overrides: [] }).images;
}

export interface PromoteImagesOptions {
  /** The repository holding the next environment's kustomization. */
  readonly repoURL: string;
  /** Its branch; undefined = the default branch. */
  readonly branch?: string;
  /** Repository-relative directory of the kustomization. */
  readonly path: string;
  /** What the previous environment runs. */
  readonly images: readonly KustomizeImage[];
  readonly credentials?: readonly RepositoryCredential[];
  readonly author: CommitIdentity;
  readonly message: string;
  readonly http?: HttpClient;
  readonly clock?: Clock;
}

interface ImagePromotionFacts {
  /** Repository-relative path of the kustomization file. */
  readonly file: string;
  /** The images set, as they now read in the file. */
  readonly images: readonly KustomizeImage[];
}

export type PromoteImagesResult =
  | ({ readonly kind: 'unchanged' } & ImagePromotionFacts)
  | ({ readonly kind: 'committed'; readonly commit: string; readonly branch: string } & ImagePromotionFacts);

export async function promoteImages(options: PromoteImagesOptions): Promise<PromoteImagesResult> {
  const http = options.http ?? nodeHttp;
  const headers = (url: string) => authHeaders(findCredential(options.credentials ?? [], url));
  const repo = await openConfigRepository({
    location: {
      kind: 'url',
      url: options.repoURL,
      ...(options.branch === undefined ? {} : { branch: options.branch }),
    },
    http,
    headers,
  });
  try {
    return await promoteImagesIn(repo, options, http, headers(options.repoURL));
  } finally {
    await repo.close();
  }
}

async function promoteImagesIn(
  repo: OpenedConfigRepository,
  options: PromoteImagesOptions,
  http: HttpClient,
  headers: Record<string, string>,
): Promise<PromoteImagesResult> {
  let base = repo.base;
  // A refused push means the branch moved: the edit is made again on the new tip, once.
  for (let attempt = 0; attempt < 2; attempt++) {
    const tree = new GitSourceTree({ repoURL: options.repoURL, revision: base, gitdir: repo.gitdir });
    const file = await readKustomization(tree, options.path);
    const edit = setImages({ text: file.text, path: file.path, overrides: overridesFor(file, options) });
    const images = edit.images.filter((i) => options.images.some((s) => s.name === i.name));
    // setImages rewrites the block in kustomize's layout; equal entries are no change to commit.
    const same = JSON.stringify(edit.images) === JSON.stringify(kustomizationImages(file));
    if (!edit.changed || same) return { kind: 'unchanged', file: file.path, images };
    const commit = await commitFile({
      gitdir: repo.gitdir,
      parent: base,
      path: file.path,
      content: edit.text,
      message: `${options.message}\n\n${file.path}: ${images.map(imageText).join(', ')}\n`,
      author: options.author,
      when: (options.clock ?? systemClock).now(),
    });
    if (await pushCommit({ repo, http, headers, oid: commit })) {
      return { kind: 'committed', commit, branch: repo.branch, file: file.path, images };
    }
    base = await fetchTip(repo, http, headers);
  }
  throw new DriftlessError(
    'STATE_CONFLICT',
    `push to ${sanitizeURL(options.repoURL)} ${repo.branch} was refused twice; the branch keeps moving`,
    { retryable: true },
  );
}

/** Tag and digest from the previous environment for each image the file already names. */
function overridesFor(file: KustomizationText, options: PromoteImagesOptions): ImageOverride[] {
  const named = new Set(kustomizationImages(file).map((i) => i.name));
  const overrides = options.images
    .filter((i) => named.has(i.name))
    .map((i) => ({ name: i.name, newName: '*', newTag: i.newTag ?? '', digest: i.digest ?? '' }));
  if (overrides.length === 0) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `${file.path}: images: names none of ${options.images.map((i) => `"${i.name}"`).join(', ') || 'the (no) images of the previous environment'}; nothing to promote`,
      { context: { file: file.path, field: 'images' } },
    );
  }
  return overrides;
}

export function imageText(image: KustomizeImage): string {
  return `${image.name}${image.newTag ? `:${image.newTag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}
