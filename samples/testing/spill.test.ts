/**
 * Testing a handler that uses s3Spill or withS3Spill, on your machine: a local
 * S3 (s3rver, from samples/local/s3-server.ts) stands in for the bucket, and the
 * test follows the 303 the way a client would. No AWS account, no network.
 */
import type { Context } from 'aws-lambda';
import middy from '@middy/core';
import { s3Spill, withS3Spill, type S3SpillOptions } from 'lambda-s3-spill';
import { type LocalS3, startLocalS3 } from '../local/s3-server.js';

const bigReport = async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'text/csv' },
  body: 'id,value\n'.padEnd(7_000_000, '0'), // over Lambda's 6,291,556-byte limit
});

// The fields of a Function URL event (payload 2.0) and of the context that s3Spill reads.
const event = {
  version: '2.0',
  rawPath: '/report',
  headers: {},
  requestContext: { domainName: 'abc.lambda-url.eu-west-1.on.aws', http: { method: 'GET', path: '/report' } },
};
const context = { getRemainingTimeInMillis: () => 30_000 } as Context;

let s3: LocalS3;
let options: S3SpillOptions;
beforeAll(async () => {
  s3 = await startLocalS3('my-spill-bucket');
  options = { bucket: s3.bucket, s3Client: s3.client }; // in Lambda: S3_SPILL_BUCKET and the default client
});
afterAll(() => s3.stop());

/** Follow the 303 as a browser would, and return the status and the body. */
async function follow(response: { statusCode: number; headers?: Record<string, unknown> }) {
  expect(response.statusCode).toBe(303);
  const download = await fetch(String(response.headers?.Location));
  return { status: download.status, body: await download.text() };
}

test('with Middy, an oversized answer is a 303 to the whole body in S3', async () => {
  const handler = middy(bigReport).use(s3Spill(options));
  const { status, body } = await follow(await handler(event, context));
  expect(status).toBe(200);
  expect(body).toBe((await bigReport()).body);
});

test('with withS3Spill, the same', async () => {
  const handler = withS3Spill(bigReport, options);
  const { status, body } = await follow((await handler(event, context)) as { statusCode: number });
  expect(status).toBe(200);
  expect(body).toBe((await bigReport()).body);
});

test('an answer that fits is returned untouched', async () => {
  const small = { statusCode: 200, body: 'ok' };
  const handler = withS3Spill(async () => small, options);
  expect(await handler(event, context)).toBe(small);
});
