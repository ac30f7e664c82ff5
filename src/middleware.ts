/**
 * `s3Spill()`: the Middy middleware that joins sizing, upload and redirect.
 *
 * @module middleware
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import {
  redactedCause,
  ResponseTooLargeError,
  S3SpillError,
  SpillConfigurationError,
  SpillTimeoutError,
  SpillUploadError,
} from './errors.js';
import { describeRequest, type HttpRequestInfo, maxBytesFor } from './front-door.js';
import { acceptsBareResult, type HttpResult, isHttpResult, isSpillableStatus, seeOther } from './http-result.js';
import { PRESIGNED_URL_SAFE_EXPIRES_IN } from './limits.js';
import { checkKey, defaultKey } from './object-key.js';
import { type ResolvedOptions, resolveOptions, type S3SpillOptions, type SpillLogger } from './options.js';
import { measurePayload, type PayloadMeasure, payloadBytes } from './payload-bytes.js';
import { defaultS3Client, presignGet, storeObject } from './s3-object.js';
import {
  checkBody,
  checkHeaders,
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
 * @throws InvalidResponseError (500) per request: a body that is not a string; when
 *   spilling, invalid base64 or a header value that is not a string, number or boolean
 * @throws ResponseTooLargeError (500) per request: oversized and not spillable
 * @throws SpillConfigurationError (500) per request: the `key` function threw, or its key is not valid
 * @throws SpillUploadError (502) per request: S3 failed; `cause` is the SDK error, scrubbed of
 *   credentials S3 echoes (see `redactedCause`)
 * @throws SpillTimeoutError (503) per request: the upload could not finish before the deadline
 *   (`timeoutEarlyInMillis` before `context.getRemainingTimeInMillis()` runs out)
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
    request.response = await spill(request, http ? asReadBy(result, info) : undefined, info, measure);
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
    if (result !== undefined) checkHeaders(result);
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
    const deadline = deadlineSignal(request.context, opts.timeoutEarlyInMillis);
    let url: string;
    try {
      try {
        const stored = storeObject({
          client,
          bucket: opts.bucket,
          key,
          body,
          params: opts.putObjectParams,
          multipartThreshold: opts.multipartThreshold,
          partSize: opts.partSize,
          queueSize: opts.queueSize,
          abortSignal: deadline?.signal,
        });
        await beforeDeadline(stored, deadline?.signal);
      } catch (error) {
        throw storeFailure(error, deadline?.signal, 'The response was too large to return and could not be stored');
      }
      try {
        url = await beforeDeadline(presignGet(client, opts.bucket, key, opts.expiresIn), deadline?.signal);
      } catch (error) {
        throw storeFailure(error, deadline?.signal, 'The response was stored but its URL could not be signed');
      }
    } finally {
      deadline?.clear();
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
    let suffix: unknown;
    try {
      suffix = opts.key(request);
    } catch (error) {
      throw new SpillConfigurationError('The key function threw', { cause: error });
    }
    if (typeof suffix !== 'string') throw new SpillConfigurationError('The key function must return a string');
    const key = opts.keyPrefix + suffix;
    try {
      checkKey(key);
    } catch (error) {
      throw new SpillConfigurationError(`The key function gave an invalid key: ${(error as Error).message}`);
    }
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

/**
 * The result as its front door reads it, for the object's headers and for
 * where the `303` puts its `Location`: an HTTP API (payload 2.0) or Function URL
 * reads `headers` and `cookies`, never `multiValueHeaders`, so that map is
 * dropped (its `Content-Type` would otherwise name the object); an ALB without
 * multi-value headers reads `headers`, so a result with only
 * `multiValueHeaders` gets an empty `headers` map for the `Location` to go in
 * (the `multiValueHeaders` are kept too). REST APIs read both maps.
 * Source: shared FACTS.md "The five response shapes".
 */
function asReadBy(result: HttpResult, info: HttpRequestInfo): HttpResult {
  if (info.frontDoor === 'http-v2' || info.frontDoor === 'function-url') {
    if (result.multiValueHeaders === undefined) return result;
    const { multiValueHeaders: _ignoredByV2, ...rest } = result;
    return rest;
  }
  if (info.frontDoor === 'alb' && !info.multiValueHeaders && result.headers === undefined) {
    return { ...result, headers: {} };
  }
  return result;
}

/** A signal that fires before the Lambda deadline, and the timer behind it. */
interface Deadline {
  readonly signal: AbortSignal;
  /** Clear the timer (after the spill, so no timer outlives the invocation). */
  clear(): void;
}

/**
 * Aborts `timeoutEarlyInMillis` before the Lambda deadline, read from
 * `context.getRemainingTimeInMillis()`; at once when that time has already
 * passed; none outside Lambda (no context). A timeout would give the client a
 * bare 502 and nothing in the logs; this leaves time to answer.
 */
function deadlineSignal(context: Context | undefined, timeoutEarlyInMillis: number): Deadline | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return undefined;
  const controller = new AbortController();
  const reason = new DOMException('The Lambda deadline is near', 'TimeoutError');
  const delay = remaining - timeoutEarlyInMillis;
  if (delay <= 0) {
    controller.abort(reason);
    return { signal: controller.signal, clear: () => undefined };
  }
  const timer = setTimeout(() => controller.abort(reason), delay);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * Settle with `work`, or reject when `signal` fires, whichever comes first, so
 * the answer never waits past the deadline: the SDK does not watch its signal
 * while it resolves credentials (a credential endpoint that hangs), and
 * presigning takes no signal at all. Work still running is left to fail on its own.
 */
async function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The error for a failed upload or presign: a timeout when the deadline fired, else an S3 failure. */
function storeFailure(error: unknown, signal: AbortSignal | undefined, message: string): S3SpillError {
  const cause = redactedCause(error);
  if (signal?.aborted === true) {
    return new SpillTimeoutError('The response could not be stored before the function deadline', { cause });
  }
  return new SpillUploadError(message, { cause });
}
