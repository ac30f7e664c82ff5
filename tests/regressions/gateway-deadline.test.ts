/**
 * Issue 11, item 5: the deadline is
 * min(context.getRemainingTimeInMillis(), gateway time left) - timeoutEarlyInMillis,
 * where gateway time left = requestContext.requestTimeEpoch (REST) or
 * requestContext.timeEpoch (HTTP API) + the integration timeout (29,000 REST,
 * 30,000 HTTP API by default; `integrationTimeoutInMillis` for a raised REST
 * timeout) - Date.now().
 *
 * S3 here is a local TCP server that accepts connections and never answers.
 * Each call is raced against a timer, so a test fails in seconds, not after the
 * ~59 s today's code would wait.
 */
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { Context } from 'aws-lambda';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { s3Spill, SpillTimeoutError } from 'lambda-s3-spill';
import { eventOf, recordingLogger } from '../support/events.js';

let stalled: Server;
const sockets = new Set<Socket>();
const clients: S3Client[] = [];
let endpoint: string;

beforeAll(async () => {
  stalled = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => stalled.close(resolve));
});

function stalledClient(): S3Client {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDSTALLED', secretAccessKey: 'stalled-secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

const contextWith = (remainingMs: number) =>
  ({ awsRequestId: 'req-1', functionName: 'test', getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

const big = () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'd'.repeat(6_291_556) });

function handlerWith(extra: Record<string, unknown> = {}, errorHandler = false) {
  let handler = middy(async () => big()).use(
    s3Spill({
      bucket: 'spill-bucket',
      s3Client: stalledClient(),
      logger: recordingLogger().logger,
      compress: false,
      timeoutEarlyInMillis: 1000,
      ...extra,
    } as Parameters<typeof s3Spill>[0]),
  );
  if (errorHandler) handler = handler.use(httpErrorHandler({ logger: false }));
  return handler;
}

type Outcome = { settled: 'resolved' | 'rejected'; value: unknown; elapsedMs: number };

/** Start the call; its outcome is recorded, never left unhandled. */
function start(call: Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  return call.then(
    (value) => ({ settled: 'resolved' as const, value, elapsedMs: performance.now() - started }),
    (value: unknown) => ({ settled: 'rejected' as const, value, elapsedMs: performance.now() - started }),
  );
}

/** The outcome, or 'still running' when `ms` passed first. */
async function within(outcome: Promise<Outcome>, ms: number): Promise<Outcome | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  try {
    return await Promise.race([outcome, late]);
  } finally {
    clearTimeout(timer);
  }
}

const restEvent = (arrivedMsAgo: number) => {
  const event = eventOf('rest-v1', 'POST') as { requestContext: Record<string, unknown> };
  event.requestContext.requestTimeEpoch = Date.now() - arrivedMsAgo;
  return event;
};
const httpApiEvent = (arrivedMsAgo: number) => {
  const event = eventOf('http-v2', 'POST') as { requestContext: Record<string, unknown> };
  event.requestContext.timeEpoch = Date.now() - arrivedMsAgo;
  return event;
};

describe('a stalled S3 behind API Gateway, 27.5 s after the request arrived, 60 s left in the function', () => {
  it('REST API (requestTimeEpoch, 29 s): SpillTimeoutError (503) in well under 5 s', async () => {
    const outcome = await within(start(handlerWith()(restEvent(27_500), contextWith(60_000))), 6_000);
    expect(outcome).not.toBe('still running');
    const { settled, value, elapsedMs } = outcome as Outcome;
    expect(settled).toBe('rejected');
    expect(value).toBeInstanceOf(SpillTimeoutError);
    expect((value as SpillTimeoutError).statusCode).toBe(503);
    expect(elapsedMs).toBeLessThan(5_000);
  }, 15_000);

  it('REST API with @middy/http-error-handler: the client gets the 503 before the gateway 504', async () => {
    const outcome = await within(start(handlerWith({}, true)(restEvent(27_500), contextWith(60_000))), 6_000);
    expect(outcome).not.toBe('still running');
    const { settled, value, elapsedMs } = outcome as Outcome;
    expect(settled).toBe('resolved');
    expect(value).toMatchObject({ statusCode: 503 });
    expect(elapsedMs).toBeLessThan(5_000);
  }, 15_000);

  it('HTTP API payload 2.0 (timeEpoch, 30 s): SpillTimeoutError (503) in well under 5 s', async () => {
    const outcome = await within(start(handlerWith()(httpApiEvent(27_500), contextWith(60_000))), 6_000);
    expect(outcome).not.toBe('still running');
    const { settled, value, elapsedMs } = outcome as Outcome;
    expect(settled).toBe('rejected');
    expect(value).toBeInstanceOf(SpillTimeoutError);
    expect(elapsedMs).toBeLessThan(5_000);
  }, 15_000);
});

describe('integrationTimeoutInMillis: 60_000 on a REST API lifts the 29 s cap', () => {
  it('the call is still running at 2.5 s, and ends with SpillTimeoutError at the function deadline (~3 s)', async () => {
    // 27.5 s after arrival: a 29 s cap would end it at ~0.5 s; the raised timeout leaves 32.5 s,
    // so the function's own 4 s (less timeoutEarlyInMillis 1 s) decides.
    const outcome = start(handlerWith({ integrationTimeoutInMillis: 60_000 })(restEvent(27_500), contextWith(4_000)));
    expect(await within(outcome, 2_500)).toBe('still running');
    const final = await within(outcome, 4_000);
    expect(final).not.toBe('still running');
    const { settled, value, elapsedMs } = final as Outcome;
    expect(settled).toBe('rejected');
    expect(value).toBeInstanceOf(SpillTimeoutError);
    expect(elapsedMs).toBeGreaterThanOrEqual(2_900);
    expect(elapsedMs).toBeLessThan(4_500);
  }, 15_000);
});
