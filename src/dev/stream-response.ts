/**
 * A streamed response as Lambda sends it (Function URL `RESPONSE_STREAM`,
 * REST API `responseTransferMode: STREAM`): the prelude (status, headers,
 * cookies), then the body, the first {@link STREAMING_BURST_BYTES} as fast as
 * they come, then at most {@link STREAMING_BANDWIDTH_BYTES_PER_SECOND}; cut at
 * {@link STREAMING_RESPONSE_MAX_BYTES}. Sources: see `limits.ts`.
 *
 * @module dev/stream-response
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { STREAMING_BANDWIDTH_BYTES_PER_SECOND, STREAMING_BURST_BYTES, STREAMING_RESPONSE_MAX_BYTES } from '../limits.js';

/** The prelude `awslambda.HttpResponseStream.from` takes: the result without its body. */
export interface StreamPrelude {
  readonly statusCode?: number;
  readonly headers?: Record<string, unknown>;
  readonly cookies?: readonly string[];
  readonly multiValueHeaders?: Record<string, unknown[]>;
}

/**
 * The text Lambda's own error carries when a streamed response passes the
 * limit; the exact wording for streams is not published: the buffered one's,
 * with the streaming limit.
 */
export const STREAM_TOO_LARGE_MESSAGE = `Response payload size exceeded maximum allowed payload size (${STREAMING_RESPONSE_MAX_BYTES} bytes).`;

/** Writes one streamed response to the client, shaped as Lambda shapes it. */
export class ShapedStream {
  /** Body bytes sent so far. */
  public bytes = 0;
  /** Whether the response was cut at the limit. */
  public cut = false;
  private started = false;
  private throttledSince: number | undefined;

  public constructor(
    private readonly res: ServerResponse,
    private readonly limits = { burst: STREAMING_BURST_BYTES, rate: STREAMING_BANDWIDTH_BYTES_PER_SECOND, max: STREAMING_RESPONSE_MAX_BYTES },
  ) {}

  /** Send the status line and headers (once; a body written before any prelude gets 200 `application/octet-stream`). */
  public prelude(prelude: StreamPrelude, contentType = 'application/octet-stream'): void {
    if (this.started) return;
    this.started = true;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(prelude.headers ?? {})) headers[name.toLowerCase()] = String(value);
    for (const [name, values] of Object.entries(prelude.multiValueHeaders ?? {})) headers[name.toLowerCase()] = values.map(String);
    if (prelude.cookies !== undefined && prelude.cookies.length > 0) headers['set-cookie'] = [...prelude.cookies];
    headers['content-type'] ??= contentType;
    this.res.writeHead(prelude.statusCode ?? 200, headers);
  }

  /**
   * Send a chunk: at once within the burst, else when the rate allows; past
   * the limit, what fits is sent and the response is cut.
   *
   * @returns `false` once the response is cut (the rest is dropped)
   */
  public async write(chunk: Buffer): Promise<boolean> {
    if (this.cut) return false;
    this.prelude({});
    let piece = chunk;
    if (this.bytes + piece.length > this.limits.max) {
      piece = piece.subarray(0, this.limits.max - this.bytes);
      this.cut = true;
    }
    let at = 0;
    while (at < piece.length) {
      const burstLeft = this.limits.burst - this.bytes;
      if (burstLeft > 0) {
        const part = piece.subarray(at, at + burstLeft);
        await this.send(part);
        at += part.length;
        continue;
      }
      this.throttledSince ??= performance.now();
      // Past the burst: bytes go out no faster than the rate, measured from when the burst ended.
      const part = piece.subarray(at, at + Math.max(1, Math.floor(this.limits.rate / 20)));
      const due = this.throttledSince + ((this.bytes - this.limits.burst + part.length) / this.limits.rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await this.send(part);
      at += part.length;
    }
    if (this.cut) {
      // What fits goes out, then the connection is cut, as Lambda cuts a stream at its limit.
      await new Promise<void>((flushed) => this.res.write(Buffer.alloc(0), () => flushed()));
      this.res.destroy();
    }
    return !this.cut;
  }

  /** End the response (unless it was cut). */
  public end(): void {
    this.prelude({});
    if (!this.cut) this.res.end();
  }

  private async send(part: Buffer): Promise<void> {
    this.bytes += part.length;
    if (!this.res.write(part)) await new Promise<void>((drained) => this.res.once('drain', () => drained()));
  }
}
