/**
 * `lambda-s3-spill dev` serves streamed responses as Lambda does: a streaming
 * handler behind `--invoke-mode RESPONSE_STREAM` (Function URL) or
 * `--response-transfer-mode STREAM` (REST API) gets its prelude and every
 * byte to the client, one request line with the bytes; a buffered function
 * whose body is a stream answers 502 (the runtime's JSON.stringify made an
 * object of it); `--memory` caps the handler's heap. The shaping itself (the
 * burst, then the rate, the cut at the limit) is checked on `ShapedStream`
 * with small limits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DevServer, startDevServer } from 'lambda-s3-spill/dev';
import { ShapedStream } from '../../src/dev/stream-response.js';
import { rawGet } from '../support/s3-objects.js';
import { bytesOf, STREAMED_BYTES } from './fixtures/bytes.js';

const MODULE = 'tests/streams/fixtures/dev-handlers.ts';

async function withDev<T>(options: Partial<Parameters<typeof startDevServer>[0]>, run: (dev: DevServer, lines: string[]) => Promise<T>): Promise<T> {
  const lines: string[] = [];
  const dev = await startDevServer({ module: MODULE, port: 0, timeoutSeconds: 30, log: (line) => lines.push(line), ...options });
  try {
    return await run(dev, lines);
  } finally {
    await dev.stop();
  }
}

it.each([
  ['function-url', 'RESPONSE_STREAM'],
  ['rest-api', 'STREAM'],
] as const)('%s streaming (%s): the prelude, then every byte, one request line', async (frontDoor, _mode) => {
  await withDev({ exportName: 'streamed', frontDoor, streaming: true }, async (dev, lines) => {
    const got = await rawGet(`${dev.url}/export`);
    expect(got.status).toBe(200);
    expect(got.headers['x-kind']).toBe('export');
    expect(got.body.equals(bytesOf(STREAMED_BYTES))).toBe(true);
    expect(dev.requests).toEqual([expect.objectContaining({ status: 200, resultBytes: STREAMED_BYTES, outcome: 'streamed' })]);
    expect(lines.filter((l) => / GET \/export /.test(l))).toHaveLength(1);
  });
});

it('a streaming function with streamSpillBytes: the 303 prelude to the embedded S3', async () => {
  await withDev({ exportName: 'spilledPastOneMb', streaming: true }, async (dev) => {
    const got = await rawGet(`${dev.url}/export`);
    expect(got.status).toBe(303);
    const object = await rawGet(String(got.headers.location));
    expect(object.body.equals(bytesOf(STREAMED_BYTES))).toBe(true);
  });
});

it('a buffered function whose body is a stream, without s3Spill: 502, as on Lambda', async () => {
  await withDev({ exportName: 'bufferedStream' }, async (dev, lines) => {
    const got = await rawGet(`${dev.url}/x`);
    expect(got.status).toBe(502);
    expect(dev.requests[0]).toMatchObject({ status: 502, outcome: 'error' });
    expect(lines.join('\n')).toMatch(/not a valid response/);
  });
});

it('--memory caps the heap: a handler that holds 400 MB fails at 256 MB', async () => {
  await withDev({ exportName: 'holdsTooMuch', memoryMB: 256 }, async (dev) => {
    const got = await rawGet(`${dev.url}/x`);
    expect(got.status).toBe(502);
    expect(dev.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('256');
  });
});

describe('ShapedStream', () => {
  it('sends everything up to the limit in order, then cuts the response', async () => {
    const body = bytesOf(10_000);
    const server = createServer((_req, res) => {
      const shaped = new ShapedStream(res, { burst: 1_000, rate: 100_000, max: 6_000 });
      shaped.prelude({ statusCode: 201, headers: { 'Content-Type': 'text/csv' }, cookies: ['a=1'] });
      void (async () => {
        for (let at = 0; at < body.length; at += 700) if (!(await shaped.write(body.subarray(at, at + 700)))) break;
        shaped.end();
      })();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const received = await new Promise<{ status: number; cookie: unknown; bytes: Buffer; aborted: boolean }>((resolve) => {
        const chunks: Buffer[] = [];
        void import('node:http').then(({ get }) =>
          get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
            res.on('data', (c: Buffer) => chunks.push(c));
            const done = (aborted: boolean) => resolve({ status: res.statusCode!, cookie: res.headers['set-cookie'], bytes: Buffer.concat(chunks), aborted });
            res.on('end', () => done(false));
            res.on('aborted', () => done(true));
            res.on('error', () => done(true));
          }),
        );
      });
      expect(received.status).toBe(201);
      expect(received.cookie).toEqual(['a=1']);
      expect(received.bytes.equals(body.subarray(0, 6_000))).toBe(true);
      expect(received.aborted).toBe(true);
    } finally {
      server.close();
    }
  });
});
