/**
 * Issue 14: what `lambda-s3-spill dev` relies on. The default client of s3Spill
 * (`new S3Client({})`) reads `AWS_ENDPOINT_URL_S3`, addresses 127.0.0.1 path-style
 * with no `forcePathStyle`, and stores a Buffer body intact with the SDK's default
 * checksums (a single PutObject and a multipart upload), and the presigned URL
 * it answers is reachable from a client.
 */
import { createHash } from 'node:crypto';
import { withS3Spill } from 'lambda-s3-spill';
import { type EmbeddedS3, startEmbeddedS3 } from '../../src/dev/local-s3.js';
import { defaultS3Client } from '../../src/s3/client.js';
import { context, eventOf } from '../support/events.js';
import { rawGet } from '../support/s3-objects.js';

let s3: EmbeddedS3;
const saved = { ...process.env };
beforeAll(async () => {
  s3 = await startEmbeddedS3('dev-default-client', undefined);
  for (const name of ['AWS_REQUEST_CHECKSUM_CALCULATION', 'AWS_RESPONSE_CHECKSUM_VALIDATION', 'AWS_ENDPOINT_URL', 'AWS_PROFILE']) {
    delete process.env[name];
  }
  Object.assign(process.env, {
    S3_SPILL_BUCKET: s3.bucket,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  });
});
afterAll(async () => {
  (await defaultS3Client()).destroy();
  await s3.stop();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

it.each([
  ['one PutObject', 7_000_000, undefined],
  ['a multipart upload', 17_000_000, 5 * 1024 * 1024],
])('spills through the default client to the embedded S3, path-style on 127.0.0.1: %s', async (_name, size, multipartThreshold) => {
  const body = 'é€a'.repeat(size / 6);
  const handler = withS3Spill(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body }), {
    multipartThreshold,
    logger: quiet,
  });
  const answer = (await handler(eventOf('function-url'), context)) as { statusCode: number; headers: Record<string, string> };
  expect(answer.statusCode).toBe(303);
  const location = new URL(answer.headers.Location ?? answer.headers.location);
  expect(location.origin).toBe(s3.endpoint); // path style: no bucket.127.0.0.1 host
  expect(location.pathname.startsWith(`/${s3.bucket}/spill/`)).toBe(true);
  const got = await rawGet(location.href);
  expect(got.status).toBe(200);
  expect(got.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(sha256(got.body)).toBe(sha256(Buffer.from(body, 'utf8')));
});
