/**
 * Tampered references: typed errors, and nothing read outside the configured
 * bucket and prefix (every command the S3 client sends is recorded), nothing
 * partial handed to the handler.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import middy from '@middy/core';
import { S3SpillError } from 'lambda-s3-spill';
import { OffloadIntegrityError, OffloadLoadError, type OffloadReference, OffloadReferenceError, resolveOffloaded, S3OffloadError, s3Offload } from 'lambda-s3-spill/offload';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { recording } from './helpers.js';

let genuine: OffloadReference;
const VALUE = { secretless: 'v'.repeat(300_000), n: [1, 2, 3] };

const s3 = useLocalS3('offload-bucket', { extraBuckets: ['other-bucket'] });
beforeAll(async () => {
  // Objects a caller must never be able to make the function read.
  for (const [bucket, key] of [
    ['other-bucket', 'offload/secret.json'],
    ['offload-bucket', 'secret/config.json'],
    ['offload-bucket', 'offloadx/secret.json'],
  ]) {
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"secret":true}' }));
  }
  const producer = middy(async () => VALUE).use(
    s3Offload({ bucket: 'offload-bucket', s3Client: s3.client, maxBytes: 262_144, logger: recordingLogger().logger }),
  );
  genuine = (await producer({}, context)) as unknown as OffloadReference;
});

const p = () => genuine.lambdaS3Offload;
const tampered = (change: Record<string, unknown>) => ({ lambdaS3Offload: { ...p(), ...change } });
const at = (bucket: string, key: string) => tampered({ bucket, key, uri: `s3://${bucket}/${key}` });

/** A consumer whose client records every command, and whose handler records what it got. */
function consumer() {
  const rec = recording(s3.newClient());
  const got: unknown[] = [];
  const handler = middy(async (event: unknown) => {
    got.push(event);
    return 'ran';
  }).use(s3Offload({ bucket: 'offload-bucket', s3Client: rec.client, logger: recordingLogger().logger }));
  return { handler, got, rec };
}

it('resolves the genuine reference (the control)', async () => {
  const { handler, got } = consumer();
  await handler(genuine, context);
  expect(got).toEqual([VALUE]);
});

describe.each([
  ['another bucket', () => at('other-bucket', 'offload/secret.json')],
  ['another prefix', () => at('offload-bucket', 'secret/config.json')],
  ['a prefix look-alike', () => at('offload-bucket', 'offloadx/secret.json')],
  ['a ".." segment', () => at('offload-bucket', 'offload/../secret/config.json')],
  ['an encoded ".." (%2e%2e)', () => at('offload-bucket', 'offload/%2e%2e/secret/config.json')],
  ['a uri that disagrees with the key', () => tampered({ uri: 's3://other-bucket/offload/secret.json' })],
  ['a huge size', () => tampered({ bytes: 10 ** 12 })],
  ['version 2', () => tampered({ version: 2 })],
])('a reference with %s', (_name, make) => {
  it('is refused before anything is read, whole or nested among good ones; the handler never runs', async () => {
    const { handler, got, rec } = consumer();
    const bad = make();
    const percentEncoded = bad.lambdaS3Offload.key.includes('%2e');
    if (percentEncoded) {
      // S3 keys are literal: "%2e%2e" is three characters each, not "..": a key under the prefix, read as such.
      await expect(handler(bad, context)).rejects.toBeInstanceOf(OffloadLoadError);
      expect(rec.reads().map((c) => c.input.Key)).toEqual(['offload/%2e%2e/secret/config.json']);
      return;
    }
    for (const event of [bad, { items: [genuine, bad] }, { a: genuine, b: { c: bad } }]) {
      const error = await handler(event as never, context).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OffloadReferenceError);
      expect(error).toBeInstanceOf(S3OffloadError);
      expect(error).toBeInstanceOf(S3SpillError);
      expect((error as Error).message).toBe('{"message":"An offload reference was refused"}');
    }
    expect(rec.sent).toEqual([]);
    expect(got).toEqual([]);
    await expect(resolveOffloaded(bad, { bucket: 'offload-bucket', s3Client: rec.client })).rejects.toBeInstanceOf(OffloadReferenceError);
    expect(rec.sent).toEqual([]);
  });
});

it('a wrong size: an integrity error, after one read of that object only', async () => {
  for (const bytes of [p().bytes + 1, p().bytes - 1]) {
    const { handler, got, rec } = consumer();
    await expect(handler(tampered({ bytes }), context)).rejects.toBeInstanceOf(OffloadIntegrityError);
    expect(rec.reads().map((c) => [c.input.Bucket, c.input.Key])).toEqual([['offload-bucket', p().key]]);
    expect(got).toEqual([]);
  }
});

it('a wrong hash: an integrity error; so is an object overwritten with other bytes of the same length', async () => {
  const { handler, got } = consumer();
  await expect(handler(tampered({ sha256: 'f'.repeat(64) }), context)).rejects.toBeInstanceOf(OffloadIntegrityError);
  const key = 'offload/overwritten.json';
  const text = JSON.stringify(VALUE);
  await s3.client.send(new PutObjectCommand({ Bucket: 'offload-bucket', Key: key, Body: text.replace('"n"', '"m"') }));
  const error = await handler(at('offload-bucket', key), context).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OffloadIntegrityError);
  expect(String((error as Error).cause)).toMatch(/SHA-256/);
  expect(got).toEqual([]);
});

it('a missing object: OffloadLoadError with notFound, the SDK error scrubbed as its cause', async () => {
  const { handler, got } = consumer();
  const error = await handler(at('offload-bucket', 'offload/20261201T000000000Z-gone.json'), context).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OffloadLoadError);
  expect((error as OffloadLoadError).notFound).toBe(true);
  expect((error as Error).cause).toMatchObject({ name: 'NoSuchKey' });
  expect(Object.keys((error as { cause: object }).cause)).not.toContain('$response');
  expect(got).toEqual([]);
});

it('a second bucket is read only when allowedBuckets names it', async () => {
  const other = middy(async () => VALUE).use(
    s3Offload({ bucket: 'other-bucket', s3Client: s3.client, maxBytes: 262_144, logger: recordingLogger().logger }),
  );
  const ref = await other({}, context);
  await expect(resolveOffloaded(ref, { bucket: 'offload-bucket', s3Client: s3.client })).rejects.toBeInstanceOf(OffloadReferenceError);
  expect(await resolveOffloaded(ref, { bucket: 'offload-bucket', allowedBuckets: ['other-bucket'], s3Client: s3.client })).toEqual(VALUE);
});

it('a value that merely has the well-known key among others is data, passed as it is', async () => {
  const { handler, got, rec } = consumer();
  const data = { lambdaS3Offload: 'not a reference', other: 1 };
  await handler(data, context);
  expect(got).toEqual([data]);
  expect(rec.sent).toEqual([]);
});

describe('an S3 that answers other bytes than it should (a stand-in client)', () => {
  const answering = (chunks: string[], contentLength?: number) =>
    ({ send: async () => ({ Body: Readable.from(chunks.map((c) => Buffer.from(c))), ContentLength: contentLength }) }) as unknown as S3Client;

  it('a body that ends early: OffloadIntegrityError, nothing parsed', async () => {
    const text = JSON.stringify(VALUE);
    const error = await resolveOffloaded(genuine, { bucket: 'offload-bucket', s3Client: answering([text.slice(0, 1000)]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OffloadIntegrityError);
  });

  it('a body longer than recorded, without Content-Length: cut off at the recorded size, OffloadIntegrityError', async () => {
    const text = JSON.stringify(VALUE);
    const error = await resolveOffloaded(genuine, { bucket: 'offload-bucket', s3Client: answering([text, 'x'.repeat(10_000_000)]) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OffloadIntegrityError);
    expect(String((error as Error).cause)).toMatch(/larger than/);
  });

  it('the right bytes in many chunks resolve', async () => {
    const text = JSON.stringify(VALUE);
    const chunks = Array.from({ length: Math.ceil(text.length / 4096) }, (_, i) => text.slice(i * 4096, (i + 1) * 4096));
    expect(await resolveOffloaded(genuine, { bucket: 'offload-bucket', s3Client: answering(chunks, text.length) })).toEqual(VALUE);
  });

  it('bytes with the right hash that are not JSON: OffloadIntegrityError', async () => {
    const { createHash } = await import('node:crypto');
    const text = 'not json';
    const ref = { lambdaS3Offload: { ...p(), bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') } };
    await expect(resolveOffloaded(ref, { bucket: 'offload-bucket', s3Client: answering([text]) })).rejects.toBeInstanceOf(OffloadIntegrityError);
  });
});
