/** A Powertools `Metrics` instance is a `metrics` option, and receives one metric per hit, miss and store. */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type LocalS3, startLocalS3 } from '../../samples/local/s3-server.js';
import { behind, cacheEvent, quiet } from './support.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3('cache-metrics');
});
afterAll(async () => {
  await s3.stop();
});

test('CacheMiss and CacheStored on a miss, CacheHit on a hit', async () => {
  const metrics = new Metrics({ namespace: 'test', serviceName: 'cache' });
  const added: string[] = [];
  const addMetric = metrics.addMetric.bind(metrics);
  metrics.addMetric = (name, unit, value) => {
    added.push(`${name} ${unit} ${value}`);
    return addMetric(name, unit, value);
  };
  const call = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: 'x' }), {
    bucket: s3.bucket,
    s3Client: s3.client,
    logger: quiet,
    lookupTimeoutInMillis: 20_000,
    metrics,
  });
  await call(cacheEvent('http-v2', { path: '/m' }));
  await call(cacheEvent('http-v2', { path: '/m' }));
  expect(added).toEqual(['CacheMiss Count 1', 'CacheStored Count 1', 'CacheHit Count 1']);
});
