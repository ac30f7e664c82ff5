/**
 * The HTTP result shapes (payload format 1.0, 2.0, ALB), and the facts about a
 * result that decide what may be done with it.
 *
 * @module http/result
 */
import type { FrontDoor, HttpRequestInfo } from './events.js';

/** A header value as the services accept it. */
export type HeaderValue = string | number | boolean;

/**
 * The union of the HTTP result shapes: API Gateway REST and HTTP API payload
 * 1.0 (`multiValueHeaders`), HTTP API payload 2.0 and Function URL (`cookies`),
 * and ALB (`statusDescription`).
 */
export interface HttpResult {
  /** The HTTP status code. */
  statusCode: number;
  /** ALB only: the status line's text, for example `303 See Other`. */
  statusDescription?: string;
  /** Single-value headers. */
  headers?: Record<string, HeaderValue>;
  /** Payload format 1.0 and ALB with multi-value headers: each header's values; wins over `headers` on a REST API. */
  multiValueHeaders?: Record<string, HeaderValue[]>;
  /** Payload format 2.0 and Function URL: the `Set-Cookie` values. */
  cookies?: string[];
  /** The body: text, or base64 when `isBase64Encoded`. */
  body?: string;
  /** Whether `body` is base64 of the bytes to send. */
  isBase64Encoded?: boolean;
}

/** Whether a result is an HTTP response object (it has a numeric `statusCode`). */
export function isHttpResult(result: unknown): result is HttpResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    !Array.isArray(result) &&
    typeof (result as { statusCode?: unknown }).statusCode === 'number'
  );
}

/** Statuses whose body may be spilled behind a 303: 2xx with a full body (not 204, 205, 206). */
export function isSpillableStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300 && statusCode !== 204 && statusCode !== 205 && statusCode !== 206;
}

/**
 * Front doors whose results without `statusCode` are HTTP responses too (a
 * 200 `application/json` body): HTTP API payload 2.0 and Function URLs.
 */
export function acceptsBareResult(frontDoor: FrontDoor): boolean {
  return frontDoor === 'http-v2' || frontDoor === 'function-url';
}

/** Whether a body is a stream (Lambda response streaming): not measured, not spilled. */
export function isStreamBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as { pipe?: unknown; getReader?: unknown };
  return typeof candidate.pipe === 'function' || typeof candidate.getReader === 'function';
}

/**
 * The result as its front door reads it, for the object's headers and for
 * where an answer puts its headers: an HTTP API (payload 2.0) or Function URL
 * reads `headers` and `cookies`, never `multiValueHeaders`, so that map is
 * dropped (its `Content-Type` would otherwise name the object); an ALB without
 * multi-value headers reads `headers`, so a result with only
 * `multiValueHeaders` gets an empty `headers` map (the `multiValueHeaders`
 * are kept too). REST APIs and HTTP API payload 1.0 read both maps.
 * Source: shared FACTS.md "The five response shapes".
 */
export function asReadBy(result: HttpResult, info: HttpRequestInfo): HttpResult {
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
