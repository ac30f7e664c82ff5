/**
 * Interoperability with the Extended Clients: messages written exactly as the
 * Java and Python clients write them are read, and what the plugin writes is
 * what they read. The byte layouts come from their source (docs/messages.md, "The format"):
 * - Java (`PayloadS3Pointer.toJson`, Jackson default typing): compact JSON, `SQSLargePayloadSize`
 *   by default (`useLegacyReservedAttributeName = true`), `ExtendedPayloadSize` otherwise;
 *   a UUID key at the bucket root unless a prefix is set; before 2020 the class `MessageS3Pointer`.
 * - Python (`json.dumps`): `", "` and `": "` separators; `ExtendedPayloadSize` and
 *   `PayloadS3Pointer` by default, `SQSLargePayloadSize` and `MessageS3Pointer` with `use_legacy_attribute`.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  LEGACY_POINTER_CLASS,
  LEGACY_SIZE_ATTRIBUTE,
  POINTER_CLASS,
  SIZE_ATTRIBUTE,
  resolveLargeMessages,
} from 'lambda-s3-spill/messages';
import { BUCKET, bodyOf, receiveAll, snsEventOf, sqsEventOf, useWorld } from './helpers.js';

const world = useWorld();

/** How a client lays out the pointer. */
type Layout = 'jackson' | 'python';

function pointerText(layout: Layout, className: string, bucket: string, key: string): string {
  return layout === 'jackson'
    ? `["${className}",{"s3BucketName":"${bucket}","s3Key":"${key}"}]`
    : `["${className}", {"s3BucketName": "${bucket}", "s3Key": "${key}"}]`;
}

interface Writer {
  readonly name: string;
  readonly layout: Layout;
  readonly className: string;
  readonly attribute: string;
  /** Java writes UUID keys at the bucket root by default. */
  readonly key: () => string;
}

const WRITERS: readonly Writer[] = [
  { name: 'Java SQS client 2.x, default (legacy attribute name)', layout: 'jackson', className: POINTER_CLASS, attribute: LEGACY_SIZE_ATTRIBUTE, key: () => randomUUID() },
  { name: 'Java SQS client 2.x, useLegacyReservedAttributeName(false)', layout: 'jackson', className: POINTER_CLASS, attribute: SIZE_ATTRIBUTE, key: () => `java-prefix/${randomUUID()}` },
  { name: 'Java SQS client 1.x (before 2020)', layout: 'jackson', className: LEGACY_POINTER_CLASS, attribute: LEGACY_SIZE_ATTRIBUTE, key: () => randomUUID() },
  { name: 'Python SQS client, default', layout: 'python', className: POINTER_CLASS, attribute: SIZE_ATTRIBUTE, key: () => randomUUID() },
  { name: 'Python SQS client, use_legacy_attribute', layout: 'python', className: LEGACY_POINTER_CLASS, attribute: LEGACY_SIZE_ATTRIBUTE, key: () => randomUUID() },
];

/** Write as the client does: the object (the body's UTF-8 bytes, nothing else), then the message. */
async function writeAs(writer: Writer, queueUrl: string, body: string, extra: Record<string, { DataType: string; StringValue: string }> = {}): Promise<string> {
  const key = writer.key();
  const bytes = Buffer.from(body, 'utf8');
  await world.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentLength: bytes.length }));
  await world.sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: pointerText(writer.layout, writer.className, BUCKET, key),
      MessageAttributes: { ...extra, [writer.attribute]: { DataType: 'Number', StringValue: String(bytes.length) } },
    }),
  );
  return key;
}

describe.each(WRITERS)('reads what the $name writes', (writer) => {
  it('to SQS', async () => {
    const queue = await world.queue(`interop-${WRITERS.indexOf(writer)}`);
    const body = bodyOf(300_000);
    await writeAs(writer, queue.url, body, { tenant: { DataType: 'String', StringValue: 'a' } });
    const event = sqsEventOf(await receiveAll(world.sqs, queue.url, 1), queue.arn);
    const [record] = (await resolveLargeMessages(event, { bucket: BUCKET, s3Client: world.s3 })).Records;
    expect(record!.body).toBe(body);
    expect(Object.keys(record!.messageAttributes)).toEqual(['tenant']);
  });
});

it('reads what the Java and Python SNS clients publish (ExtendedPayloadSize), enveloped into SQS and as SNS records', async () => {
  const { topicArn, url, arn } = await world.topicToQueue('interop-sns', false);
  for (const layout of ['jackson', 'python'] as const) {
    const key = randomUUID();
    const body = bodyOf(270_000) + layout;
    await world.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body) }));
    await world.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: pointerText(layout, POINTER_CLASS, BUCKET, key),
        MessageAttributes: { [SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(Buffer.byteLength(body)) } },
      }),
    );
  }
  const messages = await receiveAll(world.sqs, url, 2);
  const fromSqs = await resolveLargeMessages(sqsEventOf(messages, arn), { bucket: BUCKET, s3Client: world.s3 });
  const fromSns = await resolveLargeMessages(snsEventOf(messages.map((m) => m.Body!), `${topicArn}:sub`), { bucket: BUCKET, s3Client: world.s3 });
  const expected = ['jackson', 'python'].map((l) => bodyOf(270_000) + l).sort();
  expect(fromSqs.Records.map((r) => (JSON.parse(r.body) as { Message: string }).Message).sort()).toEqual(expected);
  expect(fromSns.Records.map((r) => r.Sns.Message).sort()).toEqual(expected);
});

describe('what the plugin writes is the Extended Client format, field for field', () => {
  it('SQS: the Jackson pointer text, the ExtendedPayloadSize attribute, the raw body as the object', async () => {
    const queue = await world.queue('format-sqs');
    const sqs = world.offloadingSqs();
    const body = bodyOf(300_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body, MessageAttributes: { tenant: { DataType: 'String', StringValue: 'a' } } }));
    const [message] = await receiveAll(world.sqs, queue.url, 1);
    // The key is the only free field: everything around it is Java's byte layout.
    const key = /"s3Key":"([^"]+)"/.exec(message!.Body!)![1]!;
    expect(message!.Body).toBe(pointerText('jackson', POINTER_CLASS, BUCKET, key));
    // Python's reader: json.loads gives a list of two, the second a dict with both fields.
    const parsed = JSON.parse(message!.Body!) as unknown[];
    expect(parsed).toEqual([POINTER_CLASS, { s3BucketName: BUCKET, s3Key: key }]);
    expect(message!.MessageAttributes).toEqual({
      tenant: { DataType: 'String', StringValue: 'a' },
      [SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(Buffer.byteLength(body, 'utf8')) },
    });
    const object = await world.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(Buffer.from(body, 'utf8'))).toBe(true);
  });

  it('SNS: the same pointer and attribute (Powertools for Java reads only ExtendedPayloadSize on SNS)', async () => {
    const { topicArn, url } = await world.topicToQueue('format-sns', true);
    const sns = world.offloadingSns();
    const body = bodyOf(270_000);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body }));
    const [message] = await receiveAll(world.sqs, url, 1);
    const key = /"s3Key":"([^"]+)"/.exec(message!.Body!)![1]!;
    expect(message!.Body).toBe(pointerText('jackson', POINTER_CLASS, BUCKET, key));
    expect(message!.MessageAttributes).toEqual({ [SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(Buffer.byteLength(body)) } });
  });
});
