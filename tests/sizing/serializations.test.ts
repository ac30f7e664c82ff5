/**
 * The pass-through path serializes nothing when a cheap upper bound proves the
 * fit, and never serializes the body: `JSON.stringify` calls are counted through
 * a real Middy pipeline (`npm run bench` measures what that saves).
 */
import { jest } from '@jest/globals';
import middy from '@middy/core';
import { payloadBytes, s3Spill } from 'lambda-s3-spill';

const event = { version: '2.0', requestContext: { http: { method: 'GET' } } };
const LIMIT = 6_291_556;

/**
 * Invoke `handler` once through `s3Spill` and return the `JSON.stringify` calls
 * its sizing made (the logger is silent: a Powertools line is serialized too).
 */
async function stringifyCalls(result: unknown, options: { warnAtBytes?: number | false } = {}): Promise<unknown[][]> {
  const handler = middy(async () => result).use(s3Spill({ bucket: 'spill-bucket', logger: silentLogger, ...options }));
  const spy = jest.spyOn(JSON, 'stringify');
  try {
    const response = await handler(event, {} as never);
    expect(response).toBe(result); // it fits: passed through untouched
    return spy.mock.calls.map((call) => [...call]);
  } finally {
    spy.mockRestore();
  }
}

/** A body of printable ASCII with `"` (each one escaped in JSON) of `length` characters. */
const jsonText = (length: number): string => '{"k":"v"},'.repeat(Math.ceil(length / 10)).slice(0, length);

const ONE_MB_RESULTS: [string, unknown][] = [
  ['a 1 MB string body', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: jsonText(1_000_000) }],
  ['a 1 MB base64 body', { statusCode: 200, isBase64Encoded: true, body: Buffer.alloc(750_000, 7).toString('base64') }],
  ['a bare 1 MB string (HTTP API without statusCode)', 'x'.repeat(1_000_000)],
];

describe('serializations on the pass-through path', () => {
  it.each([
    ['a 1 KB string body', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: jsonText(1_000) }],
    ['a small object without statusCode', { items: [1, 2, 3], next: null }],
  ])('%s: no JSON.stringify at all (the upper bound proves the fit)', async (_name, result) => {
    expect(await stringifyCalls(result)).toHaveLength(0);
  });

  it.each(ONE_MB_RESULTS)('%s, warnAtBytes off: no JSON.stringify at all (the upper bound proves the fit)', async (_name, result) => {
    expect(await stringifyCalls(result, { warnAtBytes: false })).toHaveLength(0);
  });

  // With the default warnAtBytes (90 % of the limit) the bound (6 bytes a character) cannot prove a 1 MB body under
  // 5,662,400 bytes: the exact measure decides whether to warn, and it serializes the envelope, never the body.
  it.each(ONE_MB_RESULTS)('%s, default warnAtBytes: at most one JSON.stringify, never of the body', async (_name, result) => {
    const calls = await stringifyCalls(result);
    expect(calls.length).toBeLessThanOrEqual(1);
    for (const [value] of calls) expect(sizeOf(value)).toBeLessThan(1_000);
  });

  it('just under the limit: one JSON.stringify, of the envelope without its body', async () => {
    const body = jsonText(4_400_000); // 6,160,000 bytes once escaped: the upper bound (6 per character) cannot decide
    const result = { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
    expect(payloadBytes(result)).toBeLessThanOrEqual(LIMIT);
    const calls = await stringifyCalls(result);
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toEqual({ ...result, body: '' });
  });

  it('far over the limit: the overflow is proven from the body length, nothing is serialized to decide', async () => {
    const result = { statusCode: 200, body: 'x'.repeat(7_000_000) };
    const handler = middy(async () => result).use(
      s3Spill({ bucket: 'spill-bucket', s3Client: { send: async () => ({}) } as never, logger: silentLogger }),
    );
    const spy = jest.spyOn(JSON, 'stringify');
    try {
      await handler(event, {} as never).catch(() => undefined); // the fake client cannot presign; only the decision matters
      // Only small values (the 303 and the log record) are serialized; never the 7 MB body.
      for (const [value] of spy.mock.calls) expect(sizeOf(value)).toBeLessThan(100_000);
    } finally {
      spy.mockRestore();
    }
  });
});

const silentLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Characters of the strings in a value (bodies included), without serializing it. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const v of Object.values(value)) n += sizeOf(v);
  return n;
}
