/** 100 offloads at once, each resolved byte-identical: distinct keys, no mix-ups, one log record each. */
import middy from '@middy/core';
import { type OffloadReference, resolveOffloaded, s3Offload } from 'lambda-s3-spill/offload';
import { recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { contextWithTimeLeft } from './helpers.js';

const s3 = useLocalS3('offload-bucket');

it('100 concurrent offloads, each resolved byte-identical', async () => {
  const log = recordingLogger();
  const handler = middy(async (event: { n: number }) => ({
    n: event.n,
    text: `${event.n}:${'é"\\\n'.repeat(40_000 + event.n)}`,
    list: Array.from({ length: 500 }, (_, i) => i * event.n),
  })).use(s3Offload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 262_144, logger: log.logger }));
  const expected = (n: number) =>
    JSON.stringify({ n, text: `${n}:${'é"\\\n'.repeat(40_000 + n)}`, list: Array.from({ length: 500 }, (_, i) => i * n) });
  const ns = Array.from({ length: 100 }, (_, n) => n);
  const started = performance.now();
  const refs = (await Promise.all(ns.map((n) => handler({ n }, contextWithTimeLeft(60_000))))) as unknown as OffloadReference[];
  const storeMs = performance.now() - started;
  expect(new Set(refs.map((r) => r.lambdaS3Offload.key)).size).toBe(100);
  const values = await Promise.all(refs.map((r) => resolveOffloaded(r, { bucket: s3.bucket, s3Client: s3.client })));
  values.forEach((value, n) => expect(JSON.stringify(value)).toBe(expected(n)));
  expect(log.at('info')).toHaveLength(100);
  expect(storeMs).toBeLessThan(30_000);
});
