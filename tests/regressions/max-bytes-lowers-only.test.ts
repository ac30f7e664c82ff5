/**
 * Issue 11, item 1: `maxBytes` may only lower the threshold. Above the Lambda
 * limit (6,291,556) it is a TypeError naming `maxBytes` at creation; per request
 * the threshold is min(maxBytes, the front door's limit).
 */
import middy from '@middy/core';
import { LAMBDA_RESPONSE_MAX_BYTES, payloadBytes, s3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { listKeys, locationOf, rawGet } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-max-bytes');

describe('maxBytes creation check', () => {
  it.each([6_291_557, 7_000_000, 10_000_000])('refuses maxBytes %i (above 6,291,556) with a TypeError naming maxBytes', (maxBytes) => {
    expect(() => s3Spill({ bucket: 'spill-bucket', maxBytes })).toThrow(TypeError);
    expect(() => s3Spill({ bucket: 'spill-bucket', maxBytes })).toThrow(/maxBytes/);
  });

  it('accepts maxBytes of exactly 6,291,556', () => {
    expect(LAMBDA_RESPONSE_MAX_BYTES).toBe(6_291_556);
    expect(() => s3Spill({ bucket: 'spill-bucket', maxBytes: 6_291_556 })).not.toThrow();
  });
});

describe.each(['alb', 'alb-multi-value'] as const)('maxBytes 5,000,000 behind an ALB (%s)', (kind) => {
  it('spills a 2 MB response (303) instead of passing it to the ALB, which would answer 502', async () => {
    const body = 'm'.repeat(2_000_000);
    const result = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body };
    const middleware = s3Spill({
      bucket: s3.bucket,
      s3Client: s3.client,
      logger: recordingLogger().logger,
      compress: false,
      maxBytes: 5_000_000,
    });
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const response = (await middy(async () => result).use(middleware)(eventOf(kind), context)) as { statusCode: number };
    expect(response.statusCode).toBe(303);
    expect(payloadBytes(response)).toBeLessThanOrEqual(1_000_000);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before + 1);
    const fetched = await rawGet(locationOf(response));
    expect(fetched.body.toString('utf8')).toBe(body);
  });
});
