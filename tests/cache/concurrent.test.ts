/**
 * Concurrent requests for one cold key, in one process (one container serving
 * several invocations at once) on a local S3: every answer is the handler's
 * body, whole; a request that misses while another invocation computes the same
 * key waits for its store and is answered from it (request collapsing, RFC 9111
 * section 4). There is no lock across containers.
 */
import middy from '@middy/core';
import { s3Cache } from 'lambda-s3-spill/cache';
import { context } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { cacheEvent, quiet, seen } from './support.js';

const s3 = useLocalS3('cache-concurrent');

test('100 concurrent requests for one cold key are each answered correctly', async () => {
  const body = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, name: `city ${i}` })));
  let runs = 0;
  const handler = middy(async () => {
    runs++;
    await new Promise((r) => setTimeout(r, 20)); // an expensive handler
    return { statusCode: 200, headers: { 'Cache-Control': 'max-age=60', 'Content-Type': 'application/json' }, body };
  })
    // A budget that does not depend on the load of 100 requests on one event loop shared with the local S3.
    .use(s3Cache({ bucket: s3.bucket, s3Client: s3.client, logger: quiet, lookupTimeoutInMillis: 20_000 }));
  const answers = (await Promise.all(Array.from({ length: 100 }, () => handler(cacheEvent('http-v2', { path: '/cold' }), context)))).map(seen);
  expect(answers.every((a) => a.status === 200 && a.body === body)).toBe(true);
  const hits = answers.filter((a) => a.headers['cache-status']?.includes('hit')).length;
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.headers['cache-status'] ?? '-'] = (statuses[a.headers['cache-status'] ?? '-'] ?? 0) + 1;
  console.log(`100 concurrent requests for one cold key: the handler ran ${runs} times, ${hits} hits; ${JSON.stringify(statuses)}`);
  expect(runs + hits).toBe(100);
  const after = seen(await handler(cacheEvent('http-v2', { path: '/cold' }), context));
  expect([after.body === body, after.headers['cache-status']?.includes('hit')]).toEqual([true, true]);
});

test('collapsing: a request that misses while the same key is computed waits for the store and gets a hit', async () => {
  let runs = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let started!: () => void;
  const first = new Promise<void>((resolve) => (started = resolve));
  const handler = middy(async () => {
    runs++;
    started();
    await gate;
    return { statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: 'computed once' };
  }).use(s3Cache({ bucket: s3.bucket, s3Client: s3.client, logger: quiet, lookupTimeoutInMillis: 60_000 }));
  const leader = handler(cacheEvent('http-v2', { path: '/collapse' }), context);
  await first; // the leader's handler runs: the key is being computed
  const follower = handler(cacheEvent('http-v2', { path: '/collapse' }), context);
  open();
  const [a, b] = (await Promise.all([leader, follower])).map(seen);
  expect([a!.body, b!.body, runs]).toEqual(['computed once', 'computed once', 1]);
  expect(b!.headers['cache-status']).toContain('hit');
});

test('no collapsing for a key whose last answer was not stored: both handlers run at once', async () => {
  let runs = 0;
  let gated = false;
  let bothStarted!: () => void;
  const both = new Promise<void>((resolve) => (bothStarted = resolve));
  const handler = middy(async () => {
    runs++;
    if (gated) {
      if (runs === 2) bothStarted();
      await both; // each waits for the other: a request that waited for the other's store would never start
    }
    return { statusCode: 200, headers: { 'Cache-Control': 'private, max-age=60' }, body: `run ${runs}` };
  }).use(s3Cache({ bucket: s3.bucket, s3Client: s3.client, logger: quiet, lookupTimeoutInMillis: 60_000 }));
  await handler(cacheEvent('http-v2', { path: '/private' }), context); // answered, not stored
  runs = 0;
  gated = true;
  const answers = await Promise.all([1, 2].map(() => handler(cacheEvent('http-v2', { path: '/private' }), context)));
  expect([answers.map((a) => seen(a).status), runs]).toEqual([[200, 200], 2]);
});
