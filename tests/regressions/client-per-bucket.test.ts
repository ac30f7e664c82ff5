/**
 * Issue 11, item 9: `s3Client` and `signingClient` may be a function
 * `(bucket, request) => S3Client`, so a bucket per request (another region,
 * another endpoint) is uploaded to and signed by its own client. Two local S3
 * servers that verify SigV4 signatures stand for two regions.
 */
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { type SuiteS3, useLocalS3 } from '../support/local-s3.js';
import { locationOf, rawGet } from '../support/s3-objects.js';

const eu = useLocalS3('regress-spill-eu', { verifySignatures: true });
const us = useLocalS3('regress-spill-us', { verifySignatures: true });
const clients: S3Client[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

/** A client for one server, in its own region (the server accepts any region in the signature scope). */
function clientFor(server: SuiteS3, region: string): S3Client {
  const client = new S3Client({
    endpoint: server.endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  clients.push(client);
  return client;
}

type Call = { bucket: string; path: unknown };

function setup(withSigningClient: boolean) {
  const uploadCalls: Call[] = [];
  const signingCalls: Call[] = [];
  const upload = { eu: clientFor(eu, 'eu-west-1'), us: clientFor(us, 'us-east-2') };
  const signing = { eu: clientFor(eu, 'eu-west-1'), us: clientFor(us, 'us-east-2') };
  const pick = (bucket: string) => (bucket === eu.bucket ? 'eu' : 'us');
  const options = {
    bucket: (request: { event: { rawPath?: string } }) => (request.event.rawPath === '/eu' ? eu.bucket : us.bucket),
    s3Client: (bucket: string, request: { event: { rawPath?: string } }) => {
      uploadCalls.push({ bucket, path: request.event.rawPath });
      return upload[pick(bucket)];
    },
    ...(withSigningClient
      ? {
          signingClient: (bucket: string, request: { event: { rawPath?: string } }) => {
            signingCalls.push({ bucket, path: request.event.rawPath });
            return signing[pick(bucket)];
          },
        }
      : {}),
    logger: recordingLogger().logger,
    compress: false,
  };
  const middleware = s3Spill(options as unknown as Parameters<typeof s3Spill>[0]);
  return { middleware, uploadCalls, signingCalls };
}

const eventFor = (rawPath: string) => ({ ...eventOf('function-url'), rawPath });
const bodyFor = (region: string) => `${region}:`.padEnd(6_291_600, region[0]);

describe.each([
  ['s3Client as a function', false],
  ['s3Client and signingClient as functions', true],
])('%s, a bucket per request on two S3 endpoints', (_name, withSigningClient) => {
  it('uploads each body to its own server and answers a URL of that server, signed for its region, that serves it', async () => {
    const { middleware, uploadCalls, signingCalls } = setup(withSigningClient);
    const stored: { key: string; other: SuiteS3; otherBucket: string }[] = [];
    for (const [path, server, region] of [
      ['/eu', eu, 'eu-west-1'],
      ['/us', us, 'us-east-2'],
    ] as const) {
      const body = bodyFor(region);
      const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body })).use(middleware);
      const response = (await handler(eventFor(path), context)) as { statusCode: number };
      expect(response.statusCode).toBe(303);
      const url = new URL(locationOf(response));
      expect(url.origin).toBe(server.endpoint);
      expect(url.pathname.startsWith(`/${server.bucket}/`)).toBe(true);
      expect(url.searchParams.get('X-Amz-Credential')).toContain(`/${region}/s3/`);
      const fetched = await rawGet(url.href);
      expect(fetched.status).toBe(200);
      expect(fetched.body.toString('utf8') === body).toBe(true);
      const other = server === eu ? us : eu;
      stored.push({ key: decodeURIComponent(url.pathname.slice(server.bucket.length + 2)), other, otherBucket: server.bucket });
    }
    // Each object is on its own server only (bucket listing fails on the signature-verifying server: HEAD the key).
    for (const { key, other, otherBucket } of stored) {
      await expect(other.client.send(new HeadObjectCommand({ Bucket: otherBucket, Key: key }))).rejects.toBeDefined();
    }
    expect(uploadCalls).toEqual(
      expect.arrayContaining([
        { bucket: eu.bucket, path: '/eu' },
        { bucket: us.bucket, path: '/us' },
      ]),
    );
    if (withSigningClient) {
      expect(signingCalls).toEqual(
        expect.arrayContaining([
          { bucket: eu.bucket, path: '/eu' },
          { bucket: us.bucket, path: '/us' },
        ]),
      );
    }
  });
});
