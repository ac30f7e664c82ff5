/**
 * The Lambda runtime of `lambda-s3-spill dev`: a child process that loads the
 * user's handler (its own module graph, so a reload or a timeout starts a fresh
 * one, as a new Lambda execution environment would), and runs one invocation at
 * a time, sent by the dev server over IPC. Each result is serialized as the
 * Node.js runtime does, `JSON.stringify(result === undefined ? null : result)`
 * (aws-lambda-nodejs-runtime-interface-client `src/utils/serialize.ts`), and
 * sent back as that string, which the server measures.
 *
 * Started as `node [--import tsx] runtime.js <module path> <export name>`.
 *
 * @module dev/runtime
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';

/** From the server. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
  /** Epoch milliseconds at which the function times out. */
  readonly deadline: number;
  readonly functionName: string;
  readonly timeoutMs: number;
  /** The front door streams (Function URL `RESPONSE_STREAM`, REST API `STREAM`): a streaming handler gets a response stream. */
  readonly streaming?: boolean;
}

/** From the server: a streamed chunk was sent on to the client; the next may come. */
export interface AckMessage {
  readonly type: 'ack';
  readonly id: number;
}

/** To the server. */
export type RuntimeMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly json: string }
  | { readonly type: 'error'; readonly id: number; readonly errorType: string; readonly errorMessage: string }
  /** A streaming handler's prelude (the result without its body), or its content type when it wrote none. */
  | { readonly type: 'stream-prelude'; readonly id: number; readonly prelude: Record<string, unknown>; readonly contentType?: string }
  /** A chunk of a streamed body; the next is sent after the server's ack. */
  | { readonly type: 'stream-chunk'; readonly id: number; readonly data: Uint8Array }
  /** The streaming handler finished and its stream ended. */
  | { readonly type: 'streamed'; readonly id: number };

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

function send(message: RuntimeMessage): void {
  process.send?.(message);
}

/** The codes Node gives `require()` of an ES module: refused outright, or an ESM-only package (exports with `import` only). */
const ESM_ONLY_CODES = new Set(['ERR_REQUIRE_ESM', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);

/**
 * What a CommonJS project does when its handler requires an ES module (Middy 7
 * is ESM-only: a new `npm init -y` project fails this way), for the errors
 * that say so, in the error or its causes.
 */
function esmOnlyHint(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ESM_ONLY_CODES.has(code)) {
      return (
        `${code}: a CommonJS module required an ES module (an ESM-only package such as @middy/core 7 cannot be required). ` +
        'In a CommonJS project (no "type": "module" in package.json), do one of: add "type": "module" to package.json; ' +
        'name the handler file .mts (or .mjs); or use Middy 6 (npm install @middy/core@6), which CommonJS can require.'
      );
    }
  }
  return undefined;
}

async function load(modulePath: string, exportName: string): Promise<Handler> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const hint = esmOnlyHint(error);
    throw new Error(`the module ${modulePath} does not load:\n${text}${hint === undefined ? '' : `\n\n${hint}`}`, { cause: error });
  }
  // A CommonJS module's exports are also the namespace's `default`.
  const fromDefault = (namespace.default as Record<string, unknown> | undefined)?.[exportName];
  const exported = namespace[exportName] ?? (typeof namespace.default === 'object' || typeof namespace.default === 'function' ? fromDefault : undefined);
  if (typeof exported !== 'function') {
    const names = Object.keys(namespace).filter((n) => n !== 'default' || typeof namespace.default !== 'object');
    const defaultNames = typeof namespace.default === 'object' && namespace.default !== null ? Object.keys(namespace.default) : [];
    const all = [...new Set([...names, ...defaultNames])].filter((n) => n !== '__esModule');
    throw new Error(
      exported === undefined
        ? `the module ${modulePath} has no export "${exportName}" (it exports: ${all.join(', ') || 'nothing'}); name it after #, e.g. ${modulePath}#${all[0] ?? 'handler'}`
        : `the export "${exportName}" of ${modulePath} is not a function (it is ${exported === null ? 'null' : typeof exported})`,
    );
  }
  return exported as Handler;
}

function contextFor(message: InvokeMessage): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: message.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:123456789012:function:${message.functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${message.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Call the handler (async, or with a callback) and settle with its result. */
function call(handler: Handler, message: InvokeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (error: unknown, result?: unknown): void => (error ? reject(error) : resolve(result));
    try {
      const answer = handler(message.event, contextFor(message), callback);
      if (answer !== undefined && typeof (answer as Promise<unknown>).then === 'function') {
        (answer as Promise<unknown>).then(resolve, reject);
      } else if (handler.length < 3) {
        resolve(answer);
      }
    } catch (error) {
      reject(error);
    }
  });
}

/** The mark `awslambda.streamifyResponse` puts on a streaming handler (aws-lambda-nodejs-runtime-interface-client). */
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const PRELUDE = Symbol('prelude');

/** The response stream a streaming handler writes to: chunks go to the server one at a time (its ack is the back pressure). */
class ResponseStream extends Writable {
  private contentType: string | undefined;
  private sentPrelude = false;
  private waiting: (() => void) | undefined;

  public constructor(private readonly id: number) {
    super();
  }

  public setContentType(type: string): void {
    this.contentType = type;
  }

  public [PRELUDE](prelude: Record<string, unknown>): void {
    this.sentPrelude = true;
    send({ type: 'stream-prelude', id: this.id, prelude });
  }

  public acked(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  public override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.sentPrelude) this[PRELUDE]({ ...(this.contentType === undefined ? {} : { headers: { 'content-type': this.contentType } }) });
    if (chunk.length === 0) return callback();
    this.waiting = () => callback();
    send({ type: 'stream-chunk', id: this.id, data: chunk });
  }

  public override _final(callback: (error?: Error | null) => void): void {
    if (!this.sentPrelude) this[PRELUDE]({});
    callback();
  }
}

/** The `awslambda` global the Lambda Node.js runtime provides: `streamifyResponse` and `HttpResponseStream.from`. */
const awslambda = {
  streamifyResponse<T extends object>(handler: T): T {
    Object.defineProperty(handler, STREAMING, { value: 'response' });
    return handler;
  },
  HttpResponseStream: {
    from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream {
      stream[PRELUDE](prelude);
      return stream;
    },
  },
};

let streamInFlight: ResponseStream | undefined;

/** Call a streaming handler with a response stream; settle when it returned and its stream finished. */
async function callStreaming(handler: Handler, message: InvokeMessage): Promise<void> {
  const stream = new ResponseStream(message.id);
  streamInFlight = stream;
  try {
    await (handler as unknown as (event: unknown, stream: Writable, context: unknown) => Promise<void>)(message.event, stream, contextFor(message));
    if (!stream.writableFinished) await finished(stream);
  } finally {
    streamInFlight = undefined;
  }
}

async function main(): Promise<void> {
  const [modulePath, exportName] = process.argv.slice(2);
  (globalThis as { awslambda?: unknown }).awslambda = awslambda;
  // Stop when the server goes away, whatever the handler keeps open.
  process.on('disconnect', () => process.exit(0));
  let handler: Handler;
  try {
    handler = await load(modulePath, exportName);
  } catch (error) {
    send({ type: 'init-error', message: (error as Error).message });
    return;
  }
  process.on('message', (message: InvokeMessage | AckMessage) => {
    if (message?.type === 'ack') {
      streamInFlight?.acked();
      return;
    }
    if (message?.type !== 'invoke') return;
    if (message.streaming === true && (handler as unknown as Record<symbol, unknown>)[STREAMING] !== undefined) {
      callStreaming(handler, message).then(
        () => send({ type: 'streamed', id: message.id }),
        (error: unknown) => {
          const e = error instanceof Error ? error : new Error(String(error));
          console.error(`${new Date().toISOString()}\tERROR\tInvoke Error\t${e.stack ?? e.message}`);
          send({ type: 'error', id: message.id, errorType: e.name, errorMessage: e.message });
        },
      );
      return;
    }
    call(handler, message).then(
      (result) => {
        let json: string;
        try {
          json = JSON.stringify(result === undefined ? null : result) ?? 'null';
        } catch (error) {
          send({ type: 'error', id: message.id, errorType: 'Runtime.SerializationError', errorMessage: (error as Error).message });
          return;
        }
        send({ type: 'result', id: message.id, json });
      },
      (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        console.error(`${new Date().toISOString()}\tERROR\tInvoke Error\t${e.stack ?? e.message}`);
        send({ type: 'error', id: message.id, errorType: e.name, errorMessage: e.message });
      },
    );
  });
  send({ type: 'ready' });
}

void main();
