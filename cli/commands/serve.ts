/**
 * `driftless serve [--config DIR] [--repo URL=PATH]...`: runs Driftless's main job on embedded
 * defaults. With no --config it uses the bundled examples: the Argo CD objects in examples/argocd
 * and examples/config turned into a local git repository. Today the job is to render every
 * Application from git and report what it did; the pipeline (webhooks, state, sync) builds on it.
 */
import { renderApplication } from '../../shared/desired/index.js';
import { messageOf } from '../../shared/errors/index.js';
import { MemoryRenderCache } from '../../shared/render/index.js';
import { cacheRoot } from '../../shared/tools/index.js';
import { parseArgs, single, UsageError } from '../args.js';
import { loadConfig, toolRunner } from '../config.js';
import { buildExampleRepo, EXAMPLE_CONFIG_DIR, EXAMPLE_REPO_URL } from '../example-repo.js';
import { gitSourceFor } from '../git-source.js';
import type { CliIO } from '../io.js';
import { formatTable } from '../table.js';

const USAGE = `Usage: driftless serve [--config DIR] [--repo URL=PATH]...

Runs Driftless on its embedded defaults. Without --config, uses the bundled example config
repository (examples/argocd and examples/config).
`;

export async function run(args: readonly string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(args, {
      values: ['config', 'repo'],
      repeatable: ['repo'],
      flags: ['help'],
      aliases: { h: 'help' },
    });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`driftless serve: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  const configDir = single(parsed, 'config');
  const repoMappings = [...(parsed.values.get('repo') ?? [])];
  try {
    if (!configDir) {
      const repo = await buildExampleRepo(cacheRoot());
      repoMappings.push(`${EXAMPLE_REPO_URL}=${repo}`);
      io.out(
        `Using the bundled example: Argo CD objects from ${EXAMPLE_CONFIG_DIR}, repository ${EXAMPLE_REPO_URL} served from examples/config\n`,
      );
    }
    const config = await loadConfig([configDir ?? EXAMPLE_CONFIG_DIR], io);
    if (!config) return 1;
    const git = await gitSourceFor({ repoMappings, credentials: config.objects.repositories });
    const tools = toolRunner();
    const cache = new MemoryRenderCache();
    const rows: string[][] = [];
    let failures = 0;
    let total = 0;
    const started = Date.now();
    for (const { value: app } of config.objects.applications) {
      try {
        const rendered = await renderApplication({ app, git, tools, cache });
        total += rendered.objects.length;
        for (const source of rendered.sources) {
          rows.push([
            app.metadata.name,
            source.sourceType,
            `${source.path || '.'}@${source.targetRevision}`,
            source.commit.slice(0, 7),
            String(source.objectCount),
            `${Math.round(source.durationMs)} ms`,
          ]);
        }
      } catch (e) {
        failures++;
        rows.push([app.metadata.name, 'error', messageOf(e), '', '', '']);
      }
    }
    io.out(formatTable(['APP', 'TYPE', 'SOURCE', 'COMMIT', 'OBJECTS', 'RENDER'], rows));
    io.out(
      `Rendered ${config.objects.applications.length - failures} of ${config.objects.applications.length} Applications (${total} objects) in ${Date.now() - started} ms` +
        `${failures > 0 ? `; ${failures} failed` : ''}.\n`,
    );
    return failures > 0 ? 1 : 0;
  } catch (e) {
    io.err(`driftless serve: ${messageOf(e)}\n`);
    return 1;
  }
}
