/**
 * ToolRunner over child processes: no shell, a hard timeout (SIGKILL) and an output cap, so a
 * hostile chart or kustomization can neither hang a render nor exhaust memory.
 */
import { spawn } from 'node:child_process';
import type { ToolResult, ToolRun, ToolRunner } from '../ports/tool-runner.js';
import { locateTools, type ToolPaths } from './locate-tools.js';

export class ProcessToolRunner implements ToolRunner {
  constructor(private readonly paths?: ToolPaths) {}

  async run(run: ToolRun): Promise<ToolResult> {
    const paths = this.paths ?? (await locateTools());
    const binary = paths[run.tool];
    return new Promise<ToolResult>((resolve, reject) => {
      const child = spawn(binary, [...run.args], {
        cwd: run.cwd,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: run.cwd, ...run.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let bytes = 0;
      let timedOut = false;
      let outputTruncated = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, run.timeoutMs);
      const collect = (sink: Buffer[]) => (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > run.maxOutputBytes) {
          outputTruncated = true;
          child.kill('SIGKILL');
          return;
        }
        sink.push(chunk);
      };
      child.stdout.on('data', collect(out));
      child.stderr.on('data', collect(err));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({
          exitCode: code ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          timedOut,
          outputTruncated,
        });
      });
    });
  }
}
