/**
 * samples/ordering.ts, the pipeline of docs/ordering.md, run for real: s3Spill
 * registered first measures the response after the serializer, content encoding
 * and CORS have run, and the error handler's response after it.
 */
import { jest } from '@jest/globals';
import { context } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { orderingEvent, spilledReport, useOrderingSample } from '../support/ordering-sample.js';

const s3 = useLocalS3('ordering-spill');
const sample = useOrderingSample();

it('spills the serialized body and keeps the CORS headers on the 303', async () => {
  const fetched = await spilledReport(sample.reportHandler({ bucket: s3.bucket, s3Client: s3.client, compress: false }), 'identity');
  expect(fetched.headers['content-type']).toBe('application/json');
  expect(JSON.parse(fetched.body.toString('utf8')).rows).toHaveLength(120_000);
});

it('lets @middy/http-content-encoding compress first: the gzip answer fits inline', async () => {
  const handler = sample.reportHandler({ bucket: s3.bucket, s3Client: s3.client });
  const response = (await handler(orderingEvent('/report', { 'accept-encoding': 'gzip' }) as never, context)) as unknown as {
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
  const handler = sample.reportHandler({ bucket: s3.bucket, s3Client: s3.client });
  const response = (await handler(orderingEvent('/fail', {}) as never, context)) as unknown as { statusCode: number; headers: object };
  expect(response.statusCode).toBe(500);
  expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.example' });
  expect(error).toHaveBeenCalledTimes(1);
  error.mockRestore();
});
