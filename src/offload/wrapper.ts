/**
 * `withS3Offload()`: the function-wrapper door of the offload core.
 *
 * @module offload/wrapper
 */
import type { Context } from 'aws-lambda';
import type { MiddyLikeRequest } from '../types/middy.js';
import type { LambdaHandler } from '../lambda/handler.js';
import { createOffloader } from './offloader.js';
import type { S3OffloadOptions } from './options.js';
import type { OffloadReference } from './reference.js';

/**
 * Wrap an async Lambda handler with the {@link s3Offload} behaviour, without
 * Middy: references in the event are resolved before the handler runs, and
 * an oversized result is replaced by a reference. Errors (typed, see
 * `s3Offload`) are thrown, so the invocation fails with the error's `name` as
 * its `errorType`, which a Step Functions `Retry` / `Catch` can match. HTTP
 * events pass through.
 *
 * @param handler - the handler to wrap
 * @param options - see {@link S3OffloadOptions}; all optional
 * @returns the wrapped handler
 * @throws TypeError at creation: `handler` is not a function, or an option has a wrong type or range
 * @throws SpillConfigurationError at creation, when there is no bucket
 * @example
 * ```ts
 * import { STEP_FUNCTIONS_STATE_MAX_BYTES, withS3Offload } from 'lambda-s3-spill/offload';
 *
 * export const handler = withS3Offload(async () => ({ rows: new Array(50_000).fill('row') }), {
 *   bucket: 'my-spill-bucket',
 *   maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES,
 * });
 * ```
 */
export function withS3Offload<TEvent = unknown, TResult = unknown>(
  handler: LambdaHandler<TEvent, TResult>,
  options: S3OffloadOptions = {},
): LambdaHandler<TEvent, TResult | OffloadReference> {
  if (typeof handler !== 'function') throw new TypeError('withS3Offload needs a handler function');
  const offloader = createOffloader(options, process.env, 'withS3Offload');
  return async function withS3OffloadHandler(event: TEvent, context: Context): Promise<TResult | OffloadReference> {
    const request: MiddyLikeRequest = { event, context, response: undefined, error: undefined, internal: {} };
    await offloader.before(request);
    request.response = await handler(request.event as TEvent, context);
    await offloader.after(request);
    return request.response as TResult | OffloadReference;
  };
}
