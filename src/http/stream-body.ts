/**
 * Response bodies that are not strings: bytes (`Buffer`, `Uint8Array`), a Node
 * `Readable`, a web `ReadableStream`, an `AsyncIterable` of bytes or strings.
 * How to tell one, read it chunk by chunk, and let it go without reading it.
 *
 * @module http/stream-body
 */

/** A body the library reads as it comes: bytes, a Node `Readable`, a web `ReadableStream`, an `AsyncIterable`. */
export type StreamBody =
  | Uint8Array
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

/**
 * Whether a body is one the library reads as a stream: a `Uint8Array` (a
 * `Buffer` too), anything with `getReader` (a web `ReadableStream`) or
 * `Symbol.asyncIterator` (a Node `Readable`, an async generator).
 */
export function isStreamBodyKind(body: unknown): body is StreamBody {
  if (body instanceof Uint8Array) return true;
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as { getReader?: unknown; [Symbol.asyncIterator]?: unknown; pipe?: unknown };
  return (
    typeof candidate.getReader === 'function' ||
    typeof candidate[Symbol.asyncIterator] === 'function' ||
    typeof candidate.pipe === 'function'
  );
}

/** Reads a stream body one chunk at a time, and lets it go (destroyed, cancelled, returned). */
export interface BodyChunks {
  /** The next chunk, or `undefined` at the end. @throws the source's error; `InvalidResponseError` for a chunk that is not bytes or a string */
  next(): Promise<Buffer | undefined>;
  /** Stop reading and release the source: a `Readable` is destroyed, a web stream cancelled, an iterator returned. */
  discard(): void;
}

/** Makes the error for a body that cannot be read as bytes (the caller's typed error). */
export type InvalidBody = (detail: string) => Error;

/**
 * A reader of a stream body. A `Uint8Array` is one chunk (a view, not a copy);
 * strings are UTF-8.
 *
 * @param invalid - the error for a chunk that is neither bytes nor a string, or a stream that cannot be read
 */
export function bodyChunks(body: StreamBody, invalid: InvalidBody): BodyChunks {
  if (body instanceof Uint8Array) {
    let done = false;
    return {
      next: async () => {
        if (done) return undefined;
        done = true;
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      },
      discard: () => {
        done = true;
      },
    };
  }
  const web = body as { getReader?: () => ReadableStreamDefaultReader<unknown> };
  if (typeof web.getReader === 'function') {
    const reader = web.getReader();
    return {
      next: async () => {
        const { done, value } = await reader.read();
        return done ? undefined : asBuffer(value, invalid);
      },
      discard: () => {
        reader.cancel().catch(() => undefined);
      },
    };
  }
  const node = body as { destroy?: (error?: Error) => void };
  const iterator = iterableOf(body, invalid)[Symbol.asyncIterator]();
  return {
    next: async () => {
      const { done, value } = await iterator.next();
      return done === true ? undefined : asBuffer(value, invalid);
    },
    discard: () => {
      // A Readable is destroyed at once (a pending read ends); an iterator's return() settles after any pending next().
      if (typeof node.destroy === 'function') node.destroy();
      else iterator.return?.().catch(() => undefined);
    },
  };
}

/**
 * Let a body go without reading it (the answer to a HEAD, a refused result):
 * a `Readable` is destroyed, a web stream cancelled, an async iterator returned,
 * so the handler's producer stops.
 */
export function discardBody(body: StreamBody): void {
  if (body instanceof Uint8Array) return;
  const candidate = body as { destroy?: () => void; cancel?: () => Promise<void>; locked?: boolean };
  if (typeof candidate.destroy === 'function') {
    candidate.destroy();
    return;
  }
  if (typeof candidate.cancel === 'function') {
    if (candidate.locked !== true) candidate.cancel().catch(() => undefined);
    return;
  }
  const iterable = body as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> };
  iterable[Symbol.asyncIterator]?.().return?.().catch(() => undefined);
}

function iterableOf(body: StreamBody, invalid: InvalidBody): AsyncIterable<unknown> {
  const candidate = body as { [Symbol.asyncIterator]?: unknown };
  if (typeof candidate[Symbol.asyncIterator] === 'function') return body as AsyncIterable<unknown>;
  throw invalid('The response body is a stream that cannot be read (no Symbol.asyncIterator or getReader)');
}

function asBuffer(chunk: unknown, invalid: InvalidBody): Buffer {
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw invalid(`A chunk of the response body stream is a ${chunk === null ? 'null' : typeof chunk}, not bytes or a string`);
}
