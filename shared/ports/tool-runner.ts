/**
 * Runs the external renderers (`kubectl kustomize`, `helm template`). The process adapter lives
 * in shared/render/tools; tests use the same adapter with the real binaries.
 */
export type ToolName = 'kubectl' | 'helm';

export interface ToolRun {
  readonly tool: ToolName;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Killed after this long; the result then reports timedOut. */
  readonly timeoutMs: number;
  /** Output beyond this many bytes aborts the run. */
  readonly maxOutputBytes: number;
}

export interface ToolResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly outputTruncated: boolean;
}

export interface ToolRunner {
  run(run: ToolRun): Promise<ToolResult>;
}
