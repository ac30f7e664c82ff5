/**
 * Issue 19, item 4: the dev server read a request whole before its 413: a
 * 420 MB POST answered 500 ("Cannot create a string longer than 0x1fffffe8")
 * after about 1.4 GB of memory. The 413 comes as soon as Content-Length, or
 * the bytes received so far, show the event would pass the front door's
 * request limit (base64 counted where the front door encodes the body).
 */
import { request as httpRequest } from 'node:http';
import { type Cli, startDev, stopDev } from '../dev/support.js';

const MiB = 1024 * 1024;

interface Sent {
  /** The status, or 'no answer' when none came while the client waited. */
  readonly status: number | 'no answer';
  /** Body bytes the client had written when the answer came. */
  readonly written: number;
}

/**
 * POST with the given headers. `declared`: Content-Length is set and only the
 * first 64 KiB are sent, then the client waits for an answer (up to 15 s).
 * Otherwise the body is sent chunked, 1 MiB at a time as the socket takes it,
 * until the answer comes or `total` bytes were sent.
 */
function post(url: string, contentType: string, body: { declared: number } | { total: number }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const headers: Record<string, string> = { 'content-type': contentType };
    if ('declared' in body) headers['content-length'] = String(body.declared);
    const req = httpRequest(`${url}/upload`, { method: 'POST', headers }, (res) => {
      answered = true;
      res.resume();
      res.once('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, written });
      });
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(MiB, 0x61);
    if ('declared' in body) {
      req.write(chunk.subarray(0, 64 * 1024));
      written = 64 * 1024;
      setTimeout(() => {
        if (answered) return;
        req.destroy();
        resolve({ status: 'no answer', written });
      }, 15_000).unref();
      return;
    }
    const pump = (): void => {
      while (!answered && written < body.total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe.each([
  ['function-url', []],
  ['rest-api', ['--front-door', 'rest-api']],
] as const)('%s', (_name, args) => {
  let cli: Cli & { url: string };
  beforeAll(async () => {
    cli = await startDev(['samples/dev/echo.mjs#size', ...args]);
  });
  afterAll(async () => {
    await stopDev(cli);
  });

  it('Content-Length 420 MB: 413 after the first 64 KiB, without waiting for the rest', async () => {
    expect(await post(cli.url, 'text/plain', { declared: 420_000_000 })).toEqual({ status: 413, written: 64 * 1024 });
  });

  it('Content-Length 5,000,000 of a binary type (6,666,668 once base64-encoded): 413 after the first 64 KiB', async () => {
    expect(await post(cli.url, 'application/octet-stream', { declared: 5_000_000 })).toEqual({ status: 413, written: 64 * 1024 });
  });

  it('a chunked 420 MB body (no Content-Length): 413 once the bytes received pass the limit, long before the end', async () => {
    const sent = await post(cli.url, 'text/plain', { total: 420 * MiB });
    expect(sent.status).toBe(413);
    expect(sent.written).toBeLessThan(64 * MiB);
  });

  it('Expect: 100-continue with Content-Length 420 MB: 413 before any of the body is sent (no 100 Continue)', async () => {
    const answer = await new Promise<{ status: number | undefined; continued: boolean }>((resolve, reject) => {
      const req = httpRequest(`${cli.url}/upload`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'content-length': '420000000', expect: '100-continue' },
      });
      // Told to go on: this client never sends the body, so the server will not answer; note it and stop.
      req.on('continue', () => (req.destroy(), resolve({ status: undefined, continued: true })));
      req.on('response', (res) => {
        res.resume();
        res.once('end', () => (req.destroy(), resolve({ status: res.statusCode, continued: false })));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer).toEqual({ status: 413, continued: false });
  });

  it('control: Content-Length 4,000,000 of a binary type (5,333,336 as base64) is read and invoked', async () => {
    const sent = await post(cli.url, 'application/octet-stream', { total: 4_000_000 });
    expect(sent.status).toBe(200);
  });
});

it('behind an ALB: Content-Length 1,000,001 answers 413 after the first 64 KiB', async () => {
  const cli = await startDev(['samples/dev/echo.mjs#size', '--front-door', 'alb']);
  try {
    expect(await post(cli.url, 'text/plain', { declared: 1_000_001 })).toEqual({ status: 413, written: 64 * 1024 });
  } finally {
    await stopDev(cli);
  }
});
