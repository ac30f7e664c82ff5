/**
 * samples/durable/report-workflow.ts, run by the durable SDK's local runner
 * (time skipped through its 60-second wait) against a local S3, configured as
 * deployed: the library's default client, the environment that
 * `SpillBucket.connectDurable` sets.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import { payloadBytes } from 'lambda-s3-spill';
import { DURABLE_CHECKPOINT_MAX_BYTES } from 'lambda-s3-spill/offload';
import { localS3Environment } from '../offload/helpers.js';
import { useLocalS3 } from '../support/local-s3.js';

const saved = { ...process.env };
const s3 = useLocalS3('durable-sample');
beforeAll(async () => {
  Object.assign(process.env, {
    S3_SPILL_BUCKET: s3.bucket,
    S3_DURABLE_PREFIX: 'durable/',
    ...localS3Environment(s3.endpoint),
  });
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
});
afterAll(async () => {
  await LocalDurableTestRunner.teardownTestEnvironment();
  process.env = saved;
});

it('completes: the 2 MB step is one object under durable/, every checkpoint within 262,144 bytes, the summary right', async () => {
  const { handler, loadRows } = await import('../../samples/durable/report-workflow.js');
  const rows = loadRows();
  expect(payloadBytes(rows)).toBeGreaterThan(8 * DURABLE_CHECKPOINT_MAX_BYTES);
  const execution = await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });
  expect(execution.getStatus()).toBe('SUCCEEDED');
  expect(execution.getResult()).toEqual({ rows: rows.length, total: rows.reduce((sum, row) => sum + row.value, 0) });
  expect(execution.getInvocations().length).toBeGreaterThanOrEqual(2);
  const payloads = JSON.stringify(execution.getHistoryEvents()).match(/"Payload":"(?:[^"\\]|\\.)*"/g) ?? [];
  expect(payloads.length).toBeGreaterThan(0);
  for (const payload of payloads) expect(Buffer.byteLength(JSON.parse(`{${payload}}`).Payload)).toBeLessThanOrEqual(DURABLE_CHECKPOINT_MAX_BYTES);
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([expect.stringMatching(/^durable\/[0-9a-f]{64}\/[0-9a-f]{64}\.json$/)]);
});
