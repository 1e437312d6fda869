/**
 * The `driftless` command. Each subcommand lives in cli/commands/<name>.ts and exports
 * `run(args, io)` returning the exit code; this file only dispatches, so subcommands load lazily
 * and start fast.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO, Command } from './io.js';
import { processIO } from './io.js';

const USAGE = `driftless — serverless GitOps for EKS that reads Argo CD's YAML

Usage: driftless <command> [options]

Commands:
  render APP.yaml    render the manifests of each Application (like argocd app manifests)
  validate PATH...   check every Argo CD object under PATH
  appset generate    print the Applications an ApplicationSet generates
  promote APP        change an Application's targetRevision by a commit to the config repo
  image set DIR      set images in a kustomization, as kustomize edit set image does
  app                list, inspect and sync the Applications of a running Driftless
  diff APP.yaml      compare desired with live state
  sync APP.yaml      apply an Application to its cluster
  serve              run the local platform

Run 'driftless <command> --help' for a command's options.`;

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (!/^[a-z][a-z-]*$/.test(name) || !commandExists(name)) {
    io.err(`driftless: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  const command = (await import(`./commands/${name}.ts`)) as Command;
  return command.run(args, io);
}

function commandExists(name: string): boolean {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, 'commands', `${name}.ts`));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`driftless: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
