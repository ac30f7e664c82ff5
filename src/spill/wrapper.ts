/**
 * `withS3Spill()`: the function-wrapper door of the core, for handlers without Middy.
 *
 * @module spill/wrapper
 */
import type { Context } from 'aws-lambda';
import type { LambdaHandler } from '../lambda/handler.js';
import { createSpiller } from './spiller.js';
import { S3SpillError } from '../errors/base.js';
import { errorResponse } from '../http/answers.js';
import { describeRequest } from '../http/events.js';
import type { HttpResult } from '../http/result.js';
import type { S3SpillOptions } from './options.js';
import type { MiddyLikeRequest } from '../types/middy.js';

export type { LambdaHandler };

/** The mark `awslambda.streamifyResponse` puts on a streaming handler (aws-lambda-nodejs-runtime-interface-client). */
const STREAMING_MARK = Symbol.for('aws.lambda.runtime.handler.streaming');

/**
 * Wrap an async Lambda handler so its oversized HTTP responses do not fail:
 * the same options, decisions and answers as the {@link s3Spill} middleware,
 * for handlers without Middy (plain functions, Powertools class handlers).
 *
 * An `S3SpillError` (a spill that failed, a response that cannot be sent)
 * becomes the HTTP response `@middy/http-error-handler` would make of it: its
 * `statusCode`, its headers (`Cache-Control: no-store`, `Retry-After`), its
 * client-safe JSON message as the body; it is logged once, with its cause,
 * through the logger. Any other error thrown by the handler propagates
 * unchanged. Non-HTTP events pass through.
 *
 * @param handler - the handler to wrap
 * @param options - see {@link S3SpillOptions}; all optional
 * @returns the wrapped handler
 * @throws TypeError at creation: `handler` is not a function, or is a streaming
 *   handler (use `s3Spill({ streaming: true })` with Middy), or an option has a wrong type or range
 * @throws SpillConfigurationError at creation, when there is no bucket
 * @example
 * ```ts
 * import { withS3Spill } from 'lambda-s3-spill';
 *
 * export const handler = withS3Spill(async () => ({ statusCode: 200, body: 'x'.repeat(7_000_000) }), {
 *   bucket: 'my-spill-bucket',
 * });
 * ```
 */
export function withS3Spill<TEvent = unknown, TResult = unknown>(
  handler: LambdaHandler<TEvent, TResult>,
  options: S3SpillOptions = {},
): LambdaHandler<TEvent, TResult | HttpResult> {
  if (typeof handler !== 'function') throw new TypeError('withS3Spill needs a handler function');
  if ((handler as unknown as Record<symbol, unknown>)[STREAMING_MARK] !== undefined) {
    throw new TypeError(
      'withS3Spill wraps buffered handlers; for a streaming handler use middy with s3Spill({ streaming: true })',
    );
  }
  const spiller = createSpiller(options);
  return async function withS3SpillHandler(event: TEvent, context: Context): Promise<TResult | HttpResult> {
    const request: MiddyLikeRequest = { event, context, response: await handler(event, context), error: undefined, internal: {} };
    try {
      await spiller.process(request);
    } catch (error) {
      if (!(error instanceof S3SpillError)) throw error;
      spiller.logger.error('s3Spill could not send the response', error);
      return errorResponse(error, describeRequest(event));
    }
    return request.response as TResult | HttpResult;
  };
}
