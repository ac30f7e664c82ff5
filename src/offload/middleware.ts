/**
 * `s3Offload()`: the Middy middleware door of the offload core.
 *
 * @module offload/middleware
 */
import type { MiddlewareLikeObj, MiddyLikeRequest } from '../types/middy.js';
import { createOffloader } from './offloader.js';
import { resolveOffloadOptions, type S3OffloadOptions } from './options.js';

/**
 * A Middy middleware that keeps large non-HTTP results from failing (a claim
 * check): for SDK `Invoke` calls (6,291,556 bytes), Step Functions tasks
 * (262,144), results that become asynchronous events (1 MB).
 *
 * In `after`, a result whose exact `JSON.stringify` size is over `maxBytes`
 * (or every result, with `alwaysOffload`) is stored in S3 as its JSON text,
 * under `keyPrefix` with an unguessable key, and replaced by a reference:
 * `{ lambdaS3Offload: { version: 1, bucket, key, bytes, sha256, uri, contentType } }`.
 * One log record per offload (bucket, key, bytes, duration).
 *
 * In `before`, references in the event (the event itself, or values inside
 * it, down to `OFFLOAD_RESOLVE_MAX_DEPTH`) are replaced by their stored
 * values, so a chain of functions passes large values along. Only references
 * to `bucket` (or `allowedBuckets`) under `keyPrefix` are read, and the bytes
 * read must match the recorded size and SHA-256; otherwise the invocation
 * fails with a typed error before the handler runs.
 *
 * HTTP events (API Gateway, Function URL, ALB) pass through both phases: their
 * results are `s3Spill`'s, and the two can be registered on one handler.
 *
 * @param options - see {@link S3OffloadOptions}; all optional
 * @returns the middleware object (`before`, `after`, `onError`)
 * @throws TypeError at creation, naming an option of the wrong type or range
 * @throws SpillConfigurationError at creation, when there is no bucket
 * @throws OffloadReferenceError, OffloadIntegrityError, OffloadLoadError, OffloadTimeoutError in `before`
 * @throws OffloadStoreError, OffloadTimeoutError in `after`
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { s3Offload } from 'lambda-s3-spill/offload';
 *
 * export const handler = middy(async () => ({ rows: Array.from({ length: 100_000 }, (_, i) => ({ i })) }))
 *   .use(s3Offload({ bucket: 'my-spill-bucket', maxBytes: 262_144 }));
 * ```
 */
export function s3Offload(options: S3OffloadOptions = {}): MiddlewareLikeObj {
  const offloader = createOffloader(options);

  const s3OffloadMiddlewareBefore = (request: MiddyLikeRequest): Promise<void> | undefined => offloader.before(request);
  const s3OffloadMiddlewareAfter = (request: MiddyLikeRequest): Promise<void> | undefined => offloader.after(request);
  const s3OffloadMiddlewareOnError = async (request: MiddyLikeRequest): Promise<void> => {
    if (request.response === undefined) return;
    // An error is being handled: store a response another middleware made, but delete nothing (a retry must read it).
    await offloader.after(request, false);
  };

  return { before: s3OffloadMiddlewareBefore, after: s3OffloadMiddlewareAfter, onError: s3OffloadMiddlewareOnError };
}

/**
 * Check options as `s3Offload()` and `withS3Offload()` do at creation, without
 * creating anything.
 *
 * @param options - see {@link S3OffloadOptions}
 * @throws TypeError naming an option of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket
 * @example
 * ```ts
 * import { s3OffloadValidateOptions } from 'lambda-s3-spill/offload';
 * s3OffloadValidateOptions({ bucket: 'my-spill-bucket', maxBytes: 262_144 });
 * ```
 */
export function s3OffloadValidateOptions(options: S3OffloadOptions): void {
  resolveOffloadOptions(options);
}
