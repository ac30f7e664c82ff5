/**
 * `paths` through real Middy pipelines and `withS3Offload`, against a local S3
 * (behind the fault proxy where a store must fail): only selected values are
 * stored, each its own object, largest first; the whole result when nothing
 * less fits (one object, nothing else written); every selected value with
 * `alwaysOffload`; the caller resolves the result deep-equal.
 */
import middy from '@middy/core';
import { payloadBytes } from 'lambda-s3-spill';
import { OFFLOAD_REFERENCE_KEY, OffloadStoreError, resolveOffloaded, s3Offload, STEP_FUNCTIONS_STATE_MAX_BYTES, withS3Offload } from 'lambda-s3-spill/offload';
import { type FaultAction, type FaultPlan, passAll } from '../../samples/local/fault-proxy.js';
import { testClient } from '../faults/harness.js';
import { recordingLogger } from '../support/events.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { contextWithTimeLeft, invokeEvent } from './helpers.js';

const { s3, proxy } = useLocalS3BehindFaultProxy('offload-bucket');
afterEach(() => proxy.setPlan(passAll));

const MAX = STEP_FUNCTIONS_STATE_MAX_BYTES;
const puts = (from: number) => proxy.requests.slice(from).filter((r) => r.method === 'PUT');
const isReference = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).join() === OFFLOAD_REFERENCE_KEY;
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function producer(result: unknown, extra: Parameters<typeof s3Offload>[0] = {}) {
  const log = recordingLogger();
  const handler = middy(async () => result).use(
    s3Offload({ bucket: 'offload-bucket', s3Client: testClient(proxy.endpoint, { maxAttempts: 1 }), maxBytes: MAX, logger: log.logger, ...extra }),
  );
  return { handler, log };
}

const report = () => ({
  status: 'READY',
  next: 'Summarize',
  items: Array.from({ length: 20_000 }, (_, id) => ({ id, name: `row-${id}` })), // ~0.5 MB
  pages: ['p'.repeat(300_000), 'q'.repeat(10_000)],
});

it('stores only the selected values it takes, largest first, each its own object; the caller resolves the rest deep-equal', async () => {
  const value = report();
  const from = proxy.requests.length;
  const { handler, log } = producer(value, { paths: ['$.items', '$.pages[*]'] });
  const answer = (await handler(invokeEvent(), contextWithTimeLeft(10_000))) as ReturnType<typeof report>;
  expect(answer.status).toBe('READY');
  expect(answer.next).toBe('Summarize');
  expect(isReference(answer.items)).toBe(true);
  expect(isReference(answer.pages[0])).toBe(true);
  expect(answer.pages[1]).toBe(value.pages[1]); // small: it stays inline
  expect(payloadBytes(answer)).toBeLessThanOrEqual(MAX);
  expect(puts(from)).toHaveLength(2);
  expect(value.items).toHaveLength(20_000); // the handler's own result is not changed
  expect(await resolveOffloaded(wire(answer), { bucket: s3.bucket, s3Client: s3.client })).toEqual(value);
  const paths = log.at('info').map((l) => (l.args[1] as { offload: { path: string } }).offload.path);
  expect(paths.sort()).toEqual(['$.items', '$.pages[0]']);
});

it('takes only the largest when that is enough', async () => {
  const value = { ...report(), pages: ['p'.repeat(100_000)] };
  const from = proxy.requests.length;
  const answer = (await producer(value, { paths: ['$.items', '$.pages[*]'] }).handler(invokeEvent(), contextWithTimeLeft(10_000))) as ReturnType<
    typeof report
  >;
  expect(isReference(answer.items)).toBe(true);
  expect(answer.pages).toEqual(value.pages);
  expect(puts(from)).toHaveLength(1);
});

it('offloads the whole result when every selected value offloaded is not enough: one object, nothing else written', async () => {
  const value = { ...report(), unselected: 'u'.repeat(300_000) };
  const from = proxy.requests.length;
  const answer = await producer(value, { paths: ['$.items', '$.pages[*]'] }).handler(invokeEvent(), contextWithTimeLeft(10_000));
  expect(isReference(answer)).toBe(true);
  expect(puts(from)).toHaveLength(1);
  expect(await resolveOffloaded(answer, { bucket: s3.bucket, s3Client: s3.client })).toEqual(value);
});

it('with alwaysOffload, stores every selected value of a result that fits; a path matching nothing is no error', async () => {
  const value = { status: 'READY', items: [1, 2, 3], pages: ['a', 'b'] };
  const from = proxy.requests.length;
  const answer = (await producer(value, { paths: ['$.items', '$.pages[*]', '$.missing[*]'], alwaysOffload: true }).handler(
    invokeEvent(),
    contextWithTimeLeft(10_000),
  )) as Record<string, unknown>;
  expect(answer.status).toBe('READY');
  expect(isReference(answer.items)).toBe(true);
  expect((answer.pages as unknown[]).every(isReference)).toBe(true);
  expect(puts(from)).toHaveLength(3);
  expect(await resolveOffloaded(answer, { bucket: s3.bucket, s3Client: s3.client })).toEqual(value);
});

it('a result that fits passes untouched with paths, nothing written', async () => {
  const value = { status: 'READY', items: [1, 2, 3] };
  const from = proxy.requests.length;
  expect(await producer(value, { paths: ['$.items'] }).handler(invokeEvent(), contextWithTimeLeft(10_000))).toBe(value);
  expect(puts(from)).toHaveLength(0);
});

it('a failed store of one selected value fails the invocation with OffloadStoreError: no partial result', async () => {
  let seen = 0;
  const secondPutFails = (request: { method: string }): FaultAction =>
    request.method === 'PUT' && ++seen === 2 ? { kind: 'error', status: 500, code: 'InternalError' } : { kind: 'pass' };
  proxy.setPlan(secondPutFails as FaultPlan);
  const error = await producer(report(), { paths: ['$.items', '$.pages[*]'] })
    .handler(invokeEvent(), contextWithTimeLeft(10_000))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OffloadStoreError);
});

it('withS3Offload takes paths too', async () => {
  const value = report();
  const handler = withS3Offload(async () => value, {
    bucket: 'offload-bucket',
    s3Client: s3.client,
    maxBytes: MAX,
    paths: ['$.items', "$['pages'][*]"],
    logger: recordingLogger().logger,
  });
  const answer = (await handler(invokeEvent(), contextWithTimeLeft(10_000))) as ReturnType<typeof report>;
  expect(answer.status).toBe('READY');
  expect(isReference(answer.items)).toBe(true);
  expect(await resolveOffloaded(answer, { bucket: s3.bucket, s3Client: s3.client })).toEqual(value);
});
