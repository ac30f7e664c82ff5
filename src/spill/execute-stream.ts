/**
 * Carrying out a stream plan: read the body until it ends or cannot fit,
 * answer it inline when it ended in time (compressed as it was read when the
 * client accepts), else send what was read and the rest to S3 as one object
 * through `@aws-sdk/lib-storage`'s `Upload`, and answer the `303` (or the
 * reference). The body is never held whole: at most the inline room, then
 * what `Upload` holds (`queueSize` parts of `partSize` bytes, and the one it
 * is filling).
 *
 * A source that fails part-way fails the upload (no object is completed, the
 * multipart upload is aborted) and its error is thrown as the handler's own;
 * S3 failing is `SpillUploadError`, the deadline `SpillTimeoutError`; either
 * way the source is let go.
 *
 * @module spill/execute-stream
 */
import type * as Zlib from 'node:zlib';
import { COMPRESSION_LEVELS, compressor } from '../compression/compress-bytes.js';
import { inlineResult } from '../compression/compress-response.js';
import type { ContentCoding } from '../compression/encodings.js';
import { S3SpillError, SpillConfigurationError } from '../errors/base.js';
import { invalidResponse } from './errors.js';
import { headResponse } from '../http/answers.js';
import type { ContentHeaders } from '../http/body.js';
import type { HttpResult } from '../http/result.js';
import { bodyChunks, type BodyChunks, discardBody, type StreamBody } from '../http/stream-body.js';
import { measurePayload, payloadBytes } from '../sizing/payload-bytes.js';
import { storeStream } from '../s3/store.js';
import { objectKey } from './spill-target.js';
import { eventBodyOf } from '../uploads/body-encoding.js';
import { deadlineSignal } from '../lambda/deadline.js';
import { type Job, signBeforeDeadline, spillAnswer, spillTargetFor, storeFailure, tooLarge } from './execute.js';
import type { SpillStep } from './plan.js';
import type { StreamPlan } from './stream-plan.js';

/** `node:stream`, taken on use: an ESM bundle hoists a builtin's static import to its top, where every cold start would pay it. */
const streamModule = (): typeof import('node:stream') => process.getBuiltinModule('node:stream');

type ReadPlan = Extract<StreamPlan, { kind: 'read' }>;

/**
 * Carry out a stream plan.
 *
 * @returns the answer: the result with a string body, a compressed inline result, a `303` or reference, a HEAD answer
 * @throws the source's own error when it fails part-way; `ResponseTooLargeError`, `InvalidResponseError`,
 *   `SpillConfigurationError`, `SpillUploadError`, `SpillTimeoutError` as for string bodies
 */
export async function executeStreamPlan(plan: StreamPlan, job: Job, body: StreamBody): Promise<unknown> {
  if (plan.kind === 'reject') {
    discardBody(body);
    throw plan.error;
  }
  if (plan.kind === 'drop-body') {
    discardBody(body);
    job.logger.debug('s3Spill answered a HEAD request without reading its stream body');
    return headResponse(plan.readBy);
  }
  const deadline = deadlineSignal(job.millisLeft());
  let source: Source | undefined;
  try {
    source = new Source(bodyChunks(body, invalidResponse), deadline?.signal);
    return await readAndAnswer(plan, job, source, deadline?.signal);
  } catch (error) {
    if (source === undefined) discardBody(body);
    else source.discard();
    // The handler's stream failed: that is the handler's error, whatever it made the upload throw.
    if (source?.failure !== undefined) throw source.failure.error;
    if (error instanceof S3SpillError) throw error;
    if (deadline?.signal.aborted === true) throw storeFailure(error, deadline.signal, 'The response could not be read before the deadline');
    throw error;
  } finally {
    deadline?.clear();
  }
}

/** Chunks smaller than this are joined before they go on (a row-by-row generator gives chunks of a few bytes). */
const COALESCE_BYTES = 64 * 1024;

/** The handler's body, read one chunk at a time before the deadline; remembers the source's own failure. */
class Source {
  /** The source's own error, when it failed (not the deadline's). */
  public failure: { readonly error: unknown } | undefined;
  /** Bytes read so far. */
  public bytes = 0;
  /** Rejects the read in progress when the deadline passes (one listener for the whole read, not one per chunk). */
  private rejectRead: ((reason: unknown) => void) | undefined;

  public constructor(
    private readonly chunks: BodyChunks,
    private readonly signal: AbortSignal | undefined,
  ) {
    // No Promise.race with a promise that never settles: each race would keep its chunk reachable.
    signal?.addEventListener('abort', () => this.rejectRead?.(signal.reason), { once: true });
  }

  public async next(): Promise<Buffer | undefined> {
    try {
      if (this.signal?.aborted === true) throw this.signal.reason;
      const chunk = await new Promise<Buffer | undefined>((resolve, reject) => {
        this.rejectRead = reject;
        this.chunks.next().then(resolve, reject);
      });
      this.rejectRead = undefined;
      if (chunk !== undefined) this.bytes += chunk.length;
      return chunk;
    } catch (error) {
      this.rejectRead = undefined;
      if (this.signal?.aborted !== true && this.failure === undefined) this.failure = { error };
      throw error;
    }
  }

  /** The chunks held, then the rest of the source, small chunks joined; each held chunk is let go once given. */
  public async *rest(held: Buffer[], ended: boolean): AsyncGenerator<Buffer> {
    yield* release(held);
    if (ended) return;
    let small: Buffer[] = [];
    let smallBytes = 0;
    for (;;) {
      const chunk = await this.next();
      if (chunk === undefined) break;
      if (smallBytes === 0 && chunk.length >= COALESCE_BYTES) {
        yield chunk;
        continue;
      }
      small.push(chunk);
      smallBytes += chunk.length;
      if (smallBytes >= COALESCE_BYTES) {
        yield Buffer.concat(small, smallBytes);
        small = [];
        smallBytes = 0;
      }
    }
    if (smallBytes > 0) yield Buffer.concat(small, smallBytes);
  }

  public discard(): void {
    this.chunks.discard();
  }
}

/** The held chunks, joined into pieces of at least 64 KiB, each let go once given (the array is emptied). */
function* release(held: Buffer[]): Generator<Buffer> {
  const chunks = held.splice(0, held.length);
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < chunks.length; i++) {
    bytes += chunks[i]!.length;
    if (bytes >= COALESCE_BYTES || i === chunks.length - 1) {
      const piece = i === start ? chunks[i]! : Buffer.concat(chunks.slice(start, i + 1), bytes);
      chunks.fill(undefined as never, start, i + 1);
      yield piece;
      start = i + 1;
      bytes = 0;
    }
  }
}

async function readAndAnswer(plan: ReadPlan, job: Job, source: Source, signal: AbortSignal | undefined): Promise<unknown> {
  const started = performance.now();
  const held: Buffer[] = [];
  let heldBytes = 0;
  let ended = false;
  if (plan.holdBytes >= 0) {
    while (heldBytes <= plan.holdBytes) {
      const chunk = await source.next();
      if (chunk === undefined) {
        ended = true;
        break;
      }
      held.push(chunk);
      heldBytes += chunk.length;
    }
    if (ended && plan.streamed) return { ...plan.readBy, body: streamModule().Readable.from(held, { objectMode: false }) };
    if (ended) {
      const bytes = held.length === 1 ? held[0]! : Buffer.concat(held);
      const inline: HttpResult = { ...plan.readBy, ...eventBodyOf(bytes, plan.contentType) };
      if (measurePayload(inline, job.maxBytes).fits) return inline;
      held.splice(0, held.length, bytes);
    }
  }
  let chunks: AsyncIterable<Buffer> = source.rest(held, ended);
  if (plan.overflow.kind === 'stream') {
    // Streamed on as it comes: what was held, then the rest (the deadline no longer applies once this returns).
    return { ...plan.readBy, body: streamModule().Readable.from(chunks, { objectMode: false }) };
  }
  const overflow = plan.overflow;
  const coding = plan.inlineCoding ?? (overflow.kind === 'spill' ? plan.storeCoding : undefined);
  if (coding !== undefined) {
    const compressed = compressing(await import('node:zlib'), chunks, coding, !eventBodyOf(new Uint8Array(0), plan.contentType).isBase64Encoded);
    if (plan.inlineCoding === undefined) {
      chunks = compressed;
    } else {
      const attempt = await compressedInline(plan, job, compressed, coding, source.bytes, started);
      if (attempt.answer !== undefined) return attempt.answer;
      chunks = attempt.rest;
    }
  }
  if (overflow.kind === 'reject') {
    const envelope = payloadBytes({ ...plan.readBy, body: '' });
    throw tooLarge(overflow.reason, envelope + source.bytes, job.maxBytes);
  }
  return spillStream(overflow.spill, job, chunks, coding, signal, source, started);
}

/** A compressing stream of the chunks; a failure of the chunks fails it. */
function compressing(zlib: typeof Zlib, chunks: AsyncIterable<Buffer>, coding: ContentCoding, text: boolean): AsyncIterable<Buffer> {
  const zip = compressor(zlib, coding, COMPRESSION_LEVELS[coding], undefined, text);
  const { pipeline, Readable } = streamModule();
  pipeline(Readable.from(chunks, { objectMode: false }), zip, () => undefined);
  return zip;
}

/** Hold the compressed body while its inline answer may still fit; the answer when it ends in time, else the rest to spill. */
async function compressedInline(
  plan: ReadPlan,
  job: Job,
  compressed: AsyncIterable<Buffer>,
  coding: ContentCoding,
  bytesRead: number,
  started: number,
): Promise<{ answer: HttpResult; rest?: undefined } | { answer?: undefined; rest: AsyncIterable<Buffer> }> {
  const room = Math.floor((job.maxBytes - payloadBytes(inlineResult(plan.readBy, job.info, Buffer.alloc(0), coding))) / 4) * 3;
  const iterator = compressed[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let heldBytes = 0;
  for (;;) {
    if (heldBytes > room) break;
    const { done, value } = await iterator.next();
    if (done === true) {
      const bytes = Buffer.concat(held);
      const candidate = inlineResult(plan.readBy, job.info, bytes, coding);
      if (measurePayload(candidate, job.maxBytes).fits) {
        job.logger.info('s3Spill compressed an oversized stream body to fit inline', {
          compression: {
            frontDoor: job.info.frontDoor,
            contentEncoding: coding,
            bytesBefore: bytesRead,
            bytesAfter: bytes.length,
            durationMs: Math.round(performance.now() - started),
          },
        });
        return { answer: candidate };
      }
      return { rest: heldThen([bytes], undefined) };
    }
    held.push(value);
    heldBytes += value.length;
  }
  return { rest: heldThen(held, iterator) };
}

async function* heldThen(held: Buffer[], iterator: AsyncIterator<Buffer> | undefined): AsyncGenerator<Buffer> {
  yield* release(held);
  if (iterator === undefined) return;
  for (;;) {
    const { done, value } = await iterator.next();
    if (done === true) return;
    yield value;
  }
}

/** Send the chunks to S3 as one object (`Upload`: one `PutObject` for one part, else a multipart upload), sign, answer. */
async function spillStream(
  step: SpillStep,
  job: Job,
  chunks: AsyncIterable<Buffer>,
  contentEncoding: ContentCoding | undefined,
  signal: AbortSignal | undefined,
  source: Source,
  started: number,
): Promise<HttpResult> {
  const { opts } = job;
  const target = await spillTargetFor(job);
  const key = objectKey(opts, job.request, target.keyPrefix);
  const headers: ContentHeaders = {
    ...step.headers,
    ...(contentEncoding === undefined ? {} : { contentEncoding }),
    ...(target.object.contentDisposition === undefined ? {} : { contentDisposition: target.object.contentDisposition }),
  };
  let objectBytes = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      objectBytes += chunk.length;
      yield chunk;
    }
  }
  try {
    await storeStream({
      client: target.client,
      bucket: target.bucket,
      key,
      body: counted(),
      headers,
      params: target.object.params,
      partSize: opts.partSize,
      queueSize: opts.queueSize,
      abortSignal: signal,
    });
  } catch (error) {
    if (source.failure !== undefined) throw source.failure.error;
    if (error instanceof SpillConfigurationError) throw error;
    throw storeFailure(error, signal, 'The response was too large to return and could not be stored');
  }
  const url = await signBeforeDeadline(job, target, key, signal);
  const response = spillAnswer(step, job, url, headers, objectBytes);
  job.logger.info('s3Spill stored an oversized stream body in S3', {
    spill: {
      frontDoor: job.info.frontDoor,
      bucket: target.bucket,
      key,
      reference: step.answer === 'reference',
      bytesRead: source.bytes,
      objectBytes,
      contentEncoding,
      durationMs: Math.round(performance.now() - started),
    },
  });
  return response;
}
