/**
 * s3Offload's `metrics` and `warnAtBytes` in real Middy pipelines (and
 * withS3Offload) against a local S3, with a real Powertools `Metrics` whose
 * EMF output is captured.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { payloadBytes } from 'lambda-s3-spill';
import { type OffloadReference, s3Offload, s3OffloadValidateOptions, STEP_FUNCTIONS_STATE_MAX_BYTES, withS3Offload } from 'lambda-s3-spill/offload';
import { useEmfCapture } from '../support/emf.js';
import { context, eventOf, nearLimitWarnings, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { invokeEvent } from './helpers.js';

const s3 = useLocalS3('metrics-offload');
const emf = useEmfCapture();

const newMetrics = () => new Metrics({ namespace: 'OffloadTests', serviceName: 'reports' });

/** A result whose `JSON.stringify` is exactly `bytes`. */
function resultOf(bytes: number) {
  const result = { rows: 'r'.repeat(bytes - payloadBytes({ rows: '' })) };
  expect(payloadBytes(result)).toBe(bytes);
  return result;
}

function offload(extra: Parameters<typeof s3Offload>[0] = {}) {
  const log = recordingLogger();
  return { middleware: s3Offload({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger, ...extra }), log };
}

describe('metrics', () => {
  it('an offloaded result emits Offloaded and OffloadedBytes; the next function resolving it emits Resolved and ResolvedBytes', async () => {
    const metrics = newMetrics();
    const producer = middy(async () => resultOf(300_000)).use(offload({ maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES, metrics }).middleware);
    const reference = (await producer(invokeEvent(), context)) as unknown as OffloadReference;
    const dimensions = { service: 'reports', utility: 'offload' };
    expect(emf.metrics()).toEqual([
      { name: 'Offloaded', unit: 'Count', value: 1, namespace: 'OffloadTests', dimensions },
      { name: 'OffloadedBytes', unit: 'Bytes', value: 300_000, namespace: 'OffloadTests', dimensions },
    ]);
    expect(reference.lambdaS3Offload.bytes).toBe(300_000);

    emf.documents.length = 0;
    const consumer = middy(async (event: { input: unknown; again: unknown }) => ({ ok: event.input === undefined ? 0 : 1 })).use(
      offload({ metrics }).middleware,
    );
    // Two references to one object: one object read.
    expect(await consumer({ input: reference, again: reference }, context)).toEqual({ ok: 1 });
    expect(emf.metrics().map((m) => [m.name, m.unit, m.value, m.dimensions])).toEqual([
      ['Resolved', 'Count', 1, dimensions],
      ['ResolvedBytes', 'Bytes', 300_000, dimensions],
    ]);
  });

  it('withS3Offload emits the same set', async () => {
    const handler = withS3Offload(async () => resultOf(7_000_000), {
      bucket: s3.bucket,
      s3Client: s3.client,
      logger: recordingLogger().logger,
      metrics: newMetrics(),
    });
    await handler(invokeEvent(), context);
    expect(emf.metrics().map((m) => [m.name, m.value])).toEqual([
      ['Offloaded', 1],
      ['OffloadedBytes', 7_000_000],
    ]);
  });

  it('emits nothing when nothing changes: a result that fits, an event without references, an HTTP event', async () => {
    const handler = middy(async () => resultOf(262_144)).use(offload({ maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES, metrics: newMetrics() }).middleware);
    await handler(invokeEvent(), context);
    await handler(eventOf('http-v2') as never, context);
    expect(emf.documents).toEqual([]);
  });

  it('refuses metrics without addMetric and singleMetric', () => {
    expect(() => s3OffloadValidateOptions({ bucket: 'b-offload', metrics: { addMetric: () => 1 } as never })).toThrow(
      new TypeError('metrics must be a Powertools Metrics (new Metrics({ namespace, serviceName }))'),
    );
  });
});

describe('warnAtBytes', () => {
  const max = STEP_FUNCTIONS_STATE_MAX_BYTES;

  it.each<[string, number, boolean]>([
    ['one byte under', 235_928, false],
    ['at', 235_929, false],
    ['one byte over', 235_930, true],
    ['at maxBytes', 262_144, true],
  ])('%s the default threshold (90 %% of 262,144: 235,929): returned untouched, warned %p', async (_name, bytes, warned) => {
    const { middleware, log } = offload({ maxBytes: max });
    const result = resultOf(bytes);
    expect(await middy(async () => result).use(middleware)(invokeEvent(), context)).toBe(result);
    expect(nearLimitWarnings(log)).toEqual(warned ? [['s3Offload result near the limit', { bytes, maxBytes: max, warnAtBytes: 235_929 }]] : []);
  });

  it('one byte over maxBytes is offloaded, with no warning', async () => {
    const { middleware, log } = offload({ maxBytes: max });
    expect(await middy(async () => resultOf(max + 1)).use(middleware)(invokeEvent(), context)).toHaveProperty('lambdaS3Offload');
    expect(log.at('warn')).toEqual([]);
  });

  it.each<[string, number, boolean]>([
    ['one byte under', 99_999, false],
    ['at', 100_000, false],
    ['one byte over', 100_001, true],
  ])('%s an explicit threshold (100,000), through withS3Offload: warned %p', async (_name, bytes, warned) => {
    const log = recordingLogger();
    const handler = withS3Offload(async () => resultOf(bytes), { bucket: s3.bucket, s3Client: s3.client, logger: log.logger, warnAtBytes: 100_000 });
    await handler(invokeEvent(), context);
    expect(nearLimitWarnings(log)).toEqual(warned ? [['s3Offload result near the limit', { bytes, maxBytes: 6_291_556, warnAtBytes: 100_000 }]] : []);
  });

  it('the default logger writes the warning before the invocation returns', async () => {
    const handler = middy(async () => resultOf(max)).use(s3Offload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: max }));
    await handler(invokeEvent(), context);
    expect(emf.logLines).toEqual([
      expect.objectContaining({ level: 'WARN', message: 's3Offload result near the limit', nearLimit: { bytes: max, maxBytes: max, warnAtBytes: 235_929 } }),
    ]);
  });

  it('false turns it off; alwaysOffload and HTTP events never warn', async () => {
    const off = offload({ maxBytes: max, warnAtBytes: false });
    await middy(async () => resultOf(max)).use(off.middleware)(invokeEvent(), context);
    const always = offload({ maxBytes: max, alwaysOffload: true });
    await middy(async () => resultOf(max)).use(always.middleware)(invokeEvent(), context);
    const http = offload({ maxBytes: max });
    await middy(async () => resultOf(max)).use(http.middleware)(eventOf('http-v2') as never, context);
    expect([off.log.at('warn'), always.log.at('warn'), http.log.at('warn')]).toEqual([[], [], []]);
  });

  it.each<[unknown, object, string]>([
    [0, {}, 'warnAtBytes must be false or an integer from 1 to 6291556 (maxBytes), got 0'],
    [262_145, { maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES }, 'warnAtBytes must be false or an integer from 1 to 262144 (maxBytes), got 262145'],
    [0.5, {}, 'warnAtBytes must be false or an integer from 1 to 6291556 (maxBytes), got 0.5'],
  ])('refuses warnAtBytes: %p (%p)', (warnAtBytes, extra, message) => {
    expect(() => s3OffloadValidateOptions({ bucket: 'b-offload', ...extra, warnAtBytes: warnAtBytes as number })).toThrow(new TypeError(message));
  });
});
