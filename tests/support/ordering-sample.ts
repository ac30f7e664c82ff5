/** samples/ordering.ts, the pipeline of docs/ordering.md, as its tests call it. */
import { handleOf, ownedByHooks } from './hooks.js';
import { context } from './events.js';
import { locationOf, rawGet } from './s3-objects.js';

type OrderingSample = typeof import('../../samples/ordering.js');

/** The sample's module, imported in `beforeAll` once S3_SPILL_BUCKET is set (its module-level handler reads it). */
export function useOrderingSample(): OrderingSample {
  return handleOf(
    ownedByHooks({
      what: 'samples/ordering.ts',
      span: 'all',
      start: async () => {
        process.env.S3_SPILL_BUCKET ??= 'sample-bucket';
        return import('../../samples/ordering.js');
      },
      stop: () => undefined,
    }),
  );
}

/** A Function URL GET of `rawPath` from the page at https://app.example, with `headers`. */
export const orderingEvent = (rawPath: string, headers: Record<string, string>) => ({
  version: '2.0',
  rawPath,
  headers: { origin: 'https://app.example', ...headers },
  requestContext: { http: { method: 'GET', path: rawPath } },
});

/**
 * GET /report with `Accept-Encoding: acceptEncoding` from `handler` (a
 * `reportHandler(…)`), which must answer 303 with the page's CORS header.
 *
 * @returns the object behind the Location, fetched raw (not decompressed)
 */
export async function spilledReport(handler: ReturnType<OrderingSample['reportHandler']>, acceptEncoding: string): ReturnType<typeof rawGet> {
  const response = (await handler(orderingEvent('/report', { 'accept-encoding': acceptEncoding }) as never, context)) as unknown as {
    statusCode: number;
    headers: Record<string, string>;
  };
  expect(response.statusCode).toBe(303);
  expect(response.headers['Access-Control-Allow-Origin']).toBe('https://app.example');
  return rawGet(locationOf(response));
}
