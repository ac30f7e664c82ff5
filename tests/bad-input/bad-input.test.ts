/**
 * Bad input from the handler (and the event): each case gets a typed error
 * (answered by `@middy/http-error-handler` with its status and a small JSON
 * body, logged once) or a documented pass-through; none is silently changed.
 * Every case counts the requests that reached S3 (through a counting proxy), so
 * "nothing uploaded" is checked, not assumed.
 *
 * Spilled bodies are 100 KB over a `maxBytes` lowered to 64 KiB (same path as a
 * 7 MB body); the header and cookie cases use the real 6,291,556-byte limit.
 */
import middy from '@middy/core';
import { detailOf, GENERIC_MESSAGE } from '../support/errors.js';
import httpErrorHandler from '@middy/http-error-handler';
import { InvalidResponseError, ResponseTooLargeError, s3Spill, type S3SpillError, type S3SpillOptions, SpillConfigurationError } from 'lambda-s3-spill';
import { startFrontDoor } from '../../samples/local/front-door-server.js';
import { testClient } from '../faults/harness.js';
import { testNoLeaks, watchForLeaks } from '../security/leak-watch.js';
import { context, type EventKind, eventOf } from '../support/events.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { rawGet } from '../support/s3-objects.js';

const watch = watchForLeaks();

const { s3, proxy } = useLocalS3BehindFaultProxy('bad-input-spill');
beforeEach(() => {
  proxy.requests.splice(0);
});

const MAX_BYTES = 64 * 1024;
const BIG = 100_000;
const LIMIT = 6_291_556;
const uploads = (): number => proxy.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length;

interface Outcome {
  /** What the handler chain returned (the error handler's response on failure). */
  readonly response: { statusCode?: number; headers?: Record<string, string>; body?: string } & Record<string, unknown>;
  /** Errors the error handler logged. */
  readonly logged: unknown[];
  /** Requests that reached S3. */
  readonly uploads: number;
}

/** Run `result` through `s3Spill` and `@middy/http-error-handler` behind `kind`. */
async function run(result: unknown, kind: EventKind = 'function-url', options: Partial<S3SpillOptions> = {}, event?: unknown): Promise<Outcome> {
  const client = testClient(proxy.endpoint);
  const errorLog = watch.errorHandlerLogger();
  const handler = middy(async () => result)
    .use(s3Spill({ bucket: s3.bucket, s3Client: client, logger: watch.recordingLogger().logger, maxBytes: MAX_BYTES, ...options }))
    .use(httpErrorHandler({ logger: errorLog.log }));
  try {
    const response = (await handler(event ?? eventOf(kind), context)) as Outcome['response'];
    // Error answers are checked like logs; a 303 carries its URL to the client by design.
    if ((response as { statusCode?: number } | null)?.statusCode !== 303) watch.recordText(JSON.stringify(response ?? null).slice(0, 10_000));
    return { response, logged: errorLog.errors, uploads: uploads() };
  } finally {
    client.destroy();
  }
}

/** The outcome is the typed error, answered with its status and a small JSON body, logged once, nothing uploaded. */
function expectTypedError(outcome: Outcome, type: new (...args: never[]) => S3SpillError, message: RegExp): void {
  expect(outcome.logged).toHaveLength(1);
  const error = outcome.logged[0] as S3SpillError;
  expect(error).toBeInstanceOf(type);
  expect(outcome.response.statusCode).toBe(error.statusCode);
  expect(outcome.response.statusCode).toBe(500);
  expect(outcome.response.headers?.['Content-Type']).toBe('application/json');
  expect(outcome.response.headers?.['Cache-Control']).toBe('no-store');
  expect(Buffer.byteLength(outcome.response.body ?? '')).toBeLessThan(300);
  // A configuration problem or an invalid response tells the client nothing more; the detail is in the cause, for the logs.
  const generic = error instanceof InvalidResponseError || error instanceof SpillConfigurationError;
  expect(JSON.parse(outcome.response.body ?? '')).toEqual({ message: generic ? GENERIC_MESSAGE : expect.stringMatching(message) });
  expect(detailOf(error)).toMatch(message);
  expect(outcome.uploads).toBe(0);
}

/** The outcome is the result itself, untouched (same object), nothing logged, nothing uploaded. */
function expectPassThrough(outcome: Outcome, result: unknown): void {
  expect(outcome.response).toBe(result);
  expect(outcome.logged).toEqual([]);
  expect(outcome.uploads).toBe(0);
}

function locationOf(response: Outcome['response']): string[] {
  const r = response as { headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]> };
  const found: string[] = [];
  for (const [name, value] of Object.entries(r.headers ?? {})) if (name.toLowerCase() === 'location') found.push(value);
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
    if (name.toLowerCase() === 'location') found.push(...values);
  }
  return found;
}

describe('body types', () => {
  it.each([
    ['a Buffer', () => Buffer.from([0xff, 0x00, 0x80])],
    ['a Uint8Array', () => new Uint8Array([0xff, 0x00, 0x80])],
  ])('%s body that fits: answered as base64 with isBase64Encoded, nothing uploaded', async (_name, body) => {
    const outcome = await run({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: body() });
    expect(outcome.response).toMatchObject({ statusCode: 200, body: '/wCA', isBase64Encoded: true });
    expect(outcome.logged).toEqual([]);
    expect(outcome.uploads).toBe(0);
  });

  it('an object stream chunk (a Readable in object mode): InvalidResponseError 500', async () => {
    const { Readable } = await import('node:stream');
    expectTypedError(await run({ statusCode: 200, body: Readable.from([{ row: 1 }]) }), InvalidResponseError, /not bytes or a string/);
  });

  it('an object body (REST API v1): InvalidResponseError 500', async () => {
    expectTypedError(await run({ statusCode: 200, body: { items: [1] } }, 'rest-v1'), InvalidResponseError, /must be a string/);
  });

  it('an undefined body: passed through untouched', async () => {
    const result = { statusCode: 200, headers: { 'X-Empty': 'yes' } };
    expectPassThrough(await run(result), result);
  });
});

describe('results that are not HTTP response objects', () => {
  it.each<EventKind>(['function-url', 'rest-v1', 'alb'])('a null result: passed through untouched (%s)', async (kind) => {
    const outcome = await run(null, kind);
    expect(outcome.response).toBeNull();
    expect(outcome.logged).toEqual([]);
  });

  it.each<EventKind>(['function-url', 'rest-v1'])('a number result: passed through untouched (%s)', async (kind) => {
    const outcome = await run(42, kind);
    expect(outcome.response).toBe(42);
    expect(outcome.logged).toEqual([]);
  });

  it('a small bare string: passed through untouched', async () => {
    const outcome = await run('hello', 'function-url');
    expect(outcome.response).toBe('hello');
    expect(outcome.uploads).toBe(0);
  });

  it('a large bare string behind a Function URL (a 200 application/json there): spilled as it is', async () => {
    const text = `"${'s'.repeat(BIG)}"`;
    const outcome = await run(text, 'function-url');
    expect(outcome.response.statusCode).toBe(303);
    const fetched = await rawGet(locationOf(outcome.response)[0]);
    expect(fetched.body.toString('utf8')).toBe(text);
    expect(fetched.headers['content-type']).toBe('application/json');
  });

  it('a large bare string behind a REST API (not an HTTP response there): ResponseTooLargeError 500', async () => {
    expectTypedError(await run('s'.repeat(BIG), 'rest-v1'), ResponseTooLargeError, /not an HTTP response/);
  });
});

describe('isBase64Encoded with a body that is not base64', () => {
  it.each([
    ['a character outside the alphabet', `${'QUJD'.repeat(BIG / 4)}QU!D`],
    ['the URL-safe alphabet (- and _)', `${'QUJD'.repeat(BIG / 4)}-_-_`],
    ['MIME line breaks', `${'QUJD'.repeat(19)}\r\n`.repeat(BIG / 78)],
    ['padding in the middle', `${'QUJD'.repeat(BIG / 4)}QQ==QUJD`],
    ['a length that is not a multiple of 4', `${'QUJD'.repeat(BIG / 4)}QUJ`],
  ])('%s, oversized: InvalidResponseError 500, nothing uploaded', async (_name, body) => {
    expectTypedError(await run({ statusCode: 200, body, isBase64Encoded: true }), InvalidResponseError, /not valid base64/);
  });

  it('small: passed through untouched (only a spilled body is decoded)', async () => {
    const result = { statusCode: 200, body: 'not base64!', isBase64Encoded: true };
    expectPassThrough(await run(result), result);
  });
});

describe('headers and cookies', () => {
  it('headers alone over the 6,291,556-byte limit: ResponseTooLargeError 500 before any upload', async () => {
    const result = { statusCode: 200, headers: { 'X-Huge': 'h'.repeat(LIMIT) }, body: 'b'.repeat(BIG) };
    expectTypedError(await run(result), ResponseTooLargeError, /headers and cookies alone/);
  });

  it('an enormous cookies list (v2): ResponseTooLargeError 500 before any upload', async () => {
    const cookies = Array.from({ length: 7_000 }, (_, i) => `c${i}=${'v'.repeat(1_000)}; Path=/; HttpOnly`);
    expectTypedError(await run({ statusCode: 200, cookies, body: 'b'.repeat(BIG) }), ResponseTooLargeError, /headers and cookies alone/);
  });

  it('an enormous Set-Cookie list (REST API multiValueHeaders): ResponseTooLargeError 500 before any upload', async () => {
    const setCookie = Array.from({ length: 7_000 }, (_, i) => `c${i}=${'v'.repeat(1_000)}`);
    const result = { statusCode: 200, multiValueHeaders: { 'Set-Cookie': setCookie }, body: 'b'.repeat(BIG) };
    expectTypedError(await run(result, 'rest-v1'), ResponseTooLargeError, /headers and cookies alone/);
  });

  it('a long cookies list that fits: every cookie kept on the 303, in order', async () => {
    const cookies = Array.from({ length: 300 }, (_, i) => `c${i}=${i}; Path=/; Secure`);
    const outcome = await run({ statusCode: 200, cookies, body: 'b'.repeat(BIG) });
    expect(outcome.response.statusCode).toBe(303);
    expect(outcome.response.cookies).toEqual(cookies);
  });

  it('multiValueHeaders and headers disagree behind a REST API: multiValueHeaders wins, as in API Gateway', async () => {
    const result = {
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain', 'X-Version': 'from-headers' },
      multiValueHeaders: { 'content-type': ['text/csv'], 'X-Version': ['from-multi'] },
      body: 'a,b\n'.repeat(BIG / 4),
    };
    const outcome = await run(result, 'rest-v1');
    expect(outcome.response.statusCode).toBe(303);
    const fetched = await rawGet(locationOf(outcome.response)[0]);
    expect(fetched.headers['content-type']).toBe('text/csv');
    // Both maps kept as given (API Gateway reads multiValueHeaders first); no Content-Type in either.
    expect(outcome.response.headers).toMatchObject({ 'X-Version': 'from-headers' });
    expect(outcome.response.multiValueHeaders).toMatchObject({ 'X-Version': ['from-multi'] });
    expect(JSON.stringify(outcome.response).toLowerCase()).not.toContain('content-type');
  });

  it('multiValueHeaders and headers disagree behind a Function URL: headers win (v2 never reads multiValueHeaders)', async () => {
    const result = {
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain' },
      multiValueHeaders: { 'Content-Type': ['text/csv'] },
      body: 'p'.repeat(BIG),
    };
    const outcome = await run(result, 'function-url');
    expect(outcome.response.statusCode).toBe(303);
    expect(outcome.response.headers?.Location).toBeDefined();
    expect((await rawGet(outcome.response.headers!.Location)).headers['content-type']).toBe('text/plain');
  });

  it('a Function URL result with only multiValueHeaders: the Location still goes in headers, where v2 reads it', async () => {
    const outcome = await run({ statusCode: 200, multiValueHeaders: { 'X-A': ['1'] }, body: 'p'.repeat(BIG) }, 'function-url');
    expect(outcome.response.statusCode).toBe(303);
    expect(outcome.response.headers?.Location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('header values that are numbers or booleans: kept as they are on the 303', async () => {
    const result = { statusCode: 200, headers: { 'X-Count': 5, 'X-Flag': true, 'Content-Length': 100000 }, body: 'n'.repeat(BIG) };
    const outcome = await run(result);
    expect(outcome.response.statusCode).toBe(303);
    expect(outcome.response.headers).toMatchObject({ 'X-Count': 5, 'X-Flag': true });
    expect(outcome.response.headers).not.toHaveProperty('Content-Length');
  });

  it.each([
    ['null', null],
    ['an object', { a: 1 }],
    ['an array', ['a', 'b']],
  ])('a header value that is %s, oversized: InvalidResponseError 500, nothing uploaded', async (_name, value) => {
    const result = { statusCode: 200, headers: { 'X-Bad': value }, body: 'n'.repeat(BIG) };
    expectTypedError(await run(result), InvalidResponseError, /header 'X-Bad' must be a string, number or boolean/);
  });

  it('a header value that is null, small: passed through untouched', async () => {
    const result = { statusCode: 200, headers: { 'X-Bad': null }, body: 'small' };
    expectPassThrough(await run(result), result);
  });

  it('a multiValueHeaders value that is not an array, oversized: InvalidResponseError 500', async () => {
    const result = { statusCode: 200, multiValueHeaders: { 'Set-Cookie': 'a=1' }, body: 'n'.repeat(BIG) };
    expectTypedError(await run(result, 'rest-v1'), InvalidResponseError, /multiValueHeaders 'Set-Cookie' must be an array/);
  });

  it('cookies that are not strings, oversized: InvalidResponseError 500', async () => {
    const result = { statusCode: 200, cookies: ['a=1', { b: 2 }], body: 'n'.repeat(BIG) };
    expectTypedError(await run(result), InvalidResponseError, /cookies must be an array of strings/);
  });
});

describe('status and Location', () => {
  it('a Location header already present (in both maps, any casing): replaced by the one presigned URL', async () => {
    const result = {
      statusCode: 201,
      headers: { location: '/items/42', 'X-Id': '42' },
      multiValueHeaders: { LOCATION: ['/items/42'] },
      body: 'l'.repeat(BIG),
    };
    const outcome = await run(result, 'rest-v1');
    expect(outcome.response.statusCode).toBe(303);
    const locations = locationOf(outcome.response);
    expect(new Set(locations).size).toBe(1);
    expect(locations[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bad-input-spill\/spill\//);
    expect(JSON.stringify(outcome.response)).not.toContain('/items/42');
  });

  it('a 302 with an oversized body and a Location: ResponseTooLargeError 500 (a redirect is not spilled)', async () => {
    const result = { statusCode: 302, headers: { Location: 'https://example.com/' }, body: 'r'.repeat(BIG) };
    expectTypedError(await run(result), ResponseTooLargeError, /A 302 response is not spilled/);
  });

  it.each([204, 304])('a %i with a small body: passed through untouched', async (statusCode) => {
    const result = { statusCode, body: 'unexpected' };
    expectPassThrough(await run(result), result);
  });

  it.each([204, 304])('a %i with an oversized body: ResponseTooLargeError 500, nothing uploaded', async (statusCode) => {
    expectTypedError(await run({ statusCode, body: 'x'.repeat(BIG) }), ResponseTooLargeError, new RegExp(`A ${statusCode} response is not spilled`));
  });
});

describe('events', () => {
  it('an ALB event without multi-value headers, result with only multiValueHeaders: the client still gets a Location', async () => {
    const client = testClient(proxy.endpoint);
    const handler = middy(async () => ({ statusCode: 200, multiValueHeaders: { 'Content-Type': ['text/plain'] }, body: 'a'.repeat(1_200_000) }))
      .use(s3Spill({ bucket: s3.bucket, s3Client: client, logger: watch.recordingLogger().logger, compress: false }));
    const door = await startFrontDoor(handler, 'alb');
    try {
      const response = await fetch(`${door.url}/x`, { redirect: 'manual' });
      await response.arrayBuffer();
      expect(response.status).toBe(303);
      const location = response.headers.get('location');
      expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bad-input-spill\//);
      expect((await rawGet(location!)).body.length).toBe(1_200_000);
    } finally {
      await door.stop();
      client.destroy();
    }
  });

  it('an ALB event without multi-value headers, result with headers: answered in headers', async () => {
    const outcome = await run({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'a'.repeat(BIG) }, 'alb');
    expect(outcome.response).toMatchObject({ statusCode: 303, statusDescription: '303 See Other' });
    expect(outcome.response.headers?.Location).toBeDefined();
    expect(outcome.response.multiValueHeaders).toBeUndefined();
  });

  it('a v1 event whose body is an object (not a string): the middleware does not read it; the result is spilled', async () => {
    const event = { ...eventOf('rest-v1', 'POST'), body: { not: 'a string' } };
    const outcome = await run({ statusCode: 200, body: 'v'.repeat(BIG) }, 'rest-v1', {}, event);
    expect(outcome.response.statusCode).toBe(303);
    expect(outcome.logged).toEqual([]);
  });

  it('an event with request text in path, query and headers: none of it reaches the key', async () => {
    const event = {
      ...eventOf('rest-v1'),
      path: '/../../etc/passwd',
      headers: { 'X-Tenant': 'evil/../../key' },
      queryStringParameters: { key: 'attacker-chosen' },
    };
    const outcome = await run({ statusCode: 200, body: 'v'.repeat(BIG) }, 'rest-v1', {}, event);
    const key = decodeURIComponent(new URL(locationOf(outcome.response)[0]).pathname);
    expect(key).toMatch(/^\/bad-input-spill\/spill\/\d{8}T\d{9}Z-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("the user's key function", () => {
  it.each([
    ['a ".." segment', () => '../other-tenant/x'],
    ['a "." segment', () => 'a/./b'],
    ['a leading "/" (an empty prefix)', () => '/abs'],
    ['more than 1,024 bytes', () => 'k'.repeat(1_100)],
    ['not a string', () => 42 as unknown as string],
  ])('returning %s: SpillConfigurationError 500, nothing uploaded', async (_name, key) => {
    const keyPrefix = _name.startsWith('a leading') ? '' : undefined;
    expectTypedError(await run({ statusCode: 200, body: 'k'.repeat(BIG) }, 'function-url', { key, keyPrefix }), SpillConfigurationError, /key/);
  });

  it('throwing: SpillConfigurationError 500 with the thrown error as cause', async () => {
    const boom = new Error('tenant missing');
    const outcome = await run({ statusCode: 200, body: 'k'.repeat(BIG) }, 'function-url', {
      key: () => {
        throw boom;
      },
    });
    expectTypedError(outcome, SpillConfigurationError, /The key function threw/);
    // The cause is the detail; the key function's own error is its cause.
    expect(((outcome.logged[0] as Error).cause as Error).cause).toBe(boom);
  });

  it('putting request text in the key: used as given once validated (the user chose it)', async () => {
    const outcome = await run({ statusCode: 200, body: 'k'.repeat(BIG) }, 'function-url', {
      key: (request) => `tenant-${String((request.event as { rawPath: string }).rawPath).replace(/\W/g, '')}/${Date.now()}`,
    });
    expect(decodeURIComponent(new URL(locationOf(outcome.response)[0]).pathname)).toMatch(/^\/bad-input-spill\/spill\/tenant-items\/\d+$/);
  });
});

testNoLeaks(watch, 'bad-input suite', 40);
