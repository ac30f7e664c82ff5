/**
 * samples/cache/usage.ts as deployed: configured by the environment only
 * (`S3_SPILL_BUCKET`, `S3_CACHE_PREFIX`), the default S3 client (reaching the
 * local S3 through `AWS_ENDPOINT_URL_S3`), both doors, and the invalidation.
 */
import { type EmbeddedS3, startEmbeddedS3 } from '../../src/dev/local-s3.js';
import { defaultS3Client } from '../../src/s3/client.js';
import { context } from '../support/events.js';
import { cacheEvent, seen } from './support.js';

let s3: EmbeddedS3;
const saved = { ...process.env };
beforeAll(async () => {
  s3 = await startEmbeddedS3('cache-sample', undefined);
  for (const name of ['AWS_REQUEST_CHECKSUM_CALCULATION', 'AWS_RESPONSE_CHECKSUM_VALIDATION', 'AWS_ENDPOINT_URL', 'AWS_PROFILE']) delete process.env[name];
  Object.assign(process.env, {
    S3_SPILL_BUCKET: s3.bucket,
    S3_CACHE_PREFIX: 'responses/',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
});
afterAll(async () => {
  (await defaultS3Client()).destroy();
  await s3.stop();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

test('both doors cache by target and Accept-Language; afterImport drops every variant of one country', async () => {
  const { handler, handlerWithoutMiddy, afterImport } = await import('../../samples/cache/usage.js');
  for (const call of [handler, handlerWithoutMiddy] as ((event: unknown, context: unknown) => Promise<unknown>)[]) {
    const ask = async (language: string) => seen(await call(cacheEvent('http-v2', { path: '/cities', query: 'country=AD', headers: { 'accept-language': language } }), context));
    const fr = await ask('fr');
    const en = await ask('en');
    expect(JSON.parse(fr.body)[0].name).toBe('Andorre-la-Vieille');
    expect(JSON.parse(en.body)[0].name).toBe('Andorra la Vella');
    expect((await ask('fr')).headers['cache-status']).toContain('hit');
    expect((await ask('en')).headers['cache-status']).toContain('hit');
    expect(await afterImport('AD')).toBe(3); // two variants and their pointer
    expect((await ask('fr')).headers['cache-status']).toContain('fwd=uri-miss; stored');
    await afterImport('AD');
  }
});
