/**
 * Issue 11, item 6: behind an ALB the limit is 1,000,000 bytes (the ELB docs
 * say "1 MB"; 1,048,576 is the reading that can 502).
 */
import middy from '@middy/core';
import { ALB_RESPONSE_MAX_BYTES, payloadBytes, s3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { locationOf, rawGet } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-alb-limit');

it('ALB_RESPONSE_MAX_BYTES is 1,000,000', () => {
  expect(ALB_RESPONSE_MAX_BYTES).toBe(1_000_000);
});

describe.each(['alb', 'alb-multi-value'] as const)('behind an ALB (%s)', (kind) => {
  const spill = () => s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, compress: false });
  const resultOf = (bytes: number) => {
    const envelope = payloadBytes({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: '' });
    const result = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'a'.repeat(bytes - envelope) };
    expect(payloadBytes(result)).toBe(bytes);
    return result;
  };

  it('passes a result of exactly 1,000,000 serialized bytes untouched', async () => {
    const result = resultOf(1_000_000);
    expect(await middy(async () => result).use(spill())(eventOf(kind), context)).toBe(result);
  });

  it('spills a result of 1,000,001 serialized bytes', async () => {
    const result = resultOf(1_000_001);
    const response = (await middy(async () => result).use(spill())(eventOf(kind), context)) as { statusCode: number };
    expect(response.statusCode).toBe(303);
    expect((await rawGet(locationOf(response))).body.toString('utf8')).toBe(result.body);
  });
});
