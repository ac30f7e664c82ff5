/**
 * The samples of docs/streams.md run: a 1,000,000-row CSV export from a
 * buffered function is spilled (303, the object is the rows), and the
 * streaming one answers 303 past its 8 MB. They use the default S3 client,
 * pointed at the local S3 by the standard environment variables.
 */
import { createHash } from 'node:crypto';
import { context as lambdaContext, eventOf } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';

// The samples' exports are 25 MB written a row at a time: room beyond the usual 30 s on a busy machine (no time is asserted).
const context = { ...lambdaContext, getRemainingTimeInMillis: () => 300_000 };
import { ResponseSink, useRuntimeGlobal } from '../support/response-stream.js';
import { rawGet } from '../support/s3-objects.js';

const saved = { ...process.env };
const s3 = useLocalS3('stream-samples');
useRuntimeGlobal();
beforeAll(async () => {
  Object.assign(process.env, {
    S3_SPILL_BUCKET: s3.bucket,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  process.env = saved;
});

async function expectedDigest(): Promise<string> {
  const { exportRows } = await import('../../samples/streams/export.js');
  const hash = createHash('sha256');
  for await (const row of exportRows(1_000_000)) hash.update(row);
  return hash.digest('hex');
}

it('samples/streams/export.ts: the export is spilled, the object is every row', async () => {
  const { handler } = await import('../../samples/streams/export.js');
  const response = (await handler(eventOf('function-url'), context)) as { statusCode: number; headers: Record<string, string> };
  expect(response.statusCode).toBe(303);
  const fetched = await rawGet(response.headers.Location!);
  expect(fetched.headers['content-disposition']).toBe('attachment; filename="export.csv"');
  expect(createHash('sha256').update(fetched.body).digest('hex')).toBe(await expectedDigest());
}, 600_000);

it('samples/streams/streaming.ts: past 8 MB, a 303 prelude', async () => {
  const { handler } = await import('../../samples/streams/streaming.js');
  const sink = new ResponseSink();
  await handler(eventOf('function-url'), sink, context);
  const { prelude, body } = sink.received();
  expect(prelude).toMatchObject({ statusCode: 303 });
  expect(body.length).toBe(0);
}, 600_000);
