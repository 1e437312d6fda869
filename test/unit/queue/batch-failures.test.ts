import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../../shared/ports/queue.js';
import { GROUP_ATTRIBUTE, type SqsEventRecord, toBatchItemFailures } from '../../../shared/queue/index.js';

function record(messageId: string, group: string | undefined, receiveCount = 1): SqsEventRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: JSON.stringify({ id: messageId }),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1795683600000',
      ...(group === undefined ? {} : { MessageGroupId: group }),
    },
  };
}

describe('toBatchItemFailures', () => {
  it('fails a failing record and every later record of its group, and nothing else', async () => {
    const records = [
      record('a1', 'a'),
      record('b1', 'b'),
      record('a2', 'a'),
      record('b2', 'b'),
      record('a3', 'a'),
      record('c1', 'c'),
    ];
    const handled: string[] = [];

    const response = await toBatchItemFailures(records, async (message) => {
      if (message.id === 'a2') throw new Error('render failed');
      handled.push(message.id);
    });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'a2' }, { itemIdentifier: 'a3' }] });
    // a3 never ran: running it before a2 succeeds would break the group's order.
    expect(handled.sort()).toEqual(['a1', 'b1', 'b2', 'c1']);
  });

  it('runs a group’s records one after another in batch order', async () => {
    const records = [record('a1', 'a'), record('a2', 'a'), record('a3', 'a')];
    const events: string[] = [];

    await toBatchItemFailures(records, async (message) => {
      events.push(`start ${message.id}`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`end ${message.id}`);
    });

    expect(events).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3']);
  });

  it('answers with no failures when every record succeeds', async () => {
    const response = await toBatchItemFailures([record('a1', 'a'), record('b1', 'b')], async () => {});

    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('treats records of a standard queue without a group as independent', async () => {
    const response = await toBatchItemFailures(
      [record('x', undefined), record('y', undefined)],
      async (m) => {
        if (m.id === 'x') throw new Error('boom');
      },
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'x' }]);
  });

  it('reads the group of a standard queue record from its message attribute', async () => {
    const grouped = (id: string): SqsEventRecord => ({
      ...record(id, undefined),
      messageAttributes: { [GROUP_ATTRIBUTE]: { stringValue: 'web' } },
    });

    const response = await toBatchItemFailures([grouped('s1'), grouped('s2')], async (m) => {
      if (m.id === 's1') throw new Error('boom');
    });

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 's1' }, { itemIdentifier: 's2' }]);
  });

  it('hands the handler the message as the queue port delivers it and reports failures', async () => {
    const seen: ReceivedMessage[] = [];
    const failures: string[] = [];

    await toBatchItemFailures(
      [record('a1', 'web', 3)],
      async (message) => {
        seen.push(message);
        throw new Error('cluster unreachable');
      },
      {
        onFailure: (message, error) => {
          failures.push(`${message.id}: ${(error as Error).message}`);
          throw new Error('observer broke too');
        },
      },
    );

    expect(seen).toEqual([
      {
        id: 'a1',
        receiptHandle: 'handle-a1',
        body: '{"id":"a1"}',
        groupId: 'web',
        attempt: 3,
        sentAt: new Date(1795683600000),
      },
    ]);
    expect(failures).toEqual(['a1: cluster unreachable']);
  });
});
