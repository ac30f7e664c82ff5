/** s3Offload and withS3Offload in real Middy pipelines against a local S3; resolveOffloaded on the caller's side. */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { payloadBytes, s3Spill, SpillConfigurationError } from 'lambda-s3-spill';
import { OFFLOAD_REFERENCE_KEY, type OffloadReference, resolveOffloaded, s3Offload, s3OffloadValidateOptions, STEP_FUNCTIONS_STATE_MAX_BYTES, withS3Offload } from 'lambda-s3-spill/offload';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { invokeEvent, recording } from './helpers.js';

const s3 = useLocalS3('offload-bucket');

const big = (bytes: number) => ({ rows: 'r'.repeat(bytes) });

function offload(extra: Parameters<typeof s3Offload>[0] = {}) {
  const log = recordingLogger();
  return { middleware: s3Offload({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger, ...extra }), log };
}

it('offloads a result over maxBytes to a reference and the caller resolves it deep-equal', async () => {
  const value = big(7_000_000);
  const { middleware, log } = offload();
  const handler = middy(async () => value).use(middleware);
  const answer = (await handler(invokeEvent(), context)) as unknown as OffloadReference;
  expect(Object.keys(answer)).toEqual([OFFLOAD_REFERENCE_KEY]);
  const pointer = answer.lambdaS3Offload;
  expect(pointer.bucket).toBe(s3.bucket);
  expect(pointer.key).toMatch(/^offload\/\d{8}T\d{9}Z-[0-9a-f-]{36}\.json$/);
  expect(pointer.bytes).toBe(payloadBytes(value));
  expect(pointer.uri).toBe(`s3://${s3.bucket}/${pointer.key}`);
  expect(payloadBytes(answer)).toBeLessThan(500);
  const stored = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: pointer.key }));
  expect(stored.ContentType).toBe('application/json; charset=utf-8');
  expect(await stored.Body!.transformToString()).toBe(JSON.stringify(value));
  expect(await resolveOffloaded(answer, { bucket: s3.bucket, s3Client: s3.client })).toEqual(value);
  const records = log.at('info');
  expect(records).toHaveLength(1);
  expect(records[0]!.args[1]).toEqual({
    offload: { bucket: s3.bucket, key: pointer.key, bytes: pointer.bytes, reason: 'over', durationMs: expect.any(Number) },
  });
  expect(log.text()).not.toMatch(/https?:\/\//);
});

it('returns a result of exactly maxBytes as it is, offloads one byte more', async () => {
  const max = STEP_FUNCTIONS_STATE_MAX_BYTES;
  const at = big(max - payloadBytes(big(0)));
  expect(payloadBytes(at)).toBe(max);
  const { middleware } = offload({ maxBytes: max });
  const handler = middy(async (event: { extra: string }) => ({ ...at, rows: at.rows + event.extra })).use(middleware);
  expect(await handler({ extra: '' }, context)).toEqual(at);
  expect(await handler({ extra: 'x' }, context)).toHaveProperty(OFFLOAD_REFERENCE_KEY);
});

it('alwaysOffload: a boolean or a function of the request; never a reference to a reference', async () => {
  const { middleware } = offload({ alwaysOffload: (request) => (request.event as { always?: boolean }).always === true });
  const handler = middy(async (event: { echo?: unknown }) => event.echo ?? { small: true }).use(middleware);
  expect(await handler({}, context)).toEqual({ small: true });
  const ref = await handler({ always: true }, context);
  expect(ref).toHaveProperty(OFFLOAD_REFERENCE_KEY);
  expect(await resolveOffloaded(ref, { bucket: s3.bucket, s3Client: s3.client })).toEqual({ small: true });
  const always = middy(async () => undefined).use(offload({ alwaysOffload: true }).middleware);
  expect(await resolveOffloaded(await always({}, context), { bucket: s3.bucket, s3Client: s3.client })).toBeNull();
  // A function handed a reference and returning it does not wrap it again, even with alwaysOffload.
  // A handler that returns a reference it holds (not one from its event) gets it back as it is, even with alwaysOffload.
  const passOn = middy(async () => ref).use(s3Offload({ bucket: s3.bucket, s3Client: s3.client, alwaysOffload: true, logger: recordingLogger().logger }));
  expect(await passOn({}, context)).toBe(ref);
});

it('resolves references in the event, whole or nested, before the handler; the handler gets values', async () => {
  const producer = middy(async (event: { n: number }) => big(300_000 + event.n)).use(offload({ maxBytes: 262_144 }).middleware);
  const a = await producer({ n: 1 }, context);
  const b = await producer({ n: 2 }, context);
  const seen: unknown[] = [];
  const consumer = middy(async (event: unknown) => {
    seen.push(event);
    return 'ok';
  }).use(offload().middleware);
  await consumer(a, context);
  await consumer({ input: { first: a, list: [b, 3] }, plain: 'kept' }, context);
  expect(seen[0]).toEqual(big(300_001));
  expect(seen[1]).toEqual({ input: { first: big(300_001), list: [big(300_002), 3] }, plain: 'kept' });
});

it('runs a chain of two functions: a Step Functions-like hand-over of a 1 MB result', async () => {
  const first = middy(async () => ({ report: 'x'.repeat(1_000_000) })).use(offload({ maxBytes: 262_144 }).middleware);
  const second = middy(async (event: { report: string }) => ({ length: event.report.length })).use(offload({ maxBytes: 262_144 }).middleware);
  const handedOver = await first({}, context);
  expect(payloadBytes(handedOver)).toBeLessThanOrEqual(262_144);
  expect(await second(handedOver as never, context)).toEqual({ length: 1_000_000 });
});

it('leaves HTTP events to s3Spill: the two registered together each do their own job', async () => {
  const { client, sent } = recording(s3.newClient());
  const handler = middy(async (event: { version?: string }) =>
    event.version === undefined ? big(7_000_000) : { statusCode: 200, body: 'h'.repeat(7_000_000) },
  )
    .use(s3Spill({ bucket: s3.bucket, s3Client: client, compress: false, logger: recordingLogger().logger }))
    .use(s3Offload({ bucket: s3.bucket, s3Client: client, logger: recordingLogger().logger }));
  const http = (await handler(eventOf('function-url') as never, context)) as unknown as { statusCode: number; headers: Record<string, string> };
  expect(http.statusCode).toBe(303);
  expect(http).not.toHaveProperty(OFFLOAD_REFERENCE_KEY);
  expect(sent.map((c) => c.input.Key)).toEqual([expect.stringMatching(/^spill\//)]);
  const sdk = await handler({} as never, context);
  expect(sdk).toHaveProperty(OFFLOAD_REFERENCE_KEY);
  expect(sent.map((c) => c.input.Key)).toEqual([expect.stringMatching(/^spill\//), expect.stringMatching(/^offload\//)]);
  // An HTTP event that looks like it holds a reference is not resolved either.
  const event = { ...eventOf('http-v2'), body: null, extra: sdk };
  const echo = middy(async (e: unknown) => ({ statusCode: 200, body: JSON.stringify((e as { extra: unknown }).extra) })).use(
    offload().middleware,
  );
  expect(JSON.parse(((await echo(event, context)) as { body: string }).body)).toEqual(sdk);
});

it.each(MIDDY_VERSIONS)('works with middy %s', async (_name, middyOf) => {
  const handler = middyOf(async () => big(300_000)).use(offload({ maxBytes: 262_144 }).middleware);
  const ref = await handler({}, context);
  expect(await resolveOffloaded(ref, { bucket: s3.bucket, s3Client: s3.client })).toEqual(big(300_000));
});

it('withS3Offload: the same without Middy, errors thrown typed', async () => {
  const wrapped = withS3Offload(async (event: { input: { rows: string } }) => ({ got: event.input.rows.length, out: 'y'.repeat(300_000) }), {
    bucket: s3.bucket,
    s3Client: s3.client,
    maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES,
    logger: recordingLogger().logger,
  });
  const ref = await withS3Offload(async () => big(400_000), { bucket: s3.bucket, s3Client: s3.client, maxBytes: 262_144, logger: recordingLogger().logger })({}, context);
  const out = await wrapped({ input: ref as never }, context);
  expect(await resolveOffloaded(out, { bucket: s3.bucket, s3Client: s3.client })).toEqual({ got: 400_000, out: 'y'.repeat(300_000) });
  expect(() => withS3Offload('no' as never, { bucket: s3.bucket })).toThrow(TypeError);
  expect(await withS3Offload(async () => 'small', { bucket: s3.bucket })({}, context)).toBe('small');
});

it('resolveOffloaded returns a value without references as it is, reading nothing', async () => {
  const { client, sent } = recording(s3.newClient());
  const value = { a: [1, 2, { b: 'c' }] };
  expect(await resolveOffloaded(value, { bucket: s3.bucket, s3Client: client })).toBe(value);
  expect(await resolveOffloaded('text', { bucket: s3.bucket, s3Client: client })).toBe('text');
  expect(sent).toEqual([]);
});

describe('options', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  it('takes the bucket from S3_OFFLOAD_BUCKET, else S3_SPILL_BUCKET, and the prefix from S3_OFFLOAD_PREFIX', async () => {
    delete process.env.S3_OFFLOAD_BUCKET;
    delete process.env.S3_SPILL_BUCKET;
    expect(() => s3Offload({})).toThrow(SpillConfigurationError);
    await expect(resolveOffloaded({})).rejects.toThrow(SpillConfigurationError);
    process.env.S3_SPILL_BUCKET = s3.bucket;
    process.env.S3_OFFLOAD_PREFIX = 'handover/';
    const ref = (await middy(async () => big(300_000))
      .use(s3Offload({ s3Client: s3.client, maxBytes: 262_144, logger: recordingLogger().logger }))({}, context)) as unknown as OffloadReference;
    expect(ref.lambdaS3Offload.key).toMatch(/^handover\//);
    expect(await resolveOffloaded(ref, { s3Client: s3.client })).toEqual(big(300_000));
    process.env.S3_OFFLOAD_BUCKET = 'another-bucket';
    await expect(resolveOffloaded(ref, { s3Client: s3.client })).rejects.toMatchObject({ name: 'OffloadReferenceError' });
  });

  it.each([
    [{ maxBytes: 6_291_557 }, /maxBytes/],
    [{ maxBytes: 100 }, /maxBytes/],
    [{ maxBytes: 1.5e3 + 0.5 }, /maxBytes/],
    [{ keyPrefix: '../x/' }, /keyPrefix/],
    [{ keyPrefix: 'a//b/' }, /keyPrefix/],
    [{ keyPrefix: 3 }, /keyPrefix/],
    [{ bucket: 'Bad_Bucket' }, /bucket/],
    [{ allowedBuckets: 'x' }, /allowedBuckets/],
    [{ allowedBuckets: ['Bad_Bucket'] }, /allowedBuckets/],
    [{ alwaysOffload: 'yes' }, /alwaysOffload/],
    [{ s3Client: {} }, /s3Client/],
    [{ logger: {} }, /logger/],
    [{ timeoutEarlyInMillis: -1 }, /timeoutEarlyInMillis/],
    [{ maxResolveBytes: 0 }, /maxResolveBytes/],
    [{ putObjectParams: null }, /putObjectParams/],
    [{ maxBytes: 1024, keyPrefix: `${'p'.repeat(900)}/` }, /smaller than a reference/],
  ])('refuses %p at creation with a TypeError naming it', (options, message) => {
    expect(() => s3OffloadValidateOptions({ bucket: 'offload-bucket', ...(options as object) })).toThrow(TypeError);
    expect(() => s3Offload({ bucket: 'offload-bucket', ...(options as object) })).toThrow(message);
  });

  it('takes an option given as undefined for its default', () => {
    expect(() => s3Offload({ bucket: 'offload-bucket', maxBytes: undefined, keyPrefix: undefined })).not.toThrow();
  });
});
