/**
 * One stream-spill case, in a process of its own: a handler streams a CSV of
 * `bytes` bytes (built row by row, never held) through `withS3Spill`, which
 * spills it to the local S3 at `endpoint`; prints one JSON line with the RSS
 * growth over the baseline (the kernel's peak mark, VmHWM, reset through
 * `/proc/self/clear_refs` after the baseline; 1 ms samples where that file
 * cannot be written), the time, the bytes and their SHA-256.
 *
 * Usage: stream-rss-case.ts <endpoint> <bucket> <bytes> <partSize> <queueSize> [raw|drain]
 * With `raw`, the same stream goes through a bare `Upload` with the same part
 * settings (the floor), not through the library; with `drain`, it is only read
 * and hashed (the producer's own growth: its strings and buffers waiting for
 * the garbage collector).
 */
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { watchPeakRss } from './peak-rss.js';
import { Readable } from 'node:stream';
import { withS3Spill } from '../src/index.js';
import { localS3Client } from '../samples/local/s3-server.js';
import { csvRows } from './csv-rows.js';
import { CONTEXT, quietLogger } from './fixtures.js';

const [endpoint, bucket, bytesArg, partArg, queueArg, mode] = process.argv.slice(2);
const total = Number(bytesArg);
const partSize = Number(partArg);
const queueSize = Number(queueArg);
const client = localS3Client(endpoint!);
const WARM_BYTES = 100_000_000;

const event = { version: '2.0', rawPath: '/export', headers: {}, requestContext: { domainName: 'x.lambda-url.us-east-1.on.aws', http: { method: 'GET', path: '/export' } } };
const context = { ...(CONTEXT as object), getRemainingTimeInMillis: () => 900_000 } as never;
let body: AsyncIterable<Buffer> = csvRows(0);
const handler = withS3Spill(
  async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body }),
  { bucket, s3Client: client, logger: quietLogger(), partSize, queueSize, compress: false },
);
const invoke = (next: AsyncIterable<Buffer>) => {
  body = next;
  return handler(event, context) as Promise<{ statusCode: number }>;
};
// A warm container: an earlier export (100 MB, a multipart upload) loaded the SDK, opened the client's sockets and
// grew V8's young generation, as any earlier invocation of an exporting function would have.
const warm = Readable.from(csvRows(WARM_BYTES), { objectMode: false });
if (mode === 'drain') for await (const chunk of warm) void chunk;
else if (mode === 'raw') await new Upload({ client, params: { Bucket: bucket, Key: 'warm', Body: warm }, partSize, queueSize }).done();
else await invoke(warm);
(globalThis as { gc?: () => void }).gc?.();
const baseline = process.memoryUsage().rss;
const stopWatch = watchPeakRss(baseline);
const hash = createHash('sha256');
const started = performance.now();
let status = 0;
if (mode === 'drain') {
  for await (const chunk of csvRows(total, hash)) void chunk;
  status = 200;
} else if (mode === 'raw') {
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: `raw/${Date.now()}`, Body: Readable.from(csvRows(total, hash), { objectMode: false }), ContentType: 'text/csv' },
    partSize,
    queueSize,
    leavePartsOnError: false,
  });
  await upload.done();
  status = 200;
} else {
  status = (await invoke(csvRows(total, hash))).statusCode;
}
const ms = performance.now() - started;
const { peak, resetPeak } = stopWatch();
process.stdout.write(`${JSON.stringify({ status, bytes: total, ms, baseline, peak, growth: peak - baseline, resetPeak, sha256: hash.digest('hex') })}\n`);
client.destroy();
