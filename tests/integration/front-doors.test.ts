/**
 * End to end on loopback: a real HTTP client calls a local front end (Function
 * URL, REST API, ALB) that runs a Middy handler with s3Spill; the client follows
 * the 303 to the local S3 and gets the exact bytes and content headers back.
 */
import middy from '@middy/core';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { s3Spill } from 'lambda-s3-spill';
import { type EmulatedFrontDoor, startFrontDoor } from '../../samples/local/front-door-server.js';
import { recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { rawGet } from '../support/s3-objects.js';

const s3 = useLocalS3('integration-spill');

const FRONT_DOORS: EmulatedFrontDoor[] = ['function-url', 'rest-v1', 'alb', 'alb-multi-value'];
const sizeFor = (frontDoor: EmulatedFrontDoor) => (frontDoor.startsWith('alb') ? 1_200_000 : 7_000_000);

/** JSON text with quotes, escapes and non-ASCII, so escaping counts. */
function jsonText(bytes: number): string {
  const item = JSON.stringify({ name: 'Sant Julià de Lòria', note: 'tab\there "quoted" €' });
  return `[${Array.from({ length: Math.ceil(bytes / (item.length + 1)) }, () => item).join(',')}]`;
}

describe.each(FRONT_DOORS)('behind a local %s', (frontDoor) => {
  const text = jsonText(sizeFor(frontDoor));
  const randomish = randomBytes(sizeFor(frontDoor));
  /** Incompressible bytes, so the gzip body stays over the limit. */
  const binary = gzipSync(randomish, { level: 1 });
  const headersFor = (contentType: string, extra: Record<string, string> = {}) =>
    frontDoor === 'alb-multi-value'
      ? { multiValueHeaders: Object.fromEntries(Object.entries({ 'Content-Type': contentType, ...extra }).map(([k, v]) => [k, [v]])) }
      : { headers: { 'Content-Type': contentType, ...extra } };

  const routes: Record<string, () => Record<string, unknown>> = {
    '/json': () => ({ statusCode: 200, ...headersFor('application/json; charset=utf-8', { 'Access-Control-Allow-Origin': '*' }), body: text }),
    '/gzip': () => ({
      statusCode: 200,
      ...headersFor('application/json', { 'Content-Encoding': 'gzip' }),
      body: binary.toString('base64'),
      isBase64Encoded: true,
    }),
    '/bytes': () => ({
      statusCode: 200,
      ...headersFor('application/octet-stream', { 'Content-Disposition': 'attachment; filename="x.bin"' }),
      body: randomish.toString('base64'),
      isBase64Encoded: true,
    }),
    '/small': () => ({ statusCode: 200, ...headersFor('text/plain'), body: 'small' }),
  };
  const expected: Record<string, Buffer> = {
    '/json': Buffer.from(text),
    '/gzip': binary,
    '/bytes': randomish,
    '/small': Buffer.from('small'),
  };

  let plainUrl: string;
  let spillUrl: string;
  let stops: (() => Promise<void>)[];
  beforeAll(async () => {
    const handler = async (event: { rawPath?: string; path?: string }) => routes[event.rawPath ?? event.path ?? '']();
    const log = recordingLogger();
    const plain = await startFrontDoor(middy(handler), frontDoor);
    const spilled = await startFrontDoor(
      middy(handler).use(s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger })),
      frontDoor,
    );
    plainUrl = plain.url;
    spillUrl = spilled.url;
    stops = [plain.stop, spilled.stop];
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });

  it.each(['/json', '/gzip', '/bytes'])('fails with 502 without s3Spill and delivers %s through a 303 with it', async (path) => {
    expect((await rawGet(plainUrl + path)).status).toBe(502);
    const first = await rawGet(spillUrl + path);
    expect(first.status).toBe(303);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body.length).toBe(0);
    const location = first.headers.location as string;
    expect(location).toMatch(/X-Amz-Signature=/);
    const second = await rawGet(location);
    expect(second.status).toBe(200);
    expect(second.body.equals(expected[path])).toBe(true);
    const original = routes[path]();
    const sent = (original.headers ?? Object.fromEntries(
      Object.entries(original.multiValueHeaders as Record<string, string[]>).map(([k, v]) => [k, v[0]]),
    )) as Record<string, string>;
    for (const [name, value] of Object.entries(sent)) {
      if (name.toLowerCase().startsWith('content-')) expect(second.headers[name.toLowerCase()]).toBe(value);
      else expect(first.headers[name.toLowerCase()]).toBe(value);
    }
  });

  it('lets fetch follow the 303 by itself (GET after a POST, too)', async () => {
    // identity: a client that accepts no compression gets the 303 (fetch asks for gzip by default).
    const response = await fetch(`${spillUrl}/json`, { method: 'POST', body: 'q=1', headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
    expect(response.redirected).toBe(true);
    expect(await response.text()).toBe(text);
  });

  it('answers a small route inline, untouched', async () => {
    const response = await rawGet(`${spillUrl}/small`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('small');
  });
});
