/**
 * The large-message tests' world: moto (SQS, SNS, S3) on loopback, a bucket,
 * queues and a topic, and records shaped as Lambda delivers them (the shapes
 * of `@types/aws-lambda`), made from what `ReceiveMessage` returned.
 */
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Context, SNSEvent, SNSEventRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { largeMessagesPlugin } from 'lambda-s3-spill/messages';
import { handleOf, ownedByHooks } from '../support/hooks.js';
import { startMoto, type Moto } from '../support/moto.js';

export const BUCKET = 'large-messages';

/** Text with every kind of character: ASCII, controls, JSON's escapes, 2/3/4-byte UTF-8, U+2028/9, a leading BOM, NUL is not allowed by SQS. */
export const EVERY_KIND =
  '\uFEFFplain ASCII "quoted" \\back\\slash/ \t tab \n newline \r return ' +
  'é ñ ß Ω (2 bytes) € ✓ 日本語 (3 bytes) 😀 🎉 𝄞 (4 bytes) \u2028 \u2029 \u007f del ' +
  '<html>&amp;</html> {"json": [1, 2.5e3, null]} ';

/** A body of about `bytes` UTF-8 bytes made of {@link EVERY_KIND}. */
export function bodyOf(bytes: number): string {
  return EVERY_KIND.repeat(Math.ceil(bytes / Buffer.byteLength(EVERY_KIND)));
}

export interface World {
  readonly moto: Moto;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  /** A new queue: its URL and ARN. */
  queue(name: string): Promise<{ url: string; arn: string }>;
  /** A new topic subscribed by a new queue (raw delivery or the SNS envelope). */
  topicToQueue(name: string, raw: boolean): Promise<{ topicArn: string; url: string; arn: string }>;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  /** A new SQS client with `largeMessagesPlugin` (on {@link BUCKET} through this world's S3 client, unless `options` say otherwise). */
  offloadingSqs(options?: PluginOptions): SQSClient;
  /** A new SNS client with `largeMessagesPlugin`, as {@link World.offloadingSqs}. */
  offloadingSns(options?: PluginOptions): SNSClient;
  stop(): Promise<void>;
}

type PluginOptions = Parameters<typeof largeMessagesPlugin>[0];

/**
 * Start a world before the file's tests and stop it after them.
 *
 * @returns the world, to read in tests and hooks (it has no `stop`: the hooks own it)
 */
export function useWorld(): Omit<World, 'stop'> {
  return handleOf(ownedByHooks({ what: 'the world', span: 'all', start: startWorld, stop: (world) => world.stop(), timeoutMs: 120_000 }));
}

export async function startWorld(): Promise<World> {
  const moto = await startMoto();
  const s3 = new S3Client({ ...moto.clientConfig, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const sqs = new SQSClient(moto.clientConfig);
  const sns = new SNSClient(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const offloading = <Client extends SQSClient | SNSClient>(client: Client, options: PluginOptions = {}): Client => {
    client.middlewareStack.use(largeMessagesPlugin({ bucket: BUCKET, s3Client: s3, ...options }));
    return client;
  };
  const queue = async (name: string): Promise<{ url: string; arn: string }> => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  return {
    moto,
    s3,
    sqs,
    sns,
    queue,
    async topicToQueue(name, raw) {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
      const q = await queue(`${name}-${raw ? 'raw' : 'envelope'}`);
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: q.arn,
          Attributes: raw ? { RawMessageDelivery: 'true' } : {},
        }),
      );
      return { topicArn: TopicArn!, ...q };
    },
    async keys() {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      return (out.Contents ?? []).map((o) => o.Key!);
    },
    offloadingSqs: (options) => offloading(new SQSClient(moto.clientConfig), options),
    offloadingSns: (options) => offloading(new SNSClient(moto.clientConfig), options),
    async stop() {
      s3.destroy();
      sqs.destroy();
      sns.destroy();
      await moto.stop();
    },
  };
}

/** Every message waiting in a queue (up to `count`). */
export async function receiveAll(sqs: SQSClient, url: string, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let tries = 0; messages.length < count && tries < 20; tries++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...(out.Messages ?? []));
  }
  return messages;
}

/** One ReceiveMessage: what is in the queue now (to show that nothing was sent). */
export async function receiveOnce(sqs: SQSClient, url: string): Promise<Message[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
  return out.Messages ?? [];
}

/** An SQS record as Lambda's event source mapping delivers the message. */
export function sqsRecordOf(message: Message, queueArn: string): SQSRecord {
  const attributes = message.MessageAttributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body!,
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? '0',
      SenderId: message.Attributes?.SenderId ?? 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue,
          binaryValue: value.BinaryValue === undefined ? undefined : Buffer.from(value.BinaryValue).toString('base64'),
          stringListValues: [],
          binaryListValues: [],
          dataType: value.DataType!,
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody!,
    ...(message.MD5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

export function sqsEventOf(messages: Message[], queueArn: string): SQSEvent {
  return { Records: messages.map((m) => sqsRecordOf(m, queueArn)) };
}

/**
 * An SNS record as Lambda delivers the notification, made from the envelope
 * SNS wrote into an SQS body (Lambda says `SigningCertUrl` / `UnsubscribeUrl`
 * where the envelope says `...URL`).
 */
export function snsRecordOf(envelopeText: string, subscriptionArn: string): SNSEventRecord {
  const e = JSON.parse(envelopeText) as Record<string, string> & { MessageAttributes?: Record<string, { Type: string; Value: string }> };
  return {
    EventVersion: '1.0',
    EventSubscriptionArn: subscriptionArn,
    EventSource: 'aws:sns',
    Sns: {
      SignatureVersion: e.SignatureVersion!,
      Timestamp: e.Timestamp!,
      Signature: e.Signature!,
      SigningCertUrl: e.SigningCertURL!,
      MessageId: e.MessageId!,
      Message: e.Message!,
      MessageAttributes: e.MessageAttributes ?? {},
      Type: e.Type!,
      UnsubscribeUrl: e.UnsubscribeURL!,
      TopicArn: e.TopicArn!,
      ...(e.Subject === undefined ? {} : { Subject: e.Subject }),
    },
  };
}

export function snsEventOf(envelopes: string[], subscriptionArn: string): SNSEvent {
  return { Records: envelopes.map((e) => snsRecordOf(e, subscriptionArn)) };
}

export const context = {
  functionName: 'consumer',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** An S3 client that counts its calls (to prove that small messages cost none). */
export function countingClient(client: S3Client): { client: S3Client; calls: () => number } {
  let calls = 0;
  const counted = Object.create(client) as S3Client;
  Object.defineProperty(counted, 'send', {
    value: (...args: Parameters<S3Client['send']>) => {
      calls++;
      return (client.send as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  });
  return { client: counted, calls: () => calls };
}
