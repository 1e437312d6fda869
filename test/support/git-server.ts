/**
 * A real git server for tests: a loopback HTTP server in front of git's own `http-backend` CGI,
 * serving bare repositories under a temporary root. Fixtures are built with the git CLI
 * (plumbing commands straight into the bare repositories, no working trees), so tests exercise
 * the smart HTTP protocol exactly as a hosted git server speaks it.
 *
 * Counters (`stats`) let tests prove what went over the wire, e.g. that a cached commit is opened
 * without any `git-upload-pack` POST.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitServerAuth {
  /** Accepted basic-auth pair. */
  readonly username?: string;
  readonly password?: string;
  /** Accepted `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
}

export interface GitServerOptions {
  /** When set, every request must carry one of the accepted credentials, else 401. */
  readonly auth?: GitServerAuth;
}

export interface GitServerStats {
  readonly requests: number;
  readonly uploadPackPosts: number;
  readonly refAdvertisements: number;
  readonly unauthorized: number;
  readonly bytesSent: number;
}

/** A file in a fixture commit: text content, or content with a mode. `null` deletes the path. */
export type FixtureFile =
  | string
  | { readonly content: string; readonly mode: 'file' | 'executable' | 'symlink' }
  | null;

export interface CommitOptions {
  readonly branch: string;
  /** Changes applied on top of the branch's current tree (or an empty tree for a new branch). */
  readonly files: Readonly<Record<string, FixtureFile>>;
  readonly message?: string;
}

export interface GitServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly baseURL: string;
  /** Clone URL of a repository: `<baseURL>/<name>.git`. */
  url(repo: string): string;
  /** Directory of a bare repository on disk (for local-source tests). */
  repoPath(repo: string): string;
  readonly stats: GitServerStats;
  resetStats(): void;
  /** Creates a bare repository with a first commit on `branch` (default `main`); returns its SHA. */
  createRepo(
    repo: string,
    options: Omit<CommitOptions, 'branch'> & { readonly branch?: string },
  ): Promise<string>;
  /** Commits onto a branch (creating it); returns the commit SHA. */
  commit(repo: string, options: CommitOptions): Promise<string>;
  /** Creates a tag at `target` (a SHA or ref); annotated when `message` is given. */
  tag(
    repo: string,
    options: { readonly name: string; readonly target: string; readonly message?: string },
  ): Promise<void>;
  /** Points any ref (a branch, `refs/pull/1/head`, `refs/merge-requests/1/head` ...) at a commit. */
  setRef(repo: string, options: { readonly ref: string; readonly target: string }): Promise<void>;
  /** Makes `branch` the default branch (the HEAD symref). */
  setDefaultBranch(repo: string, branch: string): Promise<void>;
  /** Runs any git command in the bare repository; returns trimmed stdout. */
  git(repo: string, args: readonly string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

const FIXED_EPOCH = 1_700_000_000;

export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const root = await mkdtemp(join(tmpdir(), 'driftless-git-server-'));
  const reposRoot = join(root, 'repos');
  const counters = { requests: 0, uploadPackPosts: 0, refAdvertisements: 0, unauthorized: 0, bytesSent: 0 };
  let clock = 0;
  let indexCounter = 0;

  const baseEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  });

  const run = (args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        [...args],
        { env, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`git ${args.join(' ')}: ${stderr || error.message}`));
          else resolve(stdout.trim());
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });

  const repoPath = (repo: string): string => join(reposRoot, `${repo}.git`);

  const git = (repo: string, args: readonly string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    // Distinct, deterministic timestamps so that every fixture commit has its own SHA.
    clock += 60;
    const date = `${FIXED_EPOCH + clock} +0000`;
    return run(
      args,
      {
        ...baseEnv(),
        GIT_DIR: repoPath(repo),
        GIT_AUTHOR_NAME: 'Fixture',
        GIT_AUTHOR_EMAIL: 'fixture@example.com',
        GIT_COMMITTER_NAME: 'Fixture',
        GIT_COMMITTER_EMAIL: 'fixture@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        ...extraEnv,
      },
      input,
    );
  };

  const commit = async (repo: string, commitOptions: CommitOptions): Promise<string> => {
    const indexFile = join(root, `index-${++indexCounter}`);
    const env = { GIT_INDEX_FILE: indexFile };
    const ref = `refs/heads/${commitOptions.branch}`;
    const parent = await git(repo, ['rev-parse', '--verify', '--quiet', ref]).catch(() => '');
    await git(repo, parent ? ['read-tree', parent] : ['read-tree', '--empty'], undefined, env);
    // `update-index --force-remove` wants a work tree; an --index-info line with mode 0 removes
    // the entry from the index alone, which a bare repository allows.
    const removed = Object.entries(commitOptions.files).filter(([, file]) => file === null);
    if (removed.length > 0) {
      const zero = '0'.repeat(40);
      const lines = removed.map(([path]) => `0 ${zero}\t${path}`);
      await git(repo, ['update-index', '--index-info'], `${lines.join('\n')}\n`, env);
    }
    const added = Object.entries(commitOptions.files).flatMap(([path, file]) =>
      file === null
        ? []
        : [{ path, ...(typeof file === 'string' ? { content: file, mode: 'file' as const } : file) }],
    );
    if (added.length > 0) {
      // One hash-object process for all blobs: a fixture of thousands of files stays fast.
      const blobDir = join(root, `blobs-${indexCounter}`);
      await mkdir(blobDir);
      await Promise.all(added.map((f, i) => writeFile(join(blobDir, String(i)), f.content)));
      const oids = (
        await git(
          repo,
          ['hash-object', '-w', '--stdin-paths'],
          `${added.map((_, i) => join(blobDir, String(i))).join('\n')}\n`,
        )
      ).split('\n');
      await rm(blobDir, { recursive: true, force: true });
      const lines = added.map((f, i) => {
        const gitMode = f.mode === 'executable' ? '100755' : f.mode === 'symlink' ? '120000' : '100644';
        return `${gitMode} ${oids[i]}\t${f.path}`;
      });
      await git(repo, ['update-index', '--index-info'], `${lines.join('\n')}\n`, env);
    }
    const tree = await git(repo, ['write-tree'], undefined, env);
    await rm(indexFile, { force: true });
    const message = commitOptions.message ?? `commit ${clock}`;
    const sha = await git(repo, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message]);
    await git(repo, ['update-ref', ref, sha]);
    return sha;
  };

  const authorized = (req: IncomingMessage): boolean => {
    const auth = options.auth;
    if (!auth) return true;
    const header = req.headers.authorization ?? '';
    if (auth.bearerToken !== undefined && header === `Bearer ${auth.bearerToken}`) return true;
    if (auth.username !== undefined && header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
      return decoded === `${auth.username}:${auth.password ?? ''}`;
    }
    return false;
  };

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer) => {
    counters.bytesSent += body.length;
    res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    counters.requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!authorized(req)) {
      counters.unauthorized++;
      send(res, 401, { 'WWW-Authenticate': 'Basic realm="git"' }, Buffer.from('authentication required\n'));
      return;
    }
    const match = /^(\/.+?)(\/info\/refs|\/git-upload-pack|\/git-receive-pack|\/HEAD)$/.exec(url.pathname);
    if (!match) {
      send(res, 404, { 'Content-Type': 'text/plain' }, Buffer.from('not found\n'));
      return;
    }
    // Like hosted servers, accept the repository path with or without the `.git` suffix.
    let repo = decodeURIComponent(match[1]!);
    const onDisk = (p: string) =>
      existsSync(join(reposRoot, p)) && statSync(join(reposRoot, p)).isDirectory();
    if (!onDisk(repo) && onDisk(`${repo}.git`)) repo = `${repo}.git`;
    if (req.method === 'POST' && match[2] === '/git-upload-pack') counters.uploadPackPosts++;
    if (match[2] === '/info/refs') counters.refAdvertisements++;

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);

    const child = spawn('git', ['http-backend'], {
      env: {
        ...baseEnv(),
        GIT_PROJECT_ROOT: reposRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `${repo}${match[2]}`,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        CONTENT_LENGTH: String(body.length),
        REMOTE_ADDR: '127.0.0.1',
        REMOTE_USER: 'fixture',
        ...(req.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
          : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.resume();
    // http-backend may exit before reading the whole body (a refused request); EPIPE is not ours to raise.
    child.stdin.on('error', () => {});
    child.stdin.end(body);
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', () => resolve());
    });
    const raw = Buffer.concat(out);
    const split = raw.indexOf('\r\n\r\n');
    const headerEnd = split >= 0 ? split : raw.indexOf('\n\n');
    const separator = split >= 0 ? 4 : 2;
    if (headerEnd < 0) {
      send(res, 500, { 'Content-Type': 'text/plain' }, Buffer.from('bad CGI response\n'));
      return;
    }
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of raw.subarray(0, headerEnd).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    send(res, status, headers, raw.subarray(headerEnd + separator));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, Buffer.from(String(e)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;

  return {
    baseURL,
    url: (repo) => `${baseURL}/${repo}.git`,
    repoPath,
    get stats(): GitServerStats {
      return { ...counters };
    },
    resetStats() {
      counters.requests = 0;
      counters.uploadPackPosts = 0;
      counters.refAdvertisements = 0;
      counters.unauthorized = 0;
      counters.bytesSent = 0;
    },
    async createRepo(repo, commitOptions) {
      const branch = commitOptions.branch ?? 'main';
      await run(['init', '--quiet', '--bare', `--initial-branch=${branch}`, repoPath(repo)], baseEnv());
      // Hosted servers (GitHub, GitLab) let clients fetch any reachable commit by SHA.
      await git(repo, ['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
      await git(repo, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
      return commit(repo, { ...commitOptions, branch });
    },
    commit,
    async tag(repo, tagOptions) {
      if (tagOptions.message === undefined) {
        await git(repo, ['update-ref', `refs/tags/${tagOptions.name}`, tagOptions.target]);
      } else {
        await git(repo, ['tag', '-a', tagOptions.name, tagOptions.target, '-m', tagOptions.message]);
      }
    },
    async setRef(repo, refOptions) {
      const ref = refOptions.ref.startsWith('refs/') ? refOptions.ref : `refs/heads/${refOptions.ref}`;
      await git(repo, ['update-ref', ref, refOptions.target]);
    },
    async setDefaultBranch(repo, branch) {
      await git(repo, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
    },
    git: (repo, args, input) => git(repo, args, input),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
