/**
 * SQS cannot run on this machine, so these tests stand in for the service at the one seam the
 * adapter has, the client's `send`, and check the requests the adapter makes and how it reads
 * the answers. They prove the request shapes, not the service: the real path is proven only
 * against Amazon SQS or an emulator (AWS_ENDPOINT_URL).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { createSqsClient, GROUP_ATTRIBUTE, SqsQueue } from '../../../shared/queue/index.js';

const FIFO_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/driftless-intake.fifo';
const STANDARD_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/driftless-continuation';

interface Call {
  readonly command: CommandName;
  readonly input: Record<string, unknown>;
  readonly abortSignal?: AbortSignal;
}

const COMMANDS = {
  SendMessageBatch: SendMessageBatchCommand,
  ReceiveMessage: ReceiveMessageCommand,
  DeleteMessage: DeleteMessageCommand,
  ChangeMessageVisibility: ChangeMessageVisibilityCommand,
  GetQueueAttributes: GetQueueAttributesCommand,
} as const;
type CommandName = keyof typeof COMMANDS;

/** Records each command and answers with what the test scripted for its operation. */
function sqsDouble(answers: Partial<Record<CommandName, (input: Record<string, unknown>) => unknown>> = {}) {
  const calls: Call[] = [];
  const send = async (
    command: { input: Record<string, unknown> },
    options?: { abortSignal?: AbortSignal },
  ) => {
    const name = (Object.keys(COMMANDS) as CommandName[]).find((n) => command instanceof COMMANDS[n]);
    if (name === undefined) throw new Error('unexpected command');
    calls.push({
      command: name,
      input: command.input,
      ...(options?.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
    });
    const answer = answers[name];
    return answer === undefined ? {} : answer(command.input);
  };
  return { client: { send } as unknown as Pick<SQSClient, 'send'>, calls };
}

describe('SqsQueue', () => {
  it('sends in batches of ten with group and deduplication ids on a FIFO queue', async () => {
    const { client, calls } = sqsDouble();
    const queue = new SqsQueue({ client, queueUrl: FIFO_URL });
    const messages = Array.from({ length: 23 }, (_, i) => ({
      body: `{"n":${i}}`,
      groupId: `app-${i % 3}`,
      deduplicationId: `d-${i}`,
    }));

    await queue.send(messages);

    expect(queue.fifo).toBe(true);
    expect(calls.map((c) => [c.command, (c.input.Entries as unknown[]).length])).toEqual([
      ['SendMessageBatch', 10],
      ['SendMessageBatch', 10],
      ['SendMessageBatch', 3],
    ]);
    expect(calls[2]?.input).toEqual({
      QueueUrl: FIFO_URL,
      Entries: [
        { Id: '0', MessageBody: '{"n":20}', MessageGroupId: 'app-2', MessageDeduplicationId: 'd-20' },
        { Id: '1', MessageBody: '{"n":21}', MessageGroupId: 'app-0', MessageDeduplicationId: 'd-21' },
        { Id: '2', MessageBody: '{"n":22}', MessageGroupId: 'app-1', MessageDeduplicationId: 'd-22' },
      ],
    });
  });

  it('splits batches that would pass 256 KiB of bodies', async () => {
    const { client, calls } = sqsDouble();
    const queue = new SqsQueue({ client, queueUrl: FIFO_URL });
    const big = 'x'.repeat(100 * 1024);

    await queue.send([0, 1, 2].map((i) => ({ body: big, groupId: 'web', deduplicationId: `d-${i}` })));

    expect(calls.map((c) => (c.input.Entries as unknown[]).length)).toEqual([2, 1]);
  });

  it('sends per-message delays and the group attribute on a standard queue, never FIFO fields', async () => {
    const { client, calls } = sqsDouble();
    const queue = new SqsQueue({ client, queueUrl: STANDARD_URL });

    await queue.send([
      { body: '{"kind":"continue"}', groupId: 'web', deduplicationId: 'c-1', delaySeconds: 15 },
      { body: '{"kind":"continue"}', groupId: 'api', deduplicationId: 'c-2' },
    ]);

    expect(calls[0]?.input.Entries).toEqual([
      {
        Id: '0',
        MessageBody: '{"kind":"continue"}',
        MessageAttributes: { [GROUP_ATTRIBUTE]: { DataType: 'String', StringValue: 'web' } },
        DelaySeconds: 15,
      },
      {
        Id: '1',
        MessageBody: '{"kind":"continue"}',
        MessageAttributes: { [GROUP_ATTRIBUTE]: { DataType: 'String', StringValue: 'api' } },
      },
    ]);
  });

  it('refuses a per-message delay on a FIFO queue before calling SQS', async () => {
    const { client, calls } = sqsDouble();
    const queue = new SqsQueue({ client, queueUrl: FIFO_URL });

    await expect(
      queue.send([{ body: '{}', groupId: 'web', deduplicationId: 'd', delaySeconds: 5 }]),
    ).rejects.toThrow(/FIFO queue takes no per-message delay/);
    expect(calls).toEqual([]);
  });

  it('reports refused entries, retryable only when SQS is at fault', async () => {
    const failed = (senderFault: boolean) =>
      sqsDouble({
        SendMessageBatch: () => ({
          Successful: [{ Id: '0' }],
          Failed: [{ Id: '1', SenderFault: senderFault, Code: 'InternalError', Message: 'try again' }],
        }),
      });
    const messages = [
      { body: '{}', groupId: 'web', deduplicationId: 'd-0' },
      { body: '{}', groupId: 'api', deduplicationId: 'd-1' },
    ];

    const server = new SqsQueue({ client: failed(false).client, queueUrl: FIFO_URL }).send(messages);
    const sender = new SqsQueue({ client: failed(true).client, queueUrl: FIFO_URL }).send(messages);

    await expect(server).rejects.toThrow(
      'SQS SendMessageBatch on queue "driftless-intake.fifo": 1 of 2 messages refused: group "api" deduplication "d-1": InternalError try again',
    );
    await expect(server).rejects.toSatisfy((e) => isDriftlessError(e) && e.retryable);
    await expect(sender).rejects.toSatisfy((e) => isDriftlessError(e) && !e.retryable);
  });

  it('receives with the attributes it needs and reads them into the port’s messages', async () => {
    const { client, calls } = sqsDouble({
      ReceiveMessage: () => ({
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'rh-1',
            Body: '{"kind":"refresh"}',
            Attributes: {
              ApproximateReceiveCount: '2',
              SentTimestamp: '1795683600000',
              MessageGroupId: 'web',
            },
          },
          {
            MessageId: 'm-2',
            ReceiptHandle: 'rh-2',
            Body: '{"kind":"continue"}',
            Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1795683601000' },
            MessageAttributes: { [GROUP_ATTRIBUTE]: { DataType: 'String', StringValue: 'api' } },
          },
        ],
      }),
    });
    const queue = new SqsQueue({ client, queueUrl: FIFO_URL });
    const controller = new AbortController();

    const received = await queue.receive({
      max: 10,
      waitSeconds: 20,
      visibilityTimeoutSeconds: 120,
      signal: controller.signal,
    });

    expect(calls[0]).toEqual({
      command: 'ReceiveMessage',
      input: {
        QueueUrl: FIFO_URL,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 20,
        VisibilityTimeout: 120,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'MessageGroupId'],
        MessageAttributeNames: [GROUP_ATTRIBUTE],
      },
      abortSignal: controller.signal,
    });
    expect(received).toEqual([
      {
        id: 'm-1',
        receiptHandle: 'rh-1',
        body: '{"kind":"refresh"}',
        groupId: 'web',
        attempt: 2,
        sentAt: new Date(1795683600000),
      },
      {
        id: 'm-2',
        receiptHandle: 'rh-2',
        body: '{"kind":"continue"}',
        groupId: 'api',
        attempt: 1,
        sentAt: new Date(1795683601000),
      },
    ]);
  });

  it('acks with DeleteMessage and nacks with ChangeMessageVisibility', async () => {
    const { client, calls } = sqsDouble();
    const queue = new SqsQueue({ client, queueUrl: FIFO_URL });

    await queue.ack('rh-1');
    await queue.nack('rh-2', { delaySeconds: 30, reason: 'hook running' });
    await queue.nack('rh-3');

    expect(calls).toEqual([
      { command: 'DeleteMessage', input: { QueueUrl: FIFO_URL, ReceiptHandle: 'rh-1' } },
      {
        command: 'ChangeMessageVisibility',
        input: { QueueUrl: FIFO_URL, ReceiptHandle: 'rh-2', VisibilityTimeout: 30 },
      },
      {
        command: 'ChangeMessageVisibility',
        input: { QueueUrl: FIFO_URL, ReceiptHandle: 'rh-3', VisibilityTimeout: 0 },
      },
    ]);
  });

  it('reads the depth from the approximate counts', async () => {
    const { client, calls } = sqsDouble({
      GetQueueAttributes: () => ({
        Attributes: {
          ApproximateNumberOfMessages: '7',
          ApproximateNumberOfMessagesNotVisible: '2',
          ApproximateNumberOfMessagesDelayed: '1',
        },
      }),
    });
    const queue = new SqsQueue({ client, queueUrl: STANDARD_URL });

    expect(await queue.depth()).toEqual({ visible: 7, inFlight: 2, delayed: 1 });
    expect(calls[0]?.input).toEqual({
      QueueUrl: STANDARD_URL,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    });
  });

  it('wraps SDK errors with the operation and queue, retryable for throttling and 5xx only', async () => {
    const throwing = (error: Error) =>
      sqsDouble({
        DeleteMessage: () => {
          throw error;
        },
      }).client;
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $fault: 'client',
    });
    const invalid = Object.assign(new Error('The receipt handle has expired.'), {
      name: 'ReceiptHandleIsInvalid',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });

    const ack = (error: Error) => new SqsQueue({ client: throwing(error), queueUrl: FIFO_URL }).ack('rh');

    await expect(ack(throttled)).rejects.toSatisfy((e) => isDriftlessError(e) && e.retryable);
    await expect(ack(refused)).rejects.toSatisfy((e) => isDriftlessError(e) && e.retryable);
    await expect(ack(invalid)).rejects.toSatisfy((e) => isDriftlessError(e) && !e.retryable);
    await expect(ack(invalid)).rejects.toThrow(
      'SQS DeleteMessage on queue "driftless-intake.fifo": The receipt handle has expired.',
    );
  });

  it('answers an aborted long poll with nothing', async () => {
    const { client } = sqsDouble({
      ReceiveMessage: () => {
        throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      },
    });
    const queue = new SqsQueue({ client, queueUrl: FIFO_URL });
    const controller = new AbortController();
    controller.abort();

    expect(await queue.receive({ max: 1, waitSeconds: 20, signal: controller.signal })).toEqual([]);
  });
});

describe('createSqsClient', () => {
  it('keeps an endpoint set in the environment instead of the queue URL’s host', () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566';
    try {
      const client = createSqsClient({ region: 'eu-west-1' });
      expect(client.config.useQueueUrlAsEndpoint).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});
