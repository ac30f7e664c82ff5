/**
 * The cache section of `npm run demo`: `/cities` (the 17 MB GeoNames JSON)
 * behind `s3Cache` and `s3Spill`, on a local Function URL front end
 * (Lambda's 6,291,556-byte limit enforced) and a local S3.
 *
 * The first request runs the handler: its response is too large to return,
 * so the cache stores it once and answers `303` to the stored object. The
 * next two are hits: the handler does not run, and the `303` names the same
 * object, whose bytes are the source's. A request with `If-None-Match` (the
 * `ETag` S3 gave with the object: the cache's tag is the body's MD5, as S3's)
 * gets `304` and no body. The client is `node:http`, as curl would be: a
 * `fetch()` that sets `If-None-Match` itself also sends
 * `Cache-Control: no-cache` (the Fetch standard, "HTTP-network-or-cache
 * fetch"), which a cache must forward to the handler.
 */
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { s3Cache } from 'lambda-s3-spill/cache';
import { startFrontDoor } from '../local/front-door-server.js';
import { startLocalS3 } from '../local/s3-server.js';
import { demoDocuments } from './data.js';

/** One line of the cache table. */
export interface CacheDemoRow {
  request: string;
  /** The handler's runs so far. */
  handlerRuns: number;
  statusChain: string;
  cacheStatus: string;
  /** The path of the stored object the `303` names (the key), or `-`. */
  object: string;
  /** Whether the bytes the client ended with equal the source (`-` for a 304). */
  sha256Equal: boolean | '-';
  /** The function's answer, milliseconds. */
  answerMs: number;
  /** With the follow of the `303` (the whole download). */
  totalMs: number;
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Run the four requests and return the table's rows. */
export async function runCacheDemo(): Promise<CacheDemoRow[]> {
  const cities = (await demoDocuments()).find((d) => d.path === '/cities')!;
  const s3 = await startLocalS3('demo-cache');
  let runs = 0;
  const handler = middy(async () => {
    runs++;
    return { statusCode: 200, headers: { 'Content-Type': cities.contentType, 'Cache-Control': 'public, s-maxage=300' }, body: cities.bytes.toString('utf8') };
  })
    .use(s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: quiet }))
    // The local S3 runs in this process: on a busy machine a lookup can pass the default second, and is then a miss.
    .use(s3Cache({ bucket: s3.bucket, s3Client: s3.client, logger: quiet, lookupTimeoutInMillis: 10_000 }));
  const front = await startFrontDoor(handler, 'function-url');
  const rows: CacheDemoRow[] = [];
  let etag = '';
  try {
    for (const request of ['first GET', 'second GET', 'third GET', 'GET with If-None-Match']) {
      const started = performance.now();
      const headers: Record<string, string> = request.includes('If-None-Match') ? { 'if-none-match': etag } : {};
      const answer = await rawGet(`${front.url}/cities`, headers);
      const answerMs = performance.now() - started;
      const statuses = [answer.status];
      let equal: boolean | '-' = '-';
      let object = '-';
      if (answer.status === 303) {
        const location = answer.headers.location!;
        object = new URL(location).pathname;
        const followed = await rawGet(location);
        statuses.push(followed.status);
        equal = sha256(followed.body) === sha256(cities.bytes);
        etag ||= followed.headers.etag ?? '';
      }
      rows.push({
        request,
        handlerRuns: runs,
        statusChain: statuses.join(' -> '),
        cacheStatus: answer.headers['cache-status'] ?? '',
        object,
        sha256Equal: equal,
        answerMs: Math.round(answerMs),
        totalMs: Math.round(performance.now() - started),
      });
    }
  } finally {
    await front.stop();
    await s3.stop();
  }
  return rows;
}

/** A GET that keeps the bytes as sent and adds no header of its own (fetch would). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string | undefined>, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether the rows show what the section claims. */
export function cacheDemoHolds(rows: CacheDemoRow[]): boolean {
  const [first, second, third, conditional] = rows;
  return (
    rows.length === 4 &&
    rows.every((r) => r.handlerRuns === 1) &&
    [first, second, third].every((r) => r!.statusChain === '303 -> 200' && r!.sha256Equal === true) &&
    second!.object === first!.object &&
    third!.object === first!.object &&
    first!.cacheStatus.includes('stored') &&
    second!.cacheStatus.includes('hit') &&
    third!.cacheStatus.includes('hit') &&
    conditional!.statusChain === '304'
  );
}

/** The table as Markdown. */
export function formatCacheTable(rows: CacheDemoRow[]): string {
  const header = ['request', 'handler runs', 'status chain', 'Cache-Status', 'object', 'sha256 equal', 'answer ms', 'total ms'];
  const lines = rows.map((r) => [
    r.request,
    String(r.handlerRuns),
    r.statusChain,
    r.cacheStatus,
    r.object === '-' ? '-' : `…${r.object.slice(-20)}`,
    r.sha256Equal === '-' ? '-' : r.sha256Equal ? 'yes' : 'no',
    String(r.answerMs),
    String(r.totalMs),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Print the section (what `npm run demo` calls); a failed claim sets a failing exit code. */
export async function printCacheDemo(): Promise<boolean> {
  const rows = await runCacheDemo();
  console.log('\nThe response cache (s3Cache with s3Spill): /cities (17 MB) on a local Function URL and S3\n');
  console.log(formatCacheTable(rows));
  const ok = cacheDemoHolds(rows);
  console.log(ok ? '\nThe handler ran once; both hits pointed to the same stored object, byte-identical; If-None-Match got 304.' : '\nThe cache section did NOT hold.');
  return ok;
}
