/**
 * `lambda-s3-spill dev`: the user's handler behind a local front door that
 * enforces Lambda's limits exactly, with an embedded S3 its default client
 * reaches through the SDK's own `AWS_ENDPOINT_URL_S3`.
 *
 * - request: the event over {@link LAMBDA_REQUEST_MAX_BYTES} (a body over
 *   {@link ALB_REQUEST_BODY_MAX_BYTES} behind an ALB) answers 413, the handler not called;
 * - result: its serialized bytes over {@link LAMBDA_RESPONSE_MAX_BYTES}
 *   ({@link ALB_RESPONSE_MAX_BYTES} behind an ALB) answers 502, as the service does;
 * - time: `context.getRemainingTimeInMillis()` counts down from `--timeout`; a
 *   handler still running then answers 502 and its runtime is replaced, as Lambda does.
 *
 * @module dev/server
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALB_REQUEST_BODY_MAX_BYTES,
  ALB_RESPONSE_MAX_BYTES,
  LAMBDA_DEFAULT_TIMEOUT_SECONDS,
  LAMBDA_REQUEST_MAX_BYTES,
  LAMBDA_RESPONSE_MAX_BYTES,
} from '../limits.js';
import { SPILL_CONTRACT } from '../contract.js';
import { DEV_MARKER } from '../s3/endpoint-guard.js';
import { REFERENCE_MEDIA_TYPE } from '../http/reference.js';
import { DevSetupError } from './errors.js';
import { type Answer, answerFor, bodyEventBytesAtLeast, type DevFrontDoor, eventFor, failureAnswer, type FrontDoorSettings } from './front-door.js';
import { type EmbeddedS3, startEmbeddedS3 } from './local-s3.js';
import type { InvokeMessage, RuntimeMessage } from './runtime.js';
import { ShapedStream, STREAM_TOO_LARGE_MESSAGE, type StreamPrelude } from './stream-response.js';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** The handler module (TypeScript or JavaScript, ESM or CommonJS). */
  readonly module: string;
  /** @default 'handler' */
  readonly exportName?: string;
  /** @default 'function-url' */
  readonly frontDoor?: DevFrontDoor;
  /** HTTP API payload format. @default '2.0' */
  readonly payload?: '1.0' | '2.0';
  /** ALB target group with multi-value headers on. @default false */
  readonly multiValueHeaders?: boolean;
  /** Port on 127.0.0.1 (0: any free one). @default 3000 */
  readonly port?: number;
  /** Function timeout in seconds. @default 3 */
  readonly timeoutSeconds?: number;
  /** Reload the handler when a file under its folder changes. @default false */
  readonly watch?: boolean;
  /** Where the embedded S3 keeps objects (kept). @default - a temporary folder, deleted at stop */
  readonly dataDir?: string;
  /** @default 'lambda-s3-spill-dev' */
  readonly bucket?: string;
  /** @default 'spill/' */
  readonly prefix?: string;
  /** Port of the embedded S3 on 127.0.0.1. @default 0 (any free one) */
  readonly s3Port?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /**
   * The front door streams: a Function URL with `RESPONSE_STREAM`, a REST API
   * with `responseTransferMode: STREAM`. A streaming handler's response is
   * sent as Lambda sends it (the first 6 MiB fast, then 2 MiB/s, cut at 200 MiB).
   * @default false
   */
  readonly streaming?: boolean;
  /** The function's memory in MB: `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, and the cap of the handler's heap. @default 1024 */
  readonly memoryMB?: number;
  /** Where request lines and notices go. @default console.log */
  readonly log?: (line: string) => void;
  /** Working directory (TypeScript loader, s3rver and relative paths are resolved from it). @default process.cwd() */
  readonly cwd?: string;
}

/** What happened to one request, as its log line says it. */
export type Outcome =
  | 'inline'
  | 'inline compressed'
  | 'spilled'
  | 'reference'
  | 'streamed'
  | 'stream cut at 200 MiB'
  | '502 too large'
  | '413'
  | 'timeout'
  | 'error';

/** One request, as logged. */
export interface RequestRecord {
  readonly method: string;
  /** The path, never the query string. */
  readonly path: string;
  readonly status: number;
  /** UTF-8 bytes of the serialized result (`undefined` when the handler did not answer). */
  readonly resultBytes: number | undefined;
  readonly outcome: Outcome;
  readonly ms: number;
}

/** A running dev server. */
export interface DevServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly s3: EmbeddedS3;
  /** The environment the handler runs with. */
  readonly env: Readonly<Record<string, string>>;
  /** Every request so far, oldest first. */
  readonly requests: RequestRecord[];
  /** Stop everything: the front door, the runtime, the embedded S3. */
  stop(): Promise<void>;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** The tsx loader, from the user's project first, then from beside this package. */
function tsxLoader(cwd: string): string {
  for (const base of [resolve(cwd, 'package.json'), import.meta.url]) {
    try {
      return createRequire(base).resolve('tsx');
    } catch {
      // next
    }
  }
  throw new DevSetupError('lambda-s3-spill dev needs tsx to load a TypeScript handler: npm install --save-dev tsx');
}

/** The format of a request line: time, method, path, status, result bytes, outcome, duration. */
export function formatRecord(record: RequestRecord, at = new Date()): string {
  const bytes = record.resultBytes === undefined ? '-' : `${record.resultBytes.toLocaleString('en-US')} B`;
  return `${at.toISOString().slice(11, 23)} ${record.method} ${record.path} ${record.status} ${bytes} ${record.outcome} ${record.ms} ms`;
}

interface Pending {
  readonly id: number;
  /** Receives a streaming handler's prelude and chunks (a chunk is acknowledged when the promise settles). */
  readonly onStream?: (message: Extract<RuntimeMessage, { type: 'stream-prelude' | 'stream-chunk' }>) => Promise<void> | void;
  resolve(message: RuntimeMessage | { type: 'timeout' } | { type: 'crash'; message: string }): void;
}

/** One Lambda execution environment: a child process with the handler loaded. */
class Runtime {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private pending: Pending | undefined;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  constructor(modulePath: string, exportName: string, env: Record<string, string>, cwd: string, memoryMB: number) {
    const here = fileURLToPath(import.meta.url);
    const runtimeFile = resolve(dirname(here), `runtime${extname(here)}`);
    const needsTsx = TYPESCRIPT.has(extname(modulePath)) || TYPESCRIPT.has(extname(runtimeFile));
    // The heap capped at the function's memory: a handler that holds too much fails here as it would on Lambda.
    const execArgv = ['--enable-source-maps', `--max-old-space-size=${memoryMB}`, ...(needsTsx ? ['--import', tsxLoader(cwd)] : [])];
    this.child = fork(runtimeFile, [modulePath, exportName], {
      cwd,
      env,
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exitPromise = new Promise((done) => this.child.once('exit', () => done()));
    this.ready = new Promise((ready, fail) => {
      this.child.on('message', (message: RuntimeMessage) => {
        if (message.type === 'ready') ready();
        else if (message.type === 'init-error') fail(new DevSetupError(message.message));
        else if (message.type === 'stream-prelude' || message.type === 'stream-chunk') {
          const pending = this.pending;
          if (pending?.id !== message.id) return;
          void Promise.resolve(pending.onStream?.(message)).then(() => {
            if (message.type === 'stream-chunk' && this.alive) this.child.send({ type: 'ack', id: message.id });
          });
        } else if (this.pending?.id === message.id) {
          const pending = this.pending;
          this.pending = undefined;
          pending.resolve(message);
        }
      });
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        fail(new DevSetupError(`the handler's runtime exited while loading (${signal ?? `code ${code}`})`));
        const pending = this.pending;
        this.pending = undefined;
        pending?.resolve({ type: 'crash', message: `Runtime exited with ${signal ?? `code ${code}`}` });
      });
    });
    this.ready.catch(() => undefined);
  }

  get alive(): boolean {
    return !this.exited;
  }

  invoke(
    message: InvokeMessage,
    timeoutMs: number,
    onStream?: Pending['onStream'],
  ): Promise<RuntimeMessage | { type: 'timeout' } | { type: 'crash'; message: string }> {
    return new Promise((resolveInvoke) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolveInvoke({ type: 'timeout' });
      }, timeoutMs);
      this.pending = {
        id: message.id,
        onStream,
        resolve: (answer) => {
          clearTimeout(timer);
          resolveInvoke(answer);
        },
      };
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.exitPromise;
  }
}

/**
 * Start the dev server: the front door on 127.0.0.1, the embedded S3, and the
 * handler's runtime (loaded before this resolves). The port opens first; a
 * request that arrives before the rest is ready waits for it.
 *
 * @throws DevSetupError for a port in use, a module that does not load, an export that is not a function, a missing peer
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));
  const modulePath = resolve(cwd, options.module);
  const exportName = options.exportName ?? 'handler';
  if (!existsSync(modulePath)) throw new DevSetupError(`the module ${options.module} does not exist (resolved to ${modulePath})`);
  const settings: FrontDoorSettings = {
    frontDoor: options.frontDoor ?? 'function-url',
    payload: options.payload ?? '2.0',
    multiValueHeaders: options.multiValueHeaders ?? false,
    region: options.region ?? 'us-east-1',
  };
  const timeoutMs = Math.round((options.timeoutSeconds ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS) * 1000);
  const alb = settings.frontDoor === 'alb';
  const responseMax = alb ? ALB_RESPONSE_MAX_BYTES : LAMBDA_RESPONSE_MAX_BYTES;
  const requests: RequestRecord[] = [];
  // One invocation at a time, as one execution environment runs them.
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  // The port opens first (nothing else starts when it is taken); a request that arrives before
  // the embedded S3 and the handler are ready waits for them, as a cold start does.
  let started!: () => void;
  const startup = new Promise<void>((done) => (started = done));

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    void serve(req, res).catch((error: unknown) => {
      log(`lambda-s3-spill dev: internal error: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const server: Server = createServer(onRequest);
  server.on('checkContinue', onRequest);
  // The port first: nothing else is started when it is taken.
  await new Promise<void>((listening, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new DevSetupError(`port ${options.port ?? 3000} on 127.0.0.1 is in use: stop what holds it, or choose another with --port`)
          : error,
      );
    });
    server.listen(options.port ?? 3000, '127.0.0.1', () => listening());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let s3: EmbeddedS3;
  try {
    s3 = await startEmbeddedS3(options.bucket ?? 'lambda-s3-spill-dev', options.dataDir, options.s3Port ?? 0, cwd);
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  const functionName = 'lambda-s3-spill-dev';
  const memoryMB = options.memoryMB ?? 1024;
  const env: Record<string, string> = {
    ...stripped(process.env),
    [SPILL_CONTRACT.bucketEnv]: s3.bucket,
    [SPILL_CONTRACT.prefixEnv]: options.prefix ?? SPILL_CONTRACT.defaultPrefix,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    // s3rver 3.7 stores a streamed PutObject with its aws-chunked framing unless checksums are sent only when required.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMB),
    [DEV_MARKER]: '1',
  };

  let runtime: Runtime | undefined;
  let runtimeReady: Promise<void> = Promise.resolve();
  const startRuntime = (): Promise<void> => {
    const next = new Runtime(modulePath, exportName, env, cwd, memoryMB);
    runtime = next;
    runtimeReady = next.ready.catch(async (error: unknown) => {
      await next.stop();
      throw error;
    });
    return runtimeReady;
  };
  try {
    await startRuntime();
  } catch (error) {
    await closeServer(server);
    await s3.stop();
    throw error;
  }

  started();

  type InvokeAnswer = RuntimeMessage | { type: 'timeout' } | { type: 'crash'; message: string } | { type: 'init'; message: string };
  async function invoke(event: unknown, onStream?: Pending['onStream']): Promise<InvokeAnswer> {
    if (runtime === undefined || !runtime.alive) void startRuntime();
    try {
      await runtimeReady;
    } catch (error) {
      return { type: 'init', message: (error as Error).message };
    }
    const current = runtime!;
    const message: InvokeMessage = {
      type: 'invoke',
      id: nextId++,
      event,
      deadline: Date.now() + timeoutMs,
      functionName,
      timeoutMs,
      streaming: options.streaming === true,
    };
    const answer = await current.invoke(message, timeoutMs, onStream);
    if (answer.type === 'timeout') {
      // Lambda stops the environment of a timed-out invocation; the next one starts fresh.
      log(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
      await current.stop();
      void startRuntime().catch(() => undefined);
    }
    return answer;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const finish = (answer: Answer, outcome: Outcome, resultBytes: number | undefined): void => {
      send(res, answer);
      const record = { method, path, status: answer.status, resultBytes, outcome, ms: Math.round(performance.now() - arrived) };
      requests.push(record);
      log(formatRecord(record));
    };
    const tooLarge = () => finish(failureAnswer('request-too-large', settings, LAMBDA_REQUEST_MAX_BYTES), '413', undefined);
    // A client that asked to be told first (Expect: 100-continue, as curl does for a large body) sends nothing more on a 413.
    const body = await readBody(req, settings, () => {
      if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
    });
    // Answered before the rest arrives: whatever the client still sends is discarded as it comes, never held
    // (the connection stays open, so a client that sends its whole body before reading the answer still reads it).
    if (body === undefined) return tooLarge();
    const event = eventFor(req, body, settings);
    const eventBytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
    if ((alb && body.length > ALB_REQUEST_BODY_MAX_BYTES) || eventBytes >= LAMBDA_REQUEST_MAX_BYTES) return tooLarge();
    await startup;
    // A streaming front door: a streaming handler's prelude and chunks go to the client as Lambda sends them.
    const shaped = options.streaming === true ? new ShapedStream(res) : undefined;
    const onStream: Pending['onStream'] =
      shaped === undefined
        ? undefined
        : async (message) => {
            if (message.type === 'stream-prelude') shaped.prelude(message.prelude as StreamPrelude, message.contentType);
            else await shaped.write(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
          };
    const run = queue.then(() => invoke(event, onStream));
    queue = run.catch(() => undefined);
    const answer = await run;
    if (shaped !== undefined && (answer.type === 'streamed' || res.headersSent)) {
      // Streamed: one line with the bytes sent and the duration; a cut response carries Lambda's error in the log.
      if (shaped.cut) log(STREAM_TOO_LARGE_MESSAGE);
      shaped.end();
      const record = {
        method,
        path,
        status: res.statusCode,
        resultBytes: shaped.bytes,
        outcome: shaped.cut ? ('stream cut at 200 MiB' as const) : answer.type === 'streamed' ? ('streamed' as const) : ('error' as const),
        ms: Math.round(performance.now() - arrived),
      };
      requests.push(record);
      log(formatRecord(record));
      return;
    }
    if (answer.type === 'timeout') return finish(failureAnswer('function-error', settings, LAMBDA_REQUEST_MAX_BYTES), 'timeout', undefined);
    if (answer.type !== 'result') {
      if (answer.type === 'init') log(`lambda-s3-spill dev: the handler cannot run: ${answer.message}`);
      if (answer.type === 'crash') log(`lambda-s3-spill dev: ${answer.message}`);
      return finish(failureAnswer('function-error', settings, LAMBDA_REQUEST_MAX_BYTES), 'error', undefined);
    }
    const resultBytes = Buffer.byteLength(answer.json, 'utf8');
    if (resultBytes > responseMax) {
      log(`Response payload size exceeded maximum allowed payload size (${responseMax} bytes): ${resultBytes} bytes`);
      return finish(failureAnswer('function-error', settings, LAMBDA_REQUEST_MAX_BYTES), '502 too large', resultBytes);
    }
    const parsed: unknown = JSON.parse(answer.json);
    const http = answerFor(parsed, settings);
    if (http === undefined) {
      log('lambda-s3-spill dev: the result is not a valid response for this front door (statusCode missing or wrong)');
      return finish(failureAnswer('function-error', settings, LAMBDA_REQUEST_MAX_BYTES), 'error', resultBytes);
    }
    finish(http, outcomeOf(http, s3.endpoint), resultBytes);
  }

  let watcher: FSWatcher | undefined;
  if (options.watch === true) {
    const root = dirname(modulePath);
    let timer: NodeJS.Timeout | undefined;
    watcher = watch(root, { recursive: true }, (_kind, file) => {
      const name = String(file ?? '');
      if (name.split(sep).includes('node_modules') || resolve(root, name).startsWith(s3.directory)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        queue = queue.then(async () => {
          await runtime?.stop();
          try {
            await startRuntime();
            log(`lambda-s3-spill dev: reloaded ${relative(cwd, modulePath)} (${name} changed)`);
          } catch (error) {
            log(`lambda-s3-spill dev: reload failed: ${(error as Error).message}`);
          }
        });
      }, 150);
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    s3,
    env,
    requests,
    stop() {
      stopping ??= (async () => {
        watcher?.close();
        await Promise.all([closeServer(server), runtime?.stop()]);
        await s3.stop();
      })();
      return stopping;
    },
  };
}

/**
 * The request's body, or `undefined` as soon as `Content-Length` or the bytes
 * received so far show that its event would pass the front door's request
 * limit (the body over the ALB's, or the event over Lambda's, counting base64
 * where the body is encoded): the rest is left unread.
 */
function readBody(req: IncomingMessage, settings: FrontDoorSettings, accepted: () => void): Promise<Buffer | undefined> {
  const emptyEventBytes = Buffer.byteLength(JSON.stringify(eventFor(req, Buffer.alloc(0), settings)), 'utf8');
  const bodyEventBytes = bodyEventBytesAtLeast(req);
  const over = (bodyBytes: number): boolean =>
    (settings.frontDoor === 'alb' && bodyBytes > ALB_REQUEST_BODY_MAX_BYTES) ||
    emptyEventBytes + bodyEventBytes(bodyBytes) >= LAMBDA_REQUEST_MAX_BYTES;
  const declared = Number(req.headers['content-length']);
  if (Number.isSafeInteger(declared) && over(declared)) return Promise.resolve(undefined);
  accepted();
  return new Promise((resolveBody, fail) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', fail);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      chunks.push(chunk);
      if (!over(received)) return;
      stop();
      req.pause();
      chunks.length = 0;
      resolveBody(undefined);
    };
    const onEnd = (): void => {
      stop();
      resolveBody(Buffer.concat(chunks));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', fail);
  });
}

/** The environment without the caller's AWS credentials and endpoints: the handler must only ever reach the embedded S3. */
function stripped(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (/^AWS_(SESSION_TOKEN|SECURITY_TOKEN|PROFILE|DEFAULT_PROFILE|ENDPOINT_URL.*|CONTAINER_.*|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN|IGNORE_CONFIGURED_ENDPOINT_URLS)$/.test(name)) {
      continue;
    }
    out[name] = value;
  }
  return out;
}

/** What a result that passed became: a 303 to the embedded S3 is a spill; the reference type, a reference. */
function outcomeOf(answer: Answer, s3Endpoint: string): Outcome {
  const header = (name: string): string => {
    const value = answer.headers[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };
  if (answer.status === 303 && header('location').startsWith(`${s3Endpoint}/`)) return 'spilled';
  if (header('content-type').toLowerCase().startsWith(REFERENCE_MEDIA_TYPE)) return 'reference';
  const coding = header('content-encoding').toLowerCase();
  if (coding !== '' && coding !== 'identity') return 'inline compressed';
  return 'inline';
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  res.end(answer.body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.closeAllConnections();
    server.close(() => done());
  });
}
