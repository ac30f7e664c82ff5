/** Stream bodies of each kind, and whether the library let them go. */
import { Readable } from 'node:stream';

/** The body kinds a result may carry besides a string. */
export const BODY_KINDS = ['Buffer', 'Uint8Array', 'Readable', 'ReadableStream', 'AsyncIterable'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

/** A body of one kind made of `bytes`, and what happened to it. */
export interface MadeBody {
  readonly body: unknown;
  /** Whether the source was destroyed, cancelled or returned before its end. */
  released(): boolean;
  /** Bytes the source gave. */
  given(): number;
}

/** Chunks of at most `size` bytes (views). */
export function* chunked(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * A body of `kind` with the content `bytes`. An AsyncIterable yields strings
 * when `text` (the chunks are cut on ASCII, so each is valid UTF-8), else bytes.
 */
export function bodyOf(kind: BodyKind, bytes: Buffer, text = false): MadeBody {
  let given = 0;
  let released = false;
  switch (kind) {
    case 'Buffer':
      return { body: Buffer.from(bytes), released: () => false, given: () => bytes.length };
    case 'Uint8Array':
      return { body: new Uint8Array(bytes), released: () => false, given: () => bytes.length };
    case 'Readable': {
      const readable = Readable.from(
        (function* () {
          for (const chunk of chunked(bytes)) {
            given += chunk.length;
            yield chunk;
          }
        })(),
      );
      return { body: readable, released: () => readable.destroyed && !readable.readableEnded, given: () => given };
    }
    case 'ReadableStream': {
      const chunks = chunked(bytes);
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.next();
          if (next.done === true) controller.close();
          else {
            given += next.value.length;
            controller.enqueue(new Uint8Array(next.value));
          }
        },
        cancel() {
          released = true;
        },
      });
      return { body: stream, released: () => released, given: () => given };
    }
    case 'AsyncIterable': {
      // An iterable whose iterator says when it is returned early (a generator not yet started would not).
      const chunks = chunked(bytes);
      let done = false;
      const iterable: AsyncIterable<Uint8Array | string> = {
        [Symbol.asyncIterator]: () => ({
          async next() {
            const next = chunks.next();
            if (next.done === true) {
              done = true;
              return { done: true, value: undefined };
            }
            given += next.value.length;
            return { done: false, value: text ? next.value.toString('latin1') : new Uint8Array(next.value) };
          },
          async return() {
            if (!done) released = true;
            return { done: true, value: undefined };
          },
        }),
      };
      return { body: iterable, released: () => released, given: () => given };
    }
  }
}

/** Bytes that are not valid UTF-8 and do not compress: a fixed pseudo-random sequence. */
export function binaryBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 2463534242;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
