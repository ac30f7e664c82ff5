/**
 * `withS3Cache()`: the function-wrapper door of the cache, for handlers without Middy.
 *
 * @module cache/wrapper
 */
import type { Context } from 'aws-lambda';
import type { HttpResult } from '../http/result.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import type { LambdaHandler } from '../lambda/handler.js';
import { createCache } from './cache.js';
import type { S3CacheOptions } from './options.js';

/**
 * Wrap an async Lambda handler with the cache of {@link s3Cache}: the same
 * options, rules and answers, without Middy. A hit returns without calling
 * `handler`. Wrap it in `withS3Spill` (`withS3Spill(withS3Cache(handler))`) so
 * that a response the cache does not store is still spilled when too large.
 * Non-HTTP events pass through; errors the handler throws propagate unchanged.
 *
 * @param handler - the handler to wrap
 * @param options - see {@link S3CacheOptions}; all optional
 * @returns the wrapped handler
 * @throws TypeError at creation: `handler` is not a function, or an option is unknown or wrong
 * @throws SpillConfigurationError at creation when there is no bucket; per request (rejects)
 *   when the `key` function throws or does not return a string
 * @example
 * ```ts
 * import { withS3Spill } from 'lambda-s3-spill';
 * import { withS3Cache } from 'lambda-s3-spill/cache';
 *
 * export const handler = withS3Spill(
 *   withS3Cache(async () => ({ statusCode: 200, body: 'x'.repeat(7_000_000) }), { bucket: 'my-spill-bucket', ttl: 300 }),
 *   { bucket: 'my-spill-bucket' },
 * );
 * ```
 */
export function withS3Cache<TEvent = unknown, TResult = unknown>(
  handler: LambdaHandler<TEvent, TResult>,
  options: S3CacheOptions = {},
): LambdaHandler<TEvent, TResult | HttpResult> {
  if (typeof handler !== 'function') throw new TypeError('withS3Cache needs a handler function');
  const cache = createCache(options);
  return async function withS3CacheHandler(event: TEvent, context: Context): Promise<TResult | HttpResult> {
    const request: MiddyLikeRequest = { event, context, response: undefined, error: undefined, internal: {} };
    const found = await cache.lookup(request);
    if (found.kind === 'hit') return found.response;
    try {
      request.response = await handler(event, context);
    } catch (error) {
      if (found.kind === 'miss') cache.release(found.pending);
      throw error;
    }
    if (found.kind === 'skip') return request.response as TResult;
    return (await cache.store(request, found.pending)) as TResult | HttpResult;
  };
}
