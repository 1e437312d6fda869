/**
 * Kustomize as Argo CD runs it: the Application's kustomize options are applied to the
 * kustomization in the source path, and `kubectl kustomize <path>` builds it from the repository
 * root with the default load restrictor (LoadRestrictionsRootOnly), no plugins, no helm, the
 * ARGOCD_APP_* environment. Order: refuse escaping symlinks anywhere in the repository; apply
 * the edits in memory; walk the kustomization graph (refusing references that leave the
 * repository) to find what kustomize can read; write only that to a private directory, or the
 * whole repository when the graph holds something that cannot be followed statically; run.
 */

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DriftlessError } from '../errors/index.js';
import { applyKustomizeEdits, hasKustomizeEdits } from './kustomize-edit.js';
import { kustomizeReach, treeKustomizeSource } from './kustomize-reach.js';
import {
  checkKustomizeReferences,
  kustomizationFileIn,
  kustomizationFileOf,
} from './kustomize-references.js';
import { RenderBudget } from './limits.js';
import { isRecord, parseYamlDocuments, toKubeObjects, valueToYaml } from './manifest-yaml.js';
import { materializePaths, materializeTree } from './materialize.js';
import type { RenderReach } from './render-reach.js';
import { runTool } from './run-tool.js';
import { assertNoEscapingSymlinks } from './symlink-scan.js';
import { TreeLookup } from './tree-lookup.js';
import type { MaterializedCopy, RenderContext, ToolRender } from './types.js';
import { withWorkDir } from './work-dir.js';

export interface EditedKustomization {
  /** Repository-relative kustomization file. */
  readonly file: string;
  readonly value: Record<string, unknown>;
}

/** What a kustomize render will read, known before it runs: the cache key is computed from it. */
export interface KustomizePlan {
  readonly lookup: TreeLookup;
  readonly reach: RenderReach;
  readonly edited: EditedKustomization | 'on-disk' | undefined;
}

/** Reads only kustomization files and listings, so it stays cheap when the render is then a cache hit. */
export async function planKustomize(context: RenderContext): Promise<KustomizePlan> {
  const { request, sourcePath, limits } = context;
  await assertNoEscapingSymlinks(request.tree);
  const lookup = new TreeLookup(request.tree);
  const edited = await editInMemory(context, lookup);
  const reach: RenderReach =
    edited === 'on-disk'
      ? { kind: 'repository', reason: `${sourcePath || '.'}: symlinked kustomization` }
      : await kustomizeReach({
          lookup,
          start: sourcePath,
          maxAliasCount: limits.maxAliasCount,
          maxFileBytes: limits.maxFileBytes,
          edited: edited?.value,
        });
  return { lookup, reach, edited };
}

export async function renderKustomize(context: RenderContext, plan: KustomizePlan): Promise<ToolRender> {
  const { request, sourcePath, limits, env } = context;
  const { reach, edited } = plan;
  return withWorkDir(async (work) => {
    const budget = new RenderBudget(limits);
    let materialized: MaterializedCopy;
    if (reach.kind === 'paths') {
      const files = await materializePaths({ tree: request.tree, dir: work.repoDir, budget, ...reach });
      if (edited && edited !== 'on-disk') {
        await writeFile(join(work.repoDir, edited.file), valueToYaml(edited.value));
      }
      materialized = { files, scope: 'reachable' };
    } else {
      const files = await materializeTree({ tree: request.tree, dir: work.repoDir, budget });
      if (edited === 'on-disk') {
        const file = kustomizationFileIn(work.repoDir, sourcePath);
        if (file) await editOnDisk(context, join(work.repoDir, file), file);
      } else if (edited) {
        await writeFile(join(work.repoDir, edited.file), valueToYaml(edited.value));
      }
      // Links the tree walk could not follow are real on disk: check what they lead to.
      await checkKustomizeReferences({
        repoDir: work.repoDir,
        start: sourcePath,
        maxAliasCount: limits.maxAliasCount,
      });
      materialized = { files, scope: 'repository', reason: reach.reason };
    }
    const stdout = await runTool({
      tools: request.tools,
      tool: 'kubectl',
      args: ['kustomize', sourcePath || '.'],
      workDir: work.root,
      repoDir: work.repoDir,
      env: { ...env, HOME: work.root, XDG_CONFIG_HOME: join(work.root, 'config') },
      limits,
      path: sourcePath,
      label: 'kubectl kustomize',
    });
    const where = `${sourcePath || '.'}: kubectl kustomize output`;
    const objects = toKubeObjects(
      parseYamlDocuments(stdout, { path: where, maxAliasCount: limits.maxAliasCount }),
      where,
    );
    return { objects, materialized };
  });
}

/**
 * The source kustomization with the Application's options applied, read through the tree.
 * 'on-disk' when the file is a symlink: it is then edited on a full copy, as it resolves there.
 */
async function editInMemory(
  context: RenderContext,
  lookup: TreeLookup,
): Promise<EditedKustomization | 'on-disk' | undefined> {
  const { request, sourcePath, limits } = context;
  const options = request.source.kustomize;
  if (!hasKustomizeEdits(options)) return undefined;
  const source = treeKustomizeSource(lookup, limits.maxFileBytes);
  const found = await kustomizationFileOf(source, sourcePath);
  if (!found) {
    throw new DriftlessError('RENDER_FAILED', `${sourcePath || '.'}: kustomization file not found`, {
      context: { path: sourcePath },
    });
  }
  if (found.kind !== 'file') return 'on-disk';
  const docs = parseYamlDocuments(await source.readText(found.path), {
    path: found.path,
    maxAliasCount: limits.maxAliasCount,
  });
  const kustomization = docs[0]?.value ?? {};
  if (!isRecord(kustomization)) {
    throw new DriftlessError('RENDER_FAILED', `${found.path}: expected a map`, {
      context: { path: found.path },
    });
  }
  const present = new Set<string>();
  for (const component of options?.components ?? []) {
    const resolved = posix.normalize(posix.join(sourcePath, component));
    // A component above the root is kept so that the reference check refuses it by name.
    const outside = posix.isAbsolute(component) || resolved === '..' || resolved.startsWith('../');
    if (outside || (await lookup.entry(resolved === '.' ? '' : resolved))) present.add(component);
  }
  const value = applyKustomizeEdits({
    kustomization,
    options: options ?? {},
    env: context.env,
    file: found.path,
    componentExists: (path) => present.has(path),
  });
  return { file: found.path, value };
}

async function editOnDisk(context: RenderContext, absolute: string, file: string): Promise<void> {
  const docs = parseYamlDocuments(await readFile(absolute, 'utf8'), {
    path: file,
    maxAliasCount: context.limits.maxAliasCount,
  });
  const kustomization = docs[0]?.value ?? {};
  if (!isRecord(kustomization)) {
    throw new DriftlessError('RENDER_FAILED', `${file}: expected a map`, { context: { path: file } });
  }
  const edited = applyKustomizeEdits({
    kustomization,
    options: context.request.source.kustomize ?? {},
    env: context.env,
    file,
    componentExists: (path) => existsSync(join(absolute, '..', path)),
  });
  await writeFile(absolute, valueToYaml(edited));
}
