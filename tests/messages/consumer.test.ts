/**
 * The consumer: records shaped as Lambda delivers them (from what moto's
 * ReceiveMessage returned), resolved by the Middy middleware and the functions.
 */
import { createHash } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { SNSEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  deleteResolved,
  largeMessages,
  LargeMessageConfigurationError,
  LargeMessageIntegrityError,
  LargeMessageLoadError,
  LargeMessagePointerError,
  resolveLargeMessage,
  resolveLargeMessages,
  SIZE_ATTRIBUTE,
} from 'lambda-s3-spill/messages';
import { BUCKET, EVERY_KIND, bodyOf, context, countingClient, receiveAll, snsEventOf, sqsEventOf, useWorld } from './helpers.js';

const world = useWorld();

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

async function exists(key: string): Promise<boolean> {
  try {
    await world.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

function keyOf(record: SQSRecord): string {
  return (JSON.parse(record.body) as [string, { s3Key: string }])[1].s3Key;
}

describe('SQS', () => {
  it('delivers text with every kind of character byte-identical through the middleware, BOM kept, MD5s recomputed', async () => {
    const queue = await world.queue('round-trip');
    const body = bodyOf(400_000);
    expect(body.startsWith('\uFEFF')).toBe(true);
    await world.offloadingSqs().send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body, MessageAttributes: { kind: { DataType: 'String', StringValue: 'ordér' } } }),
    );
    const [message] = await receiveAll(world.sqs, queue.url, 1);
    const event = sqsEventOf([message!], queue.arn);
    const original = structuredClone(event);
    const key = keyOf(event.Records[0]!);
    let seen: SQSRecord | undefined;
    const handler = middy(async (e: SQSEvent) => {
      seen = e.Records[0];
    }).use(largeMessages({ bucket: BUCKET, s3Client: world.s3, deleteAfterUse: false }));
    await handler(event, context);
    expect(Buffer.from(seen!.body, 'utf8').equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(seen!.messageAttributes[SIZE_ATTRIBUTE]).toBeUndefined();
    expect(seen!.messageAttributes.kind).toMatchObject({ stringValue: 'ordér', dataType: 'String' });
    expect(seen!.md5OfBody).toBe(md5(body));
    expect(event).toEqual(original); // the event given is not changed

    // md5OfMessageAttributes as SQS computes it: a message sent with only "kind" has the same digest.
    const plain = await world.queue('plain-md5');
    await world.sqs.send(
      new SendMessageCommand({ QueueUrl: plain.url, MessageBody: 'x', MessageAttributes: { kind: { DataType: 'String', StringValue: 'ordér' } } }),
    );
    const [reference] = await receiveAll(world.sqs, plain.url, 1);
    expect(seen!.md5OfMessageAttributes).toBe(reference!.MD5OfMessageAttributes);
    expect(await exists(key)).toBe(true);
  });

  it('passes records that are not large untouched, with no S3 call', async () => {
    const queue = await world.queue('small');
    await world.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: EVERY_KIND }));
    const event = sqsEventOf(await receiveAll(world.sqs, queue.url, 1), queue.arn);
    const counted = countingClient(world.s3);
    expect(await resolveLargeMessages(event, { bucket: BUCKET, s3Client: counted.client })).toBe(event);
    let seen: unknown;
    await middy(async (e: SQSEvent) => {
      seen = e;
    }).use(largeMessages({ bucket: BUCKET, s3Client: counted.client }))(event, context);
    expect(seen).toBe(event);
    expect(counted.calls()).toBe(0);
  });

  it('deletes objects after the handler succeeded, except those of records in batchItemFailures; nothing when it throws', async () => {
    const queue = await world.queue('delete');
    await world.offloadingSqs().send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: 'a', MessageBody: bodyOf(270_000) },
          { Id: 'b', MessageBody: bodyOf(270_001) },
          { Id: 'c', MessageBody: 'small' },
        ],
      }),
    );
    const event = sqsEventOf(await receiveAll(world.sqs, queue.url, 3), queue.arn);
    const large = event.Records.filter((r) => r.messageAttributes[SIZE_ATTRIBUTE] !== undefined);
    expect(large).toHaveLength(2);
    const [kept, deleted] = large;

    const failing = middy(async (): Promise<SQSBatchResponse> => {
      throw new Error('handler failed');
    }).use(largeMessages({ bucket: BUCKET, s3Client: world.s3 }));
    await expect(failing(event, context)).rejects.toThrow('handler failed');
    expect(await exists(keyOf(kept!))).toBe(true);
    expect(await exists(keyOf(deleted!))).toBe(true);

    const partial = middy(
      async (): Promise<SQSBatchResponse> => ({ batchItemFailures: [{ itemIdentifier: kept!.messageId }] }),
    ).use(largeMessages({ bucket: BUCKET, s3Client: world.s3 }));
    await partial(event, context);
    expect(await exists(keyOf(kept!))).toBe(true);
    expect(await exists(keyOf(deleted!))).toBe(false);
  });

  it('refuses a pointer to a bucket not allowed, of another class, or with a size attribute that is not a count, reading nothing', async () => {
    const queue = await world.queue('refused');
    const base = { QueueUrl: queue.url };
    await world.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k1', Body: 'hello' }));
    const pointer = (bucket: string, className = 'software.amazon.payloadoffloading.PayloadS3Pointer'): string =>
      JSON.stringify([className, { s3BucketName: bucket, s3Key: 'k1' }]);
    const size = (value: string) => ({ ExtendedPayloadSize: { DataType: 'Number', StringValue: value } });
    await world.sqs.send(new SendMessageCommand({ ...base, MessageBody: pointer('other-bucket'), MessageAttributes: size('5') }));
    await world.sqs.send(new SendMessageCommand({ ...base, MessageBody: pointer(BUCKET, 'com.example.Pointer'), MessageAttributes: size('5') }));
    await world.sqs.send(new SendMessageCommand({ ...base, MessageBody: pointer(BUCKET), MessageAttributes: size('abc') }));
    await world.sqs.send(new SendMessageCommand({ ...base, MessageBody: 'not a pointer', MessageAttributes: size('5') }));
    const event = sqsEventOf(await receiveAll(world.sqs, queue.url, 4), queue.arn);
    expect(event.Records).toHaveLength(4);
    const counted = countingClient(world.s3);
    for (const record of event.Records) {
      const attempt = resolveLargeMessage(record, { bucket: BUCKET, s3Client: counted.client });
      await expect(attempt).rejects.toBeInstanceOf(LargeMessagePointerError);
      await expect(attempt).rejects.toMatchObject({ messageId: record.messageId });
    }
    expect(counted.calls()).toBe(0);
    // allowedBuckets replaces the default: the configured bucket is then not allowed unless listed.
    const ok = event.Records.find((r) => r.body === pointer('other-bucket'))!;
    await expect(resolveLargeMessage(ok, { bucket: BUCKET, allowedBuckets: ['other-bucket'], s3Client: world.s3 })).rejects.toBeInstanceOf(
      LargeMessageLoadError,
    );
    // A whole event fails on its first bad record; the middleware gives the handler nothing.
    let ran = false;
    await expect(
      middy(async () => {
        ran = true;
      }).use(largeMessages({ bucket: BUCKET, s3Client: world.s3 }))(event, context),
    ).rejects.toMatchObject({ name: 'LargeMessagePointerError', messageId: event.Records[0]!.messageId });
    expect(ran).toBe(false);
  });

  it('refuses an object that is not the size the attribute says, or missing', async () => {
    const queue = await world.queue('mismatch');
    await world.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sized', Body: 'hello world' }));
    const body = JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: BUCKET, s3Key: 'sized' }]);
    const missing = JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: BUCKET, s3Key: 'gone' }]);
    for (const [MessageBody, value] of [
      [body, '5'],
      [body, '12'],
      [missing, '3'],
    ]) {
      await world.sqs.send(
        new SendMessageCommand({ QueueUrl: queue.url, MessageBody, MessageAttributes: { SQSLargePayloadSize: { DataType: 'Number', StringValue: value } } }),
      );
    }
    const records = sqsEventOf(await receiveAll(world.sqs, queue.url, 3), queue.arn).Records;
    const options = { bucket: BUCKET, s3Client: world.s3 };
    const byValue = (v: string) => records.find((r) => r.messageAttributes.SQSLargePayloadSize?.stringValue === v)!;
    await expect(resolveLargeMessage(byValue('5'), options)).rejects.toBeInstanceOf(LargeMessageIntegrityError);
    await expect(resolveLargeMessage(byValue('12'), options)).rejects.toBeInstanceOf(LargeMessageIntegrityError);
    await expect(resolveLargeMessage(byValue('3'), options)).rejects.toMatchObject({ name: 'LargeMessageLoadError', notFound: true });
  });

  it('deleteResolved deletes a resolved record\'s object, and nothing for other records or with deleteAfterUse: false', async () => {
    const queue = await world.queue('delete-resolved');
    await world.offloadingSqs().send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: bodyOf(300_000) }));
    const [record] = sqsEventOf(await receiveAll(world.sqs, queue.url, 1), queue.arn).Records;
    const options = { bucket: BUCKET, s3Client: world.s3 };
    const resolved = await resolveLargeMessage(record!, options);
    expect(await deleteResolved(record!, options)).toBe(false); // the original, not the resolved copy
    expect(await deleteResolved(resolved, { ...options, deleteAfterUse: false })).toBe(false);
    expect(await exists(keyOf(record!))).toBe(true);
    expect(await deleteResolved(resolved, options)).toBe(true);
    expect(await exists(keyOf(record!))).toBe(false);
  });
});

describe('SNS', () => {
  it('resolves SNS to SQS with raw delivery (the attribute on the SQS message)', async () => {
    const { topicArn, url, arn } = await world.topicToQueue('raw', true);
    const sns = world.offloadingSns();
    const body = bodyOf(300_000);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body }));
    const event = sqsEventOf(await receiveAll(world.sqs, url, 1), arn);
    const resolved = await resolveLargeMessages(event, { bucket: BUCKET, s3Client: world.s3 });
    expect(resolved.Records[0]!.body).toBe(body);
    expect(resolved.Records[0]!.md5OfBody).toBe(md5(body));
  });

  it('resolves the SNS envelope in an SQS body: the envelope kept, only its Message replaced, the attribute removed', async () => {
    const { topicArn, url, arn } = await world.topicToQueue('enveloped', false);
    const sns = world.offloadingSns();
    const body = bodyOf(300_000);
    const small = 'small ✓';
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body, Subject: 'orders', MessageAttributes: { kind: { DataType: 'String', StringValue: 'k' } } }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: small, Subject: 'orders', MessageAttributes: { kind: { DataType: 'String', StringValue: 'k' } } }));
    const event = sqsEventOf(await receiveAll(world.sqs, url, 2), arn);
    const resolved = await resolveLargeMessages(event, { bucket: BUCKET, s3Client: world.s3 });
    const envelopes = resolved.Records.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const large = envelopes.find((e) => e.Message !== small)!;
    const smallEnvelope = envelopes.find((e) => e.Message === small)!;
    expect(large.Message).toBe(body);
    // One shape for large and small messages: same keys, same attributes.
    expect(Object.keys(large).sort()).toEqual(Object.keys(smallEnvelope).sort());
    expect(large.MessageAttributes).toEqual({ kind: { Type: 'String', Value: 'k' } });
    expect(large.Subject).toBe('orders');
    const record = resolved.Records[envelopes.indexOf(large)]!;
    expect(record.md5OfBody).toBe(md5(record.body));
  });

  it('resolves SNS event records (Lambda subscribed to the topic)', async () => {
    const { topicArn, url } = await world.topicToQueue('sns-records', false);
    const sns = world.offloadingSns();
    const body = bodyOf(263_000);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body }));
    const [message] = await receiveAll(world.sqs, url, 1);
    const event = snsEventOf([message!.Body!], `${topicArn}:sub`);
    let seen: SNSEvent | undefined;
    await middy(async (e: SNSEvent) => {
      seen = e;
    }).use(largeMessages({ bucket: BUCKET, s3Client: world.s3, deleteAfterUse: false }))(event, context);
    expect(seen!.Records[0]!.Sns.Message).toBe(body);
    expect(seen!.Records[0]!.Sns.MessageAttributes).toEqual({});
    expect(seen!.Records[0]!.Sns.MessageId).toBe(event.Records[0]!.Sns.MessageId);
  });
});

describe('options', () => {
  it('refuses unknown keys and needs a bucket or allowedBuckets', () => {
    expect(() => largeMessages({ bucket: BUCKET, deleteAfterUSE: false } as never)).toThrow("largeMessages has no option 'deleteAfterUSE'; did you mean 'deleteAfterUse'?");
    expect(() => largeMessages({ allowedBuckets: [] })).toThrow(TypeError);
    const saved = process.env.S3_SPILL_BUCKET;
    delete process.env.S3_SPILL_BUCKET;
    try {
      expect(() => largeMessages()).toThrow(LargeMessageConfigurationError);
      expect(() => largeMessages({ allowedBuckets: [BUCKET] })).not.toThrow();
    } finally {
      if (saved !== undefined) process.env.S3_SPILL_BUCKET = saved;
    }
  });
});
