/**
 * `driftless diff APP.yaml... [--repo URL=PATH]... [--kubeconfig K] [--context C] [--app NAME]...`:
 * renders each Application, compares it with its cluster as Argo CD's refresh does, and prints an
 * `argocd app diff`-style unified diff for every resource out of sync (resources to prune
 * included). Exit 0 when everything is in sync, 1 when something is not, 2 on any error.
 */
import {
  compareApp,
  ignoreDifferencesFor,
  MemoryPredictedCache,
  scanOwnedInventory,
} from '../../shared/compare/index.js';
import { renderApplication } from '../../shared/desired/index.js';
import { unifiedDiff } from '../../shared/diff/index.js';
import { messageOf } from '../../shared/errors/index.js';
import { appInstanceName } from '../../shared/sync/index.js';
import { openAppWorkspace } from '../app-workspace.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIO } from '../io.js';

const USAGE = `Usage: driftless diff APP.yaml... [--repo URL=PATH]... [--kubeconfig K] [--context C] [--app NAME]...

Renders each Application in APP.yaml (files or directories of Argo CD YAML), compares it with the
live state of its cluster as Argo CD does (server-side dry run, ignoreDifferences from the
Application and argocd-cm) and prints a unified diff per resource that is out of sync, including
resources the app owns but no longer renders (to prune). Exit 0 in sync, 1 out of sync, 2 on error.

  --repo URL=PATH   map a repoURL to a local git repository or plain directory (repeatable)
  --kubeconfig K    kubeconfig file (default $KUBECONFIG, else ~/.kube/config)
  --context C       kubeconfig context for https://kubernetes.default.svc (default: current)
  --app NAME        only the Application with this name (repeatable)

Clusters other than the context's come from Argo CD cluster Secrets among the loaded files.
What the app owns is found by its tracking ids (argocd.argoproj.io/tracking-id) in the cluster.
`;

export async function run(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs({
    command: 'diff',
    usage: USAGE,
    args,
    io,
    spec: { values: ['repo', 'kubeconfig', 'context', 'app'], repeatable: ['repo', 'app'] },
    requires: 'APP.yaml',
  });
  if (typeof parsed === 'number') return parsed;
  try {
    const workspace = await openAppWorkspace('diff', parsed, io);
    if (typeof workspace === 'number') return workspace;
    const { apps, git, tools, renderCache, settings, targets } = workspace;
    let outOfSync = false;
    for (const app of apps) {
      const rendered = await renderApplication({ app, git, tools, cache: renderCache });
      const { kube } = await targets.forApp(app);
      const inventory = await scanOwnedInventory({
        kube,
        appName: appInstanceName(app),
        kinds: rendered.objects,
      });
      const comparison = await compareApp({
        app,
        desired: rendered.objects,
        kube,
        inventory,
        ignore: ignoreDifferencesFor({ app, ...(settings === undefined ? {} : { settings }) }),
        predictedCache: new MemoryPredictedCache(),
      });
      for (const resource of comparison.resources) {
        if (resource.status !== 'OutOfSync' || resource.diff === undefined) continue;
        io.out(unifiedDiff(resource.diff));
        if (resource.predictionError !== undefined) {
          const { kind, namespace, name } = resource.key;
          io.err(
            `${app.metadata.name}: ${kind} ${namespace}/${name}: ${resource.predictionError}; compared the fields git sets\n`,
          );
        }
      }
      const drifted = comparison.resources.filter((r) => r.status === 'OutOfSync').length;
      const compared = comparison.resources.filter((r) => r.hook !== true).length;
      io.err(
        `${app.metadata.name}: ${comparison.syncStatus} (${drifted} of ${compared} resources differ), health ${comparison.health.status} at ${rendered.revisions.join(', ')}\n`,
      );
      if (comparison.syncStatus === 'OutOfSync') outOfSync = true;
    }
    return outOfSync ? 1 : 0;
  } catch (e) {
    io.err(`driftless diff: ${messageOf(e)}\n`);
    return 2;
  }
}
