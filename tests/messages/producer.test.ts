/**
 * The producer: largeMessagesPlugin on real SQS and SNS clients, through moto.
 * Sizes are measured here (moto enforces none of AWS's message limits).
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import {
  largeMessagesPlugin,
  LargeMessageConfigurationError,
  LargeMessageError,
  LargeMessageStoreError,
  messageBytes,
  MessageNotOffloadableError,
  POINTER_CLASS,
  SIZE_ATTRIBUTE,
} from 'lambda-s3-spill/messages';
import { BUCKET, bodyOf, receiveAll, receiveOnce, useWorld } from './helpers.js';

const world = useWorld();

async function objectText(key: string): Promise<string> {
  const out = await world.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray()).toString('utf8');
}

function pointerOf(body: string): { bucket: string; key: string } {
  const [className, fields] = JSON.parse(body) as [string, { s3BucketName: string; s3Key: string }];
  expect(className).toBe(POINTER_CLASS);
  expect(Object.keys(fields)).toEqual(['s3BucketName', 's3Key']);
  return { bucket: fields.s3BucketName, key: fields.s3Key };
}

describe('SendMessage', () => {
  it('keeps a message of exactly the threshold (attributes counted) inline and sends one byte more through S3', async () => {
    const { url } = await world.queue('threshold');
    const sqs = world.offloadingSqs({ threshold: 262_144 });
    const attributes: Record<string, MessageAttributeValue> = {
      kind: { DataType: 'String', StringValue: 'ordér' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    };
    const attributeBytes = messageBytes('', attributes);
    expect(attributeBytes).toBe('kind'.length + 'String'.length + 6 + 'blob'.length + 'Binary'.length + 4);
    // Built from 1-byte and 4-byte characters so that the UTF-8 count, not the length, decides.
    const exact = '😀'.repeat(1000) + 'a'.repeat(262_144 - attributeBytes - 4000);
    expect(messageBytes(exact, attributes)).toBe(262_144);
    const before = (await world.keys()).length;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: exact, MessageAttributes: attributes }));
    expect((await world.keys()).length).toBe(before);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: exact + 'b', MessageAttributes: attributes }));
    const [inline, offloaded] = await receiveAll(world.sqs, url, 2);
    expect(inline!.Body).toBe(exact);
    expect(inline!.MessageAttributes?.[SIZE_ATTRIBUTE]).toBeUndefined();
    const pointer = pointerOf(offloaded!.Body!);
    expect(pointer.bucket).toBe(BUCKET);
    expect(pointer.key).toMatch(/^messages\/[0-9a-f-]{36}$/);
    expect(offloaded!.MessageAttributes).toEqual({
      ...attributes,
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
      [SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(Buffer.byteLength(exact + 'b')) },
    });
    expect(await objectText(pointer.key)).toBe(exact + 'b');
    // What the queue received is small: the pointer and the attributes.
    expect(messageBytes(offloaded!.Body!, offloaded!.MessageAttributes as Record<string, MessageAttributeValue>)).toBeLessThan(300);
  });

  it('passes a small message untouched and never loads an S3 client for it', async () => {
    const { url } = await world.queue('small');
    const sent: unknown[] = [];
    const s3Client = { send: (c: unknown) => (sent.push(c), Promise.reject(new Error('no S3 call expected'))) } as never;
    const sqs = world.offloadingSqs({ s3Client });
    const output = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'small' }));
    expect(output.MD5OfMessageBody).toBe(createHash('md5').update('small').digest('hex'));
    const [message] = await receiveAll(world.sqs, url, 1);
    expect(message!.Body).toBe('small');
    expect(sent).toEqual([]);
  });

  it('sends every message through S3 with alwaysThroughS3, under the keyPrefix given, with putObjectParams', async () => {
    const { url } = await world.queue('always');
    const sqs = world.offloadingSqs({ alwaysThroughS3: true, keyPrefix: 'queue-a/', putObjectParams: { Metadata: { producer: 'orders' } } });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'tiny é' }));
    const [message] = await receiveAll(world.sqs, url, 1);
    const pointer = pointerOf(message!.Body!);
    expect(pointer.key.startsWith('queue-a/')).toBe(true);
    expect(message!.MessageAttributes?.[SIZE_ATTRIBUTE]?.StringValue).toBe('7');
    const head = await world.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: pointer.key }));
    expect(head.Metadata).toEqual({ producer: 'orders' });
    expect(head.ContentLength).toBe(7);
  });

  it('refuses, before storing anything, a large message with 10 attributes or the reserved attribute', async () => {
    const { url } = await world.queue('refused');
    const sqs = world.offloadingSqs();
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    const before = await world.keys();
    const attempt = sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: bodyOf(300_000), MessageAttributes: ten }));
    await expect(attempt).rejects.toThrow(MessageNotOffloadableError);
    await expect(attempt).rejects.toMatchObject({ reason: 'too-many-attributes', entryId: undefined });
    await expect(
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: bodyOf(300_000),
          MessageAttributes: { SQSLargePayloadSize: { DataType: 'Number', StringValue: '1' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'MessageNotOffloadableError', reason: 'reserved-attribute' });
    // Nine attributes leave room for the size attribute.
    const nine = Object.fromEntries(Object.entries(ten).slice(0, 9));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: bodyOf(300_000), MessageAttributes: nine }));
    expect((await world.keys()).length).toBe(before.length + 1);
    const [message] = await receiveAll(world.sqs, url, 1);
    expect(Object.keys(message!.MessageAttributes!)).toHaveLength(10);
  });

  it('fails with LargeMessageStoreError and sends nothing when S3 fails', async () => {
    const { url } = await world.queue('store-fails');
    const sqs = world.offloadingSqs({ bucket: 'no-such-bucket' });
    const attempt = sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: bodyOf(300_000) }));
    await expect(attempt).rejects.toThrow(LargeMessageStoreError);
    await expect(attempt).rejects.toBeInstanceOf(LargeMessageError);
    expect(await receiveOnce(world.sqs, url)).toEqual([]);
  });
});

describe('SendMessageBatch', () => {
  it('offloads each entry over the threshold, then the largest while the batch is over it', async () => {
    const { url } = await world.queue('batch');
    const sqs = world.offloadingSqs({ threshold: 262_144 });
    const bodies = { big: bodyOf(270_000), a: bodyOf(100_000), b: bodyOf(90_000), c: bodyOf(80_000), d: bodyOf(1_000) };
    const out = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: Object.entries(bodies).map(([Id, MessageBody]) => ({ Id, MessageBody })) }),
    );
    expect(out.Failed ?? []).toEqual([]);
    const received = await receiveAll(world.sqs, url, 5);
    const byBody = new Map(received.map((m) => [m.MessageAttributes?.[SIZE_ATTRIBUTE] ? 'pointer' : m.Body!, m]));
    // big goes alone; a+b+c+d = 271,000+ still over 262,144, so the largest (a) goes too; b+c+d fit.
    expect(received.filter((m) => m.MessageAttributes?.[SIZE_ATTRIBUTE] !== undefined)).toHaveLength(2);
    for (const id of ['b', 'c', 'd'] as const) expect(byBody.has(bodies[id])).toBe(true);
    const stored = await Promise.all(
      received.filter((m) => m.MessageAttributes?.[SIZE_ATTRIBUTE]).map(async (m) => objectText(pointerOf(m.Body!).key)),
    );
    expect(stored.sort((x, y) => x.length - y.length)).toEqual([bodies.a, bodies.big]);
    const total = received.reduce(
      (sum, m) => sum + messageBytes(m.Body!, m.MessageAttributes as Record<string, MessageAttributeValue> | undefined),
      0,
    );
    expect(total).toBeLessThanOrEqual(262_144);
  });

  it('refuses the whole batch, storing nothing, when an entry that must go cannot', async () => {
    const { url } = await world.queue('batch-refused');
    const sqs = world.offloadingSqs();
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    const before = await world.keys();
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'ok', MessageBody: bodyOf(300_000) },
            { Id: 'full', MessageBody: bodyOf(300_000), MessageAttributes: ten },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'MessageNotOffloadableError', reason: 'too-many-attributes', entryId: 'full' });
    expect(await world.keys()).toEqual(before);
    expect(await receiveOnce(world.sqs, url)).toEqual([]);
  });
});

describe('SNS Publish and PublishBatch', () => {
  it('offloads a large Publish (SNS limit 262,144 as the default threshold) and refuses MessageStructure json', async () => {
    const { topicArn, url } = await world.topicToQueue('publish', true);
    const sns = world.offloadingSns();
    const body = bodyOf(262_200);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body, MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } } }));
    const [message] = await receiveAll(world.sqs, url, 1);
    const pointer = pointerOf(message!.Body!);
    expect(await objectText(pointer.key)).toBe(body);
    expect(message!.MessageAttributes?.[SIZE_ATTRIBUTE]).toEqual({ DataType: 'Number', StringValue: String(Buffer.byteLength(body)) });
    const before = await world.keys();
    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ default: body }), MessageStructure: 'json' })),
    ).rejects.toMatchObject({ name: 'MessageNotOffloadableError', reason: 'message-structure-json' });
    expect(await world.keys()).toEqual(before);
  });

  it('applies the batch rule to PublishBatch', async () => {
    const { topicArn, url } = await world.topicToQueue('publish-batch', true);
    const sns = world.offloadingSns();
    const entries = [bodyOf(150_000), bodyOf(140_000), bodyOf(500)].map((Message, i) => ({ Id: `e${i}`, Message }));
    await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
    const received = await receiveAll(world.sqs, url, 3);
    const offloaded = received.filter((m) => m.MessageAttributes?.[SIZE_ATTRIBUTE] !== undefined);
    expect(offloaded).toHaveLength(1);
    expect(await objectText(pointerOf(offloaded[0]!.Body!).key)).toBe(entries[0]!.Message);
  });
});

describe('options', () => {
  it('refuses unknown keys and bad values at creation, and needs a bucket', () => {
    expect(() => largeMessagesPlugin({ bucket: BUCKET, treshold: 1 } as never)).toThrow("largeMessagesPlugin has no option 'treshold'; did you mean 'threshold'?");
    expect(() => largeMessagesPlugin({ bucket: BUCKET, threshold: 2_000_000 })).toThrow(TypeError);
    expect(() => largeMessagesPlugin({ bucket: BUCKET, keyPrefix: '../x/' })).toThrow(TypeError);
    expect(() => largeMessagesPlugin({ bucket: BUCKET, putObjectParams: { Key: 'x' } as never })).toThrow('must not set Key');
    const saved = process.env.S3_SPILL_BUCKET;
    delete process.env.S3_SPILL_BUCKET;
    try {
      expect(() => largeMessagesPlugin()).toThrow(LargeMessageConfigurationError);
    } finally {
      if (saved !== undefined) process.env.S3_SPILL_BUCKET = saved;
    }
  });

  it('reads the bucket and key prefix from S3_SPILL_BUCKET and S3_MESSAGES_PREFIX', async () => {
    const { url } = await world.queue('env');
    process.env.S3_SPILL_BUCKET = BUCKET;
    process.env.S3_MESSAGES_PREFIX = 'from-env/';
    try {
      const sqs = new SQSClient(world.moto.clientConfig);
      sqs.middlewareStack.use(largeMessagesPlugin({ s3Client: world.s3 }));
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: bodyOf(263_000) }));
    } finally {
      delete process.env.S3_SPILL_BUCKET;
      delete process.env.S3_MESSAGES_PREFIX;
    }
    const [message] = await receiveAll(world.sqs, url, 1);
    expect(pointerOf(message!.Body!).key.startsWith('from-env/')).toBe(true);
  });
});
