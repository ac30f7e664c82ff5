/**
 * 11. Cache (`s3Cache`): a hit against its floor, a miss's added cost, and the
 * measurements behind the defaults `inlineMaxBytes` and `lookupTimeoutInMillis`.
 * Runnable alone: `tsx bench/cache.ts` (starts its own local S3).
 */
import { pathToFileURL } from 'node:url';
import middy from '@middy/core';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Cache } from '../src/cache/index.js';
import { defaults as cacheDefaults } from '../src/cache/options.js';
import { startFaultProxy } from '../samples/local/fault-proxy.js';
import { localS3Client } from '../samples/local/s3-server.js';
import { bodyOf, quietLogger } from './fixtures.js';
import { fmtRatio, fmtRatioSpread, fmtTime, fmtTimeSpread, measure, pooledRatioOf, pooledTimeOf, spread, table } from './harness.js';
import type { Section, Target } from './section.js';
import { downloadBytes } from './local-s3.js';

const CONTEXT = { getRemainingTimeInMillis: () => 30_000 } as never;
const KiB = 1024;

function event(path: string, headers: Record<string, string> = {}): Record<string, unknown> {
  return { version: '2.0', rawPath: path, rawQueryString: '', headers, requestContext: { domainName: 'x.lambda-url.us-east-1.on.aws', http: { method: 'GET', path } } };
}

type Answer = { statusCode: number; headers: Record<string, string>; body: string };


export async function cacheSection(client: S3Client, endpoint: string, bucket: string): Promise<Section> {
  const logger = quietLogger();
  const targets: Target[] = [];
  const notes: string[] = [];
  let n = 0;

  // --- A hit (303, a body over the limit) against HeadObject + getSignedUrl.
  const big = bodyOf('json', 7_000_000);
  const bigResponse = { statusCode: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=3600' }, body: big };
  const cached = middy(async () => bigResponse).use(s3Cache({ bucket, s3Client: client, logger }));
  const first = (await cached(event('/big'), CONTEXT)) as Answer;
  const key = decodeURIComponent(new URL(first.headers.Location!).pathname.slice(`/${bucket}/`.length));
  const hitMeasured = await measure(
    [
      {
        name: 'floor',
        fn: async () => {
          await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
        },
      },
      {
        name: 'hit',
        fn: async () => {
          const answer = (await cached(event('/big'), CONTEXT)) as Answer;
          if (answer.statusCode !== 303) throw new Error(`not a 303 hit: ${answer.statusCode}`);
        },
      },
    ],
    { rounds: 8, time: 400, iterations: 30, warmupTime: 200 },
  );
  const hitRatio = pooledRatioOf(hitMeasured, 'hit', 'floor');
  targets.push({
    figure: '11. cache hit (303 to a 7 MB entry)',
    target: '≤ 1.10× HeadObject + getSignedUrl',
    measured: fmtRatio(hitRatio.median),
    met: hitRatio.median <= 1.1,
    why: `the hit took ${fmtTime(pooledTimeOf(hitMeasured, 'hit').median)} against a ${fmtTime(pooledTimeOf(hitMeasured, 'floor').median)} floor`,
  });

  // --- inlineMaxBytes: a hit answered inline (HeadObject + GetObject, the result serialized as Lambda does) against
  // a 303 hit (HeadObject + presign) plus the client's GET of the URL, at each size.
  const sizes = [16 * KiB, 64 * KiB, 256 * KiB, 1024 * KiB, 4096 * KiB];
  const inlineRows: string[][] = [];
  const crossings: number[] = [];
  for (const size of sizes) {
    const body = bodyOf('json', size);
    const response = { statusCode: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=3600' }, body };
    const path = `/inline-${size}`;
    const inline = middy(async () => response).use(s3Cache({ bucket, s3Client: client, logger, inlineMaxBytes: 6_000_000 }));
    const redirect = middy(async () => response).use(s3Cache({ bucket, s3Client: client, logger, inlineMaxBytes: 0 }));
    await inline(event(path), CONTEXT);
    const m = await measure(
      [
        {
          name: 'inline',
          fn: async () => {
            const answer = (await inline(event(path), CONTEXT)) as Answer;
            if (answer.statusCode !== 200) throw new Error('not inline');
            JSON.stringify(answer); // what the runtime does with the result
          },
        },
        {
          name: 'redirect',
          fn: async () => {
            const answer = (await redirect(event(path), CONTEXT)) as Answer;
            if (answer.statusCode !== 303) throw new Error('not a 303');
            JSON.stringify(answer);
          },
        },
        {
          name: 'redirect+follow',
          fn: async () => {
            const answer = (await redirect(event(path), CONTEXT)) as Answer;
            await downloadBytes(answer.headers.Location!);
          },
        },
      ],
      { rounds: 6, time: 300, iterations: 15, warmupTime: 150 },
    );
    const inlineMs = pooledTimeOf(m, 'inline').median;
    const redirectMs = pooledTimeOf(m, 'redirect').median;
    const followMs = pooledTimeOf(m, 'redirect+follow').median;
    if (inlineMs > followMs) crossings.push(size);
    inlineRows.push([
      `${size / KiB} KiB`,
      fmtTimeSpread(pooledTimeOf(m, 'inline')),
      fmtTimeSpread(pooledTimeOf(m, 'redirect')),
      fmtTimeSpread(pooledTimeOf(m, 'redirect+follow')),
      fmtTime(inlineMs - redirectMs),
    ]);
  }
  notes.push(
    crossings.length === 0
      ? 'On loopback the inline hit was faster end to end than the 303 and its follow at every size.'
      : `On loopback the 303 and its follow beat the inline hit end to end from ${crossings[0]! / KiB} KiB.`,
  );

  // --- A miss's added cost: the same handler with and without the cache, each miss a new target (HeadObject 404, PutObject).
  const missBody = bodyOf('json', 100 * KiB);
  const missResponse = { statusCode: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=60' }, body: missBody };
  const plain = middy(async () => missResponse);
  const withCache = middy(async () => missResponse).use(s3Cache({ bucket, s3Client: client, logger }));
  const missMeasured = await measure(
    [
      { name: 'plain', fn: async () => plain(event('/plain'), CONTEXT) },
      {
        name: 'miss',
        fn: async () => {
          const answer = (await withCache(event(`/miss-${n++}`), CONTEXT)) as Answer;
          if (!answer.headers['Cache-Status']?.includes('stored')) throw new Error('not stored');
        },
      },
      {
        name: 'floor',
        fn: async () => {
          const k = `floor/${n++}`;
          await client.send(new HeadObjectCommand({ Bucket: bucket, Key: k })).catch(() => undefined);
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: Buffer.from(missBody), ContentType: 'application/json' }));
        },
      },
    ],
    { rounds: 6, time: 400, iterations: 15, warmupTime: 200 },
  );
  const missAdded = pooledTimeOf(missMeasured, 'miss').median - pooledTimeOf(missMeasured, 'plain').median;
  const missFloor = pooledTimeOf(missMeasured, 'floor').median;

  // --- lookupTimeoutInMillis: how long lookups take, plain and with one throttled attempt retried by the SDK.
  const lookupMs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    lookupMs.push(performance.now() - t);
  }
  let seen = 0;
  const proxy = await startFaultProxy(endpoint, ({ method }: { method: string }) =>
    method === 'HEAD' && seen++ % 2 === 0 ? { kind: 'error', status: 503, code: 'SlowDown' } : { kind: 'pass' },
  );
  const throttled = localS3Client(proxy.endpoint);
  const retriedMs: number[] = [];
  try {
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await throttled.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      retriedMs.push(performance.now() - t);
    }
  } finally {
    throttled.destroy();
    await proxy.stop();
  }
  const p = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  const retried = spread(retriedMs);

  return {
    title: '11. Cache (`s3Cache`)',
    what:
      'A hit answered `303` to a stored 7 MB body, against its floor: a raw `HeadObject` of the entry plus `getSignedUrl` with the same client (the hit does both, plus the key, the freshness and the answer). ' +
      'Then the sizes behind `inlineMaxBytes`: the function time of a hit answered inline (`HeadObject`, `GetObject`, the result serialized) and of a `303` hit, and the `303` plus the client\'s GET of the URL. ' +
      'Then a miss\'s added cost (a new target each time: `HeadObject` 404, the handler, `PutObject` of 100 KiB), and lookup times behind `lookupTimeoutInMillis`.',
    table: [
      table(['figure', 'floor', '`s3Cache`', '**ratio**'], [
        ['hit, 303 to a 7 MB entry', fmtTimeSpread(pooledTimeOf(hitMeasured, 'floor')), fmtTimeSpread(pooledTimeOf(hitMeasured, 'hit')), fmtRatioSpread(hitRatio)],
      ]),
      '',
      table(['stored body', 'inline hit (function)', '303 hit (function)', '303 hit + client GET', 'inline − 303 (function time)'], inlineRows),
      '',
      table(['figure', 'measured'], [
        ['miss: added to a 100 KiB handler (lookup, store, headers)', `${fmtTime(missAdded)} (handler alone ${fmtTime(pooledTimeOf(missMeasured, 'plain').median)}, with the cache ${fmtTime(pooledTimeOf(missMeasured, 'miss').median)})`],
        ['miss: added / raw HeadObject + PutObject', fmtRatio(missAdded / missFloor)],
        ['lookup (`HeadObject`), 200 in a row', `p50 ${fmtTime(p(lookupMs, 0.5))}, p99 ${fmtTime(p(lookupMs, 0.99))}, max ${fmtTime(Math.max(...lookupMs))}`],
        ['lookup with one 503 SlowDown retried by the SDK', `median ${fmtTime(retried.median)}, max ${fmtTime(retried.max)} (20 of 40 throttled once)`],
        ['defaults', `inlineMaxBytes ${cacheDefaults.inlineMaxBytes.toLocaleString('en-US')}, lookupTimeoutInMillis ${cacheDefaults.lookupTimeoutInMillis}`],
      ]),
    ].join('\n'),
    notes,
    targets,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { startServerProcess } = await import('./local-s3.js');
  const s3 = await startServerProcess();
  try {
    const section = await cacheSection(s3.newClient(), s3.endpoint, s3.bucket);
    console.log([`### ${section.title}`, '', section.what, '', section.table, '', ...section.notes.map((x) => `- ${x}`), '', ...section.targets.map((t) => `- ${t.figure}: ${t.measured} (target ${t.target}, ${t.met ? 'met' : `missed: ${t.why}`})`)].join('\n'));
  } finally {
    await s3.stop();
  }
}
