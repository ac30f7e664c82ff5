/**
 * The answers the library gives in place of a response: the `303 See Other`,
 * the reference-mode `200`, the body-less HEAD answer, and the error answer of
 * `withS3Spill`; each in the payload format of the front door, with every header
 * the client still needs (cookies, CORS) kept.
 *
 * @module http/answers
 */
import type { HttpRequestInfo } from './events.js';
import { withoutHeaders } from './headers.js';
import type { HeaderValue, HttpResult } from './result.js';

/** API Gateway's `Content-Type` when the function sets none (payload 1.0 and 2.0). */
export const DEFAULT_CONTENT_TYPE = 'application/json';

/**
 * The response with its headers rewritten in the maps its front door reads:
 * every header named in `drop` or `set` (any casing) removed, then `set` added.
 * `multiValueHeaders` is used when the response has it or the front door needs
 * it (ALB with multi-value headers), `headers` when the response has it or no
 * multi-value map is used. The one header-rewriting step of every answer.
 *
 * @param original - the response, or `undefined` for a 2.0 result without `statusCode`
 * @param request - the request's front door
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
    response.headers = { ...withoutHeaders<HeaderValue>(original?.headers, removed).map, ...set };
  } else {
    delete response.headers;
  }
  if (useMulti) {
    const multi = withoutHeaders<HeaderValue[]>(original?.multiValueHeaders, removed).map;
    for (const [name, value] of Object.entries(set)) multi[name] = [value];
    response.multiValueHeaders = multi;
  }
  return response;
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
 * The `303 See Other` that replaces a spilled response, in the payload format of
 * the original: `Location` is the URL, `Cache-Control: no-store` (a cached
 * redirect outlives its URL), empty body; other headers, `cookies` and
 * `multiValueHeaders` kept; ALB's `statusDescription` set to `303 See Other`.
 * Source of the redirect semantics: RFC 9110 section 15.4.4 (the client follows with GET).
 *
 * @param original - the response being spilled, or `undefined` for a 2.0 result without `statusCode`
 * @param request - the request's front door
 * @param location - the URL the client follows (checked by `checkLocation`)
 */
export function seeOther(original: HttpResult | undefined, request: HttpRequestInfo, location: string): HttpResult {
  return replacement(original, request, 303, { Location: location }, '');
}

/**
 * The `200` that replaces a spilled response in reference mode: a small JSON
 * document naming the object, `Cache-Control: no-store`, other headers and
 * cookies kept as for {@link seeOther}.
 */
export function referenceResponse(
  original: HttpResult | undefined,
  request: HttpRequestInfo,
  contentType: string,
  document: string,
): HttpResult {
  return replacement(original, request, 200, { 'Content-Type': contentType }, document);
}

/** An oversized HEAD response without its body: HTTP never sends one. */
export function headResponse(result: HttpResult | undefined): HttpResult {
  if (result === undefined) return { statusCode: 200, headers: { 'Content-Type': DEFAULT_CONTENT_TYPE }, body: '' };
  return { ...result, body: '', isBase64Encoded: false };
}

/**
 * The answer for an error, as `@middy/http-error-handler` makes it: the error's
 * status, its headers (`Cache-Control: no-store`, `Retry-After`), its message as
 * a JSON body; in the maps the front door reads.
 *
 * @param error - the error's status, headers and client-safe message
 * @param request - the request's front door
 */
export function errorResponse(
  error: { statusCode: number; headers: Record<string, string>; message: string },
  request: HttpRequestInfo,
): HttpResult {
  const response = withHeaders(undefined, request, new Set(), { 'Content-Type': 'application/json', ...error.headers });
  response.statusCode = error.statusCode;
  response.body = error.message;
  response.isBase64Encoded = false;
  if (request.frontDoor === 'alb') response.statusDescription = `${error.statusCode} ${STATUS_TEXT[error.statusCode] ?? 'Error'}`;
  return response;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  303: 'See Other',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

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
  if (request.frontDoor === 'alb') response.statusDescription = `${statusCode} ${STATUS_TEXT[statusCode]}`;
  return response;
}
