/**
 * largeMessages' `metrics` in a real Middy pipeline against a local S3, with a
 * real Powertools `Metrics` whose EMF output is captured. The records are
 * written as the Extended Client writes them (an object and a pointer body),
 * so no queue is needed here.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { largeMessages, largeMessagesValidateOptions, SIZE_ATTRIBUTE } from 'lambda-s3-spill/messages';
import { useEmfCapture } from '../support/emf.js';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';

const s3 = useLocalS3('metrics-messages');
const emf = useEmfCapture();

function record(messageId: string, body: string, attributes: SQSRecord['messageAttributes'] = {}): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: attributes,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders',
    awsRegion: 'us-east-1',
  };
}

/** A large message: its body stored under `key`, the record carrying the pointer and the size attribute. */
async function largeRecord(messageId: string, text: string): Promise<SQSRecord> {
  const key = `messages/${messageId}`;
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: text }));
  const pointer = JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: s3.bucket, s3Key: key }]);
  const size = { stringValue: String(Buffer.byteLength(text)), stringListValues: [], binaryListValues: [], dataType: 'Number' };
  return record(messageId, pointer, { [SIZE_ATTRIBUTE]: size });
}

function handlerWith(metrics: Metrics) {
  const seen: string[] = [];
  const handler = middy(async (event: SQSEvent) => {
    for (const r of event.Records) seen.push(r.body);
  }).use(largeMessages({ bucket: s3.bucket, s3Client: s3.client, deleteAfterUse: false, logger: recordingLogger().logger, metrics }));
  return { handler, seen };
}

it('an event whose large messages were resolved emits Resolved (records) and ResolvedBytes (their bodies)', async () => {
  const first = 'é'.repeat(150_000);
  const second = 'x'.repeat(300_001);
  const event = { Records: [await largeRecord('m-1', first), record('m-2', 'small'), await largeRecord('m-3', second)] };
  const { handler, seen } = handlerWith(new Metrics({ namespace: 'QueueTests', serviceName: 'orders' }));
  await handler(event, context);
  expect(seen).toEqual([first, 'small', second]);
  const dimensions = { service: 'orders', utility: 'messages' };
  expect(emf.metrics()).toEqual([
    { name: 'Resolved', unit: 'Count', value: 2, namespace: 'QueueTests', dimensions },
    { name: 'ResolvedBytes', unit: 'Bytes', value: 300_000 + 300_001, namespace: 'QueueTests', dimensions },
  ]);
});

it('emits nothing for an event without large messages', async () => {
  const { handler } = handlerWith(new Metrics({ namespace: 'QueueTests', serviceName: 'orders' }));
  await handler({ Records: [record('m-4', 'small')] }, context);
  expect(emf.documents).toEqual([]);
});

it('refuses metrics that are not a Powertools Metrics', () => {
  expect(() => largeMessagesValidateOptions({ bucket: 'b-messages', metrics: {} as never })).toThrow(
    new TypeError('metrics must be a Powertools Metrics (new Metrics({ namespace, serviceName }))'),
  );
});
