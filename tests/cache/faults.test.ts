/**
 * S3 failing or slow never fails a request because of the cache: at lookup
 * (down, stalled) the request is a miss, at store (down, stalled) the response
 * is returned unstored; each failure is logged once, and a stall ends at the
 * lookup timeout or the deadline. `invalidateCached`, called on its own,
 * rejects when a delete fails (the error scrubbed), and takes a key already
 * gone as deleted by someone else. Through the project's fault proxy in front
 * of a local S3, with real clients.
 */
import type { Context } from 'aws-lambda';
import type { FaultAction } from '../../samples/local/fault-proxy.js';
import { testClient } from '../faults/harness.js';
import { recordingLogger } from '../support/events.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { behind, cacheEvent, DOORS, seen } from './support.js';
import middy from '@middy/core';
import { invalidateCached, s3Cache } from 'lambda-s3-spill/cache';
import { s3Spill } from 'lambda-s3-spill';
import { rawGet } from '../support/s3-objects.js';
import { SENTINEL_SECRET_KEY, SENTINEL_SESSION_TOKEN } from '../security/leak-watch.js';

const { s3, proxy } = useLocalS3BehindFaultProxy('cache-faults');

let unique = 0;
const PASS: FaultAction = { kind: 'pass' };
const DOWN: FaultAction = { kind: 'error', status: 503, code: 'ServiceUnavailable' };
const STALL: FaultAction = { kind: 'stall' };

function rig(door: (typeof DOORS)[number], plan: { head?: FaultAction; get?: FaultAction; put?: FaultAction }) {
  proxy.setPlan(({ method }: { method: string }) => (method === 'HEAD' ? plan.head : method === 'PUT' ? plan.put : plan.get) ?? PASS);
  const log = recordingLogger();
  let runs = 0;
  const client = testClient(proxy.endpoint, { maxAttempts: 2 });
  // The function has 1.8 s left: a lookup gets 300 ms (lookupTimeoutInMillis), a store 800 ms (the deadline less 1 s).
  const ctx = { getRemainingTimeInMillis: () => 1800 } as unknown as Context;
  const call = behind(
    door,
    async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: `run ${++runs}` }),
    { bucket: s3.bucket, s3Client: client, logger: log.logger, lookupTimeoutInMillis: 300 },
    undefined,
    ctx,
  );
  const seenBefore = proxy.requests.length;
  const path = `/f${++unique}`;
  return { log, runs: () => runs, call: (event = cacheEvent('http-v2', { path })) => call(event), path, sent: () => proxy.requests.slice(seenBefore), warnings: () => log.at('warn') };
}

describe.each(DOORS)('%s door', (door) => {
  test.each([
    ['down', DOWN],
    ['stalled', STALL],
  ])('S3 %s at lookup: a miss, the handler answers, one line logged, nothing stored', async (_name, fault) => {
    const r = rig(door, { head: fault });
    const answer = seen(await r.call());
    expect([answer.status, answer.body]).toEqual([200, 'run 1']);
    expect(answer.headers['cache-status']).toBe('lambda-s3-spill; fwd=miss');
    expect(r.warnings()).toHaveLength(1);
    expect(JSON.stringify(r.warnings()[0])).toContain(fault === STALL ? '"reason":"timeout"' : '"reason":"throttled"');
    expect(r.sent().filter((q) => q.method === 'PUT')).toHaveLength(0);
  });

  test.each([
    ['down', DOWN],
    ['stalled', STALL],
  ])('S3 %s at store: the response is returned unstored, one line logged', async (_name, fault) => {
    const r = rig(door, { put: fault });
    const answer = seen(await r.call());
    expect([answer.status, answer.body, answer.headers['cache-status']]).toEqual([200, 'run 1', 'lambda-s3-spill; fwd=uri-miss']);
    expect(r.warnings()).toHaveLength(1);
    proxy.setPlan(() => PASS);
    const next = seen(await r.call());
    expect(next.body).toBe('run 2'); // nothing was stored
  });
});

test('a stalled lookup ends at the deadline when it comes before lookupTimeoutInMillis', async () => {
  proxy.setPlan(({ method }: { method: string }) => (method === 'HEAD' ? STALL : PASS));
  const log = recordingLogger();
  const handler = middy(async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: 'ok' })).use(
    s3Cache({ bucket: s3.bucket, s3Client: testClient(proxy.endpoint), logger: log.logger, lookupTimeoutInMillis: 60_000 }),
  );
  const context = { getRemainingTimeInMillis: () => 1500 } as unknown as Context; // the lookup gets 500 ms, not 60 s
  const answer = seen(await handler(cacheEvent('function-url', { path: `/f${++unique}` }), context));
  expect([answer.status, answer.body]).toEqual([200, 'ok']);
  expect(JSON.stringify(log.lines)).toContain('"reason":"timeout"');
});

test('a storable response over the limit whose store fails is returned unstored, and s3Spill behind the cache spills it', async () => {
  proxy.setPlan(({ method }: { method: string }) => (method === 'PUT' ? DOWN : PASS));
  const log = recordingLogger();
  const big = 'b'.repeat(6_300_000);
  const handler = middy(async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60', 'Content-Type': 'text/plain' }, body: big }))
    .use(s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger })) // the spill reaches S3 directly
    .use(s3Cache({ bucket: s3.bucket, s3Client: testClient(proxy.endpoint, { maxAttempts: 1 }), logger: log.logger }));
  const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
  const answer = seen(await handler(cacheEvent('http-v2', { path: `/f${++unique}` }), context));
  expect([answer.status, answer.headers['cache-status']]).toEqual([303, 'lambda-s3-spill; fwd=uri-miss']);
  expect(new URL(answer.headers.location!).pathname).toContain('/spill/');
  expect((await rawGet(answer.headers.location!)).body.toString() === big).toBe(true);
  expect(log.at('warn')).toHaveLength(1);
});

describe('invalidateCached with deletes failing', () => {
  /** A target with stored entries, and an invalidation through the proxy that sees what it sent. */
  async function storedTarget() {
    const path = `/f${++unique}`;
    const headers = { 'Cache-Control': 'max-age=60', Vary: 'Accept-Encoding' };
    const call = behind('middy', async () => ({ statusCode: 200, headers, body: 'stored' }), { bucket: s3.bucket, s3Client: s3.client });
    for (const coding of ['br', 'gzip']) await call(cacheEvent('http-v2', { path, headers: { 'accept-encoding': coding } }));
    const seenBefore = proxy.requests.length;
    const invalidate = () => invalidateCached({ path }, { bucket: s3.bucket, s3Client: testClient(proxy.endpoint, { maxAttempts: 1 }) });
    return { invalidate, deletes: () => proxy.requests.slice(seenBefore).filter((q) => q.method === 'DELETE') };
  }

  test('a delete refused: the invalidation rejects with the S3 error, scrubbed of what S3 echoed', async () => {
    const target = await storedTarget();
    proxy.setPlan(({ method }) =>
      method === 'DELETE'
        ? { kind: 'error', status: 403, code: 'AccessDenied', extraXml: `<Token-0>${SENTINEL_SESSION_TOKEN}</Token-0><SignatureProvided>${SENTINEL_SECRET_KEY}</SignatureProvided>` }
        : PASS,
    );
    const error = await target.invalidate().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AccessDenied' });
    const text = JSON.stringify(error, Object.getOwnPropertyNames(error));
    expect(text).not.toContain(SENTINEL_SESSION_TOKEN);
    expect(text).not.toContain(SENTINEL_SECRET_KEY);
  });

  test('a key already gone (404) is no failure, and not counted', async () => {
    const target = await storedTarget();
    let answered = 0;
    proxy.setPlan(({ method }) => (method === 'DELETE' && answered++ === 0 ? { kind: 'error', status: 404, code: 'NoSuchKey' } : PASS));
    const deleted = await target.invalidate();
    const deletes = target.deletes();
    expect(deletes.length).toBeGreaterThan(1);
    expect(deleted).toBe(deletes.length - 1);
  });
});
