/**
 * The handler of the cache samples (CDK and SAM): `/cities` behind `s3Cache`
 * and `s3Spill`, configured by the environment `SpillBucket.connect` and
 * `connectCache` set (`S3_SPILL_BUCKET`, `S3_SPILL_PREFIX`, `S3_CACHE_PREFIX`).
 */
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { s3Cache } from 'lambda-s3-spill/cache';

async function listCities(): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const cities = Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `City ${i}` }));
  return { statusCode: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, s-maxage=300' }, body: JSON.stringify(cities) };
}

// s3Spill first: its `after` runs last, on what the cache answered (a 303 to the entry when the response is too large).
export const handler = middy(listCities).use(s3Spill()).use(s3Cache());
