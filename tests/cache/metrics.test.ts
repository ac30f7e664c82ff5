/** A Powertools `Metrics` instance is a `metrics` option: one EMF set per looked-up request and per stored response, through the shared emitter. */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { useEmfCapture } from '../support/emf.js';
import { useLocalS3 } from '../support/local-s3.js';
import { behind, cacheEvent, quiet } from './support.js';

const s3 = useLocalS3('cache-metrics');
const emf = useEmfCapture();

test('CacheMiss and CacheStored on a miss, CacheHit on a hit, with the stored bytes and the utility dimension', async () => {
  const metrics = new Metrics({ namespace: 'test', serviceName: 'cache' });
  const call = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: 'xyz' }), {
    bucket: s3.bucket,
    s3Client: s3.client,
    logger: quiet,
    lookupTimeoutInMillis: 20_000,
    metrics,
  });
  await call(cacheEvent('http-v2', { path: '/m' }));
  await call(cacheEvent('http-v2', { path: '/m' }));
  expect(emf.metrics().map((m) => [m.name, m.unit, m.value, m.dimensions.utility, m.namespace])).toEqual([
    ['CacheMiss', 'Count', 1, 'cache', 'test'],
    ['CacheMissBytes', 'Bytes', 0, 'cache', 'test'],
    ['CacheStored', 'Count', 1, 'cache', 'test'],
    ['CacheStoredBytes', 'Bytes', 3, 'cache', 'test'],
    ['CacheHit', 'Count', 1, 'cache', 'test'],
    ['CacheHitBytes', 'Bytes', 3, 'cache', 'test'],
  ]);
});
