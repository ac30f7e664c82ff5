/**
 * Issue 19, item 2: one reference repeated makes a small event exhaust memory.
 * An event of about 150 KB holds one valid reference (to a 1.47 MB value) 400
 * times: resolving it parses the value once per occurrence, about 588 MB of
 * JSON. The defaults must refuse it with `OffloadReferenceError` (400) before
 * anything is read, and the heap must grow by less than 200 MB (measured in a
 * child process, so the test runner's own heap does not blur it).
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { payloadBytes } from 'lambda-s3-spill';
import { OffloadReferenceError, resolveOffloaded, s3Offload } from 'lambda-s3-spill/offload';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { NODE_22 } from '../support/node-binaries.js';
import { recording } from '../offload/helpers.js';

const run = promisify(execFile);
const MB = 1_000_000;
const COPIES = 400;

let reference: Record<string, unknown>;
let valueBytes: number;
const s3 = useLocalS3('regress-offload-repeat');
beforeAll(async () => {
  // About 1.47 MB of JSON rows: many small objects, as a report is.
  const value = { rows: Array.from({ length: 26_000 }, (_, id) => ({ id, name: `row-${id}-${'x'.repeat(12)}`, value: (id * 7919) % 10_007 })) };
  const text = JSON.stringify(value);
  valueBytes = Buffer.byteLength(text);
  const key = 'offload/20261206T000000000Z-1b4e28ba-2fa1-4d2e-8b1c-7d2e6f0c9a41.json';
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: text, ContentType: 'application/json; charset=utf-8' }));
  reference = {
    lambdaS3Offload: {
      version: 1,
      bucket: s3.bucket,
      key,
      bytes: valueBytes,
      sha256: createHash('sha256').update(text).digest('hex'),
      uri: `s3://${s3.bucket}/${key}`,
      contentType: 'application/json; charset=utf-8',
    },
  };
});

const repeated = () => ({ job: 'merge', parts: Array.from({ length: COPIES }, () => reference) });

it('the event is the issue\'s: about 150 KB, 400 references to one 1.47 MB value, about 588 MB once resolved', () => {
  expect(valueBytes).toBeGreaterThan(1.45 * MB);
  expect(valueBytes).toBeLessThan(1.5 * MB);
  expect(payloadBytes(repeated())).toBeLessThan(160_000);
  expect(COPIES * valueBytes).toBeGreaterThan(580 * MB);
});

it('s3Offload with its defaults refuses the event with OffloadReferenceError (400) before reading anything; the handler never runs', async () => {
  const { client, reads } = recording(s3.newClient());
  let ran = false;
  const handler = middy(async () => {
    ran = true;
    return { ok: true };
  }).use(s3Offload({ bucket: s3.bucket, s3Client: client, logger: recordingLogger().logger }));
  const error = await handler(repeated(), context).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OffloadReferenceError);
  expect((error as OffloadReferenceError).statusCode).toBe(400);
  expect(ran).toBe(false);
  expect(reads()).toEqual([]);
});

it('resolveOffloaded with its defaults refuses the value with OffloadReferenceError before reading anything', async () => {
  const { client, reads } = recording(s3.newClient());
  await expect(resolveOffloaded(repeated(), { bucket: s3.bucket, s3Client: client })).rejects.toBeInstanceOf(OffloadReferenceError);
  expect(reads()).toEqual([]);
});

describe.each(['wrapper', 'resolveOffloaded'])('in a child process (%s)', (door) => {
  it('the heap grows by less than 200 MB, and the outcome is the 400 refusal', async () => {
    const script = new URL('./fixtures/repeated-reference-heap.ts', import.meta.url).pathname;
    const { stdout } = await run(
      NODE_22,
      ['--expose-gc', '--import', 'tsx', script, s3.endpoint, s3.bucket, JSON.stringify(reference), String(COPIES), door],
      { maxBuffer: 1 << 20 },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as {
      grewBytes: number;
      handlerRan: boolean;
      resolved: boolean;
      error?: { name: string; statusCode: number };
    };
    expect({ ...report, grewUnder200MB: report.grewBytes < 200 * 1024 * 1024 }).toEqual({
      grewBytes: expect.any(Number),
      grewUnder200MB: true,
      handlerRan: false,
      resolved: false,
      error: { name: 'OffloadReferenceError', statusCode: 400 },
    });
  });
});

describe('the bounds are options', () => {
  const withBounds = (bounds: Record<string, number>) => ({ bucket: s3.bucket, ...bounds }) as Parameters<typeof resolveOffloaded>[1];

  it('maxReferences: 3 resolves three references (one object read) and refuses four', async () => {
    const { client, reads } = recording(s3.newClient());
    const three = await resolveOffloaded<{ parts: unknown[] }>(
      { parts: [reference, reference, reference] },
      { ...withBounds({ maxReferences: 3 }), s3Client: client },
    );
    expect(three.parts).toHaveLength(3);
    expect(three.parts[0]).toEqual(three.parts[2]);
    expect(reads()).toHaveLength(1);
    await expect(
      resolveOffloaded({ parts: [reference, reference, reference, reference] }, { ...withBounds({ maxReferences: 3 }), s3Client: client }),
    ).rejects.toBeInstanceOf(OffloadReferenceError);
    expect(reads()).toHaveLength(1);
  });

  it('maxResolveTotalBytes counts every occurrence: two copies of the value fit twice its size, not one byte less', async () => {
    const { client, reads } = recording(s3.newClient());
    await expect(
      resolveOffloaded({ parts: [reference, reference] }, { ...withBounds({ maxResolveTotalBytes: 2 * valueBytes }), s3Client: client }),
    ).resolves.toEqual({ parts: [expect.any(Object), expect.any(Object)] });
    const readsBefore = reads().length;
    await expect(
      resolveOffloaded({ parts: [reference, reference] }, { ...withBounds({ maxResolveTotalBytes: 2 * valueBytes - 1 }), s3Client: client }),
    ).rejects.toBeInstanceOf(OffloadReferenceError);
    expect(reads()).toHaveLength(readsBefore);
  });

  it('refuses bounds of the wrong type or range at creation, naming them', () => {
    for (const [option, bad] of [
      ['maxReferences', 0],
      ['maxReferences', 1.5],
      ['maxResolveTotalBytes', 0],
      ['maxResolveTotalBytes', '1e9'],
    ] as const) {
      expect(() => s3Offload({ bucket: s3.bucket, [option]: bad } as Parameters<typeof s3Offload>[0])).toThrow(
        new RegExp(`^${option} `),
      );
    }
  });
});
