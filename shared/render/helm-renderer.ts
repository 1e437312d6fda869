/**
 * Helm as Argo CD runs it (`helm template`) for a chart in the repository: release name defaults
 * to the Application name, namespace to the destination's; value files resolve against the chart
 * directory (absolute ones against the repository root) and may not leave the repository;
 * `valuesObject` wins over `values` and goes in as the last values file; parameters become
 * `--set` / `--set-string` (commas escaped as Argo CD does), file parameters `--set-file`.
 * CRDs are included unless `skipCrds`. Dependencies must be vendored in `charts/`: nothing is
 * downloaded. Helm's cache, config and data homes are private to the render.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DriftlessError, isDriftlessError } from '../errors/index.js';
import type { ApplicationSourceHelm } from '../model/argo-types.js';
import { apiVersionsOf, envsubst, kubeVersionOf } from './app-env.js';
import { helmReach } from './helm-reach.js';
import { RenderBudget } from './limits.js';
import { parseYamlDocuments, toKubeObjects, valueToYaml } from './manifest-yaml.js';
import { materializePaths, materializeTree } from './materialize.js';
import type { RenderReach } from './render-reach.js';
import { runTool } from './run-tool.js';
import { assertNoEscapingSymlinks } from './symlink-scan.js';
import { TreeLookup } from './tree-lookup.js';
import type { MaterializedCopy, RenderContext, ToolRender } from './types.js';
import { type WorkDir, withWorkDir } from './work-dir.js';

/** What a helm render will read, known before it runs: the cache key is computed from it. */
export interface HelmPlan {
  readonly lookup: TreeLookup;
  readonly reach: RenderReach;
}

/** Reads listings and Chart.yaml files only, so it stays cheap when the render is then a cache hit. */
export async function planHelm(context: RenderContext): Promise<HelmPlan> {
  const { request, sourcePath, limits } = context;
  await assertNoEscapingSymlinks(request.tree);
  const lookup = new TreeLookup(request.tree);
  const reach = await helmReach({
    lookup,
    chartPath: sourcePath,
    files: referencedFiles(context),
    maxAliasCount: limits.maxAliasCount,
    maxFileBytes: limits.maxFileBytes,
  });
  return { lookup, reach };
}

export async function renderHelm(context: RenderContext, plan: HelmPlan): Promise<ToolRender> {
  const { request, sourcePath, limits, env } = context;
  const { reach } = plan;
  return withWorkDir(async (work) => {
    const budget = new RenderBudget(limits);
    const target = { tree: request.tree, dir: work.repoDir, budget };
    const materialized: MaterializedCopy =
      reach.kind === 'paths'
        ? { files: await materializePaths({ ...target, ...reach }), scope: 'reachable' }
        : { files: await materializeTree(target), scope: 'repository', reason: reach.reason };
    const args = await helmArgs(context, work);
    const homes = {
      cache: join(work.root, 'helm-cache'),
      config: join(work.root, 'helm-config'),
      data: join(work.root, 'helm-data'),
    };
    await Promise.all(Object.values(homes).map((d) => mkdir(d, { recursive: true })));
    let stdout: string;
    try {
      stdout = await runTool({
        tools: request.tools,
        tool: 'helm',
        args,
        workDir: work.root,
        repoDir: work.repoDir,
        env: {
          ...env,
          HOME: work.root,
          HELM_CACHE_HOME: homes.cache,
          HELM_CONFIG_HOME: homes.config,
          HELM_DATA_HOME: homes.data,
        },
        limits,
        path: sourcePath,
        label: 'helm template',
      });
    } catch (e) {
      if (
        isDriftlessError(e, 'RENDER_FAILED') &&
        /missing in charts\/ directory|dependencies/i.test(e.message)
      ) {
        throw new DriftlessError(
          'RENDER_FAILED',
          `${e.message} (chart dependencies must be vendored in charts/; they are not downloaded)`,
          { context: e.context, cause: e },
        );
      }
      throw e;
    }
    const where = `${sourcePath || '.'}: helm template output`;
    const objects = toKubeObjects(
      parseYamlDocuments(stdout, { path: where, maxAliasCount: limits.maxAliasCount }),
      where,
    );
    return { objects, materialized };
  });
}

/** Value and file-parameter files, resolved (and refused) exactly as helmArgs resolves them. */
function referencedFiles(context: RenderContext): string[] {
  const { request, sourcePath, env } = context;
  const helm: ApplicationSourceHelm = request.source.helm ?? {};
  const files = (helm.fileParameters ?? []).map((p) =>
    resolveRepoPath(sourcePath, envsubst(p.path, env), `spec.source.helm.fileParameters[${p.name}]`),
  );
  for (const valueFile of helm.valueFiles ?? []) {
    files.push(resolveRepoPath(sourcePath, envsubst(valueFile, env), 'spec.source.helm.valueFiles'));
  }
  return files;
}

async function helmArgs(context: RenderContext, work: WorkDir): Promise<string[]> {
  const { request, sourcePath, env } = context;
  const helm: ApplicationSourceHelm = request.source.helm ?? {};
  const chart = sourcePath || '.';
  const args = ['template', chart, '--name-template', helm.releaseName || request.appName];
  const namespace = helm.namespace || request.destinationNamespace;
  if (namespace) args.push('--namespace', namespace);
  const kubeVersion = kubeVersionOf(request);
  if (kubeVersion) args.push('--kube-version', kubeVersion);

  const set = new Map<string, string>();
  const setString = new Map<string, string>();
  for (const p of helm.parameters ?? []) {
    const into = p.forceString ? setString : set;
    (p.forceString ? set : setString).delete(p.name);
    into.set(p.name, p.value);
  }
  for (const [name, value] of set) args.push('--set', `${name}=${escapeSetValue(value)}`);
  for (const [name, value] of setString) args.push('--set-string', `${name}=${escapeSetValue(value)}`);
  for (const p of helm.fileParameters ?? []) {
    const file = resolveRepoPath(
      sourcePath,
      envsubst(p.path, env),
      `spec.source.helm.fileParameters[${p.name}]`,
    );
    args.push('--set-file', `${p.name}=${escapeSetValue(file)}`);
  }
  for (const valueFile of helm.valueFiles ?? []) {
    const file = resolveRepoPath(sourcePath, envsubst(valueFile, env), 'spec.source.helm.valueFiles');
    if (!existsSync(join(work.repoDir, file))) {
      if (helm.ignoreMissingValueFiles) continue;
      throw new DriftlessError(
        'RENDER_FAILED',
        `${chart}: values file ${valueFile} not found (resolved to ${file})`,
        {
          context: { path: file, field: 'spec.source.helm.valueFiles' },
        },
      );
    }
    args.push('--values', file);
  }
  const inline =
    helm.valuesObject !== undefined && helm.valuesObject !== null
      ? valueToYaml(helm.valuesObject)
      : typeof helm.values === 'string' && helm.values.trim() !== ''
        ? helm.values
        : undefined;
  if (inline !== undefined) {
    const file = join(work.root, 'application-values.yaml');
    await writeFile(file, inline);
    args.push('--values', file);
  }
  for (const v of apiVersionsOf(request) ?? []) args.push('--api-versions', v);
  if (!helm.skipCrds) args.push('--include-crds');
  if (helm.skipSchemaValidation) args.push('--skip-schema-validation');
  if (helm.skipTests) args.push('--skip-tests');
  return args;
}

/**
 * A repository-relative path for a value or file parameter: relative to the chart, or to the
 * repository root when absolute. Leaving the repository and remote URLs are refused.
 */
export function resolveRepoPath(chartPath: string, ref: string, field: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
    throw new DriftlessError(
      'RENDER_FAILED',
      `${chartPath || '.'}: ${field}: remote file ${ref} is not supported`,
      {
        context: { field },
      },
    );
  }
  const resolved = posix.isAbsolute(ref)
    ? posix.normalize(ref).replace(/^\/+/, '')
    : posix.normalize(posix.join(chartPath, ref));
  if (resolved === '..' || resolved.startsWith('../')) {
    throw new DriftlessError(
      'RENDER_FAILED',
      `${chartPath || '.'}: ${field}: ${ref} resolves outside the repository`,
      {
        context: { field, reference: ref },
      },
    );
  }
  return resolved === '' ? '.' : resolved;
}

/** Argo CD escapes unescaped commas so a value is never split into several keys; `{a,b}` lists are kept. */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === ',' && value[i - 1] !== '\\') out += '\\,';
    else out += c;
  }
  return out;
}
