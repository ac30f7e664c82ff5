/**
 * The response stream the Lambda Node.js runtime gives a streaming handler,
 * and its `awslambda` global, stubbed the way the runtime provides them
 * (aws-lambda-nodejs-runtime-interface-client `HttpResponseStream.from`): the
 * prelude JSON and 8 NUL bytes go out before the first body chunk.
 */
import { Writable } from 'node:stream';

export const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const DELIMITER = Buffer.alloc(8);

/** The response stream the runtime passes to a streaming handler: collects every byte written. */
export class ResponseSink extends Writable {
  readonly chunks: Buffer[] = [];
  contentType: string | undefined;
  /** Set by `HttpResponseStream.from`: writes the prelude before the first body byte. */
  onBeforeFirstWrite: ((write: (chunk: Buffer | string) => void) => void) | undefined;
  private started = false;

  setContentType(type: string): void {
    this.contentType = type;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.onBeforeFirstWrite?.((chunk) => this.chunks.push(Buffer.from(chunk)));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.start();
    this.chunks.push(Buffer.from(chunk));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.start();
    callback();
  }

  /** The prelude (status, headers, cookies) and the body bytes, as the client gets them. */
  received(): { prelude: Record<string, any> | undefined; body: Buffer } {
    const all = Buffer.concat(this.chunks);
    if (this.onBeforeFirstWrite === undefined) return { prelude: undefined, body: all };
    const end = all.indexOf(DELIMITER);
    return { prelude: JSON.parse(all.subarray(0, end).toString('utf8')), body: all.subarray(end + DELIMITER.length) };
  }
}

export const runtimeGlobal = {
  streamifyResponse<T extends object>(handler: T): T {
    Object.defineProperty(handler, STREAMING, { value: 'response', writable: false });
    return handler;
  },
  HttpResponseStream: {
    from(stream: ResponseSink, prelude: Record<string, unknown>): ResponseSink {
      stream.setContentType('application/vnd.awslambda.http-integration-response');
      const metadata = JSON.stringify(prelude);
      stream.onBeforeFirstWrite = (write) => {
        write(metadata);
        write(DELIMITER);
      };
      return stream;
    },
  },
};

/** Install {@link runtimeGlobal} as `globalThis.awslambda` for the tests of the file (or `describe`), as the runtime provides it. */
export function useRuntimeGlobal(): void {
  beforeAll(() => {
    (globalThis as { awslambda?: unknown }).awslambda = runtimeGlobal;
  });
  afterAll(() => {
    delete (globalThis as { awslambda?: unknown }).awslambda;
  });
}
