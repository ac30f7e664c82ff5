/**
 * The samples of docs/messages.md, run against moto as they are: the producer
 * sends, the Middy consumer and the Powertools batch consumer resolve; with the
 * batch processor, a record whose object is gone fails alone.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { SIZE_ATTRIBUTE } from 'lambda-s3-spill/messages';
import { BUCKET, bodyOf, context, receiveAll, sqsEventOf, startWorld, type World } from './helpers.js';

let world: World;
const saved = { ...process.env };
beforeAll(async () => {
  world = await startWorld();
  // The samples use default clients: pointed at moto the standard way (AWS_ENDPOINT_URL).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: world.moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    S3_SPILL_BUCKET: BUCKET,
  });
}, 120_000);
afterAll(async () => {
  process.env = saved;
  await world?.stop();
});

async function exists(key: string): Promise<boolean> {
  return world.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

const keyOf = (body: string): string => (JSON.parse(body) as [string, { s3Key: string }])[1].s3Key;

it('producer and Powertools batch consumer: a record whose object is gone is the only batchItemFailure', async () => {
  const queue = await world.queue('orders');
  process.env.ORDERS_QUEUE_URL = queue.url;
  const { sendOrder } = await import('../../samples/messages/producer.js');
  const large = { items: bodyOf(1_100_000) }; // over the SQS threshold of 1,048,576 the sample sets
  await sendOrder(large);
  await sendOrder({ items: 'again ' + bodyOf(1_100_000) });
  await sendOrder({ items: 'small' });
  const event = sqsEventOf(await receiveAll(world.sqs, queue.url, 3), queue.arn);
  const offloaded = event.Records.filter((r) => r.messageAttributes[SIZE_ATTRIBUTE] !== undefined);
  expect(offloaded).toHaveLength(2);
  const [gone, kept] = offloaded;
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await world.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: keyOf(gone!.body) }));

  const { handler, processed } = await import('../../samples/messages/batch-handler.js');
  const answer = await handler(event, context);
  expect(answer.batchItemFailures).toEqual([{ itemIdentifier: gone!.messageId }]);
  expect(processed.map((p) => p.messageId).sort()).toEqual(event.Records.filter((r) => r !== gone).map((r) => r.messageId).sort());
  expect(await exists(keyOf(kept!.body))).toBe(false); // processed, so deleted
});

it('Middy consumer sample resolves a batch and deletes what it processed', async () => {
  const queue = await world.queue('orders-middy');
  process.env.ORDERS_QUEUE_URL = queue.url;
  const { sendOrder } = await import('../../samples/messages/producer.js');
  const order = { items: bodyOf(1_200_000) };
  await sendOrder(order);
  const event: SQSEvent = sqsEventOf(await receiveAll(world.sqs, queue.url, 1), queue.arn);
  const key = keyOf(event.Records[0]!.body);
  const { handler } = await import('../../samples/messages/consumer.js');
  expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
  expect(await exists(key)).toBe(false);
});
