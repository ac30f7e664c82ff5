/**
 * The cheap upper bound of a result's size must hold for every number. A
 * negative number with -1e-5 < x <= -1e-6 and 17 significant digits is 25
 * characters of JSON (`-0.0000012345678901234567`): with a bound of 24 per
 * number, 512 of them measure 12,802 bytes by the bound and 13,313 in fact, so
 * a result over `maxBytes: 13000` was returned untouched.
 */
import middy from '@middy/core';
import { payloadBytes, s3Spill } from 'lambda-s3-spill';
import { type OffloadReference, s3Offload } from 'lambda-s3-spill/offload';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { listKeys, locationOf, rawGet } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-number-bound');

const LONGEST = -0.0000012345678901234567;
const numbers = (): number[] => Array.from({ length: 512 }, () => LONGEST);

it('the number used is 25 characters of JSON and 512 of them are 13,313 bytes', () => {
  expect(JSON.stringify(LONGEST)).toBe('-0.0000012345678901234567');
  expect(payloadBytes(numbers())).toBe(13_313);
});

it('s3Spill spills a bare HTTP API 2.0 result of 512 such numbers over maxBytes 13,000 (303)', async () => {
  const result = numbers();
  const middleware = s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, compress: false, maxBytes: 13_000 });
  const before = (await listKeys(s3.client, s3.bucket)).length;
  const response = (await middy(async () => result).use(middleware)(eventOf('http-v2'), context)) as { statusCode?: number };
  expect(response.statusCode).toBe(303);
  expect(payloadBytes(response)).toBeLessThanOrEqual(13_000);
  expect((await listKeys(s3.client, s3.bucket)).length).toBe(before + 1);
  const fetched = await rawGet(locationOf(response));
  expect(JSON.parse(fetched.body.toString('utf8'))).toEqual(result);
});

it('s3Offload offloads the same result over maxBytes 13,000 (it shares the measure)', async () => {
  const result = numbers();
  const middleware = s3Offload({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, maxBytes: 13_000 });
  const answer = (await middy(async () => result).use(middleware)({ job: 'numbers' }, context)) as unknown as OffloadReference;
  expect(Object.keys(answer)).toEqual(['lambdaS3Offload']);
  expect(answer.lambdaS3Offload.bytes).toBe(13_313);
});
