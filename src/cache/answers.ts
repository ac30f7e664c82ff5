/**
 * The answers the cache gives, in the payload format of the front door: a hit
 * (inline, or `303` to the stored object), `304 Not Modified`, the answer to a
 * `HEAD`, and a miss's response with its `Cache-Status`. Pure.
 *
 * @module cache/answers
 */
import { seeOther, withHeaders } from '../http/answers.js';
import type { HttpRequestInfo } from '../http/events.js';
import type { HttpResult } from '../http/result.js';
import type { StoredEntry } from './entry.js';
import type { HeaderList } from './policy.js';

/** Reason phrases for the ALB's `statusDescription`. */
const REASONS: Record<number, string> = {
  200: 'OK',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  303: 'See Other',
  304: 'Not Modified',
  308: 'Permanent Redirect',
  404: 'Not Found',
  410: 'Gone',
  504: 'Gateway Timeout',
};

/** Fields a `304` does not send: representation metadata (RFC 9110 section 15.4.5). */
const NOT_ON_304 = new Set([
  'content-type',
  'content-encoding',
  'content-language',
  'content-disposition',
  'content-length',
  'content-range',
  'content-md5',
]);

/** The stored fields as a response of this front door reads them (one map, or `multiValueHeaders` for an ALB with them on). */
function storedResult(status: number, headers: HeaderList, info: HttpRequestInfo): HttpResult {
  if (info.multiValueHeaders) {
    const multi: Record<string, string[]> = {};
    for (const [name, value] of headers) (multi[name] ??= []).push(value);
    return { statusCode: status, multiValueHeaders: multi };
  }
  const single: Record<string, string> = {};
  const casing = new Map<string, string>();
  for (const [name, value] of headers) {
    const seen = casing.get(name.toLowerCase());
    if (seen === undefined) {
      casing.set(name.toLowerCase(), name);
      single[name] = value;
    } else {
      single[seen] = `${single[seen]}, ${value}`;
    }
  }
  return { statusCode: status, headers: single };
}

function finish(response: HttpResult, status: number, body: string, base64: boolean, info: HttpRequestInfo): HttpResult {
  response.statusCode = status;
  response.body = body;
  response.isBase64Encoded = base64;
  if (info.frontDoor === 'alb') response.statusDescription = `${status} ${REASONS[status] ?? 'Status'}`;
  return response;
}

/** What every hit carries: `Age`, `ETag`, `Cache-Status`. */
function hitFields(entry: StoredEntry, age: number, cacheStatus: string): Record<string, string> {
  return { Age: String(age), ETag: entry.etag, 'Cache-Status': cacheStatus };
}

/** A hit answered inline (`body` undefined: a `HEAD`, no body). */
export function hitAnswer(
  entry: StoredEntry,
  info: HttpRequestInfo,
  age: number,
  cacheStatus: string,
  body: Buffer | undefined,
): HttpResult {
  const base = storedResult(entry.status, entry.headers, info);
  const response = withHeaders(base, info, new Set(), hitFields(entry, age, cacheStatus));
  if (body === undefined) return finish(response, entry.status, '', false, info);
  return entry.binary
    ? finish(response, entry.status, body.toString('base64'), true, info)
    : finish(response, entry.status, body.toString('utf8'), false, info);
}

/** `304 Not Modified` for a matching `If-None-Match`: the stored fields but representation metadata, no body. */
export function notModified(entry: StoredEntry, info: HttpRequestInfo, age: number, cacheStatus: string): HttpResult {
  const base = storedResult(304, entry.headers, info);
  return finish(withHeaders(base, info, NOT_ON_304, hitFields(entry, age, cacheStatus)), 304, '', false, info);
}

/**
 * A `303 See Other` to the stored object: the stored fields but the ones that
 * describe the body (they travel with the object), `Cache-Control: no-store`
 * (a cached redirect outlives its URL), `Cache-Status`.
 */
export function seeStored(original: HttpResult | undefined, info: HttpRequestInfo, url: string, cacheStatus: string): HttpResult {
  return withHeaders(seeOther(original, info, url), info, new Set(), { 'Cache-Status': cacheStatus });
}

/** {@link seeStored} for a hit. */
export function hitSeeOther(entry: StoredEntry, info: HttpRequestInfo, url: string, cacheStatus: string): HttpResult {
  return seeStored(storedResult(entry.status, entry.headers, info), info, url, cacheStatus);
}

/** `504 Gateway Timeout` for `only-if-cached` with nothing fresh stored (RFC 9111 section 5.2.1.7). */
export function onlyIfCachedMiss(info: HttpRequestInfo, cacheStatus: string): HttpResult {
  const response = withHeaders(undefined, info, new Set(), { 'Cache-Control': 'no-store', 'Cache-Status': cacheStatus });
  return finish(response, 504, '', false, info);
}

/** The handler's response with fields set (`ETag`, `Cache-Status`). */
export function withFields(result: HttpResult, info: HttpRequestInfo, set: Record<string, string>): HttpResult {
  return withHeaders(result, info, new Set(), set);
}
