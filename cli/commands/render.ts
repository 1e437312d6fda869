/**
 * `driftless render APP.yaml [--repo URL=PATH]... [--revision REV] [-o yaml|json]`: prints what
 * the renderer produces for each Application, like `argocd app manifests --source git`.
 */
import { renderApplication } from '../../shared/desired/index.js';
import { messageOf } from '../../shared/errors/index.js';
import { MemoryRenderCache, objectsToYaml } from '../../shared/render/index.js';
import { single } from '../args.js';
import { parseCommandArgs } from '../command-args.js';
import { loadConfig, toolRunner } from '../config.js';
import { gitSourceFor } from '../git-source.js';
import type { CliIO } from '../io.js';

const USAGE = `Usage: driftless render APP.yaml... [--repo URL=PATH]... [--revision REV] [-o yaml|json]

Prints the rendered objects of each Application in APP.yaml (files or directories of Argo CD
YAML) in the renderer's own order. Tracking annotations and namespace defaulting belong to sync.

  --repo URL=PATH   map a repoURL to a local git repository or plain directory (repeatable)
  --revision REV    render this revision instead of each Application's targetRevision
  -o, --output      yaml (default) or json
`;

export async function run(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs({
    command: 'render',
    usage: USAGE,
    args,
    io,
    spec: { values: ['repo', 'revision', 'output'], repeatable: ['repo'], aliases: { o: 'output' } },
    requires: 'APP.yaml',
  });
  if (typeof parsed === 'number') return parsed;
  const output = single(parsed, 'output') ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') {
    io.err(`driftless render: -o must be yaml or json, not "${output}"\n`);
    return 2;
  }
  try {
    const config = await loadConfig(parsed.positionals, io);
    if (!config) return 1;
    const apps = config.objects.applications;
    if (apps.length === 0) {
      io.err(`driftless render: no Application in ${parsed.positionals.join(', ')}\n`);
      return 1;
    }
    const git = await gitSourceFor({
      repoMappings: parsed.values.get('repo') ?? [],
      credentials: config.objects.repositories,
    });
    const tools = toolRunner();
    const cache = new MemoryRenderCache();
    const revision = single(parsed, 'revision');
    const all = [];
    for (const { value: app } of apps) {
      const rendered = await renderApplication({ app, git, tools, cache, revision });
      all.push(...rendered.objects);
    }
    io.out(output === 'json' ? `${JSON.stringify(all, null, 2)}\n` : objectsToYaml(all));
    return 0;
  } catch (e) {
    io.err(`driftless render: ${messageOf(e)}\n`);
    return 1;
  }
}
