/**
 * samples/ordering.ts, the pipeline of docs/ordering.md, run for real: s3Spill
 * registered first measures the response after the serializer, content encoding
 * and CORS have run, and the error handler's response after it.
 */
import { jest } from '@jest/globals';
import { type LocalS3, startLocalS3 } from '../../samples/local/s3-server.js';
import { context } from '../support/events.js';
import { locationOf, rawGet } from '../support/s3-objects.js';

let s3: LocalS3;
let reportHandler: typeof import('../../samples/ordering.js').reportHandler;
beforeAll(async () => {
  s3 = await startLocalS3('ordering-spill');
  process.env.S3_SPILL_BUCKET ??= 'sample-bucket'; // the sample's module-level handler reads it
  ({ reportHandler } = await import('../../samples/ordering.js'));
});
afterAll(async () => {
  await s3.stop();
});

const event = (rawPath: string, headers: Record<string, string>) => ({
  version: '2.0',
  rawPath,
  headers: { origin: 'https://app.example', ...headers },
  requestContext: { http: { method: 'GET', path: rawPath } },
});

it('spills the serialized body and keeps the CORS headers on the 303', async () => {
  const handler = reportHandler({ bucket: s3.bucket, s3Client: s3.client, compress: false });
  const response = (await handler(event('/report', { 'accept-encoding': 'identity' }) as never, context)) as unknown as {
    statusCode: number;
    headers: Record<string, string>;
  };
  expect(response.statusCode).toBe(303);
  expect(response.headers['Access-Control-Allow-Origin']).toBe('https://app.example');
  const fetched = await rawGet(locationOf(response));
  expect(fetched.headers['content-type']).toBe('application/json');
  expect(JSON.parse(fetched.body.toString('utf8')).rows).toHaveLength(120_000);
});

it('lets @middy/http-content-encoding compress first: the gzip answer fits inline', async () => {
  const handler = reportHandler({ bucket: s3.bucket, s3Client: s3.client });
  const response = (await handler(event('/report', { 'accept-encoding': 'gzip' }) as never, context)) as unknown as {
    statusCode: number;
    headers: Record<string, string>;
    isBase64Encoded: boolean;
  };
  expect(response).toMatchObject({ statusCode: 200, isBase64Encoded: true });
  expect(response.headers['Content-Encoding']).toBe('gzip');
});

it('answers an error through the error handler, logged once, measured by s3Spill after it', async () => {
  const { Logger } = await import('@aws-lambda-powertools/logger');
  const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  const handler = reportHandler({ bucket: s3.bucket, s3Client: s3.client });
  const response = (await handler(event('/fail', {}) as never, context)) as unknown as { statusCode: number; headers: object };
  expect(response.statusCode).toBe(500);
  expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.example' });
  expect(error).toHaveBeenCalledTimes(1);
  error.mockRestore();
});
