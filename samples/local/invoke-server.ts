/**
 * A local Lambda `Invoke` front end (the `RequestResponse` invocation an SDK
 * `InvokeCommand` makes), on loopback: `POST /2015-03-31/functions/<name>/invocations`
 * with the event as the body runs the function and answers its result, as the
 * Lambda service does, enforcing the response limit exactly: a serialized
 * result over 6,291,556 bytes is not returned; the caller gets
 * `X-Amz-Function-Error: Unhandled` and a `Function.ResponseSizeTooLarge` error
 * payload instead. A thrown error comes back the same way, with its `name` as
 * `errorType`.
 *
 * And a modelled Step Functions `lambda:invoke` task over it: the task's output
 * (the function's result) may be at most 262,144 bytes, or the task fails with
 * `States.DataLimitExceeded`.
 *
 * The limits are written out here, not imported from the library, so the
 * emulator checks the library rather than sharing its numbers. Sources:
 * aws-lambda-runtime-interface-emulator `MaxPayloadSize = 6*1024*1024 + 100`;
 * Step Functions service quotas (256 KiB of UTF-8 per state input or output).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import type { AnyHandler } from './front-door-server.js';

const INVOKE_RESPONSE_MAX = 6 * 1024 * 1024 + 100;
const STATE_MAX = 256 * 1024;

/** What the caller of `Invoke` gets. */
export interface InvokeAnswer {
  /** `X-Amz-Function-Error` (`Unhandled`), when the invocation failed. */
  readonly functionError: string | undefined;
  /** The payload: the result's JSON, or the error document. */
  readonly payload: Buffer;
  /** UTF-8 bytes of the function's serialized result, as Lambda counted them. */
  readonly resultBytes: number;
}

/** A running invoke front end. */
export interface InvokeFrontEnd {
  readonly url: string;
  /** Invoke `name` with `event`, as `InvokeCommand` would (over HTTP, on loopback). */
  invoke(name: string, event: unknown): Promise<InvokeAnswer>;
  stop(): Promise<void>;
}

/**
 * Serve `functions` on 127.0.0.1.
 *
 * @param functions - handlers by function name
 * @param timeoutMs - the function timeout that `getRemainingTimeInMillis` counts down from
 */
export async function startInvokeFrontEnd(functions: Record<string, AnyHandler>, timeoutMs = 30_000): Promise<InvokeFrontEnd> {
  const server: Server = createServer((req, res) => {
    const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '')?.[1];
    const handler = name === undefined ? undefined : functions[decodeURIComponent(name)];
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || handler === undefined) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end('{"message":"Function not found"}');
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const until = Date.now() + timeoutMs;
      const context = {
        functionName: name,
        awsRequestId: `invoke-${Date.now()}`,
        getRemainingTimeInMillis: () => until - Date.now(),
      } as unknown as Context;
      void (async () => {
        let result: unknown;
        try {
          result = await handler(text === '' ? {} : JSON.parse(text), context);
        } catch (error) {
          const e = error as Error;
          return answer(res, 'Unhandled', { errorType: e?.name ?? 'Error', errorMessage: String(e?.message ?? error) }, 0);
        }
        const payload = Buffer.from(JSON.stringify(result === undefined ? null : result) ?? 'null', 'utf8');
        if (payload.length > INVOKE_RESPONSE_MAX) {
          return answer(
            res,
            'Unhandled',
            {
              errorType: 'Function.ResponseSizeTooLarge',
              errorMessage: `Response payload size (${payload.length} bytes) exceeded maximum allowed payload size (${INVOKE_RESPONSE_MAX} bytes).`,
            },
            payload.length,
          );
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-result-bytes': String(payload.length) });
        res.end(payload);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async invoke(name, event) {
      const response = await fetch(`${url}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
        method: 'POST',
        body: JSON.stringify(event),
      });
      const payload = Buffer.from(await response.arrayBuffer());
      return {
        functionError: response.headers.get('x-amz-function-error') ?? undefined,
        payload,
        resultBytes: Number(response.headers.get('x-result-bytes') ?? payload.length),
      };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(res: import('node:http').ServerResponse, functionError: string, error: object, resultBytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': functionError, 'x-result-bytes': String(resultBytes) });
  res.end(JSON.stringify(error));
}

/** How a modelled Step Functions task ended. */
export type TaskOutcome =
  | { readonly ok: true; readonly output: unknown; readonly outputBytes: number }
  | { readonly ok: false; readonly error: string; readonly cause: string; readonly resultBytes: number };

/**
 * A Step Functions `arn:aws:states:::lambda:invoke` task with
 * `OutputPath: $.Payload`: the function's error fails the task; an output
 * over 262,144 bytes fails it with `States.DataLimitExceeded`.
 */
export async function runTask(frontEnd: InvokeFrontEnd, name: string, input: unknown): Promise<TaskOutcome> {
  const answered = await frontEnd.invoke(name, input);
  if (answered.functionError !== undefined) {
    const error = JSON.parse(answered.payload.toString('utf8')) as { errorType: string; errorMessage: string };
    return { ok: false, error: error.errorType, cause: error.errorMessage, resultBytes: answered.resultBytes };
  }
  if (answered.payload.length > STATE_MAX) {
    return {
      ok: false,
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      resultBytes: answered.payload.length,
    };
  }
  return { ok: true, output: JSON.parse(answered.payload.toString('utf8')) as unknown, outputBytes: answered.payload.length };
}
