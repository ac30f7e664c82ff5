/**
 * `s3Spill()`: the Middy middleware door of the core.
 *
 * @module spill/middleware
 */
import { createSpiller } from './spiller.js';
import { resolveOptions, type S3SpillOptions } from './options.js';
import type { MiddlewareLikeObj, MiddyLikeRequest } from '../types/middy.js';

/**
 * A Middy middleware that keeps oversized HTTP responses from failing.
 *
 * In `after` (and in `onError`, for a response an error handler set), it measures
 * the result exactly as the Lambda runtime serializes it. A result that fits
 * passes untouched, most often without being serialized at all. A 2xx result
 * over the limit (6,291,556 bytes; 1,000,000 behind an ALB; see
 * `LAMBDA_RESPONSE_MAX_BYTES`, `ALB_RESPONSE_MAX_BYTES` for the sources) is
 * compressed for a client that accepts it (`compress`) and answered inline when
 * that fits; otherwise its body is uploaded to S3 with its content headers, and
 * the response becomes a `303 See Other` whose `Location` is a presigned GET URL,
 * with `Cache-Control: no-store`, an empty body, and every other header and
 * cookie kept. A client that asks for reference mode gets `200` with a JSON
 * reference instead (`reference`). The `X-S3-Spill` response header, when
 * present, steers one response and is removed.
 *
 * Pass-through, untouched: non-HTTP events (SDK invoke, SQS, Lambda
 * authorizers, ...), streamed bodies, results that fit (unless `alwaysSpill`).
 * An oversized HEAD response loses its body (HTTP sends none) and nothing is uploaded.
 *
 * Register it first, so its `after` runs last, after serializers and encoders.
 * Without Middy, {@link withS3Spill} does the same.
 *
 * @param options - see {@link S3SpillOptions}; all optional
 * @returns the middleware object (`after`, `onError`)
 * @throws TypeError at creation, naming an option of the wrong type or range
 * @throws SpillConfigurationError at creation, when there is no bucket
 * @throws InvalidResponseError (500) per request: a body that is not a string; when
 *   changing the response, invalid base64 or a header value that is not a string, number or boolean
 * @throws ResponseTooLargeError (500) per request: oversized and not spillable
 * @throws SpillConfigurationError (500) per request: a user callback threw or gave a wrong value,
 *   or a key or URL is not valid (the client is told nothing more; the detail is the `cause`)
 * @throws SpillUploadError (502) per request: S3 failed; `cause` is the SDK error, scrubbed of credentials
 * @throws SpillTimeoutError (503) per request: the upload could not finish before the deadline
 *   (`timeoutEarlyInMillis` before the function's deadline or the gateway's integration timeout)
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { s3Spill } from 'lambda-s3-spill';
 *
 * export const handler = middy(async () => ({ statusCode: 200, body: 'x'.repeat(7_000_000) }))
 *   .use(s3Spill({ bucket: 'my-spill-bucket', expiresIn: 300 }));
 * ```
 */
export function s3Spill(options: S3SpillOptions = {}): MiddlewareLikeObj {
  const spiller = createSpiller(options);

  // Synchronous when the result fits (the common case): Middy skips the await.
  const s3SpillMiddlewareAfter = (request: MiddyLikeRequest): Promise<void> | undefined => spiller.process(request);

  const s3SpillMiddlewareOnError = async (request: MiddyLikeRequest): Promise<void> => {
    if (request.response === undefined) return;
    await s3SpillMiddlewareAfter(request);
  };

  return { after: s3SpillMiddlewareAfter, onError: s3SpillMiddlewareOnError };
}

/**
 * Check options as `s3Spill()` and `withS3Spill()` do at creation, without
 * creating anything (Middy's `<name>ValidateOptions` convention).
 *
 * @param options - see {@link S3SpillOptions}
 * @throws TypeError naming an option of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket (neither the option nor `S3_SPILL_BUCKET`)
 * @example
 * ```ts
 * import { s3SpillValidateOptions } from 'lambda-s3-spill';
 * s3SpillValidateOptions({ bucket: 'my-spill-bucket', expiresIn: 300 });
 * ```
 */
export function s3SpillValidateOptions(options: S3SpillOptions): void {
  resolveOptions(options);
}
