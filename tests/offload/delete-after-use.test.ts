/**
 * `deleteAfterUse`: the objects resolved for an invocation are deleted once it
 * succeeded (the handler returned and its result was stored if it had to be),
 * never when anything failed; `resolveOffloaded` deletes after every reference
 * was read and verified. Real Middy pipelines, a local S3 behind the fault
 * proxy (to fail a store or a delete).
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { type OffloadReference, OffloadIntegrityError, OffloadStoreError, resolveOffloaded, s3Offload, withS3Offload } from 'lambda-s3-spill/offload';
import { type FaultAction, type FaultPlan, passAll } from '../../samples/local/fault-proxy.js';
import { testClient } from '../faults/harness.js';
import { recordingLogger } from '../support/events.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { contextWithTimeLeft } from './helpers.js';

const { s3, proxy } = useLocalS3BehindFaultProxy('offload-bucket');
afterEach(() => proxy.setPlan(passAll));

const MAX = 262_144;
const client = () => testClient(proxy.endpoint, { maxAttempts: 1 });
const onMethod = (method: string, action: FaultAction): FaultPlan =>
  ((request: { method: string }) => (request.method === method ? action : { kind: 'pass' })) as FaultPlan;

/** Two stored values, as a producer's references. */
async function twoReferences(): Promise<[OffloadReference, OffloadReference]> {
  const producer = middy(async (event: { n: number }) => ({ rows: String(event.n).repeat(300_000) })).use(
    s3Offload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: MAX, logger: recordingLogger().logger }),
  );
  const stored = async (n: number) => (await producer({ n }, contextWithTimeLeft(10_000))) as unknown as OffloadReference;
  return [await stored(1), await stored(2)];
}

async function exists(reference: OffloadReference): Promise<boolean> {
  try {
    await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: reference.lambdaS3Offload.key }));
    return true;
  } catch {
    return false;
  }
}
const deletes = (from: number) => proxy.requests.slice(from).filter((r) => r.method === 'DELETE');

function consumer(handler: (event: { a: { rows: string }; b: { rows: string }; again: { rows: string } }) => Promise<unknown>, extra = {}) {
  const log = recordingLogger();
  const wrapped = middy(handler).use(
    s3Offload({ bucket: s3.bucket, s3Client: client(), maxBytes: MAX, deleteAfterUse: true, logger: log.logger, ...extra }),
  );
  return { handler: wrapped, log };
}

it('after a successful invocation, deletes each object it resolved, once', async () => {
  const [a, b] = await twoReferences();
  const from = proxy.requests.length;
  const { handler } = consumer(async (event) => ({ total: event.a.rows.length + event.b.rows.length + event.again.rows.length }));
  expect(await handler({ a, b, again: a }, contextWithTimeLeft(10_000))).toEqual({ total: 900_000 });
  expect(await exists(a)).toBe(false);
  expect(await exists(b)).toBe(false);
  expect(deletes(from).map((r) => r.path).sort()).toEqual([`/${s3.bucket}/${a.lambdaS3Offload.key}`, `/${s3.bucket}/${b.lambdaS3Offload.key}`].sort());
});

it('deletes only after its own large result was stored', async () => {
  const [a, b] = await twoReferences();
  const from = proxy.requests.length;
  const { handler } = consumer(async (event) => ({ echo: event.a.rows + event.b.rows }));
  const answer = (await handler({ a, b, again: a }, contextWithTimeLeft(10_000))) as OffloadReference;
  const order = proxy.requests.slice(from).map((r) => r.method).filter((m) => m === 'PUT' || m === 'DELETE');
  expect(order).toEqual(['PUT', 'DELETE', 'DELETE']);
  expect(await exists(answer)).toBe(true);
});

it('never deletes when the handler fails, or when its result could not be stored', async () => {
  const [a, b] = await twoReferences();
  const failing = consumer(async () => {
    throw new Error('boom');
  });
  await expect(failing.handler({ a, b, again: a }, contextWithTimeLeft(10_000))).rejects.toThrow('boom');
  proxy.setPlan(onMethod('PUT', { kind: 'error', status: 500, code: 'InternalError' }));
  const large = consumer(async (event) => ({ echo: event.a.rows + event.b.rows }));
  await expect(large.handler({ a, b, again: a }, contextWithTimeLeft(10_000))).rejects.toBeInstanceOf(OffloadStoreError);
  expect(await exists(a)).toBe(true);
  expect(await exists(b)).toBe(true);
});

it('an error handled by another middleware (onError sets a response): the response is kept, nothing deleted', async () => {
  const [a, b] = await twoReferences();
  const handler = middy(async () => {
    throw new Error('boom');
  })
    .use(s3Offload({ bucket: s3.bucket, s3Client: client(), maxBytes: MAX, deleteAfterUse: true, logger: recordingLogger().logger }))
    .use({
      onError: async (request) => {
        request.response = { failed: true };
      },
    });
  expect(await handler({ a, b }, contextWithTimeLeft(10_000))).toEqual({ failed: true });
  expect(await exists(a)).toBe(true);
});

it('off by default: nothing deleted', async () => {
  const [a, b] = await twoReferences();
  const from = proxy.requests.length;
  const { handler } = consumer(async (event) => ({ n: event.a.rows.length }), { deleteAfterUse: false });
  await handler({ a, b, again: a }, contextWithTimeLeft(10_000));
  expect(deletes(from)).toEqual([]);
  expect(await exists(a)).toBe(true);
});

it('a failed delete does not fail the invocation: a warn record per object, the lifecycle rule removes it', async () => {
  const [a, b] = await twoReferences();
  proxy.setPlan(onMethod('DELETE', { kind: 'error', status: 503, code: 'SlowDown' }));
  const { handler, log } = consumer(async (event) => ({ n: event.a.rows.length }));
  expect(await handler({ a, b, again: a }, contextWithTimeLeft(10_000))).toEqual({ n: 300_000 });
  const warnings = log.at('warn');
  expect(warnings.map((w) => (w.args[1] as { offloadDelete: { key: string } }).offloadDelete.key).sort()).toEqual(
    [a.lambdaS3Offload.key, b.lambdaS3Offload.key].sort(),
  );
  expect(await exists(a)).toBe(true);
});

it('withS3Offload: deletes after the handler returned, not when it threw', async () => {
  const [a, b] = await twoReferences();
  const options = { bucket: s3.bucket, s3Client: client(), maxBytes: MAX, deleteAfterUse: true, logger: recordingLogger().logger };
  await expect(
    withS3Offload(async () => {
      throw new Error('boom');
    }, options)({ a }, contextWithTimeLeft(10_000)),
  ).rejects.toThrow('boom');
  expect(await exists(a)).toBe(true);
  await withS3Offload(async (event: { a: unknown; b: unknown }) => (event.a as { rows: string }).rows.length, options)({ a, b }, contextWithTimeLeft(10_000));
  expect(await exists(a)).toBe(false);
  expect(await exists(b)).toBe(false);
});

it('resolveOffloaded({ deleteAfterUse: true }) deletes after every reference was read and verified, nothing when it rejects', async () => {
  const [a, b] = await twoReferences();
  // b changed behind its reference: the resolution rejects, and a (read fine) is not deleted either.
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: b.lambdaS3Offload.key, Body: 'x'.repeat(b.lambdaS3Offload.bytes) }));
  const options = { bucket: s3.bucket, s3Client: client(), deleteAfterUse: true, logger: recordingLogger().logger };
  await expect(resolveOffloaded({ a, b }, options)).rejects.toBeInstanceOf(OffloadIntegrityError);
  expect(await exists(a)).toBe(true);
  expect(await resolveOffloaded({ a, again: a }, options)).toEqual({ a: { rows: '1'.repeat(300_000) }, again: { rows: '1'.repeat(300_000) } });
  expect(await exists(a)).toBe(false);
});

it('refuses a deleteAfterUse that is not a boolean', () => {
  expect(() => s3Offload({ bucket: s3.bucket, deleteAfterUse: 'yes' as unknown as boolean })).toThrow(/^deleteAfterUse must be a boolean/);
});
