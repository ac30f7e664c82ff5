/**
 * One memory case, in a process of its own (spawned by `memory.ts` with
 * `--expose-gc`): peak RSS above a baseline while one large body is spilled.
 *
 * The body is built first and the heap collected; the baseline is the RSS then.
 * The kernel's peak-RSS mark (VmHWM) is reset through `/proc/self/clear_refs`
 * (Linux >= 4.0), the spill runs, and VmHWM is read back: a true peak, not a
 * sample. Where that file cannot be written, 1 ms RSS samples are used instead.
 *
 * Usage: memory-case.ts <endpoint> <bucket> <s3Spill|floor> <string|base64> <bytes>
 * Prints one JSON line.
 */
import { watchPeakRss } from './peak-rss.js';
import { setTimeout as sleep } from 'node:timers/promises';
import middy from '@middy/core';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Spill } from '../src/index.js';
import { CONTEXT, EVENT, quietLogger } from './fixtures.js';
import { localS3Client } from '../samples/local/s3-server.js';

const [endpoint, bucket, mode, kind, bytesArg] = process.argv.slice(2);
const bodyBytes = Number(bytesArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const client = localS3Client(endpoint);
const logger = quietLogger();
const base64 = kind === 'base64';

/** The response body: printable JSON-like text, or base64 of pseudo-random bytes; `bodyBytes` characters either way. */
function makeBody(): string {
  if (base64) {
    const raw = Buffer.allocUnsafe((bodyBytes / 4) * 3);
    let x = 2463534242;
    for (let i = 0; i < raw.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      raw[i] = x & 0xff;
    }
    return raw.toString('base64');
  }
  const pattern = Buffer.from('{"id":12345,"name":"item 12345","tags":["a","b"],"ok":true},');
  const text = Buffer.allocUnsafe(bodyBytes);
  for (let i = 0; i < bodyBytes; i += pattern.length) pattern.copy(text, i, 0, Math.min(pattern.length, bodyBytes - i));
  return text.toString('latin1');
}

function response(body: string): Record<string, unknown> {
  return base64
    ? { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body, isBase64Encoded: true }
    : { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
}

let current: Record<string, unknown> = response('');
const spillHandler = middy(async () => current).use(s3Spill({ bucket, s3Client: client, logger }));
let n = 0;
async function floor(): Promise<void> {
  const body = current.body as string;
  const bytes = base64 ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  const key = `floor/${n++}`;
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/json' }));
  await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
}
async function run(): Promise<void> {
  if (mode === 'floor') return floor();
  const out = (await spillHandler(EVENT, CONTEXT)) as { statusCode: number };
  if (out.statusCode !== 303) throw new Error(`expected a 303, got ${out.statusCode}`);
}

// Warm up: the same path with a small body over the limit (code loaded, socket open).
current = response(base64 ? Buffer.alloc(4_800_000).toString('base64') : 'x'.repeat(6_400_000));
await run();
current = response(makeBody());
for (let i = 0; i < 3; i++) {
  gc();
  await sleep(20);
}
const baseline = process.memoryUsage.rss();
const stopWatch = watchPeakRss(baseline);
const started = performance.now();
await run();
const ms = performance.now() - started;
const { peak, resetPeak } = stopWatch();
client.destroy();
process.stdout.write(
  `${JSON.stringify({ mode, kind, bodyBytes, baseline, peak, above: peak - baseline, resetPeak, ms })}\n`,
);
