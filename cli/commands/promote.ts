/**
 * `driftless promote APP --to REV`: moves an Application to another revision (a tag, branch, SHA
 * or semver constraint) by committing the targetRevision change to the config repository and
 * pushing it; the sync then follows from the webhook like any other change.
 */
import * as fs from 'node:fs';
import * as isogit from 'isomorphic-git';
import { DriftlessError, messageOf } from '../../shared/errors/index.js';
import { createGitSource, parseLocalSourceMappings, sanitizeURL } from '../../shared/git/index.js';
import { loadDocuments, parseArgoObjects, type RepositoryCredential } from '../../shared/model/index.js';
import { type CommitIdentity, type ConfigRepositoryLocation, promote } from '../../shared/promote/index.js';
import { single } from '../args.js';
import { parseCommandArgs, usageError } from '../command-args.js';
import type { CliIO } from '../io.js';

const USAGE = `Usage: driftless promote APP --to REV [options]

Sets spec.source.targetRevision of Application APP to REV (a tag such as v1.1.0,
a branch, a commit SHA, or a semver constraint such as ">=1.2 <2") and commits
the change to the config repository. REV must resolve in the Application's
repository first. If the push is refused because the branch moved, the change is
re-applied on the new tip once, unless that targetRevision changed meanwhile.

  --config DIR|URL      a checkout of the config repository (default: .), or its
                        URL, fetched into a temporary directory
  --branch NAME         with a URL: the branch to commit to (default: the default branch)
  --repo URL=PATH       map a repoURL to a local git repository (repeatable)
  --secrets PATH        Argo CD repository Secrets (files or directories) whose
                        credentials fetch and push (repeatable)
  --author "Name <e>"   commit author (default: git config user.name/user.email,
                        then GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL)
  --message M           commit subject instead of "promote APP: targetRevision A -> B (by NAME)"
  --source N            for multi-source Applications: which spec.sources entry (0-based)
  --no-commit           print the change and the edited file; write nothing

Exit status: 0 on success (or nothing to change), 1 when the promotion is refused
or fails, 2 on a usage error.
`;

export async function run(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs({
    command: 'promote',
    usage: USAGE,
    args,
    io,
    spec: {
      values: ['to', 'config', 'branch', 'repo', 'secrets', 'author', 'message', 'source'],
      repeatable: ['repo', 'secrets'],
      flags: ['no-commit'],
    },
  });
  if (typeof parsed === 'number') return parsed;
  const [application, ...extra] = parsed.positionals;
  const revision = single(parsed, 'to');
  if (!application) return usageError(io, 'promote', 'name the Application to promote', USAGE);
  if (extra.length > 0) return usageError(io, 'promote', `unexpected argument "${extra[0]}"`, USAGE);
  if (revision === undefined || revision.trim() === '')
    return usageError(io, 'promote', '--to REV is required', USAGE);
  const sourceText = single(parsed, 'source');
  const sourceIndex = sourceText === undefined ? undefined : Number(sourceText);
  if (sourceIndex !== undefined && !(Number.isInteger(sourceIndex) && sourceIndex >= 0)) {
    return usageError(io, 'promote', `--source must be a 0-based index, not "${sourceText}"`, USAGE);
  }
  const configArg = single(parsed, 'config') ?? '.';
  const config: ConfigRepositoryLocation = /^https?:\/\//.test(configArg)
    ? {
        kind: 'url',
        url: configArg,
        ...(single(parsed, 'branch') ? { branch: single(parsed, 'branch')! } : {}),
      }
    : { kind: 'checkout', dir: configArg };
  if (config.kind === 'checkout' && single(parsed, 'branch')) {
    return usageError(
      io,
      'promote',
      '--branch applies to a --config URL; a checkout promotes on its current branch',
      USAGE,
    );
  }

  try {
    const credentials = await loadCredentials(parsed.values.get('secrets') ?? []);
    const author = await authorOf(single(parsed, 'author'), config);
    const git = createGitSource({
      credentials,
      localSources: parseLocalSourceMappings(parsed.values.get('repo') ?? []),
    });
    const commit = !parsed.flags.has('no-commit');
    const message = single(parsed, 'message');
    const result = await promote({
      application,
      revision: revision.trim(),
      config,
      ...(config.kind === 'checkout' ? { searchDir: config.dir } : {}),
      git,
      credentials,
      author,
      commit,
      ...(message ? { message } : {}),
      ...(sourceIndex === undefined ? {} : { sourceIndex }),
    });
    const from = result.previous ?? 'HEAD';
    const where = `${result.path}: ${result.field}.targetRevision`;
    switch (result.kind) {
      case 'unchanged':
        io.err(`${where} of ${application} is already ${revision} (${result.resolved.slice(0, 12)})\n`);
        return 0;
      case 'planned':
        io.err(`${where}: ${from} -> ${revision} (resolves to ${result.resolved}); not committed\n`);
        io.out(result.text);
        return 0;
      case 'committed':
        io.err(
          `${where}: ${from} -> ${revision} (resolves to ${result.resolved.slice(0, 12)}); commit ${result.commit.slice(0, 12)} on ${result.branch}${result.pushed ? ', pushed' : ', not pushed (no origin remote)'}${result.retried ? ' after re-applying on the moved branch' : ''}\n`,
        );
        return 0;
    }
  } catch (e) {
    io.err(`driftless promote: ${messageOf(e)}\n`);
    return e instanceof DriftlessError && e.code === 'INVALID_INPUT' && /--|expected/.test(e.message) ? 2 : 1;
  }
}

async function loadCredentials(paths: readonly string[]): Promise<readonly RepositoryCredential[]> {
  if (paths.length === 0) return [];
  const objects = parseArgoObjects(await loadDocuments(paths));
  return objects.repositories;
}

async function authorOf(flag: string | undefined, config: ConfigRepositoryLocation): Promise<CommitIdentity> {
  if (flag !== undefined) {
    const m = /^\s*([^<]+?)\s*<([^>]+)>\s*$/.exec(flag);
    if (!m) throw new DriftlessError('INVALID_INPUT', `--author "${flag}": expected "Name <email>"`);
    return { name: m[1]!, email: m[2]! };
  }
  if (config.kind === 'checkout') {
    const root = await isogit.findRoot({ fs, filepath: config.dir }).catch(() => undefined);
    if (root) {
      const name = (await isogit.getConfig({ fs, dir: root, path: 'user.name' })) as string | undefined;
      const email = (await isogit.getConfig({ fs, dir: root, path: 'user.email' })) as string | undefined;
      if (name && email) return { name, email };
    }
  }
  const name = process.env.GIT_AUTHOR_NAME;
  const email = process.env.GIT_AUTHOR_EMAIL;
  if (name && email) return { name, email };
  throw new DriftlessError(
    'INVALID_INPUT',
    `no commit author: pass --author "Name <email>" (or set user.name/user.email in ${
      config.kind === 'checkout' ? config.dir : sanitizeURL(config.url)
    })`,
  );
}
