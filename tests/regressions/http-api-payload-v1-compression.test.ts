/**
 * Issue 11, item 7: an HTTP API with payload format 1.0 (`version: '1.0'`) is
 * not a REST API: HTTP APIs always decode `isBase64Encoded` bodies, so inline
 * compression applies by default. `compressInlineOnRestApi` (default false)
 * applies to REST APIs only.
 */
import middy from '@middy/core';
import { gunzipSync } from 'node:zlib';
import { s3Spill } from 'lambda-s3-spill';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { listKeys } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-http-v1');

/** An HTTP API payload format 1.0 event (API Gateway developer guide, "HTTP API payload format version 1.0"). */
function httpApiV1Event(): Record<string, unknown> {
  return {
    version: '1.0',
    resource: '/report',
    path: '/report',
    httpMethod: 'GET',
    headers: { 'accept-encoding': 'gzip', host: 'r4nd0m1d.execute-api.us-east-1.amazonaws.com' },
    multiValueHeaders: { 'accept-encoding': ['gzip'], host: ['r4nd0m1d.execute-api.us-east-1.amazonaws.com'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'r4nd0m1d',
      domainName: 'r4nd0m1d.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'r4nd0m1d',
      extendedRequestId: 'JJbxmVWFIAMEkAw=',
      httpMethod: 'GET',
      identity: { sourceIp: '192.0.2.1', userAgent: 'curl/8.5.0' },
      path: '/report',
      protocol: 'HTTP/1.1',
      requestId: 'JJbxmVWFIAMEkAw=',
      requestTime: '21/Nov/2026:05:10:00 +0000',
      requestTimeEpoch: Date.now(),
      resourceId: 'GET /report',
      resourcePath: '/report',
      stage: '$default',
    },
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
  };
}

/** The same request through a REST API (no `version` field). */
function restEvent(): Record<string, unknown> {
  const { version: _none, ...event } = httpApiV1Event();
  const requestContext = event.requestContext as Record<string, unknown>;
  return { ...event, requestContext: { ...requestContext, resourceId: 'abc123', stage: 'prod' } };
}

const body = JSON.stringify(Array.from({ length: 120_000 }, (_, i) => ({ id: i, city: 'Sant Julià de Lòria', value: i * 0.5 })));

function headerOf(response: Record<string, any>, name: string): string | undefined {
  for (const [key, value] of Object.entries((response.multiValueHeaders ?? {}) as Record<string, string[]>)) {
    if (key.toLowerCase() === name) return value[0];
  }
  for (const [key, value] of Object.entries((response.headers ?? {}) as Record<string, string>)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

const spill = () => s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger });
const handler = () =>
  middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body })).use(spill());

describe('a 7 MB compressible JSON body, client accepts gzip', () => {
  it('HTTP API payload 1.0: answered inline compressed (isBase64Encoded, Content-Encoding gzip), nothing uploaded', async () => {
    expect(Buffer.byteLength(body)).toBeGreaterThan(7_000_000);
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const response = (await handler()(httpApiV1Event(), context)) as Record<string, any>;
    expect(response.statusCode).toBe(200);
    expect(response.isBase64Encoded).toBe(true);
    expect(headerOf(response, 'content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(response.body as string, 'base64')).toString('utf8') === body).toBe(true);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });

  it('REST API (no version field): spilled, compressInlineOnRestApi defaults to false', async () => {
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const response = (await handler()(restEvent(), context)) as Record<string, any>;
    expect(response.statusCode).toBe(303);
    expect(response.isBase64Encoded ?? false).toBe(false);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before + 1);
  });
});
