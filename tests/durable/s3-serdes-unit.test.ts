/**
 * s3Serdes on its own, against a local S3: its options (checked at creation,
 * unknown ones refused), its key scheme, the checkpoint envelope it writes
 * (the figures docs/offload.md gives), what it refuses to read, and its
 * failures as the durable SDK receives them.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type DurableContext, type Serdes, withDurableExecution } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { DURABLE_CHECKPOINT_MAX_BYTES, OffloadIntegrityError, OffloadReferenceError, OffloadStoreError, s3Serdes, SpillConfigurationError } from 'lambda-s3-spill/offload';
import { refusedEndpoint } from '../../samples/local/fault-proxy.js';
import { testClient } from '../faults/harness.js';
import { recording } from '../offload/helpers.js';
import { useLocalS3 } from '../support/local-s3.js';

const s3 = useLocalS3('my-spill-bucket');

const context = { durableExecutionArn: 'arn:aws:lambda:us-east-1:123456789012:function:report:$LATEST/durable-execution/run-1/a1', entityId: '1' };
const big = { rows: 'r'.repeat(2_000_000) };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

it('is a Serdes of the durable SDK (its types only: the library imports nothing of it)', () => {
  const serdes: Serdes<{ n: number }> = s3Serdes<{ n: number }>({ bucket: s3.bucket });
  expect(typeof serdes.serialize).toBe('function');
});

describe('options, at creation', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('takes the bucket from S3_SPILL_BUCKET and the prefix from S3_DURABLE_PREFIX, else durable/', async () => {
    process.env.S3_SPILL_BUCKET = s3.bucket;
    const { client, sent } = recording(s3.newClient());
    await s3Serdes({ s3Client: client }).serialize(big, context);
    expect(sent[0]!.input.Key).toMatch(/^durable\/[0-9a-f]{64}\/[0-9a-f]{64}\.json$/);
    process.env.S3_DURABLE_PREFIX = 'long-lived/';
    await s3Serdes({ s3Client: client }).serialize(big, context);
    expect(sent[1]!.input.Key).toMatch(/^long-lived\//);
  });

  it.each([
    [{}, SpillConfigurationError, /needs a bucket/],
    [{ bucket: 'Not_A_Bucket' }, TypeError, /^bucket /],
    [{ bucket: 'b-1', keyPrefix: '/durable/' }, TypeError, /^keyPrefix /],
    [{ bucket: 'b-1', keyPrefix: 'a//b/' }, TypeError, /^keyPrefix /],
    [{ bucket: 'b-1', keyPrefix: '' }, TypeError, /^keyPrefix /],
    [{ bucket: 'b-1', s3Client: {} }, TypeError, /^s3Client /],
    [{ bucket: 'b-1', putObjectParams: null }, TypeError, /^putObjectParams /],
    [{ bucket: 'b-1', maxBytes: 1 }, TypeError, /^s3Serdes has no option 'maxBytes'/],
  ])('refuses %j', (options, type, message) => {
    delete process.env.S3_SPILL_BUCKET;
    const create = () => s3Serdes(options as Parameters<typeof s3Serdes>[0]);
    expect(create).toThrow(type);
    expect(create).toThrow(message);
  });
});

describe('the key and the envelope', () => {
  it('keys a step by sha256(durableExecutionArn)/sha256(entityId) under the prefix; another step or execution is another key', async () => {
    const { client, sent } = recording(s3.newClient());
    const serdes = s3Serdes({ bucket: s3.bucket, s3Client: client });
    await serdes.serialize(big, context);
    await serdes.serialize(big, { ...context, entityId: '2' });
    await serdes.serialize(big, { ...context, durableExecutionArn: `${context.durableExecutionArn}x` });
    expect(sent.map((c) => c.input.Key)).toEqual([
      `durable/${sha(context.durableExecutionArn)}/${sha('1')}.json`,
      `durable/${sha(context.durableExecutionArn)}/${sha('2')}.json`,
      `durable/${sha(`${context.durableExecutionArn}x`)}/${sha('1')}.json`,
    ]);
  });

  it('inline: a 19-byte wrapper; stored: a reference of 523 bytes for a 2 MB value in a 15-character bucket under durable/', async () => {
    const { client, sent } = recording(s3.newClient());
    const serdes = s3Serdes({ bucket: s3.bucket, s3Client: client });
    const small = { status: 'ok' };
    const inline = (await serdes.serialize(small, context))!;
    expect(Buffer.byteLength(inline) - Buffer.byteLength(JSON.stringify(small))).toBe(19);
    expect(inline).toBe(`{"lambdaS3Inline":${JSON.stringify(small)}}`);
    const value = { rows: 'r'.repeat(2_113_394) }; // 2,113,405 bytes of JSON
    const reference = (await serdes.serialize(value, context))!;
    expect(Buffer.byteLength(reference)).toBe(523);
    expect(JSON.parse(reference)).toEqual({
      lambdaS3Offload: expect.objectContaining({ bucket: s3.bucket, bytes: 2_113_405, sha256: sha(JSON.stringify(value)) }),
    });
    expect(sent).toHaveLength(1);
    expect(await serdes.deserialize(reference, context)).toEqual(value);
  });

  it('keeps inline exactly up to 262,144 bytes with the wrapper, stores one byte more', async () => {
    const { client, sent } = recording(s3.newClient());
    const serdes = s3Serdes({ bucket: s3.bucket, s3Client: client });
    const at = 'x'.repeat(DURABLE_CHECKPOINT_MAX_BYTES - 21);
    expect(Buffer.byteLength((await serdes.serialize(at, context))!)).toBe(DURABLE_CHECKPOINT_MAX_BYTES);
    expect(sent).toHaveLength(0);
    expect(await serdes.serialize(`${at}x`, context)).toMatch(/^\{"lambdaS3Offload":/);
    expect(sent).toHaveLength(1);
  });

  it('undefined stays undefined both ways, as the SDK default serdes does', async () => {
    const serdes = s3Serdes({ bucket: s3.bucket, s3Client: s3.client });
    expect(await serdes.serialize(undefined, context)).toBeUndefined();
    expect(await serdes.deserialize(undefined, context)).toBeUndefined();
  });
});

describe('what it reads', () => {
  it('refuses a reference to another bucket or prefix, and a checkpoint it did not write, before reading anything', async () => {
    const { client, sent } = recording(s3.newClient());
    const serdes = s3Serdes({ bucket: s3.bucket, s3Client: client, keyPrefix: 'durable/' });
    const stored = JSON.parse((await s3Serdes({ bucket: s3.bucket, s3Client: s3.client, keyPrefix: 'other/' }).serialize(big, context))!);
    await expect(serdes.deserialize(JSON.stringify(stored), context)).rejects.toBeInstanceOf(OffloadReferenceError);
    const elsewhere = { lambdaS3Offload: { ...stored.lambdaS3Offload, bucket: 'another-bucket', uri: stored.lambdaS3Offload.uri.replace(s3.bucket, 'another-bucket') } };
    await expect(serdes.deserialize(JSON.stringify(elsewhere), context)).rejects.toBeInstanceOf(OffloadReferenceError);
    for (const data of ['{"status":"ok"}', '[1]', 'not json', '{"lambdaS3Inline":1,"x":2}']) {
      await expect(serdes.deserialize(data, context)).rejects.toBeInstanceOf(OffloadReferenceError);
    }
    expect(sent.filter((c) => c.name === 'GetObjectCommand')).toEqual([]);
  });

  it('refuses an object changed since it was written (OffloadIntegrityError)', async () => {
    const serdes = s3Serdes({ bucket: s3.bucket, s3Client: s3.client });
    const checkpoint = (await serdes.serialize(big, { ...context, entityId: 'tampered' }))!;
    const { key } = JSON.parse(checkpoint).lambdaS3Offload as { key: string };
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: JSON.stringify({ rows: 's'.repeat(2_000_000) }) }));
    await expect(serdes.deserialize(checkpoint, context)).rejects.toBeInstanceOf(OffloadIntegrityError);
  });
});

describe('failures, as the durable SDK receives them', () => {
  beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: false }));
  afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

  it('S3 refusing connections: serialize rejects with OffloadStoreError, and the execution fails as a serdes failure', async () => {
    const down = s3Serdes({ bucket: s3.bucket, s3Client: testClient(await refusedEndpoint(), { maxAttempts: 1 }) });
    await expect(down.serialize(big, context)).rejects.toBeInstanceOf(OffloadStoreError);
    const handler = withDurableExecution(async (_event: unknown, durable: DurableContext) => {
      return durable.step('load', async () => big, { serdes: down });
    });
    // The SDK ends the invocation as unrecoverable: SerdesFailedError, naming the step.
    const run = new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });
    await expect(run).rejects.toMatchObject({ name: 'SerdesFailedError', message: expect.stringMatching(/Serialization failed for step "load"/) });
  });
});
