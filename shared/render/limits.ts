/**
 * Budget accounting for one render. Every file read or written goes through a RenderBudget, so a
 * breach is reported as LIMIT_EXCEEDED naming the limit and the path, before memory or disk run out.
 */
import { DriftlessError } from '../errors/index.js';
import { defaultRenderLimits, type RenderLimits } from './types.js';

export function resolveLimits(partial: Partial<RenderLimits> | undefined): RenderLimits {
  return { ...defaultRenderLimits, ...partial };
}

export function limitExceeded(
  limit: keyof RenderLimits | 'symlinks',
  path: string,
  detail: string,
): DriftlessError {
  return new DriftlessError('LIMIT_EXCEEDED', `${path || '.'}: ${detail} (limit ${limit})`, {
    context: { limit, path },
  });
}

export class RenderBudget {
  private files = 0;
  private bytes = 0;

  constructor(private readonly limits: RenderLimits) {}

  get filesCounted(): number {
    return this.files;
  }

  /** Counts one file before it is read. */
  countFile(path: string): void {
    this.files++;
    if (this.files > this.limits.maxFiles) {
      throw limitExceeded('maxFiles', path, `more than ${this.limits.maxFiles} files`);
    }
  }

  /** Counts the bytes of a file once read. */
  countBytes(path: string, size: number): void {
    if (size > this.limits.maxFileBytes) {
      throw limitExceeded(
        'maxFileBytes',
        path,
        `file of ${size} bytes exceeds ${this.limits.maxFileBytes} bytes`,
      );
    }
    this.bytes += size;
    if (this.bytes > this.limits.maxTotalBytes) {
      throw limitExceeded('maxTotalBytes', path, `more than ${this.limits.maxTotalBytes} bytes in total`);
    }
  }

  checkDepth(path: string, depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw limitExceeded('maxDepth', path, `directory nesting deeper than ${this.limits.maxDepth}`);
    }
  }
}
