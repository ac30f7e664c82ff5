/**
 * The rig of the fault tests: a local S3, a fault proxy in front of it, S3
 * clients that talk through the proxy, and a spilling handler behind a local
 * Function URL, as a client would meet it. Loopback only.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import httpErrorHandler from '@middy/http-error-handler';
import { s3Spill, type S3SpillOptions } from 'lambda-s3-spill';
import { type EmulatedFrontDoor, startFrontDoor } from '../../samples/local/front-door-server.js';
import { TEST_CREDENTIALS } from '../security/leak-watch.js';

/** A client for a local endpoint (the proxy, or a refused port), signing with the test credentials. */
export function testClient(endpoint: string, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  });
}

/** What the client of the Function URL got. */
export interface ClientView {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** Milliseconds from request to the end of the answer. */
  readonly elapsedMs: number;
}

/** The result a spilling handler returns: over the limit it is given. */
export function bigResult(bytes: number): { statusCode: number; headers: Record<string, string>; body: string } {
  return { statusCode: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'f'.repeat(bytes) };
}

/**
 * Serve a handler that returns `result`, wrapped in `s3Spill(options)` and (unless
 * `errorHandler` is false) `@middy/http-error-handler` with `logger`, behind an
 * emulated front door; send one POST; stop the front door.
 */
export async function invokeThroughFrontDoor(input: {
  result: unknown;
  options: S3SpillOptions;
  errorLogger?: (error: unknown) => void;
  errorHandler?: boolean;
  timeoutMs?: number;
  frontDoor?: EmulatedFrontDoor;
  onThrown?: (error: unknown) => void;
}): Promise<ClientView> {
  // Compression off: these bodies are repetitive, and would fit inline compressed; the faults are S3's.
  let handler = middy(async () => input.result).use(s3Spill({ compress: false, ...input.options }));
  if (input.errorHandler !== false) handler = handler.use(httpErrorHandler({ logger: input.errorLogger ?? false }));
  const wrapped = async (event: unknown, context: Context): Promise<unknown> => {
    try {
      return await handler(event, context);
    } catch (error) {
      input.onThrown?.(error);
      throw error;
    }
  };
  const door = await startFrontDoor(wrapped, input.frontDoor ?? 'function-url', input.timeoutMs ?? 30_000);
  try {
    const started = performance.now();
    const response = await fetch(`${door.url}/report`, { method: 'POST', body: 'q', redirect: 'manual' });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body, elapsedMs: performance.now() - started };
  } finally {
    await door.stop();
  }
}

/** Wait until `condition` holds, checking every 10 ms, for at most `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

/** Active timers of this process (`process.getActiveResourcesInfo`). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}
