/**
 * Writing a result to Lambda's response stream as Middy's streaming mode does
 * (`@middy/core` 7, `executionModeStreamifyResponse`): the result without its
 * body is the prelude (`awslambda.HttpResponseStream.from`), then the body: a
 * string or bytes written as they are, a stream piped.
 *
 * @module http/response-stream
 */
import type { Writable } from 'node:stream';
import { isHttpResult } from './result.js';
import { isStreamBodyKind } from './stream-body.js';

/** The `awslambda` global of the Lambda Node.js runtime, as far as the library uses it. */
export interface AwsLambdaRuntime {
  /** Marks a handler `(event, responseStream, context)` as a streaming one. */
  streamifyResponse<T>(handler: T): T;
  HttpResponseStream: {
    /** The response stream with the prelude (status, headers, cookies) written before the first body byte. */
    from(stream: Writable, prelude: Record<string, unknown>): Writable;
  };
}

/**
 * The runtime's `awslambda` global, present in the Lambda Node.js runtime
 * (aws-lambda-nodejs-runtime-interface-client); `undefined` elsewhere.
 */
export function lambdaRuntime(): AwsLambdaRuntime | undefined {
  return (globalThis as { awslambda?: AwsLambdaRuntime }).awslambda;
}

/**
 * Write a result to the response stream and end it. An HTTP result: its
 * prelude, then its body (bytes as they are, `isBase64Encoded` not decoded,
 * as Middy does). Anything else: a string as is, other values as JSON.
 */
export async function writeResult(runtime: AwsLambdaRuntime, responseStream: Writable, result: unknown): Promise<void> {
  let stream = responseStream;
  let body: unknown = result ?? '';
  if (isHttpResult(result)) {
    const { body: resultBody, ...prelude } = result as unknown as Record<string, unknown>;
    body = resultBody ?? '';
    stream = runtime.HttpResponseStream.from(responseStream, prelude);
    stream.write(''); // the prelude goes out now, before a slow body's first byte
  }
  if (typeof body !== 'string' && !(body instanceof Uint8Array) && isStreamBodyKind(body)) {
    // The builtin is taken on use: an ESM bundle hoists a static import of it to its top, paid by every cold start.
    await process.getBuiltinModule('node:stream/promises').pipeline(body as AsyncIterable<Uint8Array>, stream);
    return;
  }
  const bytes = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(bytes, () => resolve());
  });
}
