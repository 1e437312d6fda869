/**
 * Shared by the kube tests: a clock that moves only when told, and a guarded import of the kube
 * module. @kubernetes/client-node 2.x loads undici 8, which needs Node >= 22.19; on older Node the
 * suites that talk through client-node are skipped (with that reason) instead of failing to import.
 */
import type { Clock } from '../../../shared/ports/clock.js';

export class FakeClock implements Clock {
  #now: number;

  constructor(start: string) {
    this.#now = Date.parse(start);
  }

  now(): Date {
    return new Date(this.#now);
  }

  async sleep(ms: number): Promise<void> {
    this.#now += ms;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

function nodeAtLeast(major: number, minor: number): boolean {
  const [maj = 0, min = 0] = process.versions.node.split('.').map(Number);
  return maj > major || (maj === major && min >= minor);
}

/** Whether client-node can load on this Node (see header). */
export const clientNodeSupported = nodeAtLeast(22, 19);
export const clientNodeSkipReason = `@kubernetes/client-node 2.x needs Node >= 22.19 (running ${process.versions.node})`;

/** The kube module, or undefined where client-node cannot load. */
export async function loadKube(): Promise<typeof import('../../../shared/kube/index.js') | undefined> {
  if (!clientNodeSupported) {
    console.warn(`skipping: ${clientNodeSkipReason}`);
    return undefined;
  }
  return import('../../../shared/kube/index.js');
}
