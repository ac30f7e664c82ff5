/**
 * largeMessages() under each Middy major the library supports: resolved before
 * the handler, objects deleted after it except those it reports as failures.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { largeMessages, SIZE_ATTRIBUTE } from 'lambda-s3-spill/messages';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { BUCKET, bodyOf, context, receiveAll, sqsEventOf, useWorld } from './helpers.js';

const world = useWorld();

describe.each(MIDDY_VERSIONS)('%s', (version, middy) => {
  it('resolves the batch, keeps the object of the record reported as failed, deletes the other', async () => {
    const queue = await world.queue(`middy-${version.replace(/\D/g, '')}`);
    const producer = world.offloadingSqs();
    const bodies = [bodyOf(270_000) + 'a', bodyOf(270_000) + 'b'];
    await producer.send(new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: bodies.map((MessageBody, i) => ({ Id: `m${i}`, MessageBody })) }));
    const event = sqsEventOf(await receiveAll(world.sqs, queue.url, 2), queue.arn);
    expect(event.Records.every((r) => r.messageAttributes[SIZE_ATTRIBUTE] !== undefined)).toBe(true);
    const keys = new Map(event.Records.map((r) => [r.messageId, (JSON.parse(r.body) as [string, { s3Key: string }])[1].s3Key]));
    let seen: string[] = [];
    const handler = middy(async (e: SQSEvent): Promise<SQSBatchResponse> => {
      seen = e.Records.map((r) => r.body);
      return { batchItemFailures: [{ itemIdentifier: e.Records[0]!.messageId }] };
    }).use(largeMessages({ bucket: BUCKET, s3Client: world.s3 }));
    await handler(event, context);
    expect([...seen].sort()).toEqual([...bodies].sort());
    const exists = async (key: string) =>
      world.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
        () => true,
        () => false,
      );
    expect(await exists(keys.get(event.Records[0]!.messageId)!)).toBe(true);
    expect(await exists(keys.get(event.Records[1]!.messageId)!)).toBe(false);
  });
});
