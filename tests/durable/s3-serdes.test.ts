/**
 * s3Serdes end to end: durable workflows run by the SDK's own local runner
 * (`@aws/durable-execution-sdk-js-testing`), a local S3. The runner does not
 * enforce the 262,144-byte checkpoint limit, so every payload it recorded
 * (its history events) is measured here. A `wait` makes the runner invoke
 * the handler again, so completed steps are replayed from their checkpoints.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type DurableContext, type Serdes, withDurableExecution } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { payloadBytes } from 'lambda-s3-spill';
import { DURABLE_CHECKPOINT_MAX_BYTES, DURABLE_INLINE_KEY, OFFLOAD_REFERENCE_KEY, s3Serdes } from 'lambda-s3-spill/offload';
import { recording } from '../offload/helpers.js';
import { useLocalS3 } from '../support/local-s3.js';

const s3 = useLocalS3('durable-bucket');
beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: false });
});
afterAll(async () => {
  await LocalDurableTestRunner.teardownTestEnvironment();
});

/** About 2 MB of rows. */
const rows = (seed: number) => Array.from({ length: 44_000 }, (_, id) => ({ id, name: `row-${id}-${seed}`, value: (id * 7919 + seed) % 10_007 }));

async function objectsUnder(prefix: string): Promise<string[]> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!);
}

/** Every payload string in the runner's history: inputs, step, context and execution results. */
function recordedPayloads(events: readonly Record<string, unknown>[]): string[] {
  const payloads: string[] = [];
  for (const event of events) {
    for (const [name, details] of Object.entries(event)) {
      if (!name.endsWith('Details') || typeof details !== 'object' || details === null) continue;
      for (const part of Object.values(details as Record<string, unknown>)) {
        const payload = (part as { Payload?: unknown } | undefined)?.Payload;
        if (typeof payload === 'string') payloads.push(payload);
      }
    }
  }
  return payloads;
}

/** The serdes, recording each call: the string serialize returned is the checkpoint payload. */
function recorded(serdes: Serdes<unknown>) {
  const serialized: { entityId: string; data: string | undefined }[] = [];
  const deserialized: string[] = [];
  const wrapped: Serdes<unknown> = {
    async serialize(value, context) {
      const data = await serdes.serialize(value, context);
      serialized.push({ entityId: context.entityId, data });
      return data;
    },
    async deserialize(data, context) {
      deserialized.push(context.entityId);
      return serdes.deserialize(data, context);
    },
  };
  return { serdes: wrapped, serialized, deserialized };
}

it('a step returning 2 MB completes, and after a replay the value is deep-equal; every checkpoint is within 262,144 bytes', async () => {
  const prefix = 'durable-a/';
  const { client, sent } = recording(s3.newClient());
  const { serdes, serialized, deserialized } = recorded(s3Serdes({ bucket: s3.bucket, keyPrefix: prefix, s3Client: client }));
  const seen: unknown[] = [];
  const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
    context.configureSerdes({ defaultSerdes: serdes });
    const big = await context.step('load rows', async () => rows(1));
    await context.wait({ seconds: 1 });
    seen.push(big); // after the wait: the value the replay deserialized
    const count = await context.step('count', async () => (big as unknown[]).length);
    return { count };
  });
  const runner = new LocalDurableTestRunner({ handlerFunction: handler });
  const execution = await runner.run({ payload: {} });
  expect(execution.getStatus()).toBe('SUCCEEDED');
  expect(execution.getResult()).toEqual({ count: 44_000 });
  expect(execution.getInvocations().length).toBeGreaterThanOrEqual(2);
  expect(payloadBytes(rows(1))).toBeGreaterThan(2_000_000);
  expect(seen.at(-1)).toEqual(rows(1));

  const payloads = recordedPayloads(execution.getHistoryEvents() as unknown as Record<string, unknown>[]);
  expect(payloads.length).toBeGreaterThanOrEqual(2);
  for (const payload of payloads) expect(Buffer.byteLength(payload, 'utf8')).toBeLessThanOrEqual(DURABLE_CHECKPOINT_MAX_BYTES);
  // The step's checkpoint is the reference serialize returned, and the replay read it back.
  const stepPayload = serialized.find((s) => s.data?.includes(OFFLOAD_REFERENCE_KEY))!.data!;
  expect(payloads).toContain(stepPayload);
  expect(Object.keys(JSON.parse(stepPayload))).toEqual([OFFLOAD_REFERENCE_KEY]);
  expect(deserialized.filter((id) => id === serialized[0]!.entityId).length).toBeGreaterThanOrEqual(2);
  // One object, under the prefix, written once; the small step stayed inline.
  expect(await objectsUnder(prefix)).toHaveLength(1);
  expect(sent.filter((c) => c.name === 'PutObjectCommand')).toHaveLength(1);
  expect(serialized.filter((s) => s.data?.startsWith(`{"${DURABLE_INLINE_KEY}":`))).toHaveLength(1);
});

it('a child context run again on replay serializes the same step again: same key, no second object', async () => {
  const prefix = 'durable-b/';
  const { client, sent } = recording(s3.newClient());
  const { serdes, serialized } = recorded(s3Serdes({ bucket: s3.bucket, keyPrefix: prefix, s3Client: client }));
  const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
    // A virtual child context is not checkpointed: every invocation runs it and serializes its result again.
    const built = await context.runInChildContext('build', async () => rows(2), { serdes, virtualContext: true });
    await context.wait({ seconds: 1 });
    return { count: (built as unknown[]).length };
  });
  const execution = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });
  expect(execution.getStatus()).toBe('SUCCEEDED');
  expect(execution.getResult()).toEqual({ count: 44_000 });
  const builds = serialized.filter((s) => s.data?.includes(OFFLOAD_REFERENCE_KEY));
  expect(builds.length).toBeGreaterThanOrEqual(2);
  expect(new Set(builds.map((s) => s.entityId)).size).toBe(1);
  const puts = sent.filter((c) => c.name === 'PutObjectCommand');
  expect(puts.length).toBe(builds.length);
  expect(new Set(puts.map((c) => c.input.Key)).size).toBe(1);
  expect(await objectsUnder(prefix)).toHaveLength(1);
});

it('small values write nothing: every checkpoint inline', async () => {
  const prefix = 'durable-c/';
  const { client, sent } = recording(s3.newClient());
  const { serdes, serialized } = recorded(s3Serdes({ bucket: s3.bucket, keyPrefix: prefix, s3Client: client }));
  // A value that looks like a reference is data inside the inline wrapper, never read as one.
  const lookalike = { [OFFLOAD_REFERENCE_KEY]: { version: 1, bucket: 'elsewhere', key: 'x' } };
  const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
    context.configureSerdes({ defaultSerdes: serdes });
    const a = await context.step('a', async () => ({ status: 'ok', n: 1 }));
    const b = await context.step('b', async () => lookalike);
    await context.wait({ seconds: 1 });
    const c = await context.step('c', async () => 'x'.repeat(DURABLE_CHECKPOINT_MAX_BYTES - 21)); // exactly at the limit with its wrapper
    return { a, b, c: (c as string).length };
  });
  const execution = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });
  expect(execution.getStatus()).toBe('SUCCEEDED');
  expect(execution.getResult()).toEqual({ a: { status: 'ok', n: 1 }, b: lookalike, c: DURABLE_CHECKPOINT_MAX_BYTES - 21 });
  expect(serialized.every((s) => s.data?.startsWith(`{"${DURABLE_INLINE_KEY}":`))).toBe(true);
  expect(Math.max(...serialized.map((s) => Buffer.byteLength(s.data!)))).toBe(DURABLE_CHECKPOINT_MAX_BYTES);
  expect(sent.filter((c) => c.name === 'PutObjectCommand')).toEqual([]);
  expect(await objectsUnder(prefix)).toEqual([]);
});
