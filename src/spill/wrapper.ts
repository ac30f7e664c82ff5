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
import { lambdaRuntime, writeResult } from '../http/response-stream.js';
import type { HttpResult } from '../http/result.js';
import type { S3SpillOptions } from './options.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import type { Writable } from 'node:stream';

export type { LambdaHandler };

/** A streaming Lambda handler, as `awslambda.streamifyResponse` takes and returns it. */
export type StreamingLambdaHandler<TEvent = unknown> = (event: TEvent, responseStream: Writable, context: Context) => Promise<void>;

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
 * With `streaming: true`, the handler returns its result as Middy's streaming
 * mode takes it (a body that may be a string, bytes or a stream), and
 * `withS3Spill` returns a handler made with `awslambda.streamifyResponse`
 * that writes the prelude and pipes the body through
 * `awslambda.HttpResponseStream.from`, as Middy does; with `streamSpillBytes`,
 * a body longer than that is spilled and answered `303`. A handler that writes
 * to `responseStream` itself is not supported.
 *
 * @param handler - the handler to wrap
 * @param options - see {@link S3SpillOptions}; all optional
 * @returns the wrapped handler; with `streaming: true`, a streaming handler `(event, responseStream, context)`
 * @throws TypeError at creation: `handler` is not a function, or is already a streaming
 *   handler (marked by `awslambda.streamifyResponse`), or an option has a wrong type or range,
 *   or `streaming: true` outside the Lambda Node.js runtime (no `awslambda` global)
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
  options: S3SpillOptions & { readonly streaming: true },
): StreamingLambdaHandler<TEvent>;
export function withS3Spill<TEvent = unknown, TResult = unknown>(
  handler: LambdaHandler<TEvent, TResult>,
  options?: S3SpillOptions,
): LambdaHandler<TEvent, TResult | HttpResult>;
export function withS3Spill<TEvent = unknown, TResult = unknown>(
  handler: LambdaHandler<TEvent, TResult>,
  options: S3SpillOptions = {},
): LambdaHandler<TEvent, TResult | HttpResult> | StreamingLambdaHandler<TEvent> {
  if (typeof handler !== 'function') throw new TypeError('withS3Spill needs a handler function');
  if ((handler as unknown as Record<symbol, unknown>)[STREAMING_MARK] !== undefined) {
    throw new TypeError(
      'withS3Spill takes a handler that returns its result; with { streaming: true } it makes the streaming handler itself',
    );
  }
  const spiller = createSpiller(options);
  async function spilled(event: TEvent, context: Context): Promise<TResult | HttpResult> {
    const request: MiddyLikeRequest = { event, context, response: await handler(event, context), error: undefined, internal: {} };
    try {
      await spiller.process(request);
    } catch (error) {
      if (!(error instanceof S3SpillError)) throw error;
      spiller.logger.error('s3Spill could not send the response', error);
      return errorResponse(error, describeRequest(event));
    }
    return request.response as TResult | HttpResult;
  }
  if (!spiller.opts.streaming) {
    return async function withS3SpillHandler(event: TEvent, context: Context): Promise<TResult | HttpResult> {
      return spilled(event, context);
    };
  }
  const runtime = lambdaRuntime();
  if (runtime === undefined) {
    throw new TypeError('withS3Spill with { streaming: true } needs the Lambda Node.js runtime (its awslambda global)');
  }
  return runtime.streamifyResponse(async function withS3SpillStreamingHandler(
    event: TEvent,
    responseStream: Writable,
    context: Context,
  ): Promise<void> {
    await writeResult(runtime, responseStream, await spilled(event, context));
  });
}
