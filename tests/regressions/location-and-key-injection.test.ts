/**
 * Issue 11, item 4: header injection through the URL, and keys with control
 * characters. The `Location` must be an absolute http(s) URL equal to
 * `new URL(url).href`, with no control characters, spaces or non-ASCII; keys
 * (prefix + key function result) refuse C0 (U+0000-U+001F) and DEL (U+007F).
 * Otherwise SpillConfigurationError, and no response carries the bad value.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { s3Spill, SpillConfigurationError } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { listKeys } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-injection');

const LIMIT = 6_291_556;
const big = () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'i'.repeat(LIMIT) });

function options(extra: Parameters<typeof s3Spill>[0]): Parameters<typeof s3Spill>[0] {
  return { bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, compress: false, ...extra };
}

/** Every header name of a response, lower case, from both maps. */
function headerNames(response: Record<string, unknown>): string[] {
  const single = Object.keys((response.headers as object | undefined) ?? {});
  const multi = Object.keys((response.multiValueHeaders as object | undefined) ?? {});
  return [...single, ...multi].map((name) => name.toLowerCase());
}

const CRLF_URL = 'https://cdn.example/x\r\nSet-Cookie: admin=1';

describe('a presign hook URL with CR/LF', () => {
  it.each(['function-url', 'rest-v1'] as const)('is refused with SpillConfigurationError (%s)', async (kind) => {
    const handler = middy(async () => big()).use(s3Spill(options({ presign: () => CRLF_URL })));
    await expect(handler(eventOf(kind), context)).rejects.toBeInstanceOf(SpillConfigurationError);
  });

  it.each(['function-url', 'rest-v1'] as const)(
    'with @middy/http-error-handler answers 500 with no Set-Cookie and no Location (%s)',
    async (kind) => {
      const handler = middy(async () => big())
        .use(s3Spill(options({ presign: () => CRLF_URL })))
        .use(httpErrorHandler({ logger: false }));
      const response = (await handler(eventOf(kind), context)) as Record<string, unknown>;
      expect(response.statusCode).toBe(500);
      expect(headerNames(response)).not.toContain('set-cookie');
      expect(headerNames(response)).not.toContain('location');
      expect(JSON.stringify(response)).not.toContain('admin=1');
    },
  );
});

describe('a presign hook URL that is not its own parsed href', () => {
  it.each([
    ['a space', 'https://cdn.example/a b'],
    ['a tab', 'https://cdn.example/a\tb'],
    ['non-ASCII', 'https://cdn.example/caf\u00e9'],
    ['an upper-case host', 'https://CDN.example/x'],
    ['no path', 'https://cdn.example'],
    ['a backslash', 'https://cdn.example\\x'],
  ])('is refused when it has %s (%j)', async (_name, url) => {
    expect(URL.canParse(url)).toBe(true); // the check today's code makes
    const handler = middy(async () => big()).use(s3Spill(options({ presign: () => url })));
    await expect(handler(eventOf('function-url'), context)).rejects.toBeInstanceOf(SpillConfigurationError);
  });

  it('accepts a URL that is its own href', async () => {
    const url = 'https://cdn.example/spill/x?Signature=abc&Expires=1';
    expect(new URL(url).href).toBe(url);
    const handler = middy(async () => big()).use(s3Spill(options({ presign: () => url })));
    const response = (await handler(eventOf('function-url'), context)) as { statusCode: number; headers: Record<string, string> };
    expect(response.statusCode).toBe(303);
    expect(response.headers.Location).toBe(url);
  });
});

describe('keys with control characters', () => {
  it.each([
    ['U+0001', 'report\u0001.json'],
    ['U+007F (DEL)', 'report\u007f.json'],
    ['U+000A (LF)', 'report\n.json'],
    ['U+0000', 'report\u0000.json'],
  ])('a key function returning %s is refused with SpillConfigurationError, nothing uploaded', async (_name, suffix) => {
    const before = await listKeys(s3.client, s3.bucket);
    const handler = middy(async () => big()).use(s3Spill(options({ key: () => suffix })));
    await expect(handler(eventOf('function-url'), context)).rejects.toBeInstanceOf(SpillConfigurationError);
    expect(await listKeys(s3.client, s3.bucket)).toEqual(before);
  });

  it('a keyPrefix function returning U+0001 is refused with SpillConfigurationError, nothing uploaded', async () => {
    const before = await listKeys(s3.client, s3.bucket);
    const handler = middy(async () => big()).use(s3Spill(options({ keyPrefix: () => 'tenant\u0001/' })));
    await expect(handler(eventOf('function-url'), context)).rejects.toBeInstanceOf(SpillConfigurationError);
    expect(await listKeys(s3.client, s3.bucket)).toEqual(before);
  });

  it.each([
    ['U+0001', 'spill\u0001/'],
    ['U+007F (DEL)', 'spill\u007f/'],
  ])('a static keyPrefix with %s is a TypeError at creation', (_name, keyPrefix) => {
    expect(() => s3Spill({ bucket: 'spill-bucket', keyPrefix })).toThrow(TypeError);
    expect(() => s3Spill({ bucket: 'spill-bucket', keyPrefix })).toThrow(/keyPrefix/);
  });
});
