/**
 * Whether a body should be compressed, and into which coding: the pure part of
 * compression, used by the plan.
 *
 * @module compression/choose-coding
 */
import type { ContentHeaders } from '../http/body.js';
import { type ContentCoding, negotiateEncoding } from './encodings.js';
import { isCompressibleType } from './media-types.js';

/** The compression settings of one middleware. */
export interface CompressionSettings {
  /** Codings offered, preferred first. */
  readonly encodings: readonly ContentCoding[];
  /** Media types worth compressing: patterns, or a predicate of the media type. */
  readonly compressibleTypes: readonly string[] | ((mediaType: string) => boolean);
}

/** The coding to use, or why none (for the debug log). */
export type CodingChoice = { coding: ContentCoding; skipped?: undefined } | { coding?: undefined; skipped: string };

/**
 * Why a body is not compressed, or the coding to use: none for a body that
 * already has a `Content-Encoding` or `Cache-Control: no-transform`, or whose
 * media type is not compressible; else what the client's `Accept-Encoding`
 * prefers among `settings.encodings`.
 *
 * @param headers - the body's content headers
 * @param acceptEncoding - the request's `Accept-Encoding`
 * @param settings - the middleware's settings
 * @throws what a `compressibleTypes` predicate throws
 */
export function chooseCoding(
  headers: ContentHeaders,
  acceptEncoding: string | undefined,
  settings: CompressionSettings,
): CodingChoice {
  if (headers.contentEncoding !== undefined && headers.contentEncoding.trim() !== '') return { skipped: 'already encoded' };
  if (headers.cacheControl !== undefined && /(^|[\s,])no-transform($|[\s,;=])/i.test(headers.cacheControl)) {
    return { skipped: 'Cache-Control: no-transform' };
  }
  if (!isCompressibleType(headers.contentType, settings.compressibleTypes)) return { skipped: 'media type not compressible' };
  const coding = negotiateEncoding(acceptEncoding, settings.encodings);
  return coding === undefined ? { skipped: 'not accepted by the client' } : { coding };
}
