/**
 * 100 concurrent requests for one cold key, in one process on a local S3:
 * every answer is the handler's body, whole. There is no lock across
 * invocations (Lambda runs them in separate containers; a lock would cost a
 * conditional write on every miss), so each request that looked up before the
 * first store finished runs the handler; the test prints how many did, and
 * checks that the entry left behind is whole and served.
 */
import middy from '@middy/core';
import { s3Cache } from 'lambda-s3-spill/cache';
import { type LocalS3, startLocalS3 } from '../../samples/local/s3-server.js';
import { context } from '../support/events.js';
import { cacheEvent, quiet, seen } from './support.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3('cache-concurrent');
});
afterAll(async () => {
  await s3.stop();
});

test('100 concurrent requests for one cold key are each answered correctly', async () => {
  const body = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, name: `city ${i}` })));
  let runs = 0;
  const handler = middy(async () => {
    runs++;
    await new Promise((r) => setTimeout(r, 20)); // an expensive handler
    return { statusCode: 200, headers: { 'Cache-Control': 'max-age=60', 'Content-Type': 'application/json' }, body };
  }).use(s3Cache({ bucket: s3.bucket, s3Client: s3.client, logger: quiet }));
  const answers = (await Promise.all(Array.from({ length: 100 }, () => handler(cacheEvent('http-v2', { path: '/cold' }), context)))).map(seen);
  expect(answers.every((a) => a.status === 200 && a.body === body)).toBe(true);
  const hits = answers.filter((a) => a.headers['cache-status']?.includes('hit')).length;
  console.log(`100 concurrent requests for one cold key: the handler ran ${runs} times, ${hits} hits`);
  expect(runs + hits).toBe(100);
  expect(runs).toBeGreaterThanOrEqual(1);
  const after = seen(await handler(cacheEvent('http-v2', { path: '/cold' }), context));
  expect([after.body === body, after.headers['cache-status']?.includes('hit')]).toEqual([true, true]);
});
