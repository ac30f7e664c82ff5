/**
 * The response cache in front of an expensive handler: with Middy, without it,
 * and the invalidation a data import calls. Bucket and prefix come from the
 * environment `SpillBucket.connectCache` sets (`S3_SPILL_BUCKET`, `S3_CACHE_PREFIX`).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { s3Spill, withS3Spill } from 'lambda-s3-spill';
import { invalidateCached, s3Cache, withS3Cache } from 'lambda-s3-spill/cache';

async function listCities(event: APIGatewayProxyEventV2) {
  const country = event.queryStringParameters?.country ?? 'all';
  const language = event.headers['accept-language']?.startsWith('fr') ? 'fr' : 'en';
  const cities = await loadCities(country, language);
  return {
    statusCode: 200,
    headers: {
      'Content-Type': 'application/json',
      // Fresh for 5 minutes in shared caches; the answer depends on Accept-Language, so it says so.
      'Cache-Control': 'public, s-maxage=300',
      Vary: 'Accept-Language',
    },
    body: JSON.stringify(cities),
  };
}

// s3Spill first, s3Cache second: the cache's `after` runs first, on the handler's response.
export const handler = middy(listCities).use(s3Spill()).use(s3Cache());

// The same without Middy.
export const handlerWithoutMiddy = withS3Spill(withS3Cache(listCities));

// After new data arrives: every variant of /cities?country=<code> goes (each Accept-Language).
export async function afterImport(country: string): Promise<number> {
  return invalidateCached({ path: '/cities', query: `country=${encodeURIComponent(country)}` });
}

async function loadCities(country: string, language: string): Promise<{ name: string; country: string }[]> {
  const names = language === 'fr' ? ['Andorre-la-Vieille', 'Escaldes-Engordany'] : ['Andorra la Vella', 'Escaldes-Engordany'];
  return names.map((name) => ({ name, country }));
}
