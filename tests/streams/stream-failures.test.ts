/**
 * A stream body that fails, an S3 that fails, a deadline that passes: no
 * object and no multipart upload is left (ListObjectsV2 and
 * ListMultipartUploads against moto in server mode: neither local s3rver
 * implements ListMultipartUploads), the source is let go, and the error is the
 * right one: the source's own (the handler's error: Middy's onError sees it,
 * withS3Spill rethrows it), `SpillUploadError`, `SpillTimeoutError`.
 */
import {
  CreateBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { Context } from 'aws-lambda';
import { Readable } from 'node:stream';
import { s3Spill, type S3SpillOptions, SpillTimeoutError, SpillUploadError, withS3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { type Moto, startMoto } from '../support/moto.js';
import { binaryBytes } from './support.js';

const BUCKET = 'stream-failures';
const MiB = 1024 * 1024;
let moto: Moto;
let client: S3Client;
beforeAll(async () => {
  moto = await startMoto();
  client = new S3Client({ ...moto.clientConfig, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

/** What is left in the bucket: objects and unfinished multipart uploads. */
async function leftovers(): Promise<{ objects: number; uploads: number }> {
  const objects = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  return { objects: objects.KeyCount ?? 0, uploads: uploads.Uploads?.length ?? 0 };
}

async function eventually(check: () => Promise<boolean>, ms = 8_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

const CHUNK = binaryBytes(MiB);

/** A Readable of 1 MiB chunks that fails after `failAfter` bytes (never, when undefined), `total` bytes long. */
function source(total: number, failAfter?: number) {
  let given = 0;
  const readable = new Readable({
    read() {
      if (failAfter !== undefined && given >= failAfter) {
        this.destroy(new Error('the export query failed'));
        return;
      }
      if (given >= total) {
        this.push(null);
        return;
      }
      given += CHUNK.length;
      this.push(CHUNK);
    },
  });
  return { readable, given: () => given, released: () => readable.destroyed && !readable.readableEnded };
}

const options = (extra: S3SpillOptions = {}): S3SpillOptions => ({
  bucket: BUCKET,
  s3Client: client,
  logger: recordingLogger().logger,
  partSize: 5 * MiB,
  queueSize: 2,
  ...extra,
});
const result = (body: unknown) => ({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' }, body });

describe('a source that throws after 10 MB', () => {
  it('through middy: the error is the handler error onError sees; no object, no multipart upload', async () => {
    const made = source(40 * MiB, 10 * MiB);
    const seen: unknown[] = [];
    const handler = middy(async () => result(made.readable))
      .use({ onError: async (request) => void seen.push(request.error) })
      .use(s3Spill(options()));
    await expect(handler(eventOf('function-url'), context)).rejects.toThrow('the export query failed');
    expect(seen).toHaveLength(1);
    expect((seen[0] as Error).message).toBe('the export query failed');
    expect(await leftovers()).toEqual({ objects: 0, uploads: 0 });
  });

  it('through middy with @middy/http-error-handler: a 500, never a 303', async () => {
    const made = source(40 * MiB, 10 * MiB);
    const handler = middy(async () => result(made.readable)).use(httpErrorHandler({ logger: false })).use(s3Spill(options()));
    const response = (await handler(eventOf('rest-v1'), context)) as { statusCode: number };
    expect(response.statusCode).toBe(500);
    expect(await leftovers()).toEqual({ objects: 0, uploads: 0 });
  });

  it('through withS3Spill: it propagates as the handler error', async () => {
    const made = source(40 * MiB, 10 * MiB);
    const handler = withS3Spill(async () => result(made.readable), options());
    await expect(handler(eventOf('http-v2'), context)).rejects.toThrow('the export query failed');
    expect(await leftovers()).toEqual({ objects: 0, uploads: 0 });
  });

  it('an async generator that throws: the same', async () => {
    async function* rows() {
      for (let i = 0; i < 10; i++) yield CHUNK;
      throw new RangeError('row 10 is bad');
    }
    const handler = withS3Spill(async () => result(rows()), options());
    await expect(handler(eventOf('function-url'), context)).rejects.toThrow(RangeError);
    expect(await leftovers()).toEqual({ objects: 0, uploads: 0 });
  });
});

/** The moto client, with UploadPart changed by `partSend`. */
function faultyClient(partSend: (command: UploadPartCommand, options?: { abortSignal?: AbortSignal }) => Promise<unknown>): S3Client {
  const faulty = Object.create(client) as S3Client;
  const send = (command: unknown, sendOptions?: { abortSignal?: AbortSignal }): Promise<unknown> =>
    command instanceof UploadPartCommand && command.input.PartNumber === 2
      ? partSend(command, sendOptions)
      : (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, sendOptions);
  Object.defineProperty(faulty, 'send', { value: send });
  return faulty;
}

it.each(['middy', 'wrapper'] as const)('S3 down mid-upload: SpillUploadError (502), the source let go, nothing left (%s)', async (door) => {
  const made = source(200 * MiB);
  const down = faultyClient(async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  });
  const inner = async () => result(made.readable);
  const thrown: unknown[] = [];
  const handler =
    door === 'wrapper'
      ? withS3Spill(inner, options({ s3Client: down }))
      : middy(inner)
          .use(httpErrorHandler({ logger: (error: unknown) => void thrown.push(error) }))
          .use(s3Spill(options({ s3Client: down })));
  const response = (await handler(eventOf('function-url'), context as Context)) as { statusCode: number };
  expect(response.statusCode).toBe(502);
  if (door === 'middy') expect(thrown[0]).toBeInstanceOf(SpillUploadError);
  expect(made.released()).toBe(true);
  expect(made.given()).toBeLessThan(60 * MiB);
  expect(await eventually(async () => (await leftovers()).uploads === 0)).toBe(true);
  expect((await leftovers()).objects).toBe(0);
});

it('a stalled S3 past the deadline: SpillTimeoutError (503), the upload aborted, the source let go', async () => {
  const made = source(200 * MiB);
  const stalled = faultyClient(
    (_command, sendOptions) =>
      new Promise((_resolve, reject) => {
        sendOptions?.abortSignal?.addEventListener('abort', () => reject(sendOptions.abortSignal!.reason), { once: true });
      }),
  );
  const thrown: unknown[] = [];
  const handler = middy(async () => result(made.readable))
    .use(httpErrorHandler({ logger: (error: unknown) => void thrown.push(error) }))
    .use(s3Spill(options({ s3Client: stalled, timeoutEarlyInMillis: 1_000 })));
  const shortContext = { ...context, getRemainingTimeInMillis: () => 2_000 } as Context;
  const response = (await handler(eventOf('function-url'), shortContext)) as { statusCode: number; headers: Record<string, string> };
  expect(response.statusCode).toBe(503);
  expect(thrown[0]).toBeInstanceOf(SpillTimeoutError);
  expect(made.released()).toBe(true);
  expect(await eventually(async () => (await leftovers()).uploads === 0)).toBe(true);
  expect((await leftovers()).objects).toBe(0);
});

it('a stream that ends: one object, no multipart upload left', async () => {
  const made = source(12 * MiB);
  const response = (await withS3Spill(async () => result(made.readable), options())(eventOf('function-url'), context)) as {
    statusCode: number;
  };
  expect(response.statusCode).toBe(303);
  const after = await leftovers();
  expect(after).toEqual({ objects: 1, uploads: 0 });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  expect(listed.Contents?.[0]?.Size).toBe(12 * MiB);
});
