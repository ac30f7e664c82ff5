/**
 * `s3Spill()`: the Middy middleware that joins sizing, upload and redirect.
 *
 * @module middleware
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { ResponseTooLargeError, S3SpillError, SpillTimeoutError, SpillUploadError } from './errors.js';
import { describeRequest, type HttpRequestInfo, maxBytesFor } from './front-door.js';
import { acceptsBareResult, type HttpResult, isHttpResult, isSpillableStatus, seeOther } from './http-result.js';
import { PRESIGNED_URL_SAFE_EXPIRES_IN } from './limits.js';
import { checkKey, defaultKey } from './object-key.js';
import { type ResolvedOptions, resolveOptions, type S3SpillOptions, type SpillLogger } from './options.js';
import { measurePayload, type PayloadMeasure, payloadBytes } from './payload-bytes.js';
import { defaultS3Client, presignGet, storeObject } from './s3-object.js';
import {
  checkBody,
  DEFAULT_CONTENT_TYPE,
  isStreamBody,
  type SpillBody,
  spillBodyOf,
  spillBodyOfBareResult,
} from './spill-body.js';
import type { MiddlewareLikeObj, MiddyLikeRequest } from './types/middy.js';

/**
 * Room kept for the `Location` header when checking, before any upload, that the
 * `303` itself fits: a presigned URL with a session token is about 1.5 KB.
 */
const LOCATION_RESERVE_BYTES = 4096;

/**
 * A Middy middleware that keeps oversized HTTP responses from failing.
 *
 * In `after` (and in `onError`, for a response an error handler set), it measures
 * the result exactly as the Lambda runtime serializes it. A result that fits
 * passes untouched, most often without being serialized at all. A 2xx result
 * over the limit (6,291,556 bytes; 1,048,576 behind an ALB) has its body
 * uploaded to S3 with its content headers, and is replaced by a
 * `303 See Other` whose `Location` is a presigned GET URL, with
 * `Cache-Control: no-store`, an empty body, and every other header and cookie kept.
 *
 * Pass-through, untouched: non-HTTP events (SDK invoke, SQS, ...), streamed
 * bodies (Lambda response streaming), results that fit. An oversized HEAD
 * response loses its body (HTTP sends none) and nothing is uploaded.
 *
 * Register it first, so its `after` runs last, after serializers and encoders.
 *
 * @param options - see {@link S3SpillOptions}; all optional
 * @returns the middleware object (`after`, `onError`)
 * @throws TypeError at creation, naming an option of the wrong type or range
 * @throws SpillConfigurationError at creation, when there is no bucket
 * @throws InvalidResponseError (500) per request: a body that is not a string, invalid base64
 * @throws ResponseTooLargeError (500) per request: oversized and not spillable
 * @throws SpillUploadError (502) per request: S3 failed; `cause` is the SDK error
 * @throws SpillTimeoutError (503) per request: the upload could not finish before the deadline
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
  const opts = resolveOptions(options);
  const logger: SpillLogger = opts.logger ?? new Logger({ serviceName: 'lambda-s3-spill' });
  if (opts.expiresIn > PRESIGNED_URL_SAFE_EXPIRES_IN) {
    logger.warn(
      `s3Spill expiresIn is ${opts.expiresIn} s: a URL signed with the role's temporary credentials may expire earlier`,
    );
  }

  const s3SpillMiddlewareAfter = async (request: MiddyLikeRequest): Promise<void> => {
    const info = describeRequest(request.event);
    if (info.frontDoor === 'unknown') return;
    const result: unknown = request.response;
    const http = isHttpResult(result);
    if (http) {
      if (isStreamBody(result.body)) return;
      checkBody(result.body);
    }
    const maxBytes = opts.maxBytes ?? maxBytesFor(info.frontDoor);
    const measure = measurePayload(result, maxBytes);
    if (measure.fits) return;

    if (!http && !acceptsBareResult(info.frontDoor)) {
      throw tooLarge('The result is not an HTTP response', measure.bytes, maxBytes);
    }
    if (info.method === 'HEAD') {
      request.response = headResponse(http ? result : undefined);
      logger.debug('s3Spill dropped the body of an oversized HEAD response', { bytesBefore: measure.bytes });
      return;
    }
    if (http && !isSpillableStatus(result.statusCode)) {
      throw tooLarge(`A ${result.statusCode} response is not spilled`, measure.bytes, maxBytes);
    }
    request.response = await spill(request, http ? result : undefined, info, measure);
  };

  const s3SpillMiddlewareOnError = async (request: MiddyLikeRequest): Promise<void> => {
    if (request.response === undefined) return;
    await s3SpillMiddlewareAfter(request);
  };

  async function spill(
    request: MiddyLikeRequest,
    result: HttpResult | undefined,
    info: HttpRequestInfo,
    before: PayloadMeasure,
  ): Promise<HttpResult> {
    const started = performance.now();
    // The 303 must fit what the platform accepts (not `maxBytes`, which only decides when to spill).
    const platformMaxBytes = maxBytesFor(info.frontDoor);
    const headersOnly = payloadBytes(seeOther(result, info, 'x'.repeat(LOCATION_RESERVE_BYTES)));
    if (headersOnly > platformMaxBytes) {
      throw tooLarge('The headers and cookies alone are over the limit', headersOnly, platformMaxBytes);
    }
    const body: SpillBody =
      result === undefined ? spillBodyOfBareResult(request.response) : spillBodyOf(result, contentTypeDefault(info));
    const key = objectKey(request);
    const client = opts.s3Client ?? defaultS3Client();
    const abortSignal = deadlineSignal(request.context, opts.timeoutEarlyInMillis);
    try {
      await storeObject({
        client,
        bucket: opts.bucket,
        key,
        body,
        params: opts.putObjectParams,
        multipartThreshold: opts.multipartThreshold,
        partSize: opts.partSize,
        queueSize: opts.queueSize,
        abortSignal,
      });
    } catch (error) {
      if (abortSignal?.aborted === true) {
        throw new SpillTimeoutError('The response could not be stored before the function deadline', {
          cause: error,
        });
      }
      throw new SpillUploadError('The response was too large to return and could not be stored', { cause: error });
    }
    let url: string;
    try {
      url = await presignGet(client, opts.bucket, key, opts.expiresIn);
    } catch (error) {
      throw new SpillUploadError('The response was stored but its URL could not be signed', { cause: error });
    }
    const response = seeOther(result, info, url);
    const bytesAfter = payloadBytes(response);
    if (bytesAfter > platformMaxBytes) {
      throw tooLarge('The headers and cookies alone are over the limit', bytesAfter, platformMaxBytes);
    }
    logger.info('s3Spill stored an oversized response in S3', {
      spill: {
        frontDoor: info.frontDoor,
        bucket: opts.bucket,
        key,
        // The exact size when it was computed; else the lower bound that proved the overflow.
        [before.exact ? 'bytesBefore' : 'bytesBeforeAtLeast']: before.bytes,
        bytesAfter,
        objectBytes: body.bytes.length,
        durationMs: Math.round(performance.now() - started),
      },
    });
    return response;
  }

  function objectKey(request: MiddyLikeRequest): string {
    if (opts.key === undefined) return opts.keyPrefix + defaultKey();
    const key = opts.keyPrefix + opts.key(request);
    checkKey(key);
    return key;
  }

  return { after: s3SpillMiddlewareAfter, onError: s3SpillMiddlewareOnError };
}

/** The resolved options, for tests and tools. */
export type { ResolvedOptions };

function tooLarge(reason: string, bytes: number, maxBytes: number): S3SpillError {
  return new ResponseTooLargeError(`${reason}: ${bytes} bytes is over the ${maxBytes}-byte limit`, {
    bytes,
    maxBytes,
  });
}

function contentTypeDefault(info: HttpRequestInfo): string | undefined {
  return info.frontDoor === 'alb' ? undefined : DEFAULT_CONTENT_TYPE;
}

/** An oversized HEAD response without its body: HTTP never sends one. */
function headResponse(result: HttpResult | undefined): HttpResult {
  if (result === undefined) return { statusCode: 200, headers: { 'Content-Type': DEFAULT_CONTENT_TYPE }, body: '' };
  return { ...result, body: '', isBase64Encoded: false };
}

/** Aborts `timeoutEarlyInMillis` before the Lambda deadline; none outside Lambda. */
function deadlineSignal(context: Context | undefined, timeoutEarlyInMillis: number): AbortSignal | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return undefined;
  return AbortSignal.timeout(Math.max(0, remaining - timeoutEarlyInMillis));
}
