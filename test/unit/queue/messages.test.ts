import { describe, expect, it } from 'vitest';
import {
  encodePipelineMessage,
  MemoryQueue,
  type PipelineMessage,
  parsePipelineMessage,
} from '../../../shared/queue/index.js';
import { FakeClock } from '../../support/fake-clock.js';

const receivedAt = '2026-11-26T09:00:00.000Z';

describe('pipeline messages', () => {
  it('survive the queue unchanged, every kind', async () => {
    const queue = new MemoryQueue({
      name: 'intake.fifo',
      clock: new FakeClock({ sleep: 'until-advanced' }),
      fifo: true,
    });
    const sent: PipelineMessage[] = [
      { kind: 'refresh', app: 'web', reason: 'webhook', revision: '1a2b3c', deliveryId: 'd-1', receivedAt },
      { kind: 'refresh', app: 'api', reason: 'drift-scan', receivedAt },
      { kind: 'refresh', app: 'ui', reason: 'follow-up', operationId: 'op-6', receivedAt },
      {
        kind: 'sync',
        app: 'db',
        operationId: 'op-7',
        revision: '9f8e7d',
        receivedAt,
        initiatedBy: 'alice',
        prune: true,
      },
      { kind: 'continue', app: 'cache', operationId: 'op-8', step: 3 },
    ];

    await queue.send(sent.map((m) => encodePipelineMessage(m)));
    const received = await queue.receive({ max: 10 });

    expect(received.map((m) => parsePipelineMessage(m.body, m.id))).toEqual(sent);
    expect(received.map((m) => m.groupId)).toEqual(['web', 'api', 'ui', 'db', 'cache']);
  });

  it('collapse webhook refreshes of one app at one commit, whatever announced them', async () => {
    const queue = new MemoryQueue({
      name: 'intake.fifo',
      clock: new FakeClock({ sleep: 'until-advanced' }),
      fifo: true,
    });
    const push = { kind: 'refresh', app: 'web', reason: 'webhook', revision: '1a2b3c', receivedAt } as const;

    await queue.send([
      encodePipelineMessage({ ...push, deliveryId: 'push-delivery' }),
      encodePipelineMessage({ ...push, deliveryId: 'create-branch-delivery' }),
      encodePipelineMessage({ ...push, revision: '4d5e6f' }),
      encodePipelineMessage({ kind: 'refresh', app: 'web', reason: 'manual', receivedAt }),
    ]);

    const received = await queue.receive({ max: 10 });
    expect(received.map((m) => parsePipelineMessage(m.body))).toMatchObject([
      { revision: '1a2b3c', deliveryId: 'push-delivery' },
      { revision: '4d5e6f' },
      { reason: 'manual' },
    ]);
  });

  it('hash app names that SQS would not take as ids', () => {
    const app = `team/${'x'.repeat(200)}`;
    const envelope = encodePipelineMessage({ kind: 'continue', app, operationId: 'op', step: 1 });

    expect(envelope.groupId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(envelope.deduplicationId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parsePipelineMessage(envelope.body)).toMatchObject({ app });
  });

  it('carry a delay only when asked', () => {
    const message = { kind: 'continue', app: 'web', operationId: 'op', step: 2 } as const;

    expect(encodePipelineMessage(message, { delaySeconds: 10 }).delaySeconds).toBe(10);
    expect('delaySeconds' in encodePipelineMessage(message)).toBe(false);
  });

  it.each([
    ['not json', /queue message m-1: body is not JSON/],
    ['[1]', /body must be a JSON object/],
    ['{"kind":"deploy","app":"web"}', /field "kind" must be one of refresh, sync, continue, got "deploy"/],
    [
      `{"kind":"refresh","app":"web","reason":"cron","receivedAt":"${receivedAt}"}`,
      /field "reason" must be one of/,
    ],
    [
      `{"kind":"refresh","app":"web","reason":"follow-up","receivedAt":"${receivedAt}"}`,
      /field "operationId" is required when "reason" is follow-up/,
    ],
    [
      '{"kind":"refresh","app":"web","reason":"manual","receivedAt":"yesterday"}',
      /field "receivedAt" must be an ISO/,
    ],
    [
      '{"kind":"sync","app":"web","operationId":"op","receivedAt":"2026-11-26T09:00:00Z"}',
      /field "revision"/,
    ],
    ['{"kind":"continue","app":"web","operationId":"op","step":-1}', /field "step" must be a non-negative/],
    ['{"kind":"continue","app":"","operationId":"op","step":1}', /field "app" must be a non-empty string/],
  ])('reject %s naming the message and field', (body, expected) => {
    expect(() => parsePipelineMessage(body, 'm-1')).toThrow(expected);
  });
});
