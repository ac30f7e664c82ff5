/**
 * s3Spill's `metrics` and `warnAtBytes` in real Middy pipelines against a
 * local S3, with a real Powertools `Metrics` whose EMF output is captured:
 * one metric set per changed response, nothing for a response that passes;
 * one warning for a response over `warnAtBytes` that still fits.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { gunzipSync } from 'node:zlib';
import { payloadBytes, s3Spill, s3SpillValidateOptions, withS3Spill } from 'lambda-s3-spill';
import { useEmfCapture } from '../support/emf.js';
import { context, eventOf, type EventKind, nearLimitWarnings, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { locationOf, rawGet } from '../support/s3-objects.js';

const s3 = useLocalS3('metrics-spill');
const emf = useEmfCapture();

const newMetrics = () => new Metrics({ namespace: 'SpillTests', serviceName: 'orders' });
const HEADERS = { 'content-type': 'text/plain' };

/** A response whose serialized size is exactly `bytes`. */
function responseOf(bytes: number, fill = 'a') {
  const envelope = payloadBytes({ statusCode: 200, headers: HEADERS, body: '' });
  const width = Buffer.byteLength(fill);
  const count = Math.floor((bytes - envelope) / width);
  const response = { statusCode: 200, headers: HEADERS, body: fill.repeat(count) + 'a'.repeat(bytes - envelope - count * width) };
  expect(payloadBytes(response)).toBe(bytes);
  return response;
}

function spill(extra: Parameters<typeof s3Spill>[0] = {}) {
  const log = recordingLogger();
  return { middleware: s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger, ...extra }), log };
}

describe('metrics', () => {
  it('a spill emits Spilled (Count) and SpilledBytes (Bytes, the object stored) with the utility dimension', async () => {
    const { middleware } = spill({ metrics: newMetrics() });
    const result = responseOf(6_291_557);
    const response = await middy(async () => result).use(middleware)(eventOf('function-url'), context);
    expect((response as { statusCode: number }).statusCode).toBe(303);
    const stored = await rawGet(locationOf(response));
    const dimensions = { service: 'orders', utility: 'spill' };
    expect(emf.metrics()).toEqual([
      { name: 'Spilled', unit: 'Count', value: 1, namespace: 'SpillTests', dimensions },
      { name: 'SpilledBytes', unit: 'Bytes', value: stored.body.length, namespace: 'SpillTests', dimensions },
    ]);
    expect(stored.body.length).toBe(result.body.length);
  });

  it('an answer compressed to fit emits CompressedInline and CompressedInlineBytes (the compressed body)', async () => {
    const { middleware } = spill({ metrics: newMetrics() });
    const result = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: 'r'.repeat(7_000_000) }) };
    const event = eventOf('http-v2');
    (event.headers as Record<string, string>)['accept-encoding'] = 'gzip';
    const response = (await middy(async () => result).use(middleware)(event, context)) as unknown as { body: string; isBase64Encoded: boolean };
    expect(response.isBase64Encoded).toBe(true);
    const compressed = Buffer.from(response.body, 'base64');
    expect(gunzipSync(compressed).toString()).toBe(result.body);
    expect(emf.metrics().map((m) => [m.name, m.unit, m.value, m.dimensions.utility])).toEqual([
      ['CompressedInline', 'Count', 1, 'spill'],
      ['CompressedInlineBytes', 'Bytes', compressed.length, 'spill'],
    ]);
  });

  it('withS3Spill emits the same set; each spill its own', async () => {
    const handler = withS3Spill(async () => responseOf(6_291_557), { bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, metrics: newMetrics() });
    await handler(eventOf('rest-v1'), context);
    await handler(eventOf('rest-v1'), context);
    expect(emf.metrics().map((m) => m.name)).toEqual(['Spilled', 'SpilledBytes', 'Spilled', 'SpilledBytes']);
  });

  it.each<[string, () => unknown, Record<string, unknown>]>([
    ['a response that fits', () => responseOf(1_000), eventOf('function-url')],
    ['a response at the limit', () => responseOf(6_291_556), eventOf('function-url')],
    ['a non-HTTP invocation', () => ({ rows: 'r'.repeat(7_000_000) }), { job: 1 }],
  ])('emits nothing for %s', async (_name, result, event) => {
    const { middleware } = spill({ metrics: newMetrics() });
    await middy(async () => result()).use(middleware)(event, context);
    expect(emf.documents).toEqual([]);
  });

  it('emits nothing for a response refused (a 500 over the limit is not spilled)', async () => {
    const { middleware } = spill({ metrics: newMetrics() });
    const handler = middy(async () => ({ ...responseOf(6_291_557), statusCode: 500 })).use(middleware);
    await expect(handler(eventOf('function-url'), context)).rejects.toMatchObject({ name: 'ResponseTooLargeError' });
    expect(emf.documents).toEqual([]);
  });

  it.each([
    ['s3Spill first (its after runs last, once logMetrics has flushed)', true],
    ['logMetrics first (s3Spill emits while the user metric is still stored)', false],
  ])("leaves the user's stored metrics to logMetrics, %s: their set has no utility dimension", async (_name, spillFirst) => {
    const metrics = newMetrics();
    const { middleware } = spill({ metrics });
    const base = middy(async () => {
      metrics.addMetric('OrdersListed', 'Count', 3);
      return responseOf(6_291_557);
    });
    const handler = spillFirst ? base.use(middleware).use(logMetrics(metrics)) : base.use(logMetrics(metrics)).use(middleware);
    await handler(eventOf('function-url'), context);
    const ours = [
      ['Spilled', 1, { service: 'orders', utility: 'spill' }],
      ['SpilledBytes', 6_291_557 - payloadBytes({ statusCode: 200, headers: HEADERS, body: '' }), { service: 'orders', utility: 'spill' }],
    ];
    const theirs = [['OrdersListed', 3, { service: 'orders' }]];
    expect(emf.metrics().map((m) => [m.name, m.value, m.dimensions])).toEqual(spillFirst ? [...theirs, ...ours] : [...ours, ...theirs]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('a metric that cannot be emitted costs a warning, not the response', async () => {
    const broken = {
      addMetric: () => undefined,
      singleMetric: () => {
        throw new Error('no namespace today');
      },
    };
    const { middleware, log } = spill({ metrics: broken });
    const response = await middy(async () => responseOf(6_291_557)).use(middleware)(eventOf('function-url'), context);
    expect((response as { statusCode: number }).statusCode).toBe(303);
    expect(log.at('warn').map((l) => l.args)).toEqual([['lambda-s3-spill could not emit the Spilled metrics', { reason: 'no namespace today' }]]);
  });

  it.each([{}, { addMetric: () => 1 }, { addMetric: 1, singleMetric: () => 1 }, 'metrics', null])(
    'refuses metrics: %p at creation',
    (metrics) => {
      expect(() => s3SpillValidateOptions({ bucket: 'b-spill', metrics: metrics as never })).toThrow(
        new TypeError('metrics must be a Powertools Metrics (new Metrics({ namespace, serviceName }))'),
      );
    },
  );
});

describe('warnAtBytes', () => {
  it.each<[string, number, boolean]>([
    ['one byte under', 8_999, false],
    ['at', 9_000, false],
    ['one byte over', 9_001, true],
    ['at maxBytes', 10_000, true],
  ])('%s the threshold (9,000 of 10,000): returned untouched, warned %p', async (_name, bytes, warned) => {
    const { middleware, log } = spill({ maxBytes: 10_000, warnAtBytes: 9_000 });
    const result = responseOf(bytes);
    expect(await middy(async () => result).use(middleware)(eventOf('function-url'), context)).toBe(result);
    expect(nearLimitWarnings(log)).toEqual(
      warned ? [['s3Spill response near the limit', { frontDoor: 'function-url', bytes, maxBytes: 10_000, warnAtBytes: 9_000 }]] : [],
    );
  });

  it('one byte over maxBytes spills, with no warning', async () => {
    const { middleware, log } = spill({ maxBytes: 10_000, warnAtBytes: 9_000 });
    const response = await middy(async () => responseOf(10_001)).use(middleware)(eventOf('function-url'), context);
    expect((response as { statusCode: number }).statusCode).toBe(303);
    expect(log.at('warn')).toEqual([]);
    expect(log.text()).toContain('stored an oversized response');
  });

  it.each<[EventKind, number]>([
    ['function-url', 5_662_400],
    ['rest-v1', 5_662_400],
    ['alb', 900_000],
  ])('defaults to 90 %% of the limit in force (%s: %d)', async (kind, threshold) => {
    const { middleware, log } = spill();
    const handler = middy(async (event: { size: number }) => responseOf(event.size)).use(middleware);
    await handler({ ...eventOf(kind), size: threshold }, context);
    expect(log.at('warn')).toEqual([]);
    await handler({ ...eventOf(kind), size: threshold + 1 }, context);
    expect(nearLimitWarnings(log)).toEqual([['s3Spill response near the limit', expect.objectContaining({ bytes: threshold + 1, warnAtBytes: threshold })]]);
  });

  it('90 % of a lower maxBytes, rounded down', async () => {
    const { middleware, log } = spill({ maxBytes: 10_005 });
    const handler = middy(async (event: { size: number }) => responseOf(event.size)).use(middleware);
    await handler({ ...eventOf('http-v2'), size: 9_004 }, context);
    await handler({ ...eventOf('http-v2'), size: 9_005 }, context);
    expect(nearLimitWarnings(log)).toEqual([['s3Spill response near the limit', { frontDoor: 'http-v2', bytes: 9_005, maxBytes: 10_005, warnAtBytes: 9_004 }]]);
  });

  it('counts the exact size when the free bound cannot decide: escaped text under the threshold does not warn', async () => {
    // 'é' is 2 bytes of UTF-8, bounded at 6: the bound is over 9,000 and under maxBytes, the size is not.
    const { middleware, log } = spill({ maxBytes: 60_000, warnAtBytes: 9_000 });
    const under = responseOf(8_000, 'é');
    const over = responseOf(9_002, 'é');
    const handler = middy(async (event: { size: number }) => (event.size === 8_000 ? under : over)).use(middleware);
    expect(await handler({ ...eventOf('function-url'), size: 8_000 }, context)).toBe(under);
    expect(log.at('warn')).toEqual([]);
    expect(await handler({ ...eventOf('function-url'), size: 9_002 }, context)).toBe(over);
    expect(nearLimitWarnings(log)).toEqual([['s3Spill response near the limit', expect.objectContaining({ bytes: 9_002 })]]);
  });

  it('the default logger writes the warning before the invocation returns', async () => {
    const handler = middy(async () => responseOf(9_500)).use(s3Spill({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 10_000 }));
    await handler(eventOf('function-url'), context);
    expect(emf.logLines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 's3Spill response near the limit',
        nearLimit: { frontDoor: 'function-url', bytes: 9_500, maxBytes: 10_000, warnAtBytes: 9_000 },
      }),
    ]);
  });

  it('false turns it off; a spilled response and a non-HTTP result never warn', async () => {
    const off = spill({ maxBytes: 10_000, warnAtBytes: false });
    await middy(async () => responseOf(10_000)).use(off.middleware)(eventOf('function-url'), context);
    expect(off.log.at('warn')).toEqual([]);
    const always = spill({ maxBytes: 10_000, alwaysSpill: true });
    const spilled = await middy(async () => responseOf(9_500)).use(always.middleware)(eventOf('function-url'), context);
    expect((spilled as { statusCode: number }).statusCode).toBe(303);
    expect(always.log.at('warn')).toEqual([]);
    const invoke = spill({ maxBytes: 10_000 });
    await middy(async () => ({ rows: 'r'.repeat(9_500) })).use(invoke.middleware)({ job: 1 }, context);
    expect(invoke.log.at('warn')).toEqual([]);
  });

  it('warns through withS3Spill too, and logs no URL', async () => {
    const log = recordingLogger();
    const handler = withS3Spill(async () => responseOf(9_500), { bucket: s3.bucket, s3Client: s3.client, logger: log.logger, maxBytes: 10_000 });
    await handler(eventOf('alb'), context);
    expect(nearLimitWarnings(log)).toEqual([['s3Spill response near the limit', { frontDoor: 'alb', bytes: 9_500, maxBytes: 10_000, warnAtBytes: 9_000 }]]);
    expect(log.text()).not.toMatch(/https?:/);
  });

  it.each<[unknown, object, string]>([
    [0, {}, 'warnAtBytes must be false or an integer from 1 to 6291556 (maxBytes), got 0'],
    [1.5, {}, 'warnAtBytes must be false or an integer from 1 to 6291556 (maxBytes), got 1.5'],
    [6_291_557, {}, 'warnAtBytes must be false or an integer from 1 to 6291556 (maxBytes), got 6291557'],
    [10_001, { maxBytes: 10_000 }, 'warnAtBytes must be false or an integer from 1 to 10000 (maxBytes), got 10001'],
    [true, {}, 'warnAtBytes must be false or an integer from 1 to 6291556 (maxBytes), got true'],
    ['9000', {}, 'warnAtBytes must be false or an integer from 1 to 6291556 (maxBytes), got 9000'],
  ])('refuses warnAtBytes: %p (%p)', (warnAtBytes, extra, message) => {
    expect(() => s3SpillValidateOptions({ bucket: 'b-spill', ...extra, warnAtBytes: warnAtBytes as number })).toThrow(new TypeError(message));
  });

  it('accepts up to the streaming limit with streaming, and the limit itself', () => {
    expect(() => s3SpillValidateOptions({ bucket: 'b-spill', streaming: true, warnAtBytes: 200 * 1024 * 1024 })).not.toThrow();
    expect(() => s3SpillValidateOptions({ bucket: 'b-spill', maxBytes: 10_000, warnAtBytes: 10_000 })).not.toThrow();
  });
});
