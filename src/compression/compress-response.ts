/**
 * Compressing an oversized response, and the two answers that follow: the
 * compressed body inline when its base64 fits the limit, else the compressed
 * bytes to spill.
 *
 * @module compression/compress-response
 */
import { DEFAULT_CONTENT_TYPE, withHeaders } from '../http/answers.js';
import type { SpillBody } from '../http/body.js';
import type { HttpRequestInfo } from '../http/events.js';
import { readHeader } from '../http/headers.js';
import type { HttpResult } from '../http/result.js';
import { measurePayload } from '../sizing/payload-bytes.js';
import { compressBytes } from './compress-bytes.js';
import type { ContentCoding } from './encodings.js';

/** A compressed answer. */
export interface Compressed {
  readonly coding: ContentCoding;
  /** The compressed body, `Content-Encoding` set: what to spill when it does not fit inline. */
  readonly body: SpillBody;
  /** The response with the compressed body in base64, when it fits `inlineMaxBytes`. */
  readonly inline: HttpResult | undefined;
  /** The serialized size of the inline response, or a lower bound when it was not built (too large); `undefined` when not considered. */
  readonly inlineBytes: number | undefined;
}

/**
 * Compress the body, and build the inline response when it fits.
 *
 * @param result - the response as the front door reads it, or `undefined` for a
 *   bare HTTP API / Function URL result (a 200 `application/json`)
 * @param info - the request's front door
 * @param body - the body to compress
 * @param coding - the coding the plan chose
 * @param inlineMaxBytes - the largest serialized response returned inline (`0`: never inline)
 * @param signal - stops the compression (the time budget); the promise then rejects
 * @returns the compressed answer, or `undefined` when compression does not make the body smaller
 */
export async function compressResponse(
  result: HttpResult | undefined,
  info: HttpRequestInfo,
  body: SpillBody,
  coding: ContentCoding,
  inlineMaxBytes: number,
  signal?: AbortSignal,
): Promise<Compressed | undefined> {
  const text = body.contentType !== undefined && !/^(image|audio|video|font)\//i.test(body.contentType);
  const bytes = await compressBytes(body.bytes, coding, { text, signal });
  if (bytes.length >= body.bytes.length) return undefined;
  const compressedBody: SpillBody = { ...body, bytes, contentEncoding: coding };
  if (inlineMaxBytes === 0) return { coding, body: compressedBody, inline: undefined, inlineBytes: undefined };
  // The base64 alone, with its quotes, is a lower bound of the inline response: no need to build it.
  const base64Bytes = Math.ceil(bytes.length / 3) * 4 + 2;
  if (base64Bytes > inlineMaxBytes) return { coding, body: compressedBody, inline: undefined, inlineBytes: base64Bytes };
  const candidate = inlineResult(result, info, bytes, coding);
  const measure = measurePayload(candidate, inlineMaxBytes);
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
 * before the point where the upload itself must stop, so an abandoned
 * compression leaves the uncompressed upload the other half. No deadline
 * (outside Lambda): no signal.
 *
 * @param uploadMillis - milliseconds until the upload must stop, or `undefined` for no deadline
 */
export function compressionBudget(uploadMillis: number | undefined): AbortSignal | undefined {
  if (uploadMillis === undefined || !Number.isFinite(uploadMillis)) return undefined;
  return AbortSignal.timeout(Math.max(0, Math.floor(uploadMillis / 2)));
}
