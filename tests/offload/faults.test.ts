/**
 * Faults as for spills, through the fault proxy in front of the local S3: S3
 * down when storing and when loading, a stall past the deadline in both, and
 * what S3 itself is asked for (the paths on the wire stay under the prefix).
 */
import middy from '@middy/core';
import { type OffloadReference, OffloadLoadError, OffloadStoreError, OffloadTimeoutError, resolveOffloaded, s3Offload, withS3Offload } from 'lambda-s3-spill/offload';
import { passAll, refusedEndpoint } from '../../samples/local/fault-proxy.js';
import { testClient } from '../faults/harness.js';
import { SENTINEL_SECRET_KEY, SENTINEL_SESSION_TOKEN } from '../security/leak-watch.js';
import { recordingLogger } from '../support/events.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { contextWithTimeLeft } from './helpers.js';

const { proxy } = useLocalS3BehindFaultProxy('offload-bucket');
afterEach(() => proxy.setPlan(passAll));

const VALUE = { rows: 'q'.repeat(400_000) };
const client = () => testClient(proxy.endpoint, { maxAttempts: 1 });
const producer = (extra: Parameters<typeof s3Offload>[0] = {}) =>
  middy(async () => VALUE).use(
    s3Offload({ bucket: 'offload-bucket', s3Client: client(), maxBytes: 262_144, logger: recordingLogger().logger, ...extra }),
  );

it('S3 refusing connections on store: OffloadStoreError, nothing returned', async () => {
  const down = testClient(await refusedEndpoint(), { maxAttempts: 1 });
  const handler = middy(async () => VALUE).use(s3Offload({ bucket: 'offload-bucket', s3Client: down, maxBytes: 262_144, logger: recordingLogger().logger }));
  const error = await handler({}, contextWithTimeLeft(10_000)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OffloadStoreError);
  expect(String((error as Error).cause)).toMatch(/ECONNREFUSED/);
});

it('S3 answering 503 on store, echoing a session token: OffloadStoreError, its cause scrubbed', async () => {
  proxy.setPlan(() => ({
    kind: 'error',
    status: 503,
    code: 'SlowDown',
    extraXml: `<Token-0>${SENTINEL_SESSION_TOKEN}</Token-0><SignatureProvided>${SENTINEL_SECRET_KEY}</SignatureProvided>`,
  }));
  const error = await producer()({}, contextWithTimeLeft(10_000)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OffloadStoreError);
  expect((error as Error).cause).toMatchObject({ name: 'SlowDown' });
  const text = JSON.stringify(error, Object.getOwnPropertyNames(error)) + JSON.stringify((error as Error).cause, Object.getOwnPropertyNames((error as Error).cause));
  expect(text).not.toContain(SENTINEL_SESSION_TOKEN);
  expect(text).not.toContain(SENTINEL_SECRET_KEY);
});

it('a store stalled past the deadline: OffloadTimeoutError (store) before the function would time out', async () => {
  proxy.setPlan(() => ({ kind: 'stall' }));
  const started = performance.now();
  const error = await producer({ timeoutEarlyInMillis: 1_000 })({}, contextWithTimeLeft(1_600)).catch((e: unknown) => e);
  const elapsed = performance.now() - started;
  expect(error).toBeInstanceOf(OffloadTimeoutError);
  expect((error as OffloadTimeoutError).phase).toBe('store');
  expect(elapsed).toBeLessThan(1_500);
  expect(elapsed).toBeGreaterThanOrEqual(500);
});

describe('loading', () => {
  let ref: OffloadReference;
  beforeAll(async () => {
    ref = (await producer()({}, contextWithTimeLeft(10_000))) as unknown as OffloadReference;
  });
  const consumer = (got: unknown[]) =>
    middy(async (event: unknown) => {
      got.push(event);
    }).use(s3Offload({ bucket: 'offload-bucket', s3Client: client(), logger: recordingLogger().logger }));

  it('S3 down on load: OffloadLoadError, the handler never runs', async () => {
    proxy.setPlan(() => ({ kind: 'error', status: 500, code: 'InternalError' }));
    const got: unknown[] = [];
    const error = await consumer(got)({ input: ref }, contextWithTimeLeft(10_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OffloadLoadError);
    expect((error as OffloadLoadError).notFound).toBe(false);
    expect(got).toEqual([]);
    proxy.setPlan(() => ({ kind: 'reset' }));
    await expect(resolveOffloaded(ref, { bucket: 'offload-bucket', s3Client: client() })).rejects.toBeInstanceOf(OffloadLoadError);
  });

  it('a load stalled past the deadline: OffloadTimeoutError (load) in time; the abortSignal of resolveOffloaded likewise', async () => {
    proxy.setPlan(() => ({ kind: 'stall' }));
    const got: unknown[] = [];
    let started = performance.now();
    const error = await consumer(got)(ref, contextWithTimeLeft(1_600)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OffloadTimeoutError);
    expect((error as OffloadTimeoutError).phase).toBe('load');
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(got).toEqual([]);
    started = performance.now();
    await expect(
      resolveOffloaded(ref, { bucket: 'offload-bucket', s3Client: client(), abortSignal: AbortSignal.timeout(300) }),
    ).rejects.toBeInstanceOf(OffloadTimeoutError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('on the wire, every read is of the referenced key under the prefix, literally (no normalization)', async () => {
    const before = proxy.requests.length;
    const encoded = {
      lambdaS3Offload: { ...ref.lambdaS3Offload, key: 'offload/%2e%2e/x.json', uri: 's3://offload-bucket/offload/%2e%2e/x.json' },
    };
    await expect(resolveOffloaded(encoded, { bucket: 'offload-bucket', s3Client: client() })).rejects.toMatchObject({ notFound: true });
    expect(await resolveOffloaded(ref, { bucket: 'offload-bucket', s3Client: client() })).toEqual(VALUE);
    const paths = proxy.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([`GET /offload-bucket/offload/%252e%252e/x.json`, `GET /offload-bucket/${ref.lambdaS3Offload.key}`]);
  });
});

it('withS3Offload throws the same typed errors (a Step Functions Catch matches their names)', async () => {
  proxy.setPlan(() => ({ kind: 'error', status: 503, code: 'SlowDown' }));
  const wrapped = withS3Offload(async () => VALUE, { bucket: 'offload-bucket', s3Client: client(), maxBytes: 262_144, logger: recordingLogger().logger });
  await expect(wrapped({}, contextWithTimeLeft(10_000))).rejects.toMatchObject({ name: 'OffloadStoreError' });
});
