/**
 * `s3Spill()`: the Middy middleware that joins sizing, upload and redirect.
 *
 * @module middleware
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  redactedCause,
  ResponseTooLargeError,
  S3SpillError,
  SpillConfigurationError,
  SpillTimeoutError,
  SpillUploadError,
} from './errors.js';
import {
  codingFor,
  type Compressed,
  type CompressionSettings,
  compressionBudget,
  compressResponse,
} from './compress-response.js';
import { checkReuseLifetime, contentKey, storeOnce } from './content-address.js';
import { beforeDeadline, deadlineSignal } from './deadline.js';
import { describeRequest, type HttpRequestInfo, maxBytesFor, maxBytesForEvent } from './front-door.js';
import {
  acceptsBareResult,
  type HttpResult,
  isHttpResult,
  isSpillableStatus,
  referenceResponse,
  seeOther,
} from './http-result.js';
import { PRESIGNED_URL_SAFE_EXPIRES_IN } from './limits.js';
import { objectParamsFor } from './object-params.js';
import { type ResolvedOptions, resolveOptions, type S3SpillOptions, type SpillLogger } from './options.js';
import { measurePayload, type PayloadMeasure, payloadBytes, payloadBytesUpperBound } from './payload-bytes.js';
import { REFERENCE_MEDIA_TYPE, wantsReference } from './reference.js';
import { defaultS3Client, storeObject } from './s3-object.js';
import { bucketFor, keyPrefixFor, objectKey, referenceDocument, signUrl } from './spill-target.js';
import {
  checkBody,
  checkHeaders,
  DEFAULT_CONTENT_TYPE,
  isStreamBody,
  type SpillBody,
  spillBodyOf,
  spillBodyOfBareResult,
} from './spill-body.js';
import { decide, parseSpillControl, type SpillControl, takeSpillControl } from './spill-control.js';
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
 * Before that, a compressible body is compressed for a client that accepts it
 * (`compress`, on by default): inline when its base64 fits, else spilled
 * compressed. A client that asks for reference mode gets `200` with a JSON
 * reference instead of the `303` (`reference`).
 *
 * Pass-through, untouched: non-HTTP events (SDK invoke, SQS, ...), streamed
 * bodies (Lambda response streaming), results that fit (unless `alwaysSpill`).
 * The `X-S3-Spill` response header, when present, is read and removed. An oversized HEAD
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

  const alwaysSpillConfigured = opts.alwaysSpill !== false;
  const compression: CompressionSettings = {
    encodings: opts.encodings,
    compressibleTypes: opts.compressibleTypes,
    restApiInline: opts.compressInlineOnRestApi,
  };
  // Reuse asked for by a response header is honoured only when URLs cannot outlive reused objects.
  const reuseSafe = reuseLifetimeHolds(opts.expiresIn, opts.lifecycleDays);

  // Synchronous when the result fits (the common case): Middy skips the await.
  const s3SpillMiddlewareAfter = (request: MiddyLikeRequest): Promise<void> | undefined => {
    const platformMaxBytes = maxBytesForEvent(request.event);
    if (platformMaxBytes === undefined) return undefined; // not an HTTP event
    let result: unknown = request.response;
    let control: SpillControl = {};
    if (isHttpResult(result)) {
      const body: unknown = result.body;
      if (body !== undefined && body !== null && typeof body !== 'string') {
        if (isStreamBody(body)) return undefined;
        checkBody(body);
      }
      control = takeControlHeader(request);
      result = request.response;
    }
    const maxBytes = opts.maxBytes ?? platformMaxBytes;
    if (!alwaysSpillConfigured && control.always !== true && payloadBytesUpperBound(result) <= maxBytes) return undefined;
    return s3SpillMiddlewareDecide(request, maxBytes, control);
  };

  /**
   * Read and remove the `X-S3-Spill` response header (it never reaches the
   * client); unknown tokens are logged and ignored. The response object is
   * replaced only when it has the header.
   */
  function takeControlHeader(request: MiddyLikeRequest): SpillControl {
    const taken = takeSpillControl(request.response as HttpResult);
    if (taken.value === undefined) return {};
    request.response = taken.result;
    const { control, unknown } = parseSpillControl(taken.value);
    if (unknown.length > 0) logger.warn('s3Spill ignored unknown X-S3-Spill tokens', { tokens: unknown });
    return control;
  }

  async function s3SpillMiddlewareDecide(request: MiddyLikeRequest, maxBytes: number, control: SpillControl): Promise<void> {
    const info = describeRequest(request.event);
    const result: unknown = request.response;
    const http = isHttpResult(result);
    const measure = measurePayload(result, maxBytes);
    if (measure.fits) {
      // Only `alwaysSpill` spills a result that fits, and only what a 303 can stand for.
      if (!decide(control.always, opts.alwaysSpill, request) || info.method === 'HEAD') return;
      if (http ? !isSpillableStatus(result.statusCode) || !result.body : !acceptsBareResult(info.frontDoor)) return;
    } else {
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
    }
    const spillOn = decide(control.spill, true, request);
    const compressOn = decide(control.compress, opts.compress, request);
    if (!measure.fits && !spillOn && !compressOn) {
      throw tooLarge('Spilling and compression are off for this response', measure.bytes, maxBytes);
    }
    const readBy = http ? asReadBy(result, info) : undefined;
    if (readBy !== undefined) checkHeaders(readBy);
    checkSeeOtherFits(readBy, info);
    const body = readBy === undefined ? spillBodyOfBareResult(request.response) : spillBodyOf(readBy, contentTypeDefault(info));
    const compressed = compressOn ? await compressBody(request, readBy, info, body, measure.fits ? 0 : maxBytes) : undefined;
    if (compressed?.inline !== undefined) {
      request.response = compressed.inline;
      return;
    }
    if (!spillOn) throw tooLarge('Spilling is off for this response', compressed?.inlineBytes ?? measure.bytes, maxBytes);
    const reuse = decide(control.reuse, opts.reuse, request);
    if (reuse && !reuseSafe) {
      logger.warn('s3Spill did not reuse: expiresIn is too long for lifecycleDays (see the reuse option)');
    }
    request.response = await spill(request, readBy, info, measure, compressed?.body ?? body, reuse && reuseSafe);
  }

  /**
   * The body compressed for this client, when it accepts a coding and the body
   * is worth it; with the inline response when its base64 fits `maxBytes`
   * (`0`: never inline, the body is spilled anyway). Compression gets half the
   * time left before the upload must stop; past that, or on any failure, the
   * body is spilled as it is.
   */
  async function compressBody(
    request: MiddyLikeRequest,
    result: HttpResult | undefined,
    info: HttpRequestInfo,
    body: SpillBody,
    maxBytes: number,
  ): Promise<Compressed | undefined> {
    const choice = codingFor(request.event, body, compression);
    if (choice.coding === undefined) {
      logger.debug('s3Spill did not compress', { reason: choice.skipped });
      return undefined;
    }
    const started = performance.now();
    const budget = compressionBudget(request.context?.getRemainingTimeInMillis?.(), opts.timeoutEarlyInMillis);
    let compressed: Compressed | undefined;
    try {
      compressed = await compressResponse(result, info, body, choice.coding, maxBytes, compression, budget);
    } catch (error) {
      logger.warn('s3Spill could not compress (out of time, or failed); the body is spilled uncompressed', {
        coding: choice.coding,
        reason: (error as Error | undefined)?.name,
      });
      return undefined;
    }
    if (compressed === undefined) return undefined;
    const record = {
      frontDoor: info.frontDoor,
      contentEncoding: compressed.coding,
      bytesBefore: body.bytes.length,
      bytesAfter: compressed.body.bytes.length,
      durationMs: Math.round(performance.now() - started),
    };
    if (compressed.inline !== undefined) logger.info('s3Spill compressed an oversized response to fit inline', { compression: record });
    else logger.debug('s3Spill compressed the body to spill', { compression: record });
    return compressed;
  }

  const s3SpillMiddlewareOnError = async (request: MiddyLikeRequest): Promise<void> => {
    if (request.response === undefined) return;
    await s3SpillMiddlewareAfter(request);
  };

  async function spill(
    request: MiddyLikeRequest,
    result: HttpResult | undefined,
    info: HttpRequestInfo,
    before: PayloadMeasure,
    stored: SpillBody,
    reuse: boolean,
  ): Promise<HttpResult> {
    const started = performance.now();
    const platformMaxBytes = maxBytesFor(info.frontDoor);
    const bucket = bucketFor(opts, request);
    const keyPrefix = keyPrefixFor(opts, request);
    const object = objectParamsFor(opts, opts.putObjectParams, request);
    const body: SpillBody =
      object.contentDisposition === undefined ? stored : { ...stored, contentDisposition: object.contentDisposition };
    let key = reuse ? contentKey(keyPrefix, body, object.params, new Date(), opts.expiresIn) : objectKey(opts, request, keyPrefix);
    let uploaded = true;
    const client = opts.s3Client ?? defaultS3Client();
    const deadline = deadlineSignal(request.context, opts.timeoutEarlyInMillis);
    let url: string;
    try {
      try {
        const store = {
          client,
          bucket,
          key,
          body,
          params: object.params,
          multipartThreshold: opts.multipartThreshold,
          partSize: opts.partSize,
          queueSize: opts.queueSize,
          abortSignal: deadline?.signal,
        };
        if (reuse) {
          const once = storeOnce({
            ...store,
            fallbackKey: () => objectKey(opts, request, keyPrefix),
            expiresIn: opts.expiresIn,
            lifecycleDays: opts.lifecycleDays,
          });
          ({ key, uploaded } = await beforeDeadline(once, deadline?.signal));
        } else {
          await beforeDeadline(storeObject(store), deadline?.signal);
        }
      } catch (error) {
        throw storeFailure(error, deadline?.signal, 'The response was too large to return and could not be stored');
      }
      try {
        url = await beforeDeadline(signUrl(opts, request, client, bucket, key), deadline?.signal);
      } catch (error) {
        if (error instanceof SpillConfigurationError) throw error; // a presign hook's answer, not an S3 failure
        throw storeFailure(error, deadline?.signal, 'The response was stored but its URL could not be signed');
      }
    } finally {
      deadline?.clear();
    }
    const response =
      opts.reference && wantsReference(request.event)
        ? referenceResponse(result, info, REFERENCE_MEDIA_TYPE, referenceDocument(opts, url, body))
        : seeOther(result, info, url);
    const bytesAfter = payloadBytes(response);
    if (bytesAfter > platformMaxBytes) {
      throw tooLarge('The headers and cookies alone are over the limit', bytesAfter, platformMaxBytes);
    }
    logger.info('s3Spill stored an oversized response in S3', {
      spill: {
        frontDoor: info.frontDoor,
        bucket,
        key,
        reference: response.statusCode === 200,
        // The exact size when it was computed; else the lower bound that proved the overflow.
        [before.exact ? 'bytesBefore' : 'bytesBeforeAtLeast']: before.bytes,
        bytesAfter,
        objectBytes: body.bytes.length,
        contentEncoding: body.contentEncoding,
        ...(reuse ? { reused: !uploaded } : {}),
        durationMs: Math.round(performance.now() - started),
      },
    });
    return response;
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

/**
 * Check, before anything is compressed or uploaded, that a `303` for this
 * result fits what the platform accepts (not `maxBytes`, which only decides
 * when to spill), with room for the `Location`.
 */
function checkSeeOtherFits(result: HttpResult | undefined, info: HttpRequestInfo): void {
  const platformMaxBytes = maxBytesFor(info.frontDoor);
  const headersOnly = payloadBytes(seeOther(result, info, 'x'.repeat(LOCATION_RESERVE_BYTES)));
  if (headersOnly > platformMaxBytes) {
    throw tooLarge('The headers and cookies alone are over the limit', headersOnly, platformMaxBytes);
  }
}

function reuseLifetimeHolds(expiresIn: number, lifecycleDays: number): boolean {
  try {
    checkReuseLifetime(expiresIn, lifecycleDays);
    return true;
  } catch {
    return false;
  }
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

/** The error for a failed upload or presign: a timeout when the deadline fired, else an S3 failure. */
function storeFailure(error: unknown, signal: AbortSignal | undefined, message: string): S3SpillError {
  const cause = redactedCause(error);
  if (signal?.aborted === true) {
    return new SpillTimeoutError('The response could not be stored before the function deadline', { cause });
  }
  return new SpillUploadError(message, { cause });
}
