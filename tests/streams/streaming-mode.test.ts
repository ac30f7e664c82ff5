/**
 * Streaming functions: `withS3Spill(handler, { streaming: true })` makes the
 * `awslambda.streamifyResponse` handler itself (prelude, then the body piped,
 * as Middy does), and `s3Spill({ streaming: true })` in Middy 7's streaming
 * mode; with and without `streamSpillBytes`: a body that ends within it is
 * streamed, a longer 2xx is spilled (`303`, the object equal to the bytes), a
 * longer non-2xx is streamed on. The runtime's `awslambda` global is stubbed
 * as the Node.js runtime provides it.
 */
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/executionModeStreamifyResponse';
import type { Writable } from 'node:stream';
import { s3Spill, type S3SpillOptions, withS3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { ResponseSink, runtimeGlobal, STREAMING, useRuntimeGlobal } from '../support/response-stream.js';
import { rawGet } from '../support/s3-objects.js';
import { binaryBytes, bodyOf } from './support.js';

const s3 = useLocalS3('streaming-mode');
useRuntimeGlobal();

type StreamingHandler = (event: unknown, responseStream: Writable, context: unknown) => Promise<void>;
const HOLD = 1_000_000;

function streamingHandler(door: 'wrapper' | 'middy', result: () => unknown, extra: S3SpillOptions = {}): StreamingHandler {
  const options = { bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, streaming: true, ...extra } as const;
  const inner = async () => result();
  if (door === 'wrapper') return withS3Spill(inner, options) as unknown as StreamingHandler;
  return middy(inner, { executionMode: executionModeStreamifyResponse }).use(s3Spill(options)) as unknown as StreamingHandler;
}

async function invoke(handler: StreamingHandler, kind: 'function-url' | 'rest-v1' = 'function-url') {
  expect((handler as unknown as Record<symbol, unknown>)[STREAMING]).toBe('response');
  const sink = new ResponseSink();
  await handler(eventOf(kind), sink, context);
  return sink.received();
}

const result = (body: unknown, statusCode = 200) => ({ statusCode, headers: { 'Content-Type': 'application/octet-stream' }, body });

describe.each(['wrapper', 'middy'] as const)('through %s', (door) => {
  it('without streamSpillBytes: a 7 MB stream is streamed as it is, nothing held back', async () => {
    const bytes = binaryBytes(7_000_000);
    const got = await invoke(streamingHandler(door, () => result(bodyOf('Readable', bytes).body)));
    expect(got.prelude).toMatchObject({ statusCode: 200 });
    expect(got.body.equals(bytes)).toBe(true);
  });

  it.each(['Readable', 'ReadableStream', 'AsyncIterable'] as const)('streamSpillBytes: a %s that ends within it is streamed', async (kind) => {
    const bytes = binaryBytes(HOLD);
    const got = await invoke(streamingHandler(door, () => result(bodyOf(kind, bytes).body), { streamSpillBytes: HOLD }));
    expect(got.prelude).toMatchObject({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' } });
    expect(got.body.equals(bytes)).toBe(true);
  });

  it.each(['Readable', 'ReadableStream', 'AsyncIterable'] as const)('streamSpillBytes: a %s one byte longer is spilled, 303', async (kind) => {
    const bytes = binaryBytes(HOLD + 1);
    const made = bodyOf(kind, bytes);
    const got = await invoke(streamingHandler(door, () => result(made.body), { streamSpillBytes: HOLD }));
    expect(got.prelude).toMatchObject({ statusCode: 303, headers: { 'Cache-Control': 'no-store' } });
    expect(got.body.length).toBe(0);
    const fetched = await rawGet(got.prelude!.headers.Location as string);
    expect(fetched.body.equals(bytes)).toBe(true);
  });

  it('streamSpillBytes: a string body longer than it is spilled too', async () => {
    const text = 'row,'.repeat(HOLD / 2);
    const got = await invoke(streamingHandler(door, () => ({ statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body: text }), { streamSpillBytes: HOLD, compress: false }));
    expect(got.prelude).toMatchObject({ statusCode: 303 });
    expect((await rawGet(got.prelude!.headers.Location as string)).body.toString('utf8')).toBe(text);
  });

  it('streamSpillBytes: a 500 longer than it is streamed on in full', async () => {
    const bytes = binaryBytes(HOLD * 3);
    const got = await invoke(streamingHandler(door, () => result(bodyOf('Readable', bytes).body, 500), { streamSpillBytes: HOLD }));
    expect(got.prelude).toMatchObject({ statusCode: 500 });
    expect(got.body.equals(bytes)).toBe(true);
  });
});

it('withS3Spill still refuses a handler already made streaming', () => {
  const streaming = runtimeGlobal.streamifyResponse(async () => undefined);
  expect(() => withS3Spill(streaming as never, { bucket: 'b' })).toThrow(TypeError);
});
