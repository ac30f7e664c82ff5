/**
 * The decision, and nothing else: from a result and what the request says, one
 * plan. No S3, no clock, no I/O, no user callback (the per-request switches
 * come in decided). The executor carries the plan out.
 *
 * @module core/plan
 */
import { type CompressionSettings, chooseCoding } from '../compression/choose-coding.js';
import type { ContentCoding } from '../compression/encodings.js';
import { ResponseTooLargeError, invalidResponse } from './errors.js';
import { type S3SpillError } from '../errors/base.js';
import { DEFAULT_CONTENT_TYPE, seeOther } from '../http/answers.js';
import { bodyProblem, type ContentHeaders, contentHeadersOf, headersProblem } from '../http/body.js';
import type { HttpRequestInfo } from '../http/events.js';
import { acceptsBareResult, asReadBy, type HttpResult, isHttpResult, isSpillableStatus, isStreamBody } from '../http/result.js';
import { payloadBytes, type PayloadMeasure } from '../sizing/payload-bytes.js';

/** What the request says, read from the event. */
export interface PlanRequest extends HttpRequestInfo {
  /** The request's `Accept-Encoding`. */
  readonly acceptEncoding: string | undefined;
  /** Whether the request's `Accept` asks for reference mode. */
  readonly wantsReference: boolean;
}

/** The switches for this response, decided: the `X-S3-Spill` header's word, else the option. */
export interface PlanSwitches {
  /** Spill even a response that fits (`alwaysSpill`, or the `always` token). */
  readonly always: boolean;
  /** The body may go to S3 (`no-spill` / `off` say no). */
  readonly spill: boolean;
  /** The body may be compressed (`compress`, `no-compress`). */
  readonly compress: boolean;
  /** Identical bodies share one object (`reuse`), when the lifetimes allow it. */
  readonly reuse: boolean;
}

/** The middleware's settings the plan reads. */
export interface PlanSettings extends CompressionSettings {
  /** Honour reference mode. */
  readonly reference: boolean;
  /** The function streams its response: never answer inline compressed. */
  readonly streaming: boolean;
  /** Return compressed bodies inline to REST APIs (`compressInlineOnRestApi`). */
  readonly compressInlineOnRestApi: boolean;
}

/** Everything the plan is made from. */
export interface PlanInput {
  /** The result, without its `X-S3-Spill` header. */
  readonly result: unknown;
  readonly request: PlanRequest;
  readonly switches: PlanSwitches;
  readonly settings: PlanSettings;
  /** The threshold: the smaller of `maxBytes` and the front door's limit. */
  readonly maxBytes: number;
  /** The front door's own limit, which an answer must fit. */
  readonly platformMaxBytes: number;
  /** How the result measured against `maxBytes`. */
  readonly measure: PayloadMeasure;
}

/** How a spilled body is answered. */
export type Answer = 'see-other' | 'reference';

/** What to do with the body when it goes to S3. */
export interface SpillStep {
  /** `303` with the URL, or `200` with a reference document. */
  readonly answer: Answer;
  /** Store identical bodies once. */
  readonly reuse: boolean;
  /** The response as its front door reads it (`undefined`: a bare 2.0 result). */
  readonly readBy: HttpResult | undefined;
  /** The body's content headers (from `readBy`). */
  readonly headers: ContentHeaders;
}

/** The one thing to do with a result. */
export type Plan =
  /** Return it untouched. */
  | { readonly kind: 'pass'; readonly why: string }
  /** HEAD: return it without its body (HTTP sends none), upload nothing. */
  | { readonly kind: 'drop-body'; readonly readBy: HttpResult | undefined }
  /** Refuse it: returning it would fail (or hide a wrong result). */
  | { readonly kind: 'reject'; readonly error: S3SpillError }
  /**
   * Compress it with `coding`; answer inline when the compressed response fits
   * `maxBytes`; otherwise `orElse`: spill (the compressed bytes) or reject.
   */
  | { readonly kind: 'compress'; readonly coding: ContentCoding; readonly orElse: 'spill' | 'reject'; readonly spill: SpillStep }
  /** Spill it, compressing the stored object first when `coding` is set. */
  | { readonly kind: 'spill'; readonly coding: ContentCoding | undefined; readonly spill: SpillStep };

/**
 * Room kept for the `Location` header when checking, before any upload, that the
 * `303` itself fits: a presigned URL with a session token is about 1.5 KB.
 */
export const LOCATION_RESERVE_BYTES = 4096;

/**
 * The plan for one result. The rules, in order:
 * 1. not an HTTP request, or a streamed body: pass;
 * 2. a body that is not a string: reject (`InvalidResponseError`);
 * 3. it fits: pass, unless `always` and spilling is allowed and it is a 2xx
 *    with a body (or a bare 2.0 result) and not HEAD: then spill (compressed
 *    when the client accepts, never inline);
 * 4. it does not fit: a non-HTTP result behind REST or ALB, a status that is not
 *    spilled (non-2xx, 204, 205, 206), or spilling and compressing both off:
 *    reject; HEAD: drop the body; headers that alone overflow: reject;
 *    a coding the client accepts and an inline answer the front door decodes:
 *    compress (then spill, or reject when spilling is off); spilling off: reject;
 *    else spill.
 */
export function planResponse(input: PlanInput): Plan {
  const { result, request, switches, measure } = input;
  if (request.frontDoor === 'unknown') return { kind: 'pass', why: 'not an HTTP request' };
  const http = isHttpResult(result);
  if (http) {
    if (isStreamBody(result.body)) return { kind: 'pass', why: 'a streamed body' };
    const problem = bodyProblem(result.body);
    if (problem !== undefined) return { kind: 'reject', error: invalidResponse(problem) };
  }
  const bare = !http && acceptsBareResult(request.frontDoor);
  if (measure.fits) {
    if (!switches.always) return { kind: 'pass', why: 'it fits' };
    if (!switches.spill) return { kind: 'pass', why: 'it fits and spilling is off' };
    if (!spillableWhenItFits(result, request)) return { kind: 'pass', why: 'it fits and a 303 cannot stand for it' };
    return spillPlan(input, http ? result : undefined, false);
  }
  if (!http && !bare) return reject('The result is not an HTTP response', measure.bytes, input.maxBytes);
  if (request.method === 'HEAD') return { kind: 'drop-body', readBy: http ? asReadBy(result, request) : undefined };
  if (http && !isSpillableStatus(result.statusCode)) {
    return reject(`A ${result.statusCode} response is not spilled`, measure.bytes, input.maxBytes);
  }
  if (!switches.spill && !switches.compress) {
    return reject('Spilling and compression are off for this response', measure.bytes, input.maxBytes);
  }
  return spillPlan(input, http ? result : undefined, true);
}

/**
 * Whether `alwaysSpill` could spill this result although it fits: a 2xx (not
 * 204, 205, 206) with a body, or a bare HTTP API 2.0 / Function URL result;
 * never the answer to a HEAD. The door asks before it calls an `alwaysSpill`
 * function: for anything else the answer cannot matter.
 */
export function spillableWhenItFits(result: unknown, request: HttpRequestInfo): boolean {
  if (request.method === 'HEAD') return false;
  if (isHttpResult(result)) return isSpillableStatus(result.statusCode) && Boolean(result.body);
  return acceptsBareResult(request.frontDoor);
}

/** The plan of a result that changes: checked headers, then compress or spill. */
function spillPlan(input: PlanInput, result: HttpResult | undefined, over: boolean): Plan {
  const { request, switches, settings } = input;
  const readBy = result === undefined ? undefined : asReadBy(result, request);
  if (readBy !== undefined) {
    const problem = headersProblem(readBy);
    if (problem !== undefined) return { kind: 'reject', error: invalidResponse(problem) };
  }
  const headersOnly = payloadBytes(seeOther(readBy, request, 'x'.repeat(LOCATION_RESERVE_BYTES)));
  if (headersOnly > input.platformMaxBytes) {
    return reject('The headers and cookies alone are over the limit', headersOnly, input.platformMaxBytes);
  }
  const headers = contentHeadersOf(readBy, request.frontDoor === 'alb' ? undefined : DEFAULT_CONTENT_TYPE);
  const coding = switches.compress ? chooseCoding(headers, request.acceptEncoding, settings).coding : undefined;
  const spill: SpillStep = {
    answer: settings.reference && request.wantsReference ? 'reference' : 'see-other',
    reuse: switches.reuse,
    readBy,
    headers,
  };
  if (over && coding !== undefined && inlineDecoded(request, settings)) {
    return { kind: 'compress', coding, orElse: switches.spill ? 'spill' : 'reject', spill };
  }
  if (!switches.spill) return reject('Spilling is off for this response', input.measure.bytes, input.maxBytes);
  return { kind: 'spill', coding, spill };
}

/**
 * Whether a compressed body answered inline reaches the client decoded: never
 * when streaming (a streamed body is its bytes; `isBase64Encoded` is ignored);
 * behind a REST API only with `compressInlineOnRestApi` (it decodes base64
 * only for its `binaryMediaTypes`); HTTP APIs, Function URLs and ALBs always.
 */
export function inlineDecoded(request: HttpRequestInfo, settings: PlanSettings): boolean {
  if (settings.streaming) return false;
  return request.frontDoor !== 'rest-v1' || settings.compressInlineOnRestApi;
}

function reject(reason: string, bytes: number, maxBytes: number): Plan {
  return {
    kind: 'reject',
    error: new ResponseTooLargeError(`${reason}: ${bytes} bytes is over the ${maxBytes}-byte limit`, { bytes, maxBytes }),
  };
}
