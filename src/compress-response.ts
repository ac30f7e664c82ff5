/**
 * Compressing an oversized response: whether to (skip rules), into which
 * coding (negotiated), and the two answers that follow: the compressed body
 * inline when its base64 fits the limit, else the compressed bytes to spill.
 *
 * @module compress-response
 */
import { compressBytes, type ContentCoding, isCompressibleType, negotiateEncoding } from './compression.js';
import type { HttpRequestInfo } from './front-door.js';
import { type HttpResult, readHeader, withHeaders } from './http-result.js';
import { measurePayload } from './payload-bytes.js';
import { requestHeader } from './request-headers.js';
import { DEFAULT_CONTENT_TYPE, type SpillBody } from './spill-body.js';

/** The compression settings of one middleware. */
export interface CompressionSettings {
  /** Codings offered, preferred first. */
  readonly encodings: readonly ContentCoding[];
  /** Media types worth compressing: patterns, or a predicate of the media type. */
  readonly compressibleTypes: readonly string[] | ((mediaType: string) => boolean);
  /**
   * Whether an API Gateway REST API (payload v1) may get a compressed body
   * inline: it decodes an `isBase64Encoded` body only when the API's
   * `binaryMediaTypes` match, and otherwise sends the base64 text as it is.
   */
  readonly restApiInline: boolean;
}

/**
 * Why a body is not compressed, or the coding to use.
 *
 * Used by `s3Spill()` before storing a body: with the default settings,
 * `Accept-Encoding: br` and a JSON body, it gives `{ coding: 'br' }`.
 *
 * @param event - the Lambda event (its `Accept-Encoding`)
 * @param body - the body as it would be stored (bytes decoded, content headers)
 * @param settings - the middleware's settings
 * @returns the coding, or the reason for none (for the debug log)
 */
export function codingFor(
  event: unknown,
  body: SpillBody,
  settings: CompressionSettings,
): { coding: ContentCoding; skipped?: undefined } | { coding?: undefined; skipped: string } {
  if (body.contentEncoding !== undefined && body.contentEncoding.trim() !== '') return { skipped: 'already encoded' };
  if (body.cacheControl !== undefined && /(^|[\s,])no-transform($|[\s,;=])/i.test(body.cacheControl)) {
    return { skipped: 'Cache-Control: no-transform' };
  }
  if (!isCompressibleType(body.contentType, settings.compressibleTypes)) return { skipped: 'media type not compressible' };
  const coding = negotiateEncoding(requestHeader(event, 'accept-encoding'), settings.encodings);
  return coding === undefined ? { skipped: 'not accepted by the client' } : { coding };
}

/** A compressed answer. */
export interface Compressed {
  readonly coding: ContentCoding;
  /** The compressed body, `Content-Encoding` set: what to spill when it does not fit inline. */
  readonly body: SpillBody;
  /** The response with the compressed body in base64, when it fits `maxBytes` and the front door decodes it. */
  readonly inline: HttpResult | undefined;
  /** The serialized size of the inline response, or a lower bound when it was not built (too large); `undefined` when not considered. */
  readonly inlineBytes: number | undefined;
}

/**
 * Compress the body, and build the inline response when it fits.
 *
 * @param result - the response as the front door reads it, or `undefined` for a
 *   bare HTTP API / Function URL result (a 200 `application/json`)
 * @param body - its body (from `spillBodyOf` / `spillBodyOfBareResult`)
 * @param coding - from {@link codingFor}
 * @param maxBytes - the largest serialized response returned inline (`0`: never inline)
 * @param signal - stops the compression (the time budget); the promise then rejects
 * @returns the compressed answer, or `undefined` when compression does not make the body smaller
 */
export async function compressResponse(
  result: HttpResult | undefined,
  info: HttpRequestInfo,
  body: SpillBody,
  coding: ContentCoding,
  maxBytes: number,
  settings: CompressionSettings,
  signal?: AbortSignal,
): Promise<Compressed | undefined> {
  const text = body.contentType !== undefined && !/^(image|audio|video|font)\//i.test(body.contentType);
  const bytes = await compressBytes(body.bytes, coding, { text, signal });
  if (bytes.length >= body.bytes.length) return undefined;
  const compressedBody: SpillBody = { ...body, bytes, contentEncoding: coding };
  if (info.frontDoor === 'rest-v1' && !settings.restApiInline) {
    return { coding, body: compressedBody, inline: undefined, inlineBytes: undefined };
  }
  // The base64 alone, with its quotes, is a lower bound of the inline response: no need to build it.
  const base64Bytes = Math.ceil(bytes.length / 3) * 4 + 2;
  if (base64Bytes > maxBytes) return { coding, body: compressedBody, inline: undefined, inlineBytes: base64Bytes };
  const candidate = inlineResult(result, info, bytes, coding);
  const measure = measurePayload(candidate, maxBytes);
  return { coding, body: compressedBody, inline: measure.fits ? candidate : undefined, inlineBytes: measure.bytes };
}

/** Headers a compressed body makes wrong: its length and digest. */
const DROPPED = new Set(['content-length', 'content-md5']);

/**
 * The response with a compressed body: base64 with `isBase64Encoded: true`,
 * `Content-Encoding` set, `Accept-Encoding` added to `Vary`, `Content-Length` and
 * `Content-MD5` dropped, a strong `ETag` given the coding as a suffix (another
 * representation has another strong tag, RFC 9110 section 8.8.3; Apache httpd
 * does the same). Headers go in the maps the front door reads, as for the `303`.
 */
export function inlineResult(result: HttpResult | undefined, info: HttpRequestInfo, bytes: Buffer, coding: ContentCoding): HttpResult {
  const base: HttpResult = result ?? { statusCode: 200, headers: { 'Content-Type': DEFAULT_CONTENT_TYPE } };
  const set: Record<string, string> = { 'Content-Encoding': coding, Vary: mergeVary(readHeader(base, 'vary')) };
  const etag = readHeader(base, 'etag');
  if (etag !== undefined && etag.startsWith('"') && etag.endsWith('"')) set.ETag = `${etag.slice(0, -1)}-${coding}"`;
  return { ...withHeaders(base, info, DROPPED, set), body: bytes.toString('base64'), isBase64Encoded: true };
}

/** `Vary` with `Accept-Encoding` added, unless it is `*` or already names it. */
export function mergeVary(vary: string | undefined): string {
  if (vary === undefined || vary.trim() === '') return 'Accept-Encoding';
  const names = vary.split(',').map((n) => n.trim().toLowerCase());
  if (names.includes('*') || names.includes('accept-encoding')) return vary;
  return `${vary}, Accept-Encoding`;
}

/**
 * A signal for the compression's share of the time left: half of what remains
 * before the point where the upload itself must stop (`timeoutEarlyInMillis`
 * before the deadline), so an abandoned compression leaves the uncompressed
 * upload the other half. No deadline (outside Lambda): no signal.
 */
export function compressionBudget(remainingMillis: number | undefined, timeoutEarlyInMillis: number): AbortSignal | undefined {
  if (remainingMillis === undefined || !Number.isFinite(remainingMillis)) return undefined;
  const budget = Math.max(0, Math.floor((remainingMillis - timeoutEarlyInMillis) / 2));
  return AbortSignal.timeout(budget);
}
