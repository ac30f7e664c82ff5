/**
 * One behaviour, two doors: the front-door cases (REST v1, HTTP API payload 1.0
 * and 2.0, Function URL, ALB with and without multi-value headers; fits, one byte
 * over, binary, cookies, HEAD, S3 down) through `middy().use(s3Spill())` with
 * `@middy/http-error-handler`, and through `withS3Spill()`, give the same answers.
 * A spilled answer's URL differs (a fresh random key each time): both URLs must
 * serve the same bytes and headers.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { s3Spill, type S3SpillOptions, withS3Spill } from 'lambda-s3-spill';
import { testClient } from '../faults/harness.js';
import { context, EVENT_KINDS, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { rawGet } from '../support/s3-objects.js';

const s3 = useLocalS3('both-doors');

type Kind = (typeof EVENT_KINDS)[number] | 'http-v1';
const KINDS: Kind[] = [...EVENT_KINDS, 'http-v1'];

function eventFor(kind: Kind, method: string): Record<string, unknown> {
  if (kind === 'http-v1') {
    return { version: '1.0', resource: '/items', path: '/items', httpMethod: method, headers: {}, multiValueHeaders: {}, requestContext: { httpMethod: method } };
  }
  return eventOf(kind, method);
}

const limitOf = (kind: Kind) => (kind.startsWith('alb') ? 1_000_000 : 6_291_556);
const envelope = JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: '' }).length;

/** The handler results of each case, sized for the front door's limit. */
function cases(kind: Kind): Record<string, { method?: string; result: () => unknown; down?: boolean }> {
  const limit = limitOf(kind);
  const text = (bytes: number) => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'a'.repeat(bytes) });
  const bytes = Buffer.alloc(Math.ceil(limit * 0.8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const cookies =
    kind === 'http-v2' || kind === 'function-url'
      ? { cookies: ['session=abc; Secure', 'theme=dark'] }
      : { multiValueHeaders: { 'Set-Cookie': ['session=abc; Secure', 'theme=dark'] } };
  return {
    fits: { result: () => text(limit - envelope) },
    'one byte over': { result: () => text(limit - envelope + 1) },
    binary: {
      result: () => ({
        statusCode: 200,
        headers: { 'Content-Type': 'application/octet-stream' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      }),
    },
    cookies: { result: () => ({ ...text(limit), ...cookies, headers: { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' } }) },
    HEAD: { method: 'HEAD', result: () => text(limit) },
    'S3 down': { result: () => text(limit), down: true },
  };
}

interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** An answer with both header maps folded into one lower-case map, as a client sees it. */
function asSeen(raw: unknown): Answer {
  const r = raw as { statusCode: number; headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown[]>; cookies?: string[]; body?: string; isBase64Encoded?: boolean };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v.map(String).join(', ');
  return { statusCode: r.statusCode, headers, cookies: r.cookies ?? [], body: r.body ?? '', isBase64Encoded: r.isBase64Encoded ?? false };
}

describe.each(KINDS)('behind %s', (kind) => {
  it.each(Object.keys(cases(kind)))('%s: the same answer through both doors', async (name) => {
    const c = cases(kind)[name]!;
    const client = c.down ? testClient('http://127.0.0.1:1', { maxAttempts: 1 }) : s3.client;
    const options: S3SpillOptions = { bucket: s3.bucket, s3Client: client, logger: recordingLogger().logger, compress: false };
    const handler = async () => c.result();
    const viaMiddy = middy(handler).use(s3Spill(options)).use(httpErrorHandler({ logger: false }));
    const viaWrapper = withS3Spill(handler, options);
    const event = eventFor(kind, c.method ?? 'GET');
    const [a, b] = [asSeen(await viaMiddy(event, context)), asSeen(await viaWrapper(event, context))];
    const expectedStatus: Record<string, number> = { fits: 200, HEAD: 200, 'S3 down': 502 };
    expect(a.statusCode).toBe(expectedStatus[name] ?? 303);
    if (a.statusCode === 303) {
      const [first, second] = [await rawGet(a.headers.location!), await rawGet(b.headers.location!)];
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body.equals(first.body)).toBe(true);
      expect(second.headers['content-type']).toBe(first.headers['content-type']);
      a.headers.location = b.headers.location = '<presigned URL>';
    }
    expect(b).toEqual(a);
  });
});

it('passes non-HTTP events through both doors untouched', async () => {
  const result = { rows: 'x'.repeat(7_000_000) };
  const options = { bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger };
  expect(await middy(async () => result).use(s3Spill(options))({ Records: [] }, context)).toBe(result);
  expect(await withS3Spill(async () => result, options)({ Records: [] }, context)).toBe(result);
});

it('withS3Spill: errors other than S3SpillError propagate unchanged; S3SpillError is logged once with its cause', async () => {
  const boom = new Error('boom');
  const log = recordingLogger();
  const failing = withS3Spill(async () => {
    throw boom;
  }, { bucket: s3.bucket, s3Client: s3.client, logger: log.logger });
  await expect(failing(eventOf('function-url'), context)).rejects.toBe(boom);
  const down = withS3Spill(async () => ({ statusCode: 200, body: 'a'.repeat(6_300_000) }), {
    bucket: s3.bucket,
    s3Client: testClient('http://127.0.0.1:1', { maxAttempts: 1 }),
    logger: log.logger,
    compress: false,
  });
  const answer = asSeen(await down(eventOf('alb-multi-value'), context));
  expect(answer).toMatchObject({ statusCode: 502, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
  const errors = log.at('error');
  expect(errors).toHaveLength(1);
  expect((errors[0]!.args[1] as Error).name).toBe('SpillUploadError');
  expect((errors[0]!.args[1] as Error).cause).toBeDefined();
});

it('withS3Spill refuses a streaming handler and a non-function', () => {
  const streaming = Object.assign(async () => undefined, { [Symbol.for('aws.lambda.runtime.handler.streaming')]: 'response' });
  expect(() => withS3Spill(streaming, { bucket: 'b-spill' })).toThrow(/streaming/);
  expect(() => withS3Spill(42 as unknown as () => Promise<unknown>, { bucket: 'b-spill' })).toThrow(TypeError);
});
