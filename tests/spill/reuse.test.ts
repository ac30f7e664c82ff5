/**
 * reuse through the middleware: the second identical spill uploads nothing and
 * answers a fresh presigned URL; keys differ by coding and by stored headers;
 * per-route and per-response switches; the lifetime check.
 */
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { reuseWindow } from '../../src/spill/reuse-window.js';
import { s3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { locationOf, rawGet } from '../support/s3-objects.js';
import { decompressBytes } from '../../src/compression/compress-bytes.js';

const s3 = useLocalS3('reuse-spill');

const body = JSON.stringify(Array.from({ length: 120_000 }, (_, i) => ({ id: i, name: `feature ${i}`, x: i * 0.5 })));

/** A client that counts what it sends: commands and uploaded body bytes. */
function countingClient(): { client: S3Client; commands: string[]; uploaded: () => number } {
  const client = s3.newClient();
  const commands: string[] = [];
  let bytes = 0;
  client.middlewareStack.add(
    (next, ctx) => async (args) => {
      commands.push(ctx.commandName ?? '?');
      if (ctx.commandName === 'PutObjectCommand') {
        bytes += Number((args.request as { headers?: Record<string, string> }).headers?.['content-length'] ?? 0);
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countingClient' },
  );
  return { client, commands, uploaded: () => bytes };
}

function handlerWith(options: Parameters<typeof s3Spill>[0], headers: Record<string, string> = {}) {
  const log = recordingLogger();
  const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json', ...headers }, body })).use(
    s3Spill({ bucket: s3.bucket, logger: log.logger, ...options }),
  );
  return { handler, log };
}

function event(acceptEncoding?: string, path = '/layer') {
  const e = eventOf('function-url') as { headers: Record<string, string> };
  return { ...e, rawPath: path, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } };
}

const keyOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').slice(2).join('/'));

it('uploads the first identical body only; every later spill answers a fresh URL to the same object', async () => {
  const counted = countingClient();
  const { handler, log } = handlerWith({ s3Client: counted.client, reuse: true });
  const first = locationOf(await handler(event(), context));
  expect(counted.uploaded()).toBe(Buffer.byteLength(body));
  const urls: string[] = [];
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(i === 0))); // a later second: another X-Amz-Date
    urls.push(locationOf(await handler(event(), context)));
  }
  expect(counted.uploaded()).toBe(Buffer.byteLength(body));
  expect(counted.commands.filter((c) => c === 'PutObjectCommand')).toHaveLength(1);
  expect(counted.commands.filter((c) => c === 'HeadObjectCommand')).toHaveLength(4);
  for (const url of urls) expect(keyOf(url)).toBe(keyOf(first));
  expect(urls[0]).not.toBe(first); // signed anew
  for (const url of [first, ...urls]) expect((await rawGet(url)).body.toString('utf8')).toBe(body);
  const records = log.at('info').map((l) => (l.args[1] as { spill: { reused: boolean } }).spill);
  expect(records.map((r) => r.reused)).toEqual([false, true, true, true]);
});

it('names the object by the hour its URL expires in and the hash of what is stored', async () => {
  const { handler } = handlerWith({ s3Client: s3.client, reuse: true, expiresIn: 300 });
  const before = reuseWindow(new Date(), 300);
  const key = keyOf(locationOf(await handler(event(), context)));
  const after = reuseWindow(new Date(), 300);
  expect(key).toMatch(/^spill\/\d{10}\/[0-9a-f]{64}$/);
  expect([before, after]).toContain(key.split('/')[1]);
});

it('reuses compressed bodies per coding: one object for br, another for gzip', async () => {
  const counted = countingClient();
  const { handler } = handlerWith({ s3Client: counted.client, reuse: true, maxBytes: 100_000 });
  const br1 = locationOf(await handler(event('br'), context));
  const br2 = locationOf(await handler(event('br'), context));
  const gz1 = locationOf(await handler(event('gzip'), context));
  const gz2 = locationOf(await handler(event('gzip'), context));
  expect(keyOf(br1)).toBe(keyOf(br2));
  expect(keyOf(gz1)).toBe(keyOf(gz2));
  expect(keyOf(br1)).not.toBe(keyOf(gz1));
  expect(counted.commands.filter((c) => c === 'PutObjectCommand')).toHaveLength(2);
  const object = await rawGet(br2);
  expect(object.headers['content-encoding']).toBe('br');
  expect(decompressBytes(object.body, 'br').toString('utf8')).toBe(body);
  expect(counted.uploaded()).toBeLessThan(Buffer.byteLength(body) / 2);
});

it('does not share an object between responses that store different headers', async () => {
  const a = handlerWith({ s3Client: s3.client, reuse: true }, { 'Content-Disposition': 'attachment; filename="a.json"' });
  const b = handlerWith({ s3Client: s3.client, reuse: true }, { 'Content-Disposition': 'attachment; filename="b.json"' });
  const urlA = locationOf(await a.handler(event(), context));
  const urlB = locationOf(await b.handler(event(), context));
  expect(keyOf(urlA)).not.toBe(keyOf(urlB));
  expect((await rawGet(urlB)).headers['content-disposition']).toBe('attachment; filename="b.json"');
});

it('is off by default: two identical spills, two objects', async () => {
  const counted = countingClient();
  const { handler } = handlerWith({ s3Client: counted.client });
  const one = keyOf(locationOf(await handler(event(), context)));
  const two = keyOf(locationOf(await handler(event(), context)));
  expect(one).not.toBe(two);
  expect(counted.commands.filter((c) => c === 'PutObjectCommand')).toHaveLength(2);
  expect(counted.commands).not.toContain('HeadObjectCommand');
});

it('per route (a function of the request) and per response (X-S3-Spill: no-reuse / reuse)', async () => {
  const counted = countingClient();
  const reuse = (request: { event: { rawPath?: string } }) => request.event.rawPath === '/layer';
  const { handler } = handlerWith({ s3Client: counted.client, reuse });
  expect(keyOf(locationOf(await handler(event(undefined, '/layer'), context)))).toMatch(/^spill\/\d{10}\//);
  expect(keyOf(locationOf(await handler(event(undefined, '/report'), context)))).toMatch(/^spill\/\d{8}T/);

  const noReuse = handlerWith({ s3Client: s3.client, reuse: true }, { 'X-S3-Spill': 'no-reuse' });
  const noReuseResponse = await noReuse.handler(event(), context);
  expect(keyOf(locationOf(noReuseResponse))).toMatch(/^spill\/\d{8}T/);
  expect((noReuseResponse as { headers: Record<string, string> }).headers['X-S3-Spill']).toBeUndefined();
  const byHeader = handlerWith({ s3Client: s3.client }, { 'X-S3-Spill': 'reuse' });
  expect(keyOf(locationOf(await byHeader.handler(event(), context)))).toMatch(/^spill\/\d{10}\//);
});

it('refuses, at creation, a URL lifetime that could outlive a reused object', () => {
  const quiet = { bucket: 'my-bucket', logger: recordingLogger().logger };
  expect(() => s3Spill({ ...quiet, reuse: true, expiresIn: 86_400 })).toThrow(/lifecycleDays must be at least 2/);
  expect(() => s3Spill({ ...quiet, reuse: () => true, expiresIn: 86_400 })).toThrow(/lifecycleDays must be at least 2/);
  expect(() => s3Spill({ ...quiet, reuse: true, expiresIn: 86_400, lifecycleDays: 2 })).not.toThrow();
  expect(() => s3Spill({ ...quiet, expiresIn: 86_400 })).not.toThrow(); // reuse off: not checked
  expect(() => s3Spill({ ...quiet, lifecycleDays: 0 })).toThrow(/lifecycleDays must be an integer/);
});

it('does not reuse when a response asks for it but the lifetime would not hold', async () => {
  const { handler, log } = handlerWith({ s3Client: s3.client, expiresIn: 86_400 }, { 'X-S3-Spill': 'reuse' });
  expect(keyOf(locationOf(await handler(event(), context)))).toMatch(/^spill\/\d{8}T/);
  expect(log.text()).toContain('did not reuse');
});
