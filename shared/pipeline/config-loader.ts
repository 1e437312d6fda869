/**
 * Loading the Argo CD objects the platform runs on: from a directory (`driftless serve --config`)
 * or from the config repository at its branch head (the Lambdas). Both end in the same parse, so a
 * document that `driftless validate` refuses is refused here with the same message.
 */
import { posix } from 'node:path';
import { DriftlessError } from '../errors/index.js';
// Straight to the Secret parser: the kube module's index brings the Kubernetes client with it.
import { clusterFromSecret, isClusterSecret } from '../kube/argocd-cluster-secret.js';
import type { Cluster } from '../kube/cluster.js';
import {
  type KubeObject,
  type LoadedDocument,
  loadDocuments,
  parseArgoObjects,
  parseDocuments,
  problemsError,
} from '../model/index.js';
import type { GitSource, SourceTree } from '../ports/source-tree.js';
import {
  type ConfigSource,
  findArgoCdSecret,
  parseWebhookSecrets,
  type WebhookSecrets,
} from '../webhook/index.js';
import type { ConfigLoader, PlatformConfig } from './deps.js';

export interface ConfigFromDocumentsOptions {
  readonly documents: readonly LoadedDocument[];
  readonly configSource?: ConfigSource;
  /** Secrets that win over argocd-secret (Secrets Manager in AWS). */
  readonly webhookSecrets?: WebhookSecrets;
  /** Region for EKS cluster Secrets whose server URL names none. */
  readonly defaultRegion?: string;
}

/** Parses documents into a PlatformConfig; every problem of every document is reported at once. */
export function configFromDocuments(options: ConfigFromDocumentsOptions): PlatformConfig {
  const objects = parseArgoObjects(options.documents);
  if (objects.problems.length > 0) throw problemsError(objects.problems);
  let webhookSecrets: WebhookSecrets = {};
  const secretDoc = findArgoCdSecret(options.documents);
  if (secretDoc !== undefined) {
    const parsed = parseWebhookSecrets(secretDoc);
    if (parsed.kind === 'invalid') throw problemsError(parsed.problems);
    webhookSecrets = parsed.value;
  }
  const clusters: Cluster[] = options.documents
    .map((doc) => doc.object as unknown as KubeObject)
    .filter((obj) => isClusterSecret(obj))
    .map((obj) =>
      clusterFromSecret(
        obj,
        options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion },
      ),
    );
  return {
    applications: objects.applications.map((a) => a.value),
    ...(objects.applicationSets.length === 0
      ? {}
      : { applicationSets: objects.applicationSets.map((a) => a.value) }),
    ...(objects.settings.cm === undefined ? {} : { settings: objects.settings.cm.value }),
    repositories: objects.repositories,
    clusters,
    webhookSecrets: { ...webhookSecrets, ...definedOnly(options.webhookSecrets ?? {}) },
    ...(options.configSource === undefined ? {} : { configSource: options.configSource }),
  };
}

function definedOnly(secrets: WebhookSecrets): WebhookSecrets {
  return Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined && v !== ''));
}

export interface DirectoryConfigOptions {
  readonly paths: readonly string[];
  readonly configSource?: ConfigSource;
  readonly webhookSecrets?: WebhookSecrets;
}

export function directoryConfigLoader(options: DirectoryConfigOptions): ConfigLoader {
  return {
    async load() {
      const documents = await loadDocuments(options.paths);
      return configFromDocuments({
        documents,
        ...(options.configSource === undefined ? {} : { configSource: options.configSource }),
        ...(options.webhookSecrets === undefined ? {} : { webhookSecrets: options.webhookSecrets }),
      });
    },
  };
}

export interface GitConfigOptions {
  readonly git: GitSource;
  readonly source: ConfigSource;
  /** Overrides what is read from argocd-secret (Secrets Manager in AWS); read on every load. */
  readonly webhookSecrets?: () => Promise<WebhookSecrets>;
  readonly defaultRegion?: string;
}

const MANIFEST = /\.(ya?ml|json)$/;

/** The config repository at the head of its branch: every manifest under the configured path. */
export function gitConfigLoader(options: GitConfigOptions): ConfigLoader {
  return {
    async load() {
      const documents = await documentsFromGit({ git: options.git, source: options.source });
      const secrets = options.webhookSecrets ? await options.webhookSecrets() : undefined;
      return configFromDocuments({
        documents,
        configSource: options.source,
        ...(secrets === undefined ? {} : { webhookSecrets: secrets }),
        ...(options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion }),
      });
    },
  };
}

export interface DocumentsFromGitOptions {
  readonly git: GitSource;
  readonly source: ConfigSource;
}

/**
 * Every document of every manifest (`.yaml`, `.yml`, `.json`) under the source's path at the head
 * of its branch, files in name order; none at all is an error naming the repository and path.
 */
export async function documentsFromGit(options: DocumentsFromGitOptions): Promise<LoadedDocument[]> {
  const { git, source } = options;
  const commit = await git.resolve(source.repoURL, source.targetRevision || 'HEAD');
  const tree = await git.open(source.repoURL, commit);
  const root = rootOf(source.path);
  const documents: LoadedDocument[] = [];
  for (const file of await manifestFiles(tree, root)) {
    const text = new TextDecoder().decode(await tree.readFile(file));
    documents.push(...parseDocuments({ file, text }));
  }
  if (documents.length === 0) {
    throw new DriftlessError(
      'NOT_FOUND',
      `config repository ${source.repoURL} at ${commit.slice(0, 7)}: no manifests under "${root || '.'}"`,
      { context: { path: root } },
    );
  }
  return documents;
}

/** The path as a tree lists it: no leading `./` or `/`, no trailing `/`; `.` is the root. */
function rootOf(path: string | undefined): string {
  const trimmed = (path ?? '').replace(/^(\.\/|\/)+|\/+$/g, '');
  return trimmed === '.' ? '' : trimmed;
}

async function manifestFiles(tree: SourceTree, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await tree.list(dir)) {
    if (entry.type === 'dir') files.push(...(await manifestFiles(tree, entry.path)));
    else if (entry.type === 'file' && MANIFEST.test(posix.basename(entry.path))) files.push(entry.path);
  }
  return files.sort();
}
