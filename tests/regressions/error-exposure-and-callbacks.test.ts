/**
 * Issue 11, item 10: error exposure and user callbacks.
 * - Per-request SpillConfigurationError and InvalidResponseError carry a generic
 *   client message (SpillConfigurationError: {"message":"The server could not send this response"});
 *   the detail is in `cause` (an Error whose message is the detail, with the
 *   user's original error as its own cause when there is one).
 * - Every user callback that throws or returns the wrong type ends as
 *   SpillConfigurationError with `cause` set.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { InvalidResponseError, s3Spill, SpillConfigurationError } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';

const s3 = useLocalS3('regress-exposure');

const LIMIT = 6_291_556;
const GENERIC = 'The server could not send this response';
type Options = Parameters<typeof s3Spill>[0];

const big = () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(LIMIT) });
const small = () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'small' });

function options(extra: Record<string, unknown>): Options {
  return { bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, ...extra } as Options;
}

/** Run once without an error handler: what was thrown. */
async function thrown(extra: Record<string, unknown>, result: () => object = big, event = eventOf('function-url')): Promise<unknown> {
  return middy(async () => result())
    .use(s3Spill(options(extra)))(event, context)
    .then(
      (response) => ({ resolved: JSON.stringify(response).slice(0, 200) }),
      (error: unknown) => error,
    );
}

/** Run once with @middy/http-error-handler: what the client got. */
async function answered(extra: Record<string, unknown>, result: () => object = big, event = eventOf('function-url')) {
  return (await middy(async () => result())
    .use(s3Spill(options(extra)))
    .use(httpErrorHandler({ logger: false }))(event, context)) as { statusCode: number; headers: Record<string, string>; body: string };
}

/** The chain of `cause`, from the error down. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = (error as { cause?: unknown } | undefined)?.cause;
  while (current !== undefined && chain.length < 5) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

describe('a bucket function returning "Bad_Bucket"', () => {
  it('the client 500 does not mention the bucket or its naming rules', async () => {
    const response = await answered({ bucket: () => 'Bad_Bucket' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/bucket/i);
    expect(response.body).not.toMatch(/3 to 63|lower.?case|naming|Bad_Bucket/i);
    expect(JSON.parse(response.body)).toEqual({ message: GENERIC });
  });

  it('the thrown SpillConfigurationError carries the detail in cause', async () => {
    const error = await thrown({ bucket: () => 'Bad_Bucket' });
    expect(error).toBeInstanceOf(SpillConfigurationError);
    expect(JSON.parse((error as Error).message)).toEqual({ message: GENERIC });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).message).toMatch(/bucket/i);
  });
});

/** An oversized JSON body, for a client that accepts gzip: the compressibleTypes predicate is asked. */
function bigForCompression(): object {
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: 'a'.repeat(6_300_000) };
}

/** Each user callback, the options that make it run, and the result that reaches it. */
const CALLBACKS: [string, (fn: () => never) => Record<string, unknown>, () => object][] = [
  ['bucket', (fn) => ({ bucket: fn }), big],
  ['keyPrefix', (fn) => ({ keyPrefix: fn }), big],
  ['key', (fn) => ({ key: fn }), big],
  ['metadata', (fn) => ({ metadata: fn }), big],
  ['tags', (fn) => ({ tags: fn }), big],
  ['contentDisposition', (fn) => ({ contentDisposition: fn }), big],
  ['compress', (fn) => ({ compress: fn }), big],
  ['reuse', (fn) => ({ reuse: fn }), big],
  ['alwaysSpill', (fn) => ({ alwaysSpill: fn }), small],
  ['presign', (fn) => ({ presign: fn }), big],
  ['s3Client (function)', (fn) => ({ s3Client: fn }), big],
  ['signingClient (function)', (fn) => ({ signingClient: fn }), big],
  // Added after the first run: a compressibleTypes predicate is a user callback too (it escaped raw before).
  ['compressibleTypes (function)', (fn) => ({ compressibleTypes: fn }), bigForCompression],
];

describe.each(CALLBACKS)('a %s callback that throws', (_name, optionsWith, result) => {
  const original = () => new RangeError('the tenant table is down');

  it('gives SpillConfigurationError with the original error reachable through cause', async () => {
    const error = original();
    const got = await thrown(
      optionsWith(() => {
        throw error;
      }),
      result,
    );
    expect(got).toBeInstanceOf(SpillConfigurationError);
    expect(causes(got).slice(0, 2)).toContain(error);
  });

  it('gives the client the generic 500 message through @middy/http-error-handler', async () => {
    const response = await answered(
      optionsWith(() => {
        throw original();
      }),
      result,
    );
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe(JSON.stringify({ message: GENERIC }));
  });
});

describe('a callback that returns the wrong type gives SpillConfigurationError with cause set', () => {
  it.each<[string, Record<string, unknown>]>([
    ['metadata returning { a: 1 }', { metadata: () => ({ a: 1 }) }],
    ['tags returning { t: 1 }', { tags: () => ({ t: 1 }) }],
    ['contentDisposition returning 42', { contentDisposition: () => 42 }],
    ['bucket returning 42', { bucket: () => 42 }],
    ['key returning 42', { key: () => 42 }],
    ['presign returning 42', { presign: () => 42 }],
  ])('%s', async (_name, extra) => {
    const got = await thrown(extra);
    expect(got).toBeInstanceOf(SpillConfigurationError);
    expect((got as Error).cause).toBeInstanceOf(Error);
  });
});

describe('an InvalidResponseError (an object body)', () => {
  it('gives the client a generic message, the detail in cause', async () => {
    const buffer = () => ({ statusCode: 200, body: { rows: [1] } });
    const got = await thrown({}, buffer);
    expect(got).toBeInstanceOf(InvalidResponseError);
    expect((got as Error).message).not.toMatch(/Buffer|Uint8Array|base64|isBase64Encoded|object/);
    expect(((got as Error).cause as Error | undefined)?.message).toMatch(/must be a string/);

    const response = await answered({}, buffer);
    expect(response.statusCode).toBe(500);
    expect(response.headers['Content-Type']).toBe('application/json');
    expect(response.body).not.toMatch(/Buffer|Uint8Array|base64|isBase64Encoded|body/i);
  });
});
