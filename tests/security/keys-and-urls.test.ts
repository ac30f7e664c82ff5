/**
 * Keys, URL lifetime and what the URL allows:
 * - default keys are the prefix, a timestamp and a UUID v4 (122 random bits);
 * - a key prefix with `..`, `.`, a leading `/` or over 1,024 bytes is refused;
 * - `expiresIn` is bounded to 1 s .. 7 days, with a warning above one hour;
 * - the URL is signed for GET only: against a local S3 that verifies SigV4
 *   (`@20minutes/s3rver` 5), GET answers 200 and PUT, DELETE, HEAD answer 403;
 * - the 303 never carries the original body.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import middy from '@middy/core';
import { defaultKey } from '../../src/s3/keys.js';
import { s3Spill, type S3SpillOptions } from 'lambda-s3-spill';
import { testClient } from '../faults/harness.js';
import { context, EVENT_KINDS, eventOf } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { rawGet } from '../support/s3-objects.js';
import { testNoLeaks, watchForLeaks } from './leak-watch.js';

const watch = watchForLeaks();

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('object keys', () => {
  it('a default key is a UTC timestamp and a UUID v4 (122 random bits), unique over 10,000 keys', () => {
    const keys = Array.from({ length: 10_000 }, () => defaultKey());
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      const [stamp, ...uuid] = key.split('-');
      expect(stamp).toMatch(/^\d{8}T\d{9}Z$/);
      expect(uuid.join('-')).toMatch(UUID_V4);
    }
    // Each of the 30 fully random hex digits is spread evenly over 0-f (expected 625 each; 7 standard deviations of slack).
    const uuids = keys.map((key) => key.slice(key.indexOf('-') + 1).replaceAll('-', ''));
    const randomPositions = [...Array(32).keys()].filter((position) => position !== 12 && position !== 16);
    for (const position of randomPositions) {
      const counts = new Array<number>(16).fill(0);
      for (const uuid of uuids) counts[parseInt(uuid[position], 16)]++;
      expect(Math.min(...counts)).toBeGreaterThan(450);
      expect(Math.max(...counts)).toBeLessThan(800);
    }
  });

  it.each([
    ['a ".." segment', '../spill/'],
    ['a "." segment', 'spill/./x/'],
    ['a leading "/"', '/spill/'],
    ['over 1,024 bytes', `${'é'.repeat(513)}/`],
  ])('a key prefix with %s is refused when the middleware is created', (_name, keyPrefix) => {
    expect(() => s3Spill({ bucket: 'spill-bucket', keyPrefix })).toThrow(TypeError);
  });

  it('a key prefix of exactly 1,024 bytes is accepted', () => {
    expect(() => s3Spill({ bucket: 'spill-bucket', keyPrefix: `${'a'.repeat(1_023)}/` })).not.toThrow();
  });
});

describe('expiresIn', () => {
  it.each([0, -1, 1.5, 604_801, Number.NaN, Number.POSITIVE_INFINITY, '300'])('%p is refused at creation', (expiresIn) => {
    expect(() => s3Spill({ bucket: 'spill-bucket', expiresIn: expiresIn as number })).toThrow(/expiresIn must be an integer from 1 to 604800/);
  });

  it('above one hour, a warning is logged once at creation (role credentials may expire first)', () => {
    const quiet = watch.recordingLogger();
    s3Spill({ bucket: 'spill-bucket', expiresIn: 3_600, logger: quiet.logger });
    expect(quiet.lines).toEqual([]);
    const warned = watch.recordingLogger();
    s3Spill({ bucket: 'spill-bucket', expiresIn: 3_601, logger: warned.logger });
    expect(warned.lines).toEqual([{ level: 'warn', message: expect.stringContaining('expiresIn is 3601 s'), extra: [] }]);
  });

  describe('the URL carries the lifetime asked for', () => {
    const s3 = useLocalS3('expiry-spill');

    it.each([1, 300, 604_800])('expiresIn %i: the same X-Amz-Expires, signed for the host header only', async (expiresIn) => {
      const handler = middy(async () => ({ statusCode: 200, body: 'e'.repeat(5_000) })).use(
        s3Spill({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 1_000, expiresIn, logger: watch.recordingLogger().logger }),
      );
      const response = (await handler(eventOf('function-url'), context)) as unknown as { headers: { Location: string } };
      const url = new URL(response.headers.Location);
      expect(url.searchParams.get('X-Amz-Expires')).toBe(String(expiresIn));
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    });
  });
});

describe('the URL is signed for GET only (a local S3 that verifies SigV4)', () => {
  type Server = { run(): Promise<AddressInfo>; close(): Promise<void> };
  const SigningS3rver = createRequire(import.meta.url)('@20minutes/s3rver') as new (options: object) => Server;
  let server: Server;
  let directory: string;
  let endpoint: string;
  const bucket = 'signed-spill';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 's3rver5-'));
    server = new SigningS3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true, configureBuckets: [{ name: bucket }] });
    endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  function send(method: string, url: string, body?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('GET answers 200 with the body; PUT, DELETE and HEAD answer 403; a tampered signature answers 403', async () => {
    const client = testClient(endpoint, { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const body = 'g'.repeat(5_000);
    const options: S3SpillOptions = { bucket, s3Client: client, maxBytes: 1_000, logger: watch.recordingLogger().logger };
    const response = (await middy(async () => ({ statusCode: 200, body })).use(s3Spill(options))(eventOf('rest-v1'), context)) as unknown as {
      headers: { Location: string };
    };
    const location = response.headers.Location;
    try {
      const fetched = await rawGet(location);
      expect(fetched.status).toBe(200);
      expect(fetched.body.toString('utf8')).toBe(body);
      expect(await send('PUT', location, 'overwritten')).toBe(403);
      expect(await send('DELETE', location)).toBe(403);
      expect(await send('HEAD', location)).toBe(403);
      const tampered = new URL(location);
      const signature = tampered.searchParams.get('X-Amz-Signature')!;
      tampered.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
      expect(await send('GET', tampered.toString())).toBe(403);
      // Still the original body: the refused PUT changed nothing.
      expect((await rawGet(location)).body.toString('utf8')).toBe(body);
    } finally {
      client.destroy();
    }
  });
});

describe('the 303 never carries the original body', () => {
  const s3 = useLocalS3('body-spill');

  it.each(EVENT_KINDS)('%s: empty body, no content headers, not a byte of the original', async (kind) => {
    const sentinel = 'ORIGINAL-BODY-SENTINEL';
    const result = {
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain', 'Content-Length': '5000', 'Content-MD5': 'x', ETag: '"e"' },
      body: Buffer.from(`${sentinel}${'o'.repeat(5_000)}`).toString('base64'),
      isBase64Encoded: true,
    };
    const handler = middy(async () => result).use(
      s3Spill({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 1_000, logger: watch.recordingLogger().logger }),
    );
    const response = (await handler(eventOf(kind), context)) as Record<string, unknown>;
    expect(response).toMatchObject({ statusCode: 303, body: '', isBase64Encoded: false });
    const text = JSON.stringify(response);
    expect(text).not.toContain(sentinel);
    expect(text).not.toContain(result.body.slice(0, 40));
    expect(text.toLowerCase()).not.toMatch(/content-(type|length|md5)|etag/);
  });
});

testNoLeaks(watch, 'keys-and-urls suite', 3);
