/**
 * Stream bodies in a buffered function: each body kind (Buffer, Uint8Array,
 * Readable, web ReadableStream, AsyncIterable) on each front door, through
 * both doors (`middy().use(s3Spill())` with `@middy/http-error-handler`, and
 * `withS3Spill()`): fits (answered as a string body), one byte over (spilled,
 * the object equal to the bytes), HEAD (never read, let go), non-2xx over
 * (`ResponseTooLargeError`, let go); text and binary. `maxBytes` keeps the
 * bodies small; the real limits are the same code path.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { Context } from 'aws-lambda';
import { gunzipSync } from 'node:zlib';
import { payloadBytes, s3Spill, type S3SpillOptions, withS3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { locationOf, rawGet } from '../support/s3-objects.js';
import { BODY_KINDS, type BodyKind, binaryBytes, bodyOf } from './support.js';

const s3 = useLocalS3('stream-bodies');

const MAX = 200_000;
const KINDS = ['rest-v1', 'http-v2', 'function-url', 'alb', 'alb-multi-value'] as const;
type Door = 'middy' | 'wrapper';
const DOORS: Door[] = ['middy', 'wrapper'];

function handlerFor(door: Door, result: () => unknown, extra: S3SpillOptions = {}) {
  const options: S3SpillOptions = { bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, maxBytes: MAX, compress: false, ...extra };
  const inner = async () => result();
  if (door === 'wrapper') return withS3Spill(inner, options) as (event: unknown, context: Context) => Promise<any>;
  return middy(inner).use(httpErrorHandler({ logger: false })).use(s3Spill(options)) as unknown as (event: unknown, context: Context) => Promise<any>;
}

const TYPES = { text: 'text/csv; charset=utf-8', binary: 'application/octet-stream' } as const;

/** The largest body that still fits inline, as text or as base64. */
function roomFor(type: keyof typeof TYPES): number {
  const base = { statusCode: 200, headers: { 'Content-Type': TYPES[type] }, body: '' };
  if (type === 'text') return MAX - payloadBytes({ ...base, isBase64Encoded: false });
  return Math.floor((MAX - payloadBytes({ ...base, isBase64Encoded: true })) / 4) * 3;
}

function contentOf(type: keyof typeof TYPES, length: number): Buffer {
  // No character JSON escapes: a text body's JSON is its bytes.
  return type === 'text' ? Buffer.from('ab,c'.repeat(Math.ceil(length / 4)).slice(0, length)) : binaryBytes(length);
}

describe.each(DOORS)('through %s', (door) => {
  describe.each(KINDS)('%s', (kind) => {
    describe.each(BODY_KINDS)('a %s body', (bodyKind: BodyKind) => {
      it.each(['text', 'binary'] as const)('%s that fits: the ordinary string-body result', async (type) => {
        const bytes = contentOf(type, roomFor(type));
        const made = bodyOf(bodyKind, bytes, type === 'text');
        const response = await handlerFor(door, () => ({ statusCode: 200, headers: { 'Content-Type': TYPES[type] }, body: made.body }))(eventOf(kind), context);
        expect(response.statusCode).toBe(200);
        expect(response.isBase64Encoded).toBe(type === 'binary');
        expect(Buffer.from(response.body, type === 'binary' ? 'base64' : 'utf8').equals(bytes)).toBe(true);
        expect(payloadBytes(response)).toBeLessThanOrEqual(MAX);
      });

      it.each(['text', 'binary'] as const)('%s one byte over: spilled, the object is the bytes', async (type) => {
        const bytes = contentOf(type, roomFor(type) + 1);
        const made = bodyOf(bodyKind, bytes, type === 'text');
        const response = await handlerFor(door, () => ({ statusCode: 200, headers: { 'Content-Type': TYPES[type] }, body: made.body }))(eventOf(kind), context);
        expect(response.statusCode).toBe(303);
        const fetched = await rawGet(locationOf(response));
        expect(fetched.headers['content-type']).toBe(TYPES[type]);
        expect(fetched.body.equals(bytes)).toBe(true);
      });

      it('HEAD: answered without the body, which is never read', async () => {
        const made = bodyOf(bodyKind, contentOf('text', MAX * 2), true);
        const response = await handlerFor(door, () => ({ statusCode: 200, headers: { 'Content-Type': TYPES.text }, body: made.body }))(eventOf(kind, 'HEAD'), context);
        expect(response).toMatchObject({ statusCode: 200, body: '' });
        // A web stream fills its queue (one chunk) before anyone reads; nothing more is pulled.
        if (bodyKind !== 'Buffer' && bodyKind !== 'Uint8Array') expect(made.given()).toBeLessThanOrEqual(64 * 1024);
        if (bodyKind !== 'Buffer' && bodyKind !== 'Uint8Array') expect(made.released()).toBe(true);
      });

      it('a 500 over the limit: ResponseTooLargeError, the stream let go', async () => {
        const made = bodyOf(bodyKind, contentOf('text', MAX * 4), true);
        const response = await handlerFor(door, () => ({ statusCode: 500, headers: { 'Content-Type': TYPES.text }, body: made.body }))(eventOf(kind), context);
        expect(response.statusCode).toBe(500);
        expect(String(response.body)).not.toContain('ab,c');
        if (bodyKind !== 'Buffer' && bodyKind !== 'Uint8Array') {
          expect(made.released()).toBe(true);
          expect(made.given()).toBeLessThan(MAX * 2);
        }
      });
    });
  });
});

it.each(DOORS)('text whose JSON escaping takes it over: measured exactly, spilled (%s)', async (door) => {
  const bytes = Buffer.from('a\n'.repeat(roomFor('text') / 2 - 10));
  const response = await handlerFor(door, () => ({ statusCode: 200, headers: { 'Content-Type': TYPES.text }, body: bodyOf('Readable', bytes).body }))(eventOf('function-url'), context);
  expect(response.statusCode).toBe(303);
  expect((await rawGet(locationOf(response))).body.equals(bytes)).toBe(true);
});

describe('compression while reading', () => {
  const gzipEvent = (kind: 'function-url' | 'rest-v1') => {
    const event = eventOf(kind);
    (event.headers as Record<string, string>)['accept-encoding'] = 'gzip';
    return event;
  };

  it.each(DOORS)('a compressible stream that compresses to fit: inline, gzip (%s)', async (door) => {
    const bytes = contentOf('text', MAX * 3);
    const made = bodyOf('Readable', bytes);
    const response = await handlerFor(door, () => ({ statusCode: 200, headers: { 'Content-Type': TYPES.text }, body: made.body }), { compress: true })(gzipEvent('function-url'), context);
    expect(response).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    expect(response.headers['Content-Encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(response.body, 'base64')).equals(bytes)).toBe(true);
  });

  it.each(DOORS)('one that does not fit compressed: the compressed bytes go on into the object (%s)', async (door) => {
    const bytes = Buffer.concat([contentOf('text', 1000), binaryBytes(MAX * 2)]);
    const made = bodyOf('AsyncIterable', bytes);
    const response = await handlerFor(door, () => ({ statusCode: 200, headers: { 'Content-Type': TYPES.text }, body: made.body }), { compress: true })(gzipEvent('function-url'), context);
    expect(response.statusCode).toBe(303);
    const fetched = await rawGet(locationOf(response));
    expect(fetched.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(fetched.body).equals(bytes)).toBe(true);
  });

  it('a REST API without compressInlineOnRestApi: never inline compressed, the object is', async () => {
    const bytes = contentOf('text', MAX * 3);
    const response = await handlerFor('middy', () => ({ statusCode: 200, headers: { 'Content-Type': TYPES.text }, body: bodyOf('Readable', bytes).body }), { compress: true })(gzipEvent('rest-v1'), context);
    expect(response.statusCode).toBe(303);
    const fetched = await rawGet(locationOf(response));
    expect(fetched.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(fetched.body).equals(bytes)).toBe(true);
  });
});

describe('at the real limit', () => {
  it.each(['function-url', 'alb'] as const)('a Readable of one byte over the front door limit is spilled (%s)', async (kind) => {
    const limit = kind === 'alb' ? 1_000_000 : 6_291_556;
    const head = { statusCode: 200, headers: { 'Content-Type': TYPES.text }, body: '', isBase64Encoded: false };
    const bytes = contentOf('text', limit - payloadBytes(head) + 1);
    const response = await handlerFor('wrapper', () => ({ ...head, body: bodyOf('Readable', bytes).body }), { maxBytes: undefined })(eventOf(kind), context);
    expect(response.statusCode).toBe(303);
    expect((await rawGet(locationOf(response))).body.equals(bytes)).toBe(true);
  });
});
