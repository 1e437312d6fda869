/**
 * What the commands that talk to clusters (diff, sync) start from: the Applications the user
 * picked from the loaded Argo CD objects, the git source, the toolchain, a render cache, the
 * argocd-cm settings and the cluster targets.
 */
import type { Application, ArgoCdSettings, ArgoObjects } from '../shared/model/index.js';
import type { GitSource } from '../shared/ports/index.js';
import { MemoryRenderCache } from '../shared/render/index.js';
import type { ProcessToolRunner } from '../shared/tools/index.js';
import { type ParsedArgs, single } from './args.js';
import { loadConfig, toolRunner } from './config.js';
import { gitSourceFor } from './git-source.js';
import type { CliIO } from './io.js';
import { KubeTargets } from './kube-target.js';

export interface AppWorkspace {
  readonly objects: ArgoObjects;
  readonly apps: readonly Application[];
  readonly git: GitSource;
  readonly tools: ProcessToolRunner;
  readonly renderCache: MemoryRenderCache;
  readonly settings?: ArgoCdSettings;
  readonly targets: KubeTargets;
}

/**
 * Loads the files named by the positionals and keeps the Applications `--app` names (all without
 * it). Returns exit code 2 after printing why when there is nothing to work on.
 */
export async function openAppWorkspace(
  command: string,
  parsed: ParsedArgs,
  io: CliIO,
): Promise<AppWorkspace | number> {
  const config = await loadConfig(parsed.positionals, io);
  if (!config) return 2;
  const wanted = parsed.values.get('app');
  const apps = config.objects.applications
    .map((a) => a.value)
    .filter((app) => wanted === undefined || wanted.includes(app.metadata.name));
  if (apps.length === 0) {
    const named = wanted ? ` named ${wanted.join(', ')}` : '';
    io.err(`driftless ${command}: no Application${named} in ${parsed.positionals.join(', ')}\n`);
    return 2;
  }
  const git = await gitSourceFor({
    repoMappings: parsed.values.get('repo') ?? [],
    credentials: config.objects.repositories,
  });
  const kubeconfig = single(parsed, 'kubeconfig');
  const context = single(parsed, 'context');
  const targets = new KubeTargets({
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(context === undefined ? {} : { context }),
    clusterSecrets: config.objects.clusters,
  });
  const settings = config.objects.settings.cm?.value;
  return {
    objects: config.objects,
    apps,
    git,
    tools: toolRunner(),
    renderCache: new MemoryRenderCache(),
    ...(settings === undefined ? {} : { settings }),
    targets,
  };
}
