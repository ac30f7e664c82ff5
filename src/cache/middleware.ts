/**
 * `s3Cache()`: the Middy middleware door of the cache.
 *
 * @module cache/middleware
 */
import type { MiddlewareLikeObj, MiddyLikeRequest } from '../types/middy.js';
import { createCache, type Pending } from './cache.js';
import { resolveCacheOptions, type S3CacheOptions } from './options.js';

/**
 * A Middy middleware that answers repeated `GET` and `HEAD` requests from a
 * response stored in S3, without running the handler: a shared cache as
 * RFC 9111 defines one (see docs/cache.md for the rules).
 *
 * In `before`, a fresh stored response is answered at once (Middy then skips
 * the handler and every `after`): inline when its body is at most
 * `inlineMaxBytes` and the answer fits the front door's limit, else
 * `303 See Other` to a presigned URL of the stored object; `304` for a
 * matching `If-None-Match`; the stored fields and no body for a `HEAD`. Every
 * hit carries `Age`, `ETag` and `Cache-Status: lambda-s3-spill; hit`. In
 * `after`, a storable `GET` response is stored under a key made of the request
 * target, the `Vary` fields, the `vary` option's fields and the `key`
 * function's answer; a stored response over the front door's limit is answered
 * with a `303` to its entry, so a later `s3Spill` sees an answer that fits.
 * Every answer carries `Cache-Status` (`fwd=uri-miss`, `vary-miss`, `stale`,
 * `request`, `method`, `miss`; `stored`).
 *
 * S3 failing or slow never fails a request: a lookup that fails or takes more
 * than `lookupTimeoutInMillis` is a miss, a store that fails returns the
 * response unstored; both are logged. Non-HTTP events pass through.
 *
 * Register it after `s3Spill` (its `after` then runs first, on the handler's
 * response); `withS3Spill(withS3Cache(handler))` is the same without Middy.
 *
 * @param options - see {@link S3CacheOptions}; all optional
 * @returns the middleware object (`before`, `after`, `onError`)
 * @throws TypeError at creation, naming an unknown option or one of the wrong type or range
 * @throws SpillConfigurationError at creation when there is no bucket; per request (500)
 *   when the `key` function throws or does not return a string
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { s3Spill } from 'lambda-s3-spill';
 * import { s3Cache } from 'lambda-s3-spill/cache';
 *
 * export const handler = middy(async () => ({ statusCode: 200, body: 'x'.repeat(7_000_000) }))
 *   .use(s3Spill({ bucket: 'my-spill-bucket' }))
 *   .use(s3Cache({ bucket: 'my-spill-bucket', ttl: 300 }));
 * ```
 */
export function s3Cache(options: S3CacheOptions = {}): MiddlewareLikeObj {
  const cache = createCache(options);
  const pending = new WeakMap<MiddyLikeRequest, Pending>();

  // A value returned from `before` is Middy's early response: the handler and every `after` are skipped.
  const s3CacheMiddlewareBefore = async (request: MiddyLikeRequest): Promise<unknown> => {
    const found = await cache.lookup(request);
    if (found.kind === 'hit') return found.response;
    if (found.kind === 'miss') pending.set(request, found.pending);
    return undefined;
  };

  const s3CacheMiddlewareAfter = async (request: MiddyLikeRequest): Promise<void> => {
    const state = pending.get(request);
    if (state === undefined) return;
    pending.delete(request);
    request.response = await cache.store(request, state);
  };

  const s3CacheMiddlewareOnError = async (request: MiddyLikeRequest): Promise<void> => {
    if (request.response === undefined) {
      const state = pending.get(request);
      pending.delete(request);
      if (state !== undefined) cache.release(state);
      return;
    }
    await s3CacheMiddlewareAfter(request);
  };

  return {
    before: s3CacheMiddlewareBefore as MiddlewareLikeObj['before'],
    after: s3CacheMiddlewareAfter,
    onError: s3CacheMiddlewareOnError,
  };
}

/**
 * Check options as `s3Cache()` and `withS3Cache()` do at creation, without
 * creating anything (Middy's `<name>ValidateOptions` convention).
 *
 * @param options - see {@link S3CacheOptions}
 * @throws TypeError naming an unknown option, or one of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket (neither the option nor `S3_SPILL_BUCKET`)
 * @example
 * ```ts
 * import { s3CacheValidateOptions } from 'lambda-s3-spill/cache';
 * s3CacheValidateOptions({ bucket: 'my-spill-bucket', ttl: 300 });
 * ```
 */
export function s3CacheValidateOptions(options: S3CacheOptions): void {
  resolveCacheOptions(options);
}
