import { DriftlessError } from '../errors/index.js';
import type { Clock } from '../ports/clock.js';
import type {
  NackOptions,
  OutgoingMessage,
  Queue,
  QueueDepth,
  ReceivedMessage,
  ReceiveRequest,
} from '../ports/queue.js';
import { checkNack, checkOutgoing, checkReceive, SQS_LIMITS } from './sqs-limits.js';

export interface RedrivePolicy {
  /** Must be of the same type (FIFO or standard) as the source queue, as SQS requires. */
  readonly deadLetter: MemoryQueue;
  /** Deliveries allowed before the next receive moves the message to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

export interface MemoryQueueOptions {
  readonly name: string;
  readonly clock: Clock;
  /**
   * FIFO: per-group order, one group in flight at a time, five-minute deduplication, no
   * per-message delay. Standard (the delayed continuation queue): no ordering or deduplication,
   * per-message delay up to 15 minutes.
   */
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds?: number;
  readonly redrive?: RedrivePolicy;
}

export interface DeadLetterNote {
  readonly reason: string;
  readonly sourceQueue: string;
  readonly movedAt: Date;
}

/** What a test, a benchmark or the local HTTP API may see of a stored message. */
export interface QueuedMessageView {
  readonly id: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sentAt: Date;
  readonly receiveCount: number;
  readonly state: 'visible' | 'in-flight' | 'delayed';
  readonly lastFailure?: string;
  readonly deadLetter?: DeadLetterNote;
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sentAtMs: number;
  visibleAtMs: number;
  receiveCount: number;
  lastFailure?: string;
  deadLetter?: DeadLetterNote;
}

interface Wakeup {
  readonly promise: Promise<void>;
  cancel(): void;
}

const HANDLE_SEPARATOR = '#';

/**
 * A long poll sleeps in slices: Clock.sleep cannot be cancelled, so a poll that a message ends
 * early leaves its sleep pending, and a pending real timer keeps a process from exiting.
 */
const SLEEP_SLICE_MS = 1_000;

/**
 * An in-process queue with the semantics of Amazon SQS, for `driftless serve`, tests and
 * benchmarks. All time comes from the injected clock, so visibility timeouts, delays and the
 * deduplication window are deterministic under a manual clock.
 */
export class MemoryQueue implements Queue {
  readonly name: string;
  readonly fifo: boolean;
  readonly #clock: Clock;
  readonly #visibilityTimeoutSeconds: number;
  readonly #redrive: RedrivePolicy | undefined;
  /** In send order, which is the delivery order within a group. */
  #messages: StoredMessage[] = [];
  /** deduplicationId → end of its window (epoch ms). */
  readonly #seenIds = new Map<string, number>();
  readonly #waiters = new Set<() => void>();
  #sequence = 0;
  #closed = false;

  constructor(options: MemoryQueueOptions) {
    this.name = options.name;
    this.fifo = options.fifo;
    this.#clock = options.clock;
    this.#visibilityTimeoutSeconds =
      options.visibilityTimeoutSeconds ?? SQS_LIMITS.defaultVisibilityTimeoutSeconds;
    this.#redrive = options.redrive;
    if (this.#redrive !== undefined) {
      const { deadLetter, maxReceiveCount } = this.#redrive;
      if (deadLetter.fifo !== this.fifo) {
        throw new DriftlessError(
          'INTERNAL',
          `queue "${this.name}": dead-letter queue "${deadLetter.name}" must be ${this.fifo ? 'FIFO' : 'standard'} like its source`,
        );
      }
      if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
        throw new DriftlessError(
          'INTERNAL',
          `queue "${this.name}": redrive maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`,
        );
      }
    }
  }

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    messages.forEach((message, index) => {
      checkOutgoing(this.name, this.fifo, message, index);
    });
    const now = this.#now();
    this.#forgetExpiredIds(now);
    for (const message of messages) {
      if (this.fifo) {
        // A duplicate is accepted, as SQS does, but never delivered; the window runs from the first send.
        if (this.#seenIds.has(message.deduplicationId)) continue;
        this.#seenIds.set(message.deduplicationId, now + SQS_LIMITS.deduplicationWindowSeconds * 1000);
      }
      this.#sequence += 1;
      this.#messages.push({
        id: `${this.name}-${this.#sequence}`,
        body: message.body,
        groupId: message.groupId,
        deduplicationId: message.deduplicationId,
        sentAtMs: now,
        visibleAtMs: now + (message.delaySeconds ?? 0) * 1000,
        receiveCount: 0,
      });
    }
    this.#wake();
  }

  async receive(request: ReceiveRequest): Promise<readonly ReceivedMessage[]> {
    checkReceive(this.name, request);
    const visibilityMs = (request.visibilityTimeoutSeconds ?? this.#visibilityTimeoutSeconds) * 1000;
    const deadline = this.#now() + (request.waitSeconds ?? 0) * 1000;
    for (;;) {
      const taken = this.#take(request.max, visibilityMs);
      if (taken.length > 0 || this.#closed || request.signal?.aborted === true) return taken;
      const now = this.#now();
      if (now >= deadline) return [];
      // Sleep until the poll ends or the next hidden message shows up, whichever is first; a send,
      // an ack (which frees a group) or a nack wakes us earlier.
      const until = Math.min(deadline, this.#nextVisibleAt(now) ?? deadline, now + SLEEP_SLICE_MS);
      const wakeup = this.#wakeup(request.signal);
      await Promise.race([wakeup.promise, this.#clock.sleep(until - now)]);
      wakeup.cancel();
    }
  }

  async ack(receiptHandle: string): Promise<void> {
    const message = this.#inFlight(receiptHandle);
    if (message === undefined) return;
    this.#messages = this.#messages.filter((m) => m !== message);
    this.#wake();
  }

  async nack(receiptHandle: string, options: NackOptions = {}): Promise<void> {
    checkNack(this.name, options);
    const message = this.#inFlight(receiptHandle);
    if (message === undefined) {
      // SQS answers MessageNotInflight: the visibility already ran out or the message is gone.
      throw new DriftlessError(
        'NOT_FOUND',
        `queue "${this.name}": message of receipt handle "${receiptHandle}" is not in flight`,
        { context: { queue: this.name } },
      );
    }
    message.visibleAtMs = this.#now() + (options.delaySeconds ?? 0) * 1000;
    if (options.reason !== undefined) message.lastFailure = options.reason;
    this.#wake();
  }

  async depth(): Promise<QueueDepth> {
    const now = this.#now();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.#messages) {
      const state = stateOf(message, now);
      if (state === 'visible') visible += 1;
      else if (state === 'in-flight') inFlight += 1;
      else delayed += 1;
    }
    return { visible, inFlight, delayed };
  }

  /** Every stored message, in send order; dead-letter queues show why each message arrived. */
  snapshot(): readonly QueuedMessageView[] {
    const now = this.#now();
    return this.#messages.map((m) => ({
      id: m.id,
      body: m.body,
      groupId: m.groupId,
      deduplicationId: m.deduplicationId,
      sentAt: new Date(m.sentAtMs),
      receiveCount: m.receiveCount,
      state: stateOf(m, now),
      ...(m.lastFailure === undefined ? {} : { lastFailure: m.lastFailure }),
      ...(m.deadLetter === undefined ? {} : { deadLetter: m.deadLetter }),
    }));
  }

  /** Ends every long poll now and makes later ones answer at once (shutdown). */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  #take(max: number, visibilityMs: number): ReceivedMessage[] {
    const now = this.#now();
    // A FIFO group with any hidden message (in flight, or nacked with a delay) delivers nothing.
    const blocked = new Set<string>();
    if (this.fifo) {
      for (const m of this.#messages) if (m.visibleAtMs > now) blocked.add(m.groupId);
    }
    const taken: StoredMessage[] = [];
    for (const message of [...this.#messages]) {
      if (taken.length >= max) break;
      if (message.visibleAtMs > now || blocked.has(message.groupId)) continue;
      if (this.#redrive !== undefined && message.receiveCount >= this.#redrive.maxReceiveCount) {
        this.#moveToDeadLetter(message, this.#redrive, now);
        continue;
      }
      message.receiveCount += 1;
      message.visibleAtMs = now + visibilityMs;
      taken.push(message);
    }
    // SQS hands out a group's messages together, in order, when a batch holds several of them.
    const firstIndex = new Map<string, number>();
    taken.forEach((m, i) => {
      if (!firstIndex.has(m.groupId)) firstIndex.set(m.groupId, i);
    });
    const ordered = this.fifo
      ? [...taken].sort((a, b) => (firstIndex.get(a.groupId) ?? 0) - (firstIndex.get(b.groupId) ?? 0))
      : taken;
    return ordered.map((m) => ({
      id: m.id,
      receiptHandle: `${m.id}${HANDLE_SEPARATOR}${m.receiveCount}`,
      body: m.body,
      groupId: m.groupId,
      attempt: m.receiveCount,
      sentAt: new Date(m.sentAtMs),
    }));
  }

  #moveToDeadLetter(message: StoredMessage, redrive: RedrivePolicy, now: number): void {
    this.#messages = this.#messages.filter((m) => m !== message);
    const failure = message.lastFailure === undefined ? '' : `; last failure: ${message.lastFailure}`;
    redrive.deadLetter.#acceptDeadLetter(message, {
      reason: `received ${message.receiveCount} times without being acknowledged (maxReceiveCount ${redrive.maxReceiveCount})${failure}`,
      sourceQueue: this.name,
      movedAt: new Date(now),
    });
  }

  #acceptDeadLetter(message: StoredMessage, note: DeadLetterNote): void {
    // SQS keeps the message id and body; the receive count starts again in the dead-letter queue.
    this.#messages.push({
      id: message.id,
      body: message.body,
      groupId: message.groupId,
      deduplicationId: message.deduplicationId,
      sentAtMs: message.sentAtMs,
      visibleAtMs: this.#now(),
      receiveCount: 0,
      ...(message.lastFailure === undefined ? {} : { lastFailure: message.lastFailure }),
      deadLetter: note,
    });
    this.#wake();
  }

  #inFlight(receiptHandle: string): StoredMessage | undefined {
    const cut = receiptHandle.lastIndexOf(HANDLE_SEPARATOR);
    const id = receiptHandle.slice(0, cut);
    const count = Number(receiptHandle.slice(cut + 1));
    if (cut <= 0 || !id.startsWith(`${this.name}-`) || !Number.isInteger(count)) {
      throw new DriftlessError(
        'NOT_FOUND',
        `queue "${this.name}": receipt handle "${receiptHandle}" was not issued by this queue`,
        { context: { queue: this.name } },
      );
    }
    const now = this.#now();
    return this.#messages.find((m) => m.id === id && m.receiveCount === count && m.visibleAtMs > now);
  }

  #nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const m of this.#messages) {
      if (m.visibleAtMs > now && (next === undefined || m.visibleAtMs < next)) next = m.visibleAtMs;
    }
    return next;
  }

  #forgetExpiredIds(now: number): void {
    for (const [id, until] of this.#seenIds) if (until <= now) this.#seenIds.delete(id);
  }

  #wakeup(signal: AbortSignal | undefined): Wakeup {
    let resolve: () => void = () => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    this.#waiters.add(resolve);
    signal?.addEventListener('abort', resolve, { once: true });
    return {
      promise,
      cancel: () => {
        this.#waiters.delete(resolve);
        signal?.removeEventListener('abort', resolve);
      },
    };
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const resolve of waiters) resolve();
  }

  #now(): number {
    return this.#clock.now().getTime();
  }
}

function stateOf(message: StoredMessage, now: number): QueuedMessageView['state'] {
  if (message.visibleAtMs <= now) return 'visible';
  return message.receiveCount > 0 ? 'in-flight' : 'delayed';
}
