/**
 * samples/metrics.ts, the sample of docs/options.md, run for real against a
 * local S3: the user's own metric flushed by logMetrics, the spill's set apart
 * with its utility dimension, and the near-limit warning.
 */
import { useEmfCapture } from '../support/emf.js';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';

const s3 = useLocalS3('metrics-sample');
const emf = useEmfCapture();
let reportsHandler: typeof import('../../samples/metrics.js').reportsHandler;
beforeAll(async () => {
  ({ reportsHandler } = await import('../../samples/metrics.js'));
});

const event = (count: number) => ({
  version: '2.0',
  rawPath: '/rows',
  queryStringParameters: { count: String(count) },
  headers: {},
  requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws', http: { method: 'GET', path: '/rows' } },
});

function call(count: number) {
  const log = recordingLogger();
  const handler = reportsHandler({ bucket: s3.bucket, s3Client: s3.client, logger: log.logger });
  return { response: handler(event(count) as never, context) as Promise<unknown>, log };
}

const rowsListed = (count: number) => ({ name: 'RowsListed', unit: 'Count', value: count, namespace: 'Reports', dimensions: { service: 'reports-api' } });

it('a small response: only the user metric, no warning', async () => {
  const { response, log } = call(10);
  expect(await response).toMatchObject({ statusCode: 200 });
  expect(emf.metrics()).toEqual([rowsListed(10)]);
  expect(log.at('warn')).toEqual([]);
});

it('a response over 4 MB that fits: returned untouched, one warning, no spill metrics', async () => {
  const { response, log } = call(110_000);
  const answer = (await response) as { statusCode: number; body: string };
  expect(answer.statusCode).toBe(200);
  const bytes = Buffer.byteLength(JSON.stringify(answer));
  expect(bytes).toBeGreaterThan(4_000_000);
  expect(log.at('warn').map((l) => l.args)).toEqual([
    ['s3Spill response near the limit', { nearLimit: { frontDoor: 'function-url', bytes, maxBytes: 6_291_556, warnAtBytes: 4_000_000 } }],
  ]);
  expect(emf.metrics()).toEqual([rowsListed(110_000)]);
});

it('a spilled response: the user metric, then Spilled and SpilledBytes with utility=spill', async () => {
  const { response } = call(200_000);
  expect(await response).toMatchObject({ statusCode: 303 });
  const dimensions = { service: 'reports-api', utility: 'spill' };
  expect(emf.metrics()).toEqual([
    rowsListed(200_000),
    { name: 'Spilled', unit: 'Count', value: 1, namespace: 'Reports', dimensions },
    { name: 'SpilledBytes', unit: 'Bytes', value: expect.any(Number), namespace: 'Reports', dimensions },
  ]);
  expect(emf.metrics()[2]!.value).toBeGreaterThan(6_291_556);
});
