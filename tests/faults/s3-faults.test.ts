/**
 * Faults on the way to S3, met through a local Function URL as a client meets
 * them: S3 refusing or resetting connections, answering 500/503/SlowDown,
 * stalling (whole, or after part of the body, or on one part of a multipart
 * upload), no or expired credentials, a credential provider that hangs, and the
 * Lambda deadline. For each: the client's status and small JSON body, the error
 * logged once with its cause, no object left under a URL, bounded SDK retries
 * (counted at the fault proxy), and no connection or timer left behind.
 *
 * Bodies are 100 KB over a `maxBytes` lowered to 64 KiB (the path is the same as
 * for a 7 MB body and the suite stays fast); the multipart cases upload 11 MB,
 * and one deadline case a real 7 MB body.
 */
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { S3SpillError, type S3SpillOptions, SpillTimeoutError, SpillUploadError } from 'lambda-s3-spill';
import { type FaultPlan, passAll, refusedEndpoint } from '../../samples/local/fault-proxy.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { listKeys } from '../support/s3-objects.js';
import { testNoLeaks, TEST_CREDENTIALS, watchForLeaks } from '../security/leak-watch.js';
import { activeTimers, bigResult, eventually, invokeThroughFrontDoor, testClient } from './harness.js';

const watch = watchForLeaks();

const { s3, proxy } = useLocalS3BehindFaultProxy('fault-spill');
beforeEach(() => {
  proxy.setPlan(passAll);
  proxy.requests.splice(0);
});

const MAX_BYTES = 64 * 1024;
const BODY_BYTES = 100_000;
const MIB = 1024 * 1024;

const isPut = (r: { method: string; query: string }): boolean => r.method === 'PUT' && !r.query.includes('partNumber');
const isPart = (n: number) => (r: { method: string; query: string }): boolean =>
  r.method === 'PUT' && new URLSearchParams(r.query).get('partNumber') === String(n);
const isAbortMultipart = (r: { method: string; query: string }): boolean =>
  r.method === 'DELETE' && r.query.includes('uploadId=');

/** A plan that applies `action` to the requests `match` selects and passes the rest. */
function only(match: (r: { method: string; query: string }) => boolean, action: ReturnType<FaultPlan>): FaultPlan {
  return (r) => (match(r) ? action : { kind: 'pass' });
}

/** Environment of a Lambda with no credentials: no keys, no profile files, no metadata endpoint. */
function withoutCredentials(): () => void {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_REGION: 'us-east-1',
  });
  return () => {
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, saved);
  };
}

interface FaultCase {
  readonly name: string;
  readonly plan?: FaultPlan;
  /** The S3 client the middleware uses; default: the test client through the proxy. */
  readonly client?: () => Promise<S3Client>;
  /** Set up before the invocation; returns the undo. */
  readonly setup?: () => () => void;
  readonly options?: Partial<S3SpillOptions>;
  readonly bodyBytes?: number;
  /** The function timeout the front door counts down from. */
  readonly timeoutMs?: number;
  readonly status: 502 | 503;
  readonly error: typeof SpillUploadError | typeof SpillTimeoutError;
  /** Name (or code) the logged error's cause must have. */
  readonly cause: RegExp;
  /** Requests the proxy must have seen, by kind. */
  readonly requests?: { readonly match: (r: { method: string; query: string }) => boolean; readonly count: number }[];
  /** The SDK's own attempt count on the cause (`$metadata.attempts`), when no proxy saw the requests. */
  readonly attempts?: number;
  /** The answer must come within this many milliseconds. */
  readonly withinMs: number;
  /**
   * s3rver writes a PutObject body in place, so a body cut off mid-way leaves a
   * truncated object in its listing (real S3 stores nothing for an incomplete
   * PutObject). The test then checks that it is truncated and that no URL to it
   * was handed out, and removes it.
   */
  readonly s3rverLeavesTruncatedObject?: boolean;
  /** Timers the SDK leaves running after an abort (its back-off sleep is raced, not cleared). */
  readonly sdkTimersLeft?: number;
}

const multipart: Partial<S3SpillOptions> = { multipartThreshold: 5 * MIB, partSize: 5 * MIB };

const CASES: FaultCase[] = [
  {
    name: 'S3 refuses connections (ECONNREFUSED)',
    client: async () => testClient(await refusedEndpoint()),
    status: 502,
    error: SpillUploadError,
    cause: /ECONNREFUSED/,
    attempts: 3,
    withinMs: 5_000,
  },
  {
    name: 'S3 resets every connection (ECONNRESET)',
    plan: () => ({ kind: 'reset' }),
    status: 502,
    error: SpillUploadError,
    cause: /ECONNRESET/,
    requests: [{ match: isPut, count: 3 }],
    withinMs: 5_000,
  },
  {
    name: 'S3 answers 500 InternalError',
    plan: () => ({ kind: 'error', status: 500, code: 'InternalError', message: 'We encountered an internal error.' }),
    status: 502,
    error: SpillUploadError,
    cause: /InternalError/,
    requests: [{ match: isPut, count: 3 }],
    withinMs: 5_000,
  },
  {
    name: 'S3 answers 503 ServiceUnavailable',
    plan: () => ({ kind: 'error', status: 503, code: 'ServiceUnavailable', message: 'Service is unable to handle request.' }),
    status: 502,
    error: SpillUploadError,
    cause: /ServiceUnavailable/,
    requests: [{ match: isPut, count: 3 }],
    withinMs: 8_000,
  },
  {
    name: 'S3 answers 503 SlowDown',
    plan: () => ({ kind: 'error', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }),
    status: 502,
    error: SpillUploadError,
    cause: /SlowDown/,
    requests: [{ match: isPut, count: 3 }],
    withinMs: 8_000,
  },
  {
    name: 'S3 accepts the connection and stalls: aborted before the deadline',
    plan: () => ({ kind: 'stall' }),
    timeoutMs: 2_500,
    options: { timeoutEarlyInMillis: 1_000 },
    status: 503,
    error: SpillTimeoutError,
    cause: /TimeoutError|AbortError/,
    requests: [{ match: isPut, count: 1 }],
    withinMs: 2_500,
  },
  {
    name: 'S3 stalls after half of a real-size 7 MB body',
    plan: only(isPut, { kind: 'stall-after', bytes: 3_500_000 }),
    bodyBytes: 7_000_000,
    options: { maxBytes: undefined, timeoutEarlyInMillis: 1_000 },
    timeoutMs: 3_000,
    status: 503,
    error: SpillTimeoutError,
    cause: /TimeoutError|AbortError/,
    requests: [{ match: isPut, count: 1 }],
    withinMs: 3_000,
    s3rverLeavesTruncatedObject: true,
  },
  {
    name: 'SDK back-off (5 s between attempts) would outlast the deadline',
    plan: () => ({ kind: 'error', status: 503, code: 'SlowDown' }),
    client: async () => testClient(proxy.endpoint, { retryStrategy: slowRetries(5_000) }),
    timeoutMs: 2_000,
    options: { timeoutEarlyInMillis: 1_000 },
    status: 503,
    error: SpillTimeoutError,
    cause: /TimeoutError|AbortError/,
    requests: [{ match: isPut, count: 1 }],
    withinMs: 2_000,
    sdkTimersLeft: 1,
  },
  {
    name: 'the credential provider hangs (e.g. a stalled container credentials endpoint)',
    client: async () => testClient(proxy.endpoint, { credentials: () => new Promise(() => undefined) }),
    timeoutMs: 2_000,
    options: { timeoutEarlyInMillis: 1_000 },
    status: 503,
    error: SpillTimeoutError,
    cause: /TimeoutError/,
    requests: [{ match: () => true, count: 0 }],
    withinMs: 2_000,
  },
  {
    name: 'the deadline has already passed when the spill starts',
    timeoutMs: 500,
    options: { timeoutEarlyInMillis: 1_000 },
    status: 503,
    error: SpillTimeoutError,
    cause: /TimeoutError|AbortError/,
    requests: [{ match: () => true, count: 0 }],
    withinMs: 500,
  },
  {
    name: 'multipart: one part stalls: parts aborted, the upload discarded',
    plan: only(isPart(2), { kind: 'stall' }),
    bodyBytes: 11 * MIB,
    options: { ...multipart, maxBytes: undefined, timeoutEarlyInMillis: 1_000 },
    timeoutMs: 3_000,
    status: 503,
    error: SpillTimeoutError,
    cause: /TimeoutError|AbortError/,
    requests: [
      { match: isPart(2), count: 1 },
      { match: isAbortMultipart, count: 1 },
    ],
    withinMs: 3_000,
  },
  {
    name: 'multipart: one part answers 500 every time: the upload discarded',
    plan: only(isPart(2), { kind: 'error', status: 500, code: 'InternalError' }),
    bodyBytes: 11 * MIB,
    options: { ...multipart, maxBytes: undefined },
    status: 502,
    error: SpillUploadError,
    cause: /InternalError/,
    requests: [
      { match: isPart(2), count: 3 },
      { match: isAbortMultipart, count: 1 },
    ],
    withinMs: 8_000,
  },
  {
    name: 'no credentials (empty environment, no profile, no metadata endpoint)',
    setup: withoutCredentials,
    client: async () => testClient(proxy.endpoint, { credentials: undefined }),
    status: 502,
    error: SpillUploadError,
    cause: /CredentialsProviderError/,
    requests: [{ match: () => true, count: 0 }],
    withinMs: 5_000,
  },
  {
    name: 'expired credentials (S3 answers 400 ExpiredToken and echoes the token)',
    plan: () => ({
      kind: 'error',
      status: 400,
      code: 'ExpiredToken',
      message: 'The provided token has expired.',
      extraXml: `<Token-0>${TEST_CREDENTIALS.sessionToken}</Token-0>`,
    }),
    client: async () =>
      testClient(proxy.endpoint, {
        credentials: async () => ({ ...TEST_CREDENTIALS, expiration: new Date(Date.now() - 60_000) }),
      }),
    status: 502,
    error: SpillUploadError,
    cause: /ExpiredToken/,
    requests: [{ match: isPut, count: 1 }],
    withinMs: 5_000,
  },
  {
    name: 'S3 answers 403 SignatureDoesNotMatch and echoes the canonical request',
    plan: () => ({
      kind: 'error',
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
      extraXml:
        `<AWSAccessKeyId>${TEST_CREDENTIALS.accessKeyId}</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256</StringToSign>` +
        '<SignatureProvided>0123456789abcdef0123456789abcdef</SignatureProvided>' +
        `<CanonicalRequest>PUT\n/fault-spill/x\n\nx-amz-security-token:${TEST_CREDENTIALS.sessionToken}</CanonicalRequest>`,
    }),
    status: 502,
    error: SpillUploadError,
    cause: /SignatureDoesNotMatch/,
    requests: [{ match: isPut, count: 1 }],
    withinMs: 5_000,
  },
  {
    name: 'S3 answers 403 AccessDenied',
    plan: () => ({ kind: 'error', status: 403, code: 'AccessDenied', message: 'Access Denied' }),
    status: 502,
    error: SpillUploadError,
    cause: /AccessDenied/,
    requests: [{ match: isPut, count: 1 }],
    withinMs: 5_000,
  },
];

/** A retry strategy with a fixed, long back-off: 3 attempts, `delayMs` apart. */
function slowRetries(delayMs: number) {
  const token = (count: number) => ({ getRetryCount: () => count, getRetryDelay: () => delayMs });
  return {
    mode: 'standard',
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: { getRetryCount(): number }, info: { error?: unknown }) => {
      if (previous.getRetryCount() >= 2) throw info.error ?? new Error('no more attempts');
      return token(previous.getRetryCount() + 1);
    },
    recordSuccess: () => undefined,
  };
}

describe.each(CASES)('$name', (fault) => {
  it(`answers ${fault.status} with a small JSON body, logs once with the cause, leaves no object, retries boundedly, lets go`, async () => {
    proxy.setPlan(fault.plan ?? passAll);
    const undo = fault.setup?.();
    const client = fault.client ? await fault.client() : testClient(proxy.endpoint);
    const log = watch.recordingLogger();
    const errorLog = watch.errorHandlerLogger();
    const timersBefore = activeTimers();
    let view;
    try {
      view = await invokeThroughFrontDoor({
        result: bigResult(fault.bodyBytes ?? BODY_BYTES),
        options: { bucket: s3.bucket, s3Client: client, logger: log.logger, maxBytes: MAX_BYTES, ...fault.options },
        errorLogger: errorLog.log,
        timeoutMs: fault.timeoutMs,
      });
    } finally {
      undo?.();
    }
    watch.recordText(`${view.status} ${JSON.stringify([...view.headers])} ${view.body}`);

    // What the client gets.
    expect(view.status).toBe(fault.status);
    expect(view.headers.get('content-type')).toBe('application/json');
    expect(view.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse(view.body)).toEqual({ message: expect.stringMatching(/^The response .{10,100}$/) });
    expect(Buffer.byteLength(view.body)).toBeLessThan(200);
    if (fault.status === 503) expect(view.headers.get('retry-after')).toBe('1');
    expect(view.elapsedMs).toBeLessThan(fault.withinMs);

    // Logged once, by the error handler, with its cause; the middleware itself logs nothing.
    expect(errorLog.errors).toHaveLength(1);
    const error = errorLog.errors[0] as S3SpillError;
    expect(error).toBeInstanceOf(fault.error);
    expect(error.statusCode).toBe(fault.status);
    const cause = error.cause as { name?: string; code?: string; message?: string; $metadata?: { attempts?: number } };
    expect(cause).toBeDefined();
    expect(`${cause.name} ${cause.code} ${cause.message}`).toMatch(fault.cause);
    if (fault.attempts !== undefined) expect(cause.$metadata?.attempts).toBe(fault.attempts);
    expect(log.lines.filter((line) => line.level !== 'debug')).toEqual([]);

    // Retries are bounded: the proxy counts the attempts.
    for (const { match, count } of fault.requests ?? []) {
      expect(await eventually(() => proxy.requests.filter(match).length === count)).toBe(true);
    }

    // No URL handed out, nothing visible in S3; no stalled connection and no timer left behind.
    expect(view.headers.get('location')).toBeNull();
    const keys = await listKeys(s3.client, s3.bucket);
    if (fault.s3rverLeavesTruncatedObject === true && keys.length === 1) {
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: keys[0] }));
      expect(head.ContentLength).toBeLessThan(fault.bodyBytes ?? BODY_BYTES);
      expect(view.body).not.toContain(keys[0]);
      await emptyBucket();
    } else {
      expect(keys).toEqual([]);
    }
    expect(await eventually(() => proxy.stalledConnections() === 0)).toBe(true);
    client.destroy();
    expect(await eventually(() => activeTimers() <= timersBefore + (fault.sdkTimersLeft ?? 0))).toBe(true);
  });
});

it('S3 recovers after one 503 SlowDown: the SDK retry succeeds and the client gets its 303', async () => {
  proxy.setPlan((r, index) => (index === 0 && isPut(r) ? { kind: 'error', status: 503, code: 'SlowDown' } : { kind: 'pass' }));
  const client = testClient(proxy.endpoint);
  const errorLog = watch.errorHandlerLogger();
  const log = watch.recordingLogger();
  const view = await invokeThroughFrontDoor({
    result: bigResult(BODY_BYTES),
    options: { bucket: s3.bucket, s3Client: client, logger: log.logger, maxBytes: MAX_BYTES },
    errorLogger: errorLog.log,
  });
  expect(view.status).toBe(303);
  expect(proxy.requests.filter(isPut)).toHaveLength(2);
  expect(errorLog.errors).toHaveLength(0);
  const location = view.headers.get('location')!;
  const fetched = await fetch(location);
  expect((await fetched.text()).length).toBe(BODY_BYTES);
  expect(await listKeys(s3.client, s3.bucket)).toHaveLength(1);
  await emptyBucket();
  client.destroy();
});

it('credentials that fail after the upload: 502, the object stays without any URL handed out', async () => {
  let failing = false;
  const client = testClient(proxy.endpoint, {
    credentials: async () => {
      if (failing) throw Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' });
      // Expiring at once: the SDK asks again for every request and every signature.
      return { ...TEST_CREDENTIALS, expiration: new Date(Date.now() + 1_000) };
    },
  });
  proxy.setPlan((r) => {
    if (isPut(r)) failing = true; // the PUT is already signed when it arrives
    return { kind: 'pass' };
  });
  const errorLog = watch.errorHandlerLogger();
  const view = await invokeThroughFrontDoor({
    result: bigResult(BODY_BYTES),
    options: { bucket: s3.bucket, s3Client: client, logger: watch.recordingLogger().logger, maxBytes: MAX_BYTES },
    errorLogger: errorLog.log,
  });
  watch.recordText(view.body);
  expect(view.status).toBe(502);
  expect(JSON.parse(view.body)).toEqual({ message: 'The response was stored but its URL could not be signed' });
  expect(errorLog.errors).toHaveLength(1);
  expect((errorLog.errors[0] as Error).cause).toMatchObject({ name: 'CredentialsProviderError' });
  // Stored, but no URL was ever produced: the lifecycle rule removes it.
  expect(await listKeys(s3.client, s3.bucket)).toHaveLength(1);
  await emptyBucket();
  client.destroy();
});

it('without an error handler, the typed error fails the invocation and the front door answers a bare 502', async () => {
  proxy.setPlan(() => ({ kind: 'error', status: 500, code: 'InternalError' }));
  const client = testClient(proxy.endpoint);
  const thrown: unknown[] = [];
  const view = await invokeThroughFrontDoor({
    result: bigResult(BODY_BYTES),
    options: { bucket: s3.bucket, s3Client: client, logger: watch.recordingLogger().logger, maxBytes: MAX_BYTES },
    errorHandler: false,
    onThrown: (error) => {
      thrown.push(error);
      watch.recordError(error);
    },
  });
  expect(view.status).toBe(502);
  expect(view.body).toBe('{"Message":"Internal Server Error"}');
  expect(thrown).toHaveLength(1);
  expect(thrown[0]).toBeInstanceOf(SpillUploadError);
  expect(await listKeys(s3.client, s3.bucket)).toEqual([]);
  client.destroy();
});

it('successful spills leave no deadline timer behind', async () => {
  const client = testClient(proxy.endpoint);
  const before = activeTimers();
  for (let i = 0; i < 5; i++) {
    const view = await invokeThroughFrontDoor({
      result: bigResult(BODY_BYTES),
      options: { bucket: s3.bucket, s3Client: client, logger: watch.recordingLogger().logger, maxBytes: MAX_BYTES },
      timeoutMs: 20_000,
    });
    expect(view.status).toBe(303);
  }
  client.destroy();
  expect(await eventually(() => activeTimers() <= before)).toBe(true);
  await emptyBucket();
});

async function emptyBucket(): Promise<void> {
  for (const key of await listKeys(s3.client, s3.bucket)) {
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
  }
}

testNoLeaks(watch, 'fault suite', CASES.length * 2);
