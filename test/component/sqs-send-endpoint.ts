/**
 * Amazon SQS cannot run here, so the function tests point the SDK (AWS_ENDPOINT_URL_SQS) at this
 * loopback endpoint: it accepts SendMessageBatch in the AWS JSON protocol the SDK speaks, answers
 * with the body checksums the SDK verifies, and keeps every message sent, per queue URL, so a test
 * reads what a function queued. Other operations answer 400, which makes a stray call visible.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  readonly queueUrl: string;
  readonly body: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

export interface SqsSendEndpoint {
  readonly endpoint: string;
  readonly sent: readonly SentMessage[];
  stop(): Promise<void>;
}

interface BatchEntry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

export async function startSqsSendEndpoint(): Promise<SqsSendEndpoint> {
  const sent: SentMessage[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      const target = request.headers['x-amz-target'];
      if (target !== 'AmazonSQS.SendMessageBatch') {
        answer(400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `not served here: ${target}` });
        return;
      }
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        QueueUrl: string;
        Entries: BatchEntry[];
      };
      for (const entry of input.Entries) {
        sent.push({
          queueUrl: input.QueueUrl,
          body: entry.MessageBody,
          ...(entry.MessageGroupId === undefined ? {} : { groupId: entry.MessageGroupId }),
          ...(entry.MessageDeduplicationId === undefined
            ? {}
            : { deduplicationId: entry.MessageDeduplicationId }),
        });
      }
      answer(200, {
        Successful: input.Entries.map((entry, i) => ({
          Id: entry.Id,
          MessageId: `message-${sent.length - input.Entries.length + i}`,
          MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
        })),
        Failed: [],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    sent,
    stop: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
