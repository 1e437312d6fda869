/**
 * One run of kubectl or helm under the render limits. A timeout or an output flood becomes
 * LIMIT_EXCEEDED; a failing tool becomes RENDER_FAILED with its stderr, the private work
 * directory rewritten to repository-relative paths so messages never show temp paths.
 */
import { DriftlessError } from '../errors/index.js';
import type { ToolName, ToolRunner } from '../ports/tool-runner.js';
import { limitExceeded } from './limits.js';
import type { RenderLimits } from './types.js';

export interface ToolInvocation {
  readonly tools: ToolRunner;
  readonly tool: ToolName;
  readonly args: readonly string[];
  /** The private directory holding the materialized repository. */
  readonly workDir: string;
  /** Where the repository was written inside workDir. */
  readonly repoDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly limits: RenderLimits;
  /** Path named in messages (the source path). */
  readonly path: string;
  readonly label: string;
}

export async function runTool(invocation: ToolInvocation): Promise<string> {
  const { limits, path, label } = invocation;
  const result = await invocation.tools.run({
    tool: invocation.tool,
    args: invocation.args,
    cwd: invocation.repoDir,
    env: invocation.env,
    timeoutMs: limits.timeoutMs,
    maxOutputBytes: limits.maxOutputBytes,
  });
  if (result.timedOut) {
    throw limitExceeded(
      'timeoutMs',
      path,
      `${label} did not finish within ${limits.timeoutMs} ms and was killed`,
    );
  }
  if (result.outputTruncated) {
    throw limitExceeded('maxOutputBytes', path, `${label} wrote more than ${limits.maxOutputBytes} bytes`);
  }
  if (result.exitCode !== 0) {
    // Deprecation warnings from kustomize drown the actual error; keep the lines that matter.
    const relevant = result.stderr
      .split('\n')
      .filter((l) => !l.startsWith('# Warning:') && l.trim() !== '')
      .join('\n');
    const stderr = scrubPaths(relevant || result.stdout.trim(), invocation);
    throw new DriftlessError('RENDER_FAILED', `${path || '.'}: ${label} failed: ${stderr}`, {
      context: { path, tool: invocation.tool, exitCode: result.exitCode },
    });
  }
  return result.stdout;
}

/** Rewrites private temp paths in tool output to repository-relative ones. */
export function scrubPaths(
  text: string,
  where: { readonly workDir: string; readonly repoDir: string },
): string {
  return text
    .split(`${where.repoDir}/`)
    .join('')
    .split(where.repoDir)
    .join('.')
    .split(where.workDir)
    .join('<render-dir>');
}
