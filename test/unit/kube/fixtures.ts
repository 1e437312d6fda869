/** The kube contract tests build their clock from a start instant alone; the clock itself is shared. */
import { FakeClock as SharedFakeClock } from '../../support/fake-clock.js';

export class FakeClock extends SharedFakeClock {
  constructor(start: string) {
    super({ start });
  }
}
