/**
 * Whether a body should be compressed, and into which coding: the pure part of
 * compression, used by the plans. Only the plans import it, and the spiller
 * loads them on the first response the size bound cannot pass, so a cold start
 * does not run `negotiator` (only its Accept-Encoding module, whose index also
 * loads the media type, language and charset parsers).
 *
 * @module compression/choose-coding
 */
import preferredEncodings from 'negotiator/lib/encoding.js';
import type { ContentHeaders } from '../http/body.js';
import { type ContentCoding, DEFAULT_ENCODINGS } from './encodings.js';
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

/**
 * Which coding to answer with, from the request's `Accept-Encoding`, by its
 * q-values (RFC 9110 section 12.5.3, parsed by `negotiator`); among codings of
 * equal weight, the order of `offered`.
 *
 * - no header, or an empty one: `undefined` (no compression; an absent header
 *   allows any coding in theory, but a client that sends none may not decode);
 * - `identity` preferred, or weighed as high as the best offered coding: `undefined`;
 * - `*` stands for every offered coding not named; `q=0` refuses a coding;
 * - nothing acceptable (`*;q=0`): `undefined` (the body is sent uncompressed).
 *
 * @param acceptEncoding - the request header, several values joined with `, `
 * @param offered - codings the server can produce, preferred first
 * @returns the coding, or `undefined` for none
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  offered: readonly ContentCoding[] = DEFAULT_ENCODINGS,
): ContentCoding | undefined {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '' || offered.length === 0) return undefined;
  const available = [...offered, 'identity'];
  // The third argument orders codings of equal q-value (the server's preference): negotiator 1.x.
  const choice = preferredEncodings(acceptEncoding, available, available)[0];
  return choice === undefined || choice === 'identity' ? undefined : (choice as ContentCoding);
}

