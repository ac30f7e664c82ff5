/**
 * Storage and URL options against a local S3 that verifies SigV4 signatures
 * (@20minutes/s3rver): bucket and prefix per request, a separate signing
 * endpoint, a presign hook (CloudFront), object parameters, reference mode,
 * alwaysSpill.
 */
import { generateKeyPairSync } from 'node:crypto';
import { detailOf } from '../support/errors.js';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { REFERENCE_MEDIA_TYPE, s3Spill, SpillConfigurationError } from 'lambda-s3-spill';
import { context, eventOf } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { locationOf, rawGet } from '../support/s3-objects.js';

const LIMIT = 6_291_556;
const s3 = useLocalS3('tenant-default', { verifySignatures: true, extraBuckets: ['tenant-acme'] });

const big = (body = 'b'.repeat(LIMIT)) => ({ statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body });
const v2 = (headers: Record<string, string> = {}) => ({ ...eventOf('function-url'), headers });

/** Headers of every request the client puts on the wire. */
function captureHeaders(client: S3Client): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'captureHeaders' },
  );
  return seen;
}

describe('bucket and key prefix per request', () => {
  const middleware = () =>
    s3Spill({
      s3Client: s3.client,
      bucket: (request) => `tenant-${(request.event as { headers: Record<string, string> }).headers['x-tenant'] ?? 'default'}`,
      keyPrefix: (request) => `spill/${(request.event as { headers: Record<string, string> }).headers['x-tenant'] ?? 'default'}/`,
    });

  it('stores in the bucket and under the prefix the request names, and the signed URL works', async () => {
    const response = await middy(async () => big()).use(middleware())(v2({ 'x-tenant': 'acme' }), context);
    const url = new URL(locationOf(response));
    expect(url.pathname).toMatch(/^\/tenant-acme\/spill\/acme\//);
    expect((await rawGet(url.href)).status).toBe(200);
    const key = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
    await expect(s3.client.send(new HeadObjectCommand({ Bucket: 'tenant-acme', Key: key }))).resolves.toBeDefined();
    await expect(s3.client.send(new HeadObjectCommand({ Bucket: 'tenant-default', Key: key }))).rejects.toThrow();
  });

  it.each([
    [{ 'x-tenant': 'Bad_Name' }, /bucket function gave a bucket that must be 3 to 63/],
    [{ 'x-tenant': '../x' }, /bucket function gave a bucket/],
  ])('refuses a bucket the rules forbid (%j)', async (headers, message) => {
    const run = middy(async () => big()).use(middleware())(v2(headers), context);
    await expect(run).rejects.toBeInstanceOf(SpillConfigurationError);
    const error = await middy(async () => big()).use(middleware())(v2(headers), context).catch((e: unknown) => e);
    expect(detailOf(error)).toMatch(message);
  });

  it('refuses a prefix function that returns a leading slash or a dot segment', async () => {
    for (const prefix of ['/abs/', 'a/../b/', 'a/./b/']) {
      const run = middy(async () => big()).use(s3Spill({ s3Client: s3.client, bucket: s3.bucket, keyPrefix: () => prefix }));
      expect(detailOf(await run(v2(), context).catch((e: unknown) => e))).toMatch(/keyPrefix function gave a prefix that must not/);
    }
  });
});

describe('a separate signing endpoint', () => {
  it('uploads through one endpoint and signs for the host clients reach; the signature holds', async () => {
    const port = new URL(s3.endpoint).port;
    const { S3Client: Client } = await import('@aws-sdk/client-s3');
    const signingClient = new Client({
      endpoint: `http://localhost:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const response = await middy(async () => big()).use(s3Spill({ s3Client: s3.client, signingClient, bucket: s3.bucket }))(
      v2(),
      context,
    );
    const location = locationOf(response);
    expect(new URL(location).host).toBe(`localhost:${port}`);
    const fetched = await rawGet(location);
    expect(fetched.status).toBe(200);
    expect(fetched.body.length).toBe(LIMIT);
    expect((await rawGet(location.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=g'))).status).toBe(403);
    signingClient.destroy();
  });

  it('signs an S3 GET only: the signature does not hold for PUT', async () => {
    const response = await middy(async () => big()).use(s3Spill({ s3Client: s3.client, bucket: s3.bucket }))(v2(), context);
    const location = locationOf(response);
    expect(new URL(location).searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    const put = await fetch(location, { method: 'PUT', body: 'overwrite' });
    expect(put.status).toBe(403);
    expect((await rawGet(location)).body.length).toBe(LIMIT);
  });
});

describe('a presign hook', () => {
  it('answers with the hook URL: a CloudFront signed URL from samples/cloudfront-url.ts', async () => {
    process.env.S3_SPILL_BUCKET ??= 'sample-bucket';
    const { cloudFrontPresign } = await import('../../samples/cloudfront-url.js');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const presign = cloudFrontPresign({
      distributionUrl: 'https://d111111abcdef8.cloudfront.net',
      keyPairId: 'K2JCJMDEHXQW5F',
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    });
    const response = await middy(async () => big()).use(
      s3Spill({ s3Client: s3.client, bucket: s3.bucket, presign, expiresIn: 120 }),
    )(v2(), context);
    const url = new URL(locationOf(response));
    expect(url.host).toBe('d111111abcdef8.cloudfront.net');
    expect(url.pathname).toMatch(/^\/spill\//);
    expect(url.searchParams.get('Key-Pair-Id')).toBe('K2JCJMDEHXQW5F');
    const expires = Number(url.searchParams.get('Expires'));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(100_000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(121_000); // whole seconds
    expect(url.searchParams.get('Signature')).toMatch(/^[A-Za-z0-9~_-]+$/);
    expect(url.searchParams.has('X-Amz-Signature')).toBe(false);
  });

  it('refuses a hook that does not return an absolute URL', async () => {
    const run = middy(async () => big()).use(s3Spill({ s3Client: s3.client, bucket: s3.bucket, presign: () => 'not a url' }));
    const error = await run(v2(), context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpillConfigurationError);
    expect(detailOf(error)).toMatch(/presign function gave a URL with control characters, spaces/);
  });
});

describe('object parameters', () => {
  it('sends encryption, storage class, metadata, tags and disposition with the upload', async () => {
    const client = s3.newClient();
    const wire = captureHeaders(client);
    const response = await middy(async () => big()).use(
      s3Spill({
        s3Client: client,
        bucket: s3.bucket,
        serverSideEncryption: 'aws:kms',
        sseKmsKeyId: 'alias/spill',
        bucketKeyEnabled: true,
        storageClass: 'STANDARD_IA',
        metadata: (request) => ({ route: (request.event as { rawPath: string }).rawPath }),
        tags: { purpose: 'spill' },
        contentDisposition: 'attachment; filename="report.csv"',
      }),
    )(v2(), context);
    const put = wire.find((h) => h['x-amz-server-side-encryption'] !== undefined)!;
    expect(put).toMatchObject({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'alias/spill',
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      'x-amz-storage-class': 'STANDARD_IA',
      'x-amz-meta-route': '/items',
      'x-amz-tagging': 'purpose=spill',
    });
    const key = decodeURIComponent(new URL(locationOf(response)).pathname.split('/').slice(2).join('/'));
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head).toMatchObject({
      StorageClass: 'STANDARD_IA',
      Metadata: { route: '/items' },
      ContentDisposition: 'attachment; filename="report.csv"',
      ContentType: 'text/csv',
    });
    const fetched = await rawGet(locationOf(response));
    expect(fetched.headers['content-disposition']).toBe('attachment; filename="report.csv"');
    client.destroy();
  });
});

describe('reference mode', () => {
  it('answers 200 with { url, expiresAt, bytes, contentType } when the client asks for it', async () => {
    const response = (await middy(async () => ({ ...big(), cookies: ['s=1'] })).use(
      s3Spill({ s3Client: s3.client, bucket: s3.bucket, expiresIn: 60 }),
    )(v2({ accept: `${REFERENCE_MEDIA_TYPE}, application/json;q=0.5` }), context)) as Record<string, any>;
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'Content-Type': REFERENCE_MEDIA_TYPE, 'Cache-Control': 'no-store' });
    expect(response.cookies).toEqual(['s=1']);
    const document = JSON.parse(response.body);
    expect(document).toEqual({ url: expect.any(String), expiresAt: expect.any(String), bytes: LIMIT, contentType: 'text/csv' });
    const left = Date.parse(document.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(50_000);
    expect(left).toBeLessThanOrEqual(60_000);
    expect((await rawGet(document.url)).body.equals(Buffer.from(big().body))).toBe(true);
  });

  it('answers the 303 without the media type, or when reference mode is off', async () => {
    const plain = await middy(async () => big()).use(s3Spill({ s3Client: s3.client, bucket: s3.bucket }))(
      v2({ accept: '*/*' }),
      context,
    );
    expect(plain).toMatchObject({ statusCode: 303 });
    const off = await middy(async () => big()).use(s3Spill({ s3Client: s3.client, bucket: s3.bucket, reference: false }))(
      v2({ accept: REFERENCE_MEDIA_TYPE }),
      context,
    );
    expect(off).toMatchObject({ statusCode: 303 });
  });
});

describe('alwaysSpill', () => {
  it('spills a small 2xx response on the routes it names, and leaves others inline', async () => {
    const middleware = s3Spill({
      s3Client: s3.client,
      bucket: s3.bucket,
      alwaysSpill: (request) => (request.event as { rawPath: string }).rawPath === '/export',
    });
    const small = { statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body: 'a,b\n1,2\n' };
    const exported = await middy(async () => small).use(middleware)({ ...v2(), rawPath: '/export' }, context);
    expect(exported).toMatchObject({ statusCode: 303 });
    expect((await rawGet(locationOf(exported))).body.toString()).toBe('a,b\n1,2\n');
    expect(await middy(async () => small).use(middleware)(v2(), context)).toBe(small);
  });

  it('never spills what a 303 cannot stand for: 204, 404, HEAD', async () => {
    const middleware = s3Spill({ s3Client: s3.client, bucket: s3.bucket, alwaysSpill: true });
    for (const [result, method] of [
      [{ statusCode: 204 }, 'GET'],
      [{ statusCode: 404, body: 'missing' }, 'GET'],
      [{ statusCode: 200, body: 'x' }, 'HEAD'],
    ] as const) {
      expect(await middy(async () => result).use(middleware)(eventOf('function-url', method), context)).toBe(result);
    }
  });
});
