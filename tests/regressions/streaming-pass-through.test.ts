/**
 * Issue 11, item 3: Middy response streaming. With `streaming: true`, a result
 * passes through up to the streaming limit (STREAMING_RESPONSE_MAX_BYTES,
 * 200 * 1024 * 1024 = 209_715_200; not exported yet, so not imported here) and is
 * never answered inline compressed as base64: the streamed body is its bytes.
 *
 * The `awslambda` global is stubbed the way the Node.js runtime provides it
 * (aws-lambda-nodejs-runtime-interface-client `HttpResponseStream.from`): the
 * prelude JSON and 8 NUL bytes go out before the first body chunk.
 */
import middy7 from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/executionModeStreamifyResponse';
import middy5 from 'middy5';
import middy6 from 'middy6';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { s3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { listKeys } from '../support/s3-objects.js';
import { ResponseSink, STREAMING, useRuntimeGlobal } from '../support/response-stream.js';

const s3 = useLocalS3('regress-streaming');
useRuntimeGlobal();

type StreamingHandler = (event: unknown, responseStream: Writable, context: unknown) => Promise<void>;
type Handler = (event: unknown) => Promise<unknown>;

/** Each Middy major in its response-streaming mode, with s3Spill({ streaming: true }). */
const MAJORS: [string, (handler: Handler) => StreamingHandler][] = [
  [
    '@middy/core 7 (executionModeStreamifyResponse)',
    (handler) =>
      middy7(handler, { executionMode: executionModeStreamifyResponse }).use(spill()) as unknown as StreamingHandler,
  ],
  [
    '@middy/core 6 (streamifyResponse: true)',
    (handler) => middy6(handler, { streamifyResponse: true }).use(spill()) as unknown as StreamingHandler,
  ],
  [
    '@middy/core 5 (streamifyResponse: true)',
    (handler) => middy5(handler, { streamifyResponse: true }).use(spill()) as unknown as StreamingHandler,
  ],
];

function spill() {
  return s3Spill({
    bucket: s3.bucket,
    s3Client: s3.client,
    logger: recordingLogger().logger,
    streaming: true,
  } as Parameters<typeof s3Spill>[0]);
}

const SEVEN_MB = 7_000_000;

describe.each(MAJORS)('with %s and s3Spill({ streaming: true })', (_name, streamingHandler) => {
  it('streams a 7 MB string body as is, status 200, nothing uploaded', async () => {
    const body = 'streamed text '.repeat(SEVEN_MB / 14);
    expect(body.length).toBe(SEVEN_MB);
    const handler = streamingHandler(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body }));
    expect((handler as unknown as Record<symbol, unknown>)[STREAMING]).toBe('response');
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const sink = new ResponseSink();
    await handler(eventOf('function-url'), sink, context);
    const { prelude, body: streamed } = sink.received();
    expect(prelude).toMatchObject({ statusCode: 200 });
    expect(streamed.length).toBe(SEVEN_MB);
    expect(streamed.toString('utf8') === body).toBe(true);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });

  it('with Accept-Encoding: gzip streams the body bytes, never base64 text', async () => {
    const body = JSON.stringify(Array.from({ length: 160_000 }, (_, i) => ({ id: i, city: 'Sant Julià de Lòria' })));
    expect(Buffer.byteLength(body)).toBeGreaterThan(6_291_556);
    const handler = streamingHandler(async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body,
    }));
    const event = { ...eventOf('function-url'), headers: { 'accept-encoding': 'gzip' } };
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const sink = new ResponseSink();
    await handler(event, sink, context);
    const { prelude, body: streamed } = sink.received();
    expect(prelude).toMatchObject({ statusCode: 200 });
    const headers = Object.fromEntries(
      Object.entries((prelude?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    if (headers['content-encoding'] !== undefined) {
      expect(headers['content-encoding']).toBe('gzip');
      // gzip's magic bytes, not the base64 text of them ("H4sI")
      expect([...streamed.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    }
    const original = headers['content-encoding'] === 'gzip' ? gunzipSync(streamed) : streamed;
    expect(original.toString('utf8') === body).toBe(true);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });
});
