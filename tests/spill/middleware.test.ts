import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { InvalidResponseError, payloadBytes, ResponseTooLargeError, s3Spill, SpillUploadError } from 'lambda-s3-spill';
import { context, EVENT_KINDS, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { listKeys, locationOf, rawGet } from '../support/s3-objects.js';

const s3 = useLocalS3('unit-spill');

const LIMIT = 6_291_556;
const ALB_LIMIT = 1_000_000;
const limitOf = (kind: string) => (kind.startsWith('alb') ? ALB_LIMIT : LIMIT);

function spill(extra: Parameters<typeof s3Spill>[0] = {}) {
  const log = recordingLogger();
  const middleware = s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger, ...extra });
  return { middleware, log };
}

it('runs the suite under Node 22 or later (Lambda nodejs22.x / nodejs24.x)', () => {
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
});

describe.each(MIDDY_VERSIONS)('with %s', (_name, middyOf) => {
  it.each(EVENT_KINDS)('passes a result that fits through untouched (%s)', async (kind) => {
    const result = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'hello' };
    const handler = middyOf(async () => result).use(spill().middleware);
    const before = (await listKeys(s3.client, s3.bucket)).length;
    expect(await handler(eventOf(kind), context)).toBe(result);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });

  it('spills an oversized body and the URL serves it byte for byte', async () => {
    const body = 'z'.repeat(LIMIT);
    const handler = middyOf(async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body })).use(
      spill().middleware,
    );
    const response = (await handler(eventOf('function-url'), context)) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(303);
    expect(response.body).toBe('');
    const fetched = await rawGet(locationOf(response));
    expect(fetched.status).toBe(200);
    expect(fetched.body.equals(Buffer.from(body))).toBe(true);
    expect(fetched.headers['content-type']).toBe('text/plain');
  });
});

describe.each(EVENT_KINDS)('behind %s', (kind) => {
  const limit = limitOf(kind);

  it('fits at exactly the limit and spills one byte over', async () => {
    const envelope = payloadBytes({ statusCode: 200, body: '' });
    const atLimit = { statusCode: 200, body: 'a'.repeat(limit - envelope) };
    expect(payloadBytes(atLimit)).toBe(limit);
    const { middleware } = spill();
    expect(await middy(async () => atLimit).use(middleware)(eventOf(kind), context)).toBe(atLimit);
    const over = { statusCode: 200, body: `${atLimit.body}a` };
    const response = (await middy(async () => over).use(middleware)(eventOf(kind), context)) as { statusCode: number };
    expect(response.statusCode).toBe(303);
  });

  it('keeps the payload format, cookies and CORS headers, and moves content headers to the object', async () => {
    const bytes = Buffer.alloc(limit, 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const result: Record<string, unknown> = {
      statusCode: 200,
      statusDescription: kind.startsWith('alb') ? '200 OK' : undefined,
      headers: {
        'content-type': 'application/octet-stream',
        'Content-Disposition': 'attachment; filename="data.bin"',
        'Cache-Control': 'private, max-age=60',
        'Content-Language': 'en',
        'Access-Control-Allow-Origin': 'https://app.example',
        ETag: '"abc"',
        'X-Request-Id': 'r-1',
      },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    };
    if (kind === 'rest-v1' || kind === 'alb-multi-value') {
      result.multiValueHeaders = { 'Set-Cookie': ['a=1; Secure', 'b=2; HttpOnly'] };
    }
    if (kind === 'http-v2' || kind === 'function-url') result.cookies = ['a=1; Secure', 'b=2; HttpOnly'];
    if (result.statusDescription === undefined) delete result.statusDescription;
    const { middleware, log } = spill();
    const response = (await middy(async () => result).use(middleware)(eventOf(kind), context)) as Record<string, any>;

    expect(response.statusCode).toBe(303);
    expect(response.body).toBe('');
    expect(response.isBase64Encoded).toBe(false);
    expect(response.headers).toEqual({
      'Access-Control-Allow-Origin': 'https://app.example',
      'X-Request-Id': 'r-1',
      Location: expect.stringContaining('/unit-spill/spill/'),
      'Cache-Control': 'no-store',
    });
    if (kind === 'rest-v1' || kind === 'alb-multi-value') {
      expect(response.multiValueHeaders).toEqual({
        'Set-Cookie': ['a=1; Secure', 'b=2; HttpOnly'],
        Location: [response.headers.Location],
        'Cache-Control': ['no-store'],
      });
    } else {
      expect(response.multiValueHeaders).toBeUndefined();
    }
    if (kind === 'http-v2' || kind === 'function-url') expect(response.cookies).toEqual(['a=1; Secure', 'b=2; HttpOnly']);
    if (kind.startsWith('alb')) expect(response.statusDescription).toBe('303 See Other');

    const fetched = await rawGet(response.headers.Location);
    expect(fetched.body.equals(bytes)).toBe(true);
    expect(fetched.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-disposition': 'attachment; filename="data.bin"',
      'cache-control': 'private, max-age=60',
      'content-language': 'en',
    });
    expect(payloadBytes(response)).toBeLessThanOrEqual(limit);

    const spillLine = log.lines.find((l) => l.level === 'info');
    expect(spillLine?.args[1]).toEqual({
      spill: expect.objectContaining({ bucket: 'unit-spill', key: expect.stringMatching(/^spill\//), objectBytes: limit }),
    });
    expect(log.text()).not.toMatch(/X-Amz-|http:\/\//);
  });

  it('sends no body and uploads nothing for an oversized HEAD response', async () => {
    const before = await listKeys(s3.client, s3.bucket);
    const result = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'h'.repeat(limit + 1) };
    const response = await middy(async () => result).use(spill().middleware)(eventOf(kind, 'HEAD'), context);
    expect(response).toEqual({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: '', isBase64Encoded: false });
    expect(await listKeys(s3.client, s3.bucket)).toEqual(before);
  });

  it.each([404, 500, 204, 206])('refuses to return an oversized %i response: ResponseTooLargeError', async (statusCode) => {
    const handler = middy(async () => ({ statusCode, body: 'e'.repeat(limit) })).use(spill().middleware);
    await expect(handler(eventOf(kind), context)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });
});

describe('pass-through and bad input', () => {
  it('leaves non-HTTP events alone, whatever the size', async () => {
    const result = { statusCode: 200, body: 'x'.repeat(LIMIT + 10) };
    expect(await middy(async () => result).use(spill().middleware)({ Records: [] }, context)).toBe(result);
  });

  it('reads a streamed body in a buffered function: a small one is answered as a string body', async () => {
    const result = { statusCode: 200, body: Readable.from(['a']) };
    expect(await middy(async () => result).use(spill().middleware)(eventOf('function-url'), context)).toEqual({
      statusCode: 200,
      body: 'a',
      isBase64Encoded: false,
    });
  });

  it('spills a v2 result without statusCode as a 200 application/json body', async () => {
    const cities = Array.from({ length: 160_000 }, (_, i) => ({ name: `City ${i}`, lat: '42.5', lng: '1.5' }));
    const response = (await middy(async () => cities).use(spill().middleware)(eventOf('http-v2'), context)) as object;
    expect(response).toMatchObject({ statusCode: 303, body: '' });
    const fetched = await rawGet(locationOf(response));
    expect(fetched.headers['content-type']).toBe('application/json');
    expect(JSON.parse(fetched.body.toString('utf8'))).toEqual(cities);
  });

  it('rejects an oversized result that is not an HTTP response behind a REST API', async () => {
    const handler = middy(async () => 'x'.repeat(LIMIT)).use(spill().middleware);
    await expect(handler(eventOf('rest-v1'), context)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it.each([
    ['an object', { items: [] }],
  ])('rejects %s body with InvalidResponseError', async (_name, body) => {
    const handler = middy(async () => ({ statusCode: 200, body })).use(spill().middleware);
    await expect(handler(eventOf('rest-v1'), context)).rejects.toThrow(InvalidResponseError);
  });

  it('rejects invalid base64 when it must decode it', async () => {
    const body = `${'QUJD'.repeat(LIMIT / 4)}!!!!`;
    const handler = middy(async () => ({ statusCode: 200, body, isBase64Encoded: true })).use(spill().middleware);
    await expect(handler(eventOf('function-url'), context)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/not valid base64/) } });
  });

  it('passes a response without a body through', async () => {
    const result = { statusCode: 204 };
    expect(await middy(async () => result).use(spill().middleware)(eventOf('rest-v1'), context)).toBe(result);
  });

  it('refuses headers that alone are over the limit', async () => {
    const result = { statusCode: 200, headers: { 'X-Huge': 'h'.repeat(LIMIT) }, body: 'b' };
    const handler = middy(async () => result).use(spill().middleware);
    await expect(handler(eventOf('function-url'), context)).rejects.toThrow(/headers and cookies alone/);
  });

  it('honours maxBytes and a key function', async () => {
    const { middleware } = spill({ maxBytes: 100, key: () => 'tenant-a/report.json' });
    const response = await middy(async () => ({ statusCode: 200, body: 'k'.repeat(200) })).use(middleware)(
      eventOf('function-url'),
      context,
    );
    expect(new URL(locationOf(response)).pathname).toBe('/unit-spill/spill/tenant-a/report.json');
    await expect(
      middy(async () => ({ statusCode: 200, body: 'k'.repeat(200) })).use(s3Spill({ bucket: 'spill-bucket', maxBytes: 100, key: () => '../x' }))(
        eventOf('function-url'),
        context,
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/\.\./) } });
  });

  it('spills an oversized response that an onError handler set', async () => {
    const handler = middy(async () => {
      throw new Error('boom');
    })
      .use(spill().middleware)
      .use({ onError: (request: { response: unknown }) => void (request.response = { statusCode: 200, body: 'e'.repeat(LIMIT) }) });
    expect(await handler(eventOf('function-url'), context)).toMatchObject({ statusCode: 303 });
  });
});

describe('upload failure', () => {
  it('throws SpillUploadError with the SDK error as cause, and http-error-handler answers 502', async () => {
    const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    const sdkError = Object.assign(new Error('We encountered an internal error'), { name: 'InternalError' });
    mock.on(PutObjectCommand).rejects(sdkError);
    const big = { statusCode: 200, body: 'u'.repeat(LIMIT) };
    const bare = middy(async () => big).use(s3Spill({ bucket: 'spill-bucket', s3Client: client }));
    const error = await bare(eventOf('function-url'), context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpillUploadError);
    expect((error as Error).cause).toBe(sdkError);

    const withHandler = middy(async () => big)
      .use(s3Spill({ bucket: 'spill-bucket', s3Client: client }))
      .use(httpErrorHandler({ logger: false }));
    const response = (await withHandler(eventOf('function-url'), context)) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(502);
    expect(response.body.length).toBeLessThan(200);
    expect(mock.commandCalls(PutObjectCommand).length).toBeGreaterThanOrEqual(2);
  });
});
