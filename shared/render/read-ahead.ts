/**
 * Ordered read-ahead: starts up to `window` reads before their results are needed and hands the
 * results back strictly in input order. A tree read is asynchronous (a file system call or a git
 * object lookup), so reading one file at a time leaves the process idle between parses; keeping a
 * few reads in flight overlaps that wait with parsing. A failed read surfaces only when its turn
 * comes, so the first failure in input order is the one reported, as with one-by-one reads.
 */

export interface ReadAheadOptions<T> {
  readonly count: number;
  /** Reads in flight at most; a bound on memory held by results not yet consumed. */
  readonly window: number;
  /** Whether item i may be read ahead; the read-ahead stops at the first item refused here. */
  readonly eligible: (index: number) => boolean;
  readonly read: (index: number) => Promise<T>;
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export class ReadAhead<T> {
  private readonly pending = new Map<number, Promise<Settled<T>>>();
  private next = 0;

  constructor(private readonly options: ReadAheadOptions<T>) {}

  /** The result of item `index`; call with increasing indexes, each at most once. */
  async take(index: number): Promise<T> {
    this.fill(index, this.options.window);
    const started = this.pending.get(index) ?? settle(this.options.read(index));
    this.pending.delete(index);
    // The read awaited here still counts against the window.
    this.fill(index + 1, this.options.window - 1);
    const settled = await started;
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  private fill(from: number, capacity: number): void {
    if (this.next < from) this.next = from;
    const { count, eligible, read } = this.options;
    while (this.next < count && this.pending.size < capacity) {
      const index = this.next++;
      // An ineligible item stops the read-ahead there: everything after it may never be needed.
      if (!eligible(index)) {
        this.next = count;
        return;
      }
      this.pending.set(index, settle(read(index)));
    }
  }
}

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}
