/**
 * The HTTP result shapes (payload format v1, v2, ALB) and the header work on
 * them: reading a header in any casing from `headers` or `multiValueHeaders`,
 * and building the `303 See Other` that replaces a spilled response.
 *
 * @module http-result
 */
import type { FrontDoor, HttpRequestInfo } from './front-door.js';

/** A header value as the services accept it. */
export type HeaderValue = string | number | boolean;

/**
 * The union of the HTTP result shapes: API Gateway REST (payload v1:
 * `multiValueHeaders`), HTTP API and Function URL (payload v2: `cookies`) and
 * ALB (`statusDescription`).
 */
export interface HttpResult {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, HeaderValue>;
  multiValueHeaders?: Record<string, HeaderValue[]>;
  cookies?: string[];
  body?: string;
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

/**
 * The value of a header in any casing; `multiValueHeaders` wins over `headers`
 * (API Gateway keeps only `multiValueHeaders` when a header is in both), and
 * several values are joined with `, `.
 *
 * @param result - the response
 * @param name - the header name, lower case
 * @returns the value, or `undefined` when absent
 */
export function readHeader(result: HttpResult, name: string): string | undefined {
  const multi = findKey(result.multiValueHeaders, name);
  if (multi !== undefined) {
    const values = result.multiValueHeaders![multi];
    if (Array.isArray(values) && values.length > 0) return values.map(String).join(', ');
  }
  const single = findKey(result.headers, name);
  if (single !== undefined) {
    const value = result.headers![single];
    if (value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

function findKey(map: object | undefined, name: string): string | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  for (const key of Object.keys(map)) if (key.toLowerCase() === name) return key;
  return undefined;
}

/**
 * Headers that describe the body (they travel with the S3 object, or no longer
 * apply) and the ones the `303` sets itself. Everything else, cookies and CORS
 * headers included, stays on the `303`.
 */
const NOT_ON_SEE_OTHER = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-range',
  'content-type',
  'etag',
  'expires',
  'last-modified',
  'location',
  'transfer-encoding',
]);

/**
 * The response with its headers rewritten in the maps its front door reads:
 * every header named in `drop` or `set` (any casing) removed, then `set` added.
 * `multiValueHeaders` is used when the response has it or the front door needs
 * it (ALB with multi-value headers), `headers` when the response has it or no
 * multi-value map is used. The shared step of the `303`, the reference answer
 * and the inline compressed answer.
 *
 * @param original - the response, or `undefined` for a v2 result without `statusCode`
 * @param request - from `describeRequest`
 * @param drop - lower-case names of headers that no longer apply
 * @param set - headers to set
 */
export function withHeaders(
  original: HttpResult | undefined,
  request: HttpRequestInfo,
  drop: ReadonlySet<string>,
  set: Record<string, string>,
): HttpResult {
  const removed = new Set([...drop, ...Object.keys(set).map((name) => name.toLowerCase())]);
  const response = { ...original } as HttpResult;
  const useMulti = original?.multiValueHeaders !== undefined || request.multiValueHeaders;
  const useSingle = original?.headers !== undefined || !useMulti;
  if (useSingle) {
    response.headers = { ...without(original?.headers, removed), ...set };
  } else {
    delete response.headers;
  }
  if (useMulti) {
    const multi: Record<string, HeaderValue[]> = without(original?.multiValueHeaders, removed);
    for (const [name, value] of Object.entries(set)) multi[name] = [value];
    response.multiValueHeaders = multi;
  }
  return response;
}

function without<T>(map: Record<string, T> | undefined, names: ReadonlySet<string>): Record<string, T> {
  const out: Record<string, T> = {};
  if (typeof map !== 'object' || map === null) return out;
  for (const key of Object.keys(map)) if (!names.has(key.toLowerCase())) out[key] = map[key];
  return out;
}

/**
 * The `303 See Other` that replaces a spilled response, in the payload format of
 * the original: `Location` is the presigned URL, `Cache-Control: no-store` (a
 * cached redirect outlives its URL), empty body; other headers, `cookies` and
 * `multiValueHeaders` kept; ALB's `statusDescription` set to `303 See Other`.
 * Source of the redirect semantics: RFC 9110 §15.4.4 (the client follows with GET).
 *
 * @param original - the response being spilled, or `undefined` for a v2 result without `statusCode`
 * @param request - from `describeRequest`
 * @param location - the URL the client follows
 * @returns the new response
 */
export function seeOther(original: HttpResult | undefined, request: HttpRequestInfo, location: string): HttpResult {
  return replacement(original, request, 303, { Location: location }, '');
}

/**
 * The `200` that replaces a spilled response in reference mode: a small JSON
 * document naming the object, `Cache-Control: no-store`, other headers and
 * cookies kept as for {@link seeOther}.
 *
 * @param original - the response being spilled, or `undefined` for a v2 result without `statusCode`
 * @param request - from `describeRequest`
 * @param contentType - the media type of the document
 * @param document - the JSON text
 */
export function referenceResponse(
  original: HttpResult | undefined,
  request: HttpRequestInfo,
  contentType: string,
  document: string,
): HttpResult {
  return replacement(original, request, 200, { 'Content-Type': contentType }, document);
}

const STATUS_TEXT: Record<number, string> = { 200: '200 OK', 303: '303 See Other' };

function replacement(
  original: HttpResult | undefined,
  request: HttpRequestInfo,
  statusCode: number,
  headers: Record<string, string>,
  body: string,
): HttpResult {
  const response = withHeaders(original, request, NOT_ON_SEE_OTHER, { ...headers, 'Cache-Control': 'no-store' });
  response.statusCode = statusCode;
  response.body = body;
  response.isBase64Encoded = false;
  if (request.frontDoor === 'alb') response.statusDescription = STATUS_TEXT[statusCode];
  return response;
}

/** Statuses whose body may be spilled behind a 303: 2xx with a full body. */
export function isSpillableStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300 && statusCode !== 204 && statusCode !== 205 && statusCode !== 206;
}

/** Front doors whose results without `statusCode` are HTTP responses too (200, `application/json`). */
export function acceptsBareResult(frontDoor: FrontDoor): boolean {
  return frontDoor === 'http-v2' || frontDoor === 'function-url';
}
