/**
 * S3 failing while a reference is checked or read: the client gets a typed
 * 502 or 503 (`UploadStorageError`), never a 400, and the SDK error (scrubbed)
 * is the cause. Faults come from the fault proxy in front of the local S3.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { Context } from 'aws-lambda';
import { createUpload, s3Uploads, UploadStorageError, type S3UploadsOptions } from 'lambda-s3-spill/uploads';
import type { FaultPlan } from '../../samples/local/fault-proxy.js';
import { SENTINEL_SESSION_TOKEN } from '../security/leak-watch.js';
import { testClient } from '../faults/harness.js';
import { context } from '../support/events.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { postForm, uploadEvent } from '../support/uploads.js';

const { s3, proxy } = useLocalS3BehindFaultProxy('fault-uploads');

async function form() {
  const f = await createUpload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 1000 });
  expect((await postForm(f, Buffer.from('{"ok":true}'), 'application/json')).status).toBe(204);
  return f;
}

/** Run one request through s3Uploads and the error handler, with S3 behind the proxy's plan. */
async function answer(plan: FaultPlan, reference: string, whole: boolean, extra: Partial<S3UploadsOptions> = {}, ctx: Context = context) {
  proxy.setPlan(plan);
  const client = testClient(proxy.endpoint, { maxAttempts: 1 });
  const errors: unknown[] = [];
  const handler = middy(async () => ({ statusCode: 200, body: 'handler ran' }))
    .use(httpErrorHandler({ logger: (e: unknown) => errors.push(e) }))
    .use(s3Uploads({ bucket: s3.bucket, s3Client: client, maxBytes: 1000, ...extra }));
  const started = Date.now();
  try {
    const event = whole ? uploadEvent(undefined, { 'x-s3-upload': reference }) : uploadEvent({ f: reference });
    const result = (await handler(event, ctx)) as { statusCode: number; headers: Record<string, string>; body: string };
    return { result, error: errors[0], ms: Date.now() - started };
  } finally {
    client.destroy();
  }
}

const s3Error = (status: number, code: string, extraXml?: string): FaultPlan => () => ({ kind: 'error', status, code, extraXml });

describe.each([
  ['a file field', false],
  ['the whole body', true],
])('while checking %s', (_, whole) => {
  it('S3 refusing connections: 502', async () => {
    const f = await form();
    const client = testClient('http://127.0.0.1:9', { maxAttempts: 1 });
    const handler = middy(async () => ({ statusCode: 200, body: '' }))
      .use(httpErrorHandler({ logger: false }))
      .use(s3Uploads({ bucket: s3.bucket, s3Client: client, maxBytes: 1000 }));
    const event = whole ? uploadEvent(undefined, { 'x-s3-upload': f.reference }) : uploadEvent({ f: f.reference });
    const result = (await handler(event, context)) as { statusCode: number; body: string };
    client.destroy();
    expect(result).toMatchObject({ statusCode: 502, body: '{"message":"The upload could not be checked"}' });
  });

  it.each([
    [500, 'InternalError', 502],
    [503, 'SlowDown', 503],
  ])('S3 answering %s %s: %s', async (status, code, expected) => {
    const f = await form();
    const { result, error } = await answer(s3Error(status, code), f.reference, whole);
    expect(result.statusCode).toBe(expected);
    expect(error).toBeInstanceOf(UploadStorageError);
    if (expected === 503) expect(result.headers['Retry-After']).toBe('1');
  });

  it('S3 stalling: 503 before the deadline (timeoutEarlyInMillis)', async () => {
    const f = await form();
    const ctx = { ...context, getRemainingTimeInMillis: () => 1500 } as Context;
    const { result, ms } = await answer(() => ({ kind: 'stall' }), f.reference, whole, { timeoutEarlyInMillis: 1000 }, ctx);
    expect(result).toMatchObject({ statusCode: 503, body: '{"message":"The upload could not be checked in time"}' });
    expect(ms).toBeLessThan(1400);
  });

  it('403 (a missing object without s3:ListBucket) is the reference\'s fault: 400', async () => {
    const f = await form();
    const { result } = await answer(s3Error(403, 'AccessDenied'), f.reference, whole);
    expect(result).toMatchObject({ statusCode: 400, body: '{"message":"The upload was not found"}' });
  });

  it('an ExpiredToken error is scrubbed of the session token it echoes', async () => {
    const f = await form();
    const { result, error } = await answer(
      s3Error(400, 'ExpiredToken', `<Token-0>${SENTINEL_SESSION_TOKEN}</Token-0>`),
      f.reference,
      whole,
    );
    expect(result.statusCode).toBe(502);
    const seen = JSON.stringify(error, Object.getOwnPropertyNames(error)) + JSON.stringify((error as Error).cause, Object.getOwnPropertyNames((error as Error).cause));
    expect(seen).not.toContain(SENTINEL_SESSION_TOKEN);
    expect(seen).not.toContain(f.reference.split('.').at(-1));
  });
});

it('the read of the whole body failing after a good check: 502', async () => {
  const f = await form();
  const { result } = await answer((request: { method: string }) => (request.method === 'HEAD' ? { kind: 'pass' } : { kind: 'error', status: 500, code: 'InternalError' }), f.reference, true);
  expect(result.statusCode).toBe(502);
});
