import { describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import type { OutgoingMessage, ReceivedMessage } from '../../../shared/ports/queue.js';
import { MemoryQueue } from '../../../shared/queue/index.js';
import { FakeClock, settle } from '../../support/fake-clock.js';

function message(
  groupId: string,
  body: string,
  deduplicationId = `${groupId}:${body.replaceAll(' ', '-')}`,
): OutgoingMessage {
  return { body, groupId, deduplicationId };
}

function bodies(messages: readonly ReceivedMessage[]): string[] {
  return messages.map((m) => m.body);
}

function fifoQueue(clock: FakeClock, extra: { visibilityTimeoutSeconds?: number } = {}): MemoryQueue {
  return new MemoryQueue({ name: 'intake.fifo', clock, fifo: true, ...extra });
}

/** Receives and acks one message at a time until the queue has nothing visible. */
async function drainOneByOne(queue: MemoryQueue): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const [next] = await queue.receive({ max: 1 });
    if (next === undefined) return seen;
    seen.push(next.body);
    await queue.ack(next.receiptHandle);
  }
}

describe('MemoryQueue in FIFO mode', () => {
  it('delivers each group in send order when groups are interleaved', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('a', 'a1'), message('b', 'b1'), message('a', 'a2'), message('c', 'c1')]);
    await queue.send([message('b', 'b2'), message('a', 'a3')]);

    const order = await drainOneByOne(queue);

    expect(order.filter((b) => b.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(order.filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(order).toHaveLength(6);
  });

  it('hands out a group’s messages together and in order within one batch', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('a', 'a1'), message('b', 'b1'), message('a', 'a2'), message('b', 'b2')]);

    expect(bodies(await queue.receive({ max: 10 }))).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('delivers nothing more of a group while one of its messages is in flight', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('a', 'a1'), message('a', 'a2'), message('b', 'b1')]);

    const first = await queue.receive({ max: 1 });
    expect(bodies(first)).toEqual(['a1']);
    // a2 is visible but its group is busy: only b1 comes out.
    expect(bodies(await queue.receive({ max: 10 }))).toEqual(['b1']);
    expect(await queue.receive({ max: 10 })).toEqual([]);

    await queue.ack(first[0]!.receiptHandle);
    expect(bodies(await queue.receive({ max: 10 }))).toEqual(['a2']);
  });

  it('drops a deduplication id seen within five minutes and accepts it after', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('web', 'push 1', 'web@1a2b3c')]);
    const [delivered] = await queue.receive({ max: 1 });
    await queue.ack(delivered!.receiptHandle);

    await clock.advance(4 * 60_000 + 59_000);
    await queue.send([message('web', 'push 1 again', 'web@1a2b3c')]);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    await clock.advance(1_000);
    await queue.send([message('web', 'push 1 after the window', 'web@1a2b3c')]);
    expect(bodies(await queue.receive({ max: 10 }))).toEqual(['push 1 after the window']);
  });

  it('drops a duplicate inside the same batch', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('web', 'first', 'same'), message('web', 'second', 'same')]);

    expect(bodies(await queue.receive({ max: 10 }))).toEqual(['first']);
  });

  it('redelivers with the next attempt number when the visibility timeout runs out', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock, { visibilityTimeoutSeconds: 30 });
    await queue.send([message('a', 'a1')]);

    const [first] = await queue.receive({ max: 1 });
    expect(first?.attempt).toBe(1);
    await clock.advance(29_999);
    expect(await queue.receive({ max: 1 })).toEqual([]);
    await clock.advance(1);

    const [second] = await queue.receive({ max: 1 });
    expect(second).toMatchObject({ id: first?.id, body: 'a1', attempt: 2 });
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);

    // The first delivery's handle is stale: acking with it deletes nothing, as in SQS.
    await queue.ack(first!.receiptHandle);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await queue.ack(second!.receiptHandle);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('uses the visibility timeout a receive asks for', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock, { visibilityTimeoutSeconds: 30 });
    await queue.send([message('a', 'a1')]);

    await queue.receive({ max: 1, visibilityTimeoutSeconds: 300 });
    await clock.advance(299_000);
    expect(await queue.receive({ max: 1 })).toEqual([]);
    await clock.advance(1_000);
    expect(bodies(await queue.receive({ max: 1 }))).toEqual(['a1']);
  });

  it('makes a nacked message visible again after its delay, keeping its group blocked meanwhile', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('a', 'a1'), message('a', 'a2')]);

    const [first] = await queue.receive({ max: 1 });
    await queue.nack(first!.receiptHandle, { delaySeconds: 10 });
    await clock.advance(9_000);
    expect(await queue.receive({ max: 10 })).toEqual([]);

    await clock.advance(1_000);
    const again = await queue.receive({ max: 1 });
    expect(again.map((m) => [m.body, m.attempt])).toEqual([['a1', 2]]);
  });

  it('makes a nacked message visible at once without a delay', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('a', 'a1')]);
    const [first] = await queue.receive({ max: 1 });

    await queue.nack(first!.receiptHandle);

    expect((await queue.receive({ max: 1 })).map((m) => m.attempt)).toEqual([2]);
  });

  it('refuses to nack a message that is no longer in flight', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock, { visibilityTimeoutSeconds: 5 });
    await queue.send([message('a', 'a1')]);
    const [first] = await queue.receive({ max: 1 });
    await clock.advance(5_000);

    await expect(queue.nack(first!.receiptHandle)).rejects.toThrow(/not in flight/);
    await expect(queue.ack('not-a-handle')).rejects.toThrow(/not issued by this queue/);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount deliveries, with the reason', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const deadLetter = new MemoryQueue({ name: 'intake-dlq.fifo', clock, fifo: true });
    const queue = new MemoryQueue({
      name: 'intake.fifo',
      clock,
      fifo: true,
      visibilityTimeoutSeconds: 30,
      redrive: { deadLetter, maxReceiveCount: 3 },
    });
    await queue.send([message('web', 'poison'), message('web', 'next')]);

    for (const attempt of [1, 2, 3]) {
      const [delivered] = await queue.receive({ max: 1 });
      expect(delivered).toMatchObject({ body: 'poison', attempt });
      await queue.nack(delivered!.receiptHandle, { reason: `render failed (${attempt})` });
    }

    // The fourth receive moves the poison message aside and the group moves on.
    expect(bodies(await queue.receive({ max: 10 }))).toEqual(['next']);
    const [dead] = deadLetter.snapshot();
    expect(dead).toMatchObject({
      body: 'poison',
      groupId: 'web',
      state: 'visible',
      deadLetter: {
        sourceQueue: 'intake.fifo',
        reason:
          'received 3 times without being acknowledged (maxReceiveCount 3); last failure: render failed (3)',
        movedAt: clock.now(),
      },
    });
    expect(bodies(await deadLetter.receive({ max: 10 }))).toEqual(['poison']);
  });

  it('also redrives a message whose visibility timed out without a nack', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const deadLetter = new MemoryQueue({ name: 'dlq.fifo', clock, fifo: true });
    const queue = new MemoryQueue({
      name: 'intake.fifo',
      clock,
      fifo: true,
      visibilityTimeoutSeconds: 10,
      redrive: { deadLetter, maxReceiveCount: 1 },
    });
    await queue.send([message('web', 'crashes the worker')]);
    await queue.receive({ max: 1 });
    await clock.advance(10_000);

    expect(await queue.receive({ max: 1 })).toEqual([]);
    expect(deadLetter.snapshot().map((m) => m.deadLetter?.reason)).toEqual([
      'received 1 times without being acknowledged (maxReceiveCount 1)',
    ]);
  });

  it('rejects a per-message delay, as SQS FIFO queues do', async () => {
    const queue = fifoQueue(new FakeClock({ sleep: 'until-advanced' }));

    const sending = queue.send([{ ...message('a', 'a1'), delaySeconds: 5 }]);

    await expect(sending).rejects.toThrow(/FIFO queue takes no per-message delay/);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('refuses ids and requests SQS would refuse', async () => {
    const queue = fifoQueue(new FakeClock({ sleep: 'until-advanced' }));

    await expect(queue.send([message('has space', 'x')])).rejects.toThrow(/groupId must be 1-128/);
    await expect(queue.send([message('a', 'x', 'd'.repeat(129))])).rejects.toThrow(/deduplicationId/);
    await expect(queue.send([message('a', 'x'.repeat(256 * 1024 + 1))])).rejects.toSatisfy((e) =>
      isDriftlessError(e, 'LIMIT_EXCEEDED'),
    );
    await expect(queue.receive({ max: 11 })).rejects.toThrow(/max must be an integer from 1 to 10/);
    await expect(queue.receive({ max: 1, waitSeconds: 21 })).rejects.toThrow(/waitSeconds/);
  });
});

describe('MemoryQueue long polling', () => {
  it('answers a waiting receive as soon as a message arrives', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    let answer: readonly ReceivedMessage[] | undefined;
    const polling = queue.receive({ max: 10, waitSeconds: 20 }).then((m) => {
      answer = m;
    });
    await settle();
    expect(answer).toBeUndefined();

    await queue.send([message('a', 'a1')]);
    await polling;

    expect(bodies(answer ?? [])).toEqual(['a1']);
  });

  it('answers with nothing when the wait is over', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    let answer: readonly ReceivedMessage[] | undefined;
    const polling = queue.receive({ max: 10, waitSeconds: 20 }).then((m) => {
      answer = m;
    });

    await clock.advance(19_999);
    expect(answer).toBeUndefined();
    await clock.advance(1);
    await polling;

    expect(answer).toEqual([]);
  });

  it('wakes when an ack frees a busy group', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    await queue.send([message('a', 'a1'), message('a', 'a2')]);
    const [first] = await queue.receive({ max: 1 });
    const polling = queue.receive({ max: 10, waitSeconds: 20 });
    await settle();

    await queue.ack(first!.receiptHandle);

    expect(bodies(await polling)).toEqual(['a2']);
  });

  it('wakes when an in-flight message becomes visible again during the wait', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock, { visibilityTimeoutSeconds: 5 });
    await queue.send([message('a', 'a1')]);
    await queue.receive({ max: 1 });
    const polling = queue.receive({ max: 10, waitSeconds: 20 });

    await clock.advance(5_000);

    expect((await polling).map((m) => m.attempt)).toEqual([2]);
  });

  it('ends a wait when the caller aborts or the queue closes', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = fifoQueue(clock);
    const controller = new AbortController();
    const aborted = queue.receive({ max: 10, waitSeconds: 20, signal: controller.signal });
    const closed = queue.receive({ max: 10, waitSeconds: 20 });
    await settle();

    controller.abort();
    expect(await aborted).toEqual([]);
    queue.close();
    expect(await closed).toEqual([]);
  });
});

describe('MemoryQueue in standard mode (the delayed continuation queue)', () => {
  it('holds a delayed message back until its delay has passed', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = new MemoryQueue({ name: 'continuation', clock, fifo: false });
    await queue.send([{ ...message('web', 'step 2'), delaySeconds: 15 }, message('api', 'step 1')]);

    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 1 });
    expect(bodies(await queue.receive({ max: 10 }))).toEqual(['step 1']);

    const polling = queue.receive({ max: 10, waitSeconds: 20 });
    await clock.advance(15_000);
    expect(bodies(await polling)).toEqual(['step 2']);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
  });

  it('neither orders by group nor deduplicates', async () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const queue = new MemoryQueue({ name: 'continuation', clock, fifo: false });
    await queue.send([message('web', 'one', 'same'), message('web', 'two', 'same')]);

    const [first] = await queue.receive({ max: 1 });
    expect(first?.body).toBe('one');
    expect(bodies(await queue.receive({ max: 1 }))).toEqual(['two']);
  });

  it('refuses a dead-letter queue of the other type', () => {
    const clock = new FakeClock({ sleep: 'until-advanced' });
    const deadLetter = new MemoryQueue({ name: 'dlq.fifo', clock, fifo: true });

    expect(
      () =>
        new MemoryQueue({
          name: 'continuation',
          clock,
          fifo: false,
          redrive: { deadLetter, maxReceiveCount: 5 },
        }),
    ).toThrow(/must be standard like its source/);
  });
});
