/**
 * Issue 11, item 2: with `alwaysSpill: true`, a response that fits and carries
 * `X-S3-Spill: no-spill` (or `off`, or `always, no-spill`) passes untouched,
 * minus the control header; it is never answered compressed inline.
 */
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { context, EVENT_KINDS, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { listKeys } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-always-spill');

const spill = () => s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, alwaysSpill: true });

function headerNames(response: Record<string, unknown>): string[] {
  const single = Object.keys((response.headers as object | undefined) ?? {});
  const multi = Object.keys((response.multiValueHeaders as object | undefined) ?? {});
  return [...single, ...multi].map((name) => name.toLowerCase());
}

describe('alwaysSpill with X-S3-Spill opting one response out', () => {
  describe.each(['no-spill', 'off', 'always, no-spill'])('X-S3-Spill: %s', (control) => {
    it.each(EVENT_KINDS)('answers the 14-byte body untouched, without the control header (%s)', async (kind) => {
      const body = 'fourteen bytes';
      expect(body.length).toBe(14);
      const result = { statusCode: 200, headers: { 'Content-Type': 'text/plain', 'X-S3-Spill': control }, body };
      const before = (await listKeys(s3.client, s3.bucket)).length;
      const response = (await middy(async () => result).use(spill())(eventOf(kind), context)) as Record<string, unknown>;
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(body);
      expect(response.isBase64Encoded ?? false).toBe(false);
      expect(headerNames(response)).not.toContain('x-s3-spill');
      expect((response.headers as Record<string, string>)['Content-Type']).toBe('text/plain');
      expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
    });
  });

  it('never compresses inline a response that fits, even when the client accepts gzip', async () => {
    const body = JSON.stringify(Array.from({ length: 2_000 }, (_, i) => ({ id: i, name: 'row' })));
    const result = { statusCode: 200, headers: { 'Content-Type': 'application/json', 'X-S3-Spill': 'no-spill' }, body };
    const event = { ...eventOf('http-v2'), headers: { 'accept-encoding': 'gzip' } };
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const response = (await middy(async () => result).use(spill())(event, context)) as Record<string, unknown>;
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(body);
    expect(response.isBase64Encoded ?? false).toBe(false);
    expect(headerNames(response)).not.toContain('content-encoding');
    expect(headerNames(response)).not.toContain('x-s3-spill');
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });
});
