/**
 * Kustomize as Argo CD runs it: the whole repository is written to a private directory, the
 * Application's kustomize options are applied to the kustomization in the source path, and
 * `kubectl kustomize <path>` builds it from the repository root with the default load
 * restrictor (LoadRestrictionsRootOnly), no plugins, no helm, the ARGOCD_APP_* environment.
 */

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DriftlessError } from '../errors/index.js';
import type { KubeObject } from '../model/kube-object.js';
import { applyKustomizeEdits, hasKustomizeEdits } from './kustomize-edit.js';
import { checkKustomizeReferences, kustomizationFileIn } from './kustomize-references.js';
import { RenderBudget } from './limits.js';
import { isRecord, parseYamlDocuments, toKubeObjects, valueToYaml } from './manifest-yaml.js';
import { materializeTree } from './materialize.js';
import { runTool } from './run-tool.js';
import type { RenderContext } from './types.js';
import { withWorkDir } from './work-dir.js';

export async function renderKustomize(context: RenderContext): Promise<KubeObject[]> {
  const { request, sourcePath, limits, env } = context;
  return withWorkDir(async (work) => {
    await materializeTree({ tree: request.tree, dir: work.repoDir, budget: new RenderBudget(limits) });
    const file = kustomizationFileIn(work.repoDir, sourcePath);
    if (file && hasKustomizeEdits(request.source.kustomize)) {
      await editKustomization(context, join(work.repoDir, file), file);
    } else if (!file && hasKustomizeEdits(request.source.kustomize)) {
      throw new DriftlessError('RENDER_FAILED', `${sourcePath || '.'}: kustomization file not found`, {
        context: { path: sourcePath },
      });
    }
    checkKustomizeReferences({
      repoDir: work.repoDir,
      start: sourcePath,
      maxAliasCount: limits.maxAliasCount,
    });
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
    return toKubeObjects(
      parseYamlDocuments(stdout, { path: where, maxAliasCount: limits.maxAliasCount }),
      where,
    );
  });
}

async function editKustomization(context: RenderContext, absolute: string, file: string): Promise<void> {
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
