/**
 * Compression and reuse, measured (issue 6). Runs on its own:
 *
 *   npx tsx bench/compression.ts     (npm run bench runs it too, as sections 6 to 8)
 *
 * and exports `compressionSections()` for `bench/run.ts`.
 *
 * 1. Levels: ratio and CPU time per MB of each coding and level on the 17 MB
 *    cities.json answer (one-shot, on the main thread: CPU time), and the
 *    middleware's own path (`compressBytes`, 1 MiB chunks on the thread pool) at
 *    the chosen levels.
 * 2. End to end: a real HTTP client asks a local Function URL for cities.json:
 *    inline compressed, spilled uncompressed, spilled compressed; client time
 *    (to the last decoded byte) and bytes on the wire.
 * 3. Reuse: time and bytes uploaded for the first and the later identical spills.
 */
import { readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { startFrontDoor } from '../samples/local/front-door-server.js';
import { COMPRESSION_LEVELS, compressBytes, decompressBytes } from '../src/compression/compress-bytes.js';
import { type ContentCoding } from '../src/compression/encodings.js';
import { ZSTD_AVAILABLE } from '../src/compression/encodings.js';
import { s3Spill } from '../src/spill/middleware.js';
import type { S3SpillOptions } from '../src/spill/options.js';
import { startServerProcess } from './local-s3.js';
import type { Section, Target } from './section.js';

const require = createRequire(import.meta.url);
/** The 17 MB cities.json, as a handler would answer it. */
export function citiesBody(): Buffer {
  return readFileSync(require.resolve('cities.json/cities.json'));
}

const MB = 1_000_000;

/** Median of a list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** One-shot compression on the main thread (CPU time). */
function compressSync(bytes: Buffer, coding: ContentCoding, level: number): Buffer {
  switch (coding) {
    case 'gzip':
      return zlib.gzipSync(bytes, { level });
    case 'br':
      return zlib.brotliCompressSync(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: level,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        },
      });
    case 'zstd':
      return zlib.zstdCompressSync(bytes, { params: { [zlib.constants.ZSTD_c_compressionLevel]: level } });
  }
}

/** A level measured: output bytes, ms per MB of input. */
export interface LevelFigure {
  readonly coding: ContentCoding;
  readonly level: number;
  /** Bytes of input measured (the whole body, or its first 2 MB for the slow levels). */
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly msPerMB: number;
  readonly chosen: boolean;
}

/** Levels measured on the whole body; the slow ones on its first 2 MB only (they take seconds per MB). */
const LEVELS: Record<ContentCoding, { whole: number[]; slice: number[] }> = {
  zstd: { whole: [1, 3, 4, 5, 6, 9], slice: [12, 19] },
  br: { whole: [1, 2, 3, 4, 5, 6], slice: [9, 11] },
  gzip: { whole: [1, 3, 4, 5, 6], slice: [9] },
};

/** Measure every level: median of `runs` one-shot compressions. */
export function measureLevels(body: Buffer, runs = 5): LevelFigure[] {
  const figures: LevelFigure[] = [];
  const codings: ContentCoding[] = ZSTD_AVAILABLE ? ['zstd', 'br', 'gzip'] : ['br', 'gzip'];
  for (const coding of codings) {
    const { whole, slice } = LEVELS[coding];
    for (const [level, input] of [
      ...whole.map((l) => [l, body] as const),
      ...slice.map((l) => [l, body.subarray(0, 2 * MB)] as const),
    ]) {
      compressSync(input.subarray(0, 64 * 1024), coding, level); // warm-up
      const times: number[] = [];
      let outputBytes = 0;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        outputBytes = compressSync(input, coding, level).length;
        times.push(performance.now() - started);
      }
      figures.push({
        coding,
        level,
        inputBytes: input.length,
        outputBytes,
        msPerMB: median(times) / (input.length / MB),
        chosen: COMPRESSION_LEVELS[coding] === level,
      });
    }
  }
  return figures;
}

/** The middleware's own path at the chosen levels: `compressBytes` (streamed, thread pool), wall time. */
export async function measureChosen(body: Buffer, runs = 3): Promise<{ coding: ContentCoding; ms: number; bytes: number }[]> {
  const out: { coding: ContentCoding; ms: number; bytes: number }[] = [];
  const codings: ContentCoding[] = ZSTD_AVAILABLE ? ['zstd', 'br', 'gzip'] : ['br', 'gzip'];
  for (const coding of codings) {
    await compressBytes(body.subarray(0, 64 * 1024), coding, { text: true });
    const times: number[] = [];
    let bytes = 0;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      bytes = (await compressBytes(body, coding, { text: true })).length;
      times.push(performance.now() - started);
    }
    out.push({ coding, ms: median(times), bytes });
  }
  return out;
}

function levelsSection(body: Buffer, figures: readonly LevelFigure[], chosen: Awaited<ReturnType<typeof measureChosen>>): Section {
  const rows = figures.map((f) => {
    const ratio = f.inputBytes / f.outputBytes;
    const slice = f.inputBytes < body.length ? ' (first 2 MB)' : '';
    const name = `${f.coding} ${f.level}${f.chosen ? ' **(chosen)**' : ''}`;
    const fits = f.inputBytes === body.length ? (Math.ceil(f.outputBytes / 3) * 4 <= 6_291_556 - 512 ? 'yes' : 'no') : '';
    return `| ${name} | ${ratio.toFixed(2)}${slice} | ${f.msPerMB.toFixed(1)} | ${((f.msPerMB * body.length) / MB).toFixed(0)} | ${fits} |`;
  });
  const table = [
    '| coding and level | ratio | CPU ms per MB | ms for the 17 MB | base64 fits inline |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  const targets: Target[] = chosen.map((c) => {
    const msPerMB = c.ms / (body.length / MB);
    return {
      figure: `6. ${c.coding} ${COMPRESSION_LEVELS[c.coding]} through compressBytes (17 MB → ${(c.bytes / MB).toFixed(2)} MB)`,
      target: '≤ 15 ms per MB (wall)',
      measured: `${msPerMB.toFixed(1)} ms per MB (${c.ms.toFixed(0)} ms)`,
      met: msPerMB <= 15,
      why: 'compression runs on the thread pool; on a loaded or slower machine its wall time grows',
    };
  });
  return {
    title: '6. Compression levels (cities.json, 17 MB)',
    what: 'One-shot compression on the main thread, median of 5; the chosen level of each coding is the highest that costs ≤ 10 ms of CPU per MB (`COMPRESSION_LEVELS` in `src/compression.ts`).',
    table,
    notes: [
      'A 1,769 MB function has one vCPU; at 512 MB about 0.29 vCPU, so CPU time per MB there is about 3.5 times the figure here.',
      'Targets: the middleware path (`compressBytes`: 1 MiB chunks on the thread pool, abortable) at the chosen levels, wall time.',
      `Highest level at ≤ 10 ms per MB in this run: ${bestUnderBudget(figures)}.`,
    ],
    targets,
  };
}

// ---- End to end: a real HTTP client, a local Function URL, a local S3 in its own process ----

/** One GET as a client sees it: raw bytes (no decompression), following a 303 by hand. */
function rawRequest(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** What one client fetch cost: time to the last decoded byte, body bytes received, responses. */
interface Fetched {
  readonly ms: number;
  readonly wireBytes: number;
  readonly path: string;
  readonly body: Buffer;
}

/** GET with `Accept-Encoding`, follow a 303 like any client, decode the body as the client would. */
async function clientFetch(url: string, acceptEncoding: string | undefined): Promise<Fetched> {
  const started = performance.now();
  const headers: Record<string, string> = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
  let response = await rawRequest(url, headers);
  let wireBytes = response.body.length;
  let path = 'inline';
  if (response.status === 303) {
    // A client sends its own Accept-Encoding to S3 too; S3 serves the stored coding regardless.
    response = await rawRequest(String(response.headers.location), headers);
    wireBytes += response.body.length;
    path = 'spilled';
  }
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  const coding = response.headers['content-encoding'] as ContentCoding | undefined;
  const body = coding === undefined ? response.body : decompressBytes(response.body, coding);
  return { ms: performance.now() - started, wireBytes, path: coding === undefined ? path : `${path}, ${coding}`, body };
}

const silentLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface E2eCase {
  readonly name: string;
  readonly acceptEncoding: string | undefined;
  /** Options over the defaults. */
  readonly options: Partial<S3SpillOptions>;
}

const E2E_CASES: readonly E2eCase[] = [
  { name: 'inline, zstd', acceptEncoding: 'zstd', options: {} },
  { name: 'inline, br', acceptEncoding: 'br', options: {} },
  { name: 'inline, gzip', acceptEncoding: 'gzip', options: {} },
  { name: 'spilled, uncompressed', acceptEncoding: undefined, options: {} },
  // maxBytes below the compressed size: the compressed body is spilled.
  { name: 'spilled, zstd', acceptEncoding: 'zstd', options: { maxBytes: 1_000_000 } },
  { name: 'spilled, br', acceptEncoding: 'br', options: { maxBytes: 1_000_000 } },
  { name: 'spilled, gzip', acceptEncoding: 'gzip', options: { maxBytes: 1_000_000 } },
];

/** Client link speeds for the computed transfer column, bytes per ms. */
const LINKS = [
  { label: '100 Mbit/s', bytesPerMs: 100e6 / 8 / 1000 },
  { label: '20 Mbit/s', bytesPerMs: 20e6 / 8 / 1000 },
];

async function endToEnd(cities: Buffer, runs: number): Promise<Section> {
  const s3 = await startServerProcess();
  const text = cities.toString('utf8');
  const rows: string[] = [];
  const medians = new Map<string, { ms: number; wire: number }>();
  try {
    for (const c of E2E_CASES) {
      const client = s3.newClient();
      const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: text })).use(
        s3Spill({ bucket: s3.bucket, s3Client: client, logger: silentLogger, ...c.options }),
      );
      const door = await startFrontDoor(handler, 'function-url');
      try {
        await clientFetch(door.url, c.acceptEncoding); // warm-up
        const times: number[] = [];
        let last: Fetched | undefined;
        for (let run = 0; run < runs; run++) {
          last = await clientFetch(door.url, c.acceptEncoding);
          if (!last.body.equals(cities)) throw new Error(`${c.name}: the client did not get the exact bytes`);
          times.push(last.ms);
        }
        const ms = median(times);
        medians.set(c.name, { ms, wire: last!.wireBytes });
        const transfer = LINKS.map((l) => (ms + last!.wireBytes / l.bytesPerMs).toFixed(0));
        rows.push(`| ${c.name} | ${last!.path} | ${(last!.wireBytes / MB).toFixed(2)} | ${ms.toFixed(0)} | ${transfer.join(' | ')} |`);
      } finally {
        await door.stop();
      }
    }
  } finally {
    await s3.stop();
  }
  const inline = medians.get('inline, zstd')!;
  const plain = medians.get('spilled, uncompressed')!;
  return {
    title: '7. End to end: the 17 MB cities.json answer, inline compressed vs spilled',
    what:
      `A client (Node \`http\`, no automatic decompression) GETs a local Function URL (payload v2, Lambda's limit enforced) ` +
      `with the given \`Accept-Encoding\`, follows the 303 to the local S3 (its own process), and decodes; ` +
      `median of ${runs} runs; every answer checked byte for byte.`,
    table: [
      `| answer | what the client got | MB on the wire | client ms (loopback) | ms with a ${LINKS[0]!.label} link | ms with a ${LINKS[1]!.label} link |`,
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
    notes: [
      'Loopback has no bandwidth limit; the last two columns add the time the bytes on the wire take over a client link of that speed (computed).',
      '"spilled, <coding>" forces a spill with `maxBytes: 1_000_000`: the compressed body is uploaded with `Content-Encoding` and S3 serves it as stored.',
    ],
    targets: [
      {
        figure: '7. inline zstd vs spilled uncompressed, bytes on the wire',
        target: 'at least 4 times fewer',
        measured: `${(plain.wire / inline.wire).toFixed(1)} times fewer`,
        met: plain.wire / inline.wire >= 4,
      },
    ],
  };
}

// ---- Reuse: the first identical spill uploads, the later ones do not ----

/** Counts the body bytes a client uploads (PutObject, UploadPart). */
function countUploads(client: S3Client): () => number {
  let bytes = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand' || context.commandName === 'UploadPartCommand') {
        bytes += Number((args.request as { headers?: Record<string, string> }).headers?.['content-length'] ?? 0);
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchCountUploads' },
  );
  return () => bytes;
}

async function reuseSection(cities: Buffer, rounds: number, later: number): Promise<Section> {
  const s3 = await startServerProcess();
  const rows: string[] = [];
  const figures: { name: string; firstMs: number; laterMs: number; firstBytes: number; laterBytes: number }[] = [];
  try {
    for (const variant of [
      { name: 'uncompressed (17 MB)', acceptEncoding: undefined, options: {} },
      { name: 'zstd (3.5 MB)', acceptEncoding: 'zstd', options: { maxBytes: 1_000_000 } },
    ]) {
      const client = s3.newClient();
      const uploaded = countUploads(client);
      const firstTimes: number[] = [];
      const laterTimes: number[] = [];
      let firstBytes = 0;
      let laterBytes = 0;
      for (let round = 0; round < rounds; round++) {
        // A body of its own per round (trailing spaces), so each round's first spill is a first.
        const text = cities.toString('utf8') + ' '.repeat(round + 1);
        const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: text })).use(
          s3Spill({ bucket: s3.bucket, s3Client: client, logger: silentLogger, reuse: true, ...variant.options }),
        );
        const event = { version: '2.0', headers: variant.acceptEncoding ? { 'accept-encoding': variant.acceptEncoding } : {}, requestContext: { domainName: 'x.lambda-url.us-east-1.on.aws', http: { method: 'GET' } } };
        for (let call = 0; call <= later; call++) {
          const before = uploaded();
          const started = performance.now();
          const response = (await handler(event, LAMBDA_CONTEXT)) as { statusCode: number };
          const ms = performance.now() - started;
          if (response.statusCode !== 303) throw new Error(`reuse: expected a 303, got ${response.statusCode}`);
          if (call === 0) {
            firstTimes.push(ms);
            firstBytes = uploaded() - before;
          } else {
            laterTimes.push(ms);
            laterBytes = Math.max(laterBytes, uploaded() - before);
          }
        }
      }
      const f = { name: variant.name, firstMs: median(firstTimes), laterMs: median(laterTimes), firstBytes, laterBytes };
      figures.push(f);
      rows.push(`| ${f.name} | ${f.firstMs.toFixed(0)} | ${f.laterMs.toFixed(0)} | ${f.firstBytes.toLocaleString('en-US')} | ${f.laterBytes.toLocaleString('en-US')} |`);
    }
  } finally {
    await s3.stop();
  }
  return {
    title: '8. Reuse of identical bodies (reuse: true)',
    what: `The handler answers the same 17 MB body; the middleware's time (handler call to 303) and the bytes it uploads, for the first spill and the ${later} identical spills after it; median over ${rounds} rounds (a fresh body each round).`,
    table: ['| body | first spill ms | later spills ms | first spill bytes uploaded | later spills bytes uploaded |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'),
    notes: [
      'A later identical spill hashes the body (SHA-256), sends one HeadObject, and signs a fresh URL; nothing is uploaded.',
      'Against real S3 a HEAD without `s3:ListBucket` answers 403 for a missing key: the conditional PUT (`If-None-Match: *`) then decides, and its 412 comes before the body is sent (`Expect: 100-continue`).',
    ],
    targets: figures.map((f) => ({
      figure: `8. later identical spills, ${f.name}: bytes uploaded`,
      target: '0',
      measured: f.laterBytes.toLocaleString('en-US'),
      met: f.laterBytes === 0,
    })),
  };
}

/** A Lambda context with 30 s left on every reading. */
const LAMBDA_CONTEXT = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

/** Per coding, the highest level measured on the whole body at ≤ 10 ms of CPU per MB (the rule of COMPRESSION_LEVELS). */
function bestUnderBudget(figures: readonly LevelFigure[]): string {
  const best = new Map<ContentCoding, number>();
  for (const f of figures) {
    if (f.msPerMB <= 10 && f.level > (best.get(f.coding) ?? -1)) best.set(f.coding, f.level);
  }
  return [...best].map(([coding, level]) => `${coding} ${level}`).join(', ');
}

/** Every section of this benchmark; `log` reports progress. */
export async function compressionSections(log: (line: string) => void = () => undefined): Promise<Section[]> {
  const body = citiesBody();
  log('  compression levels...');
  const figures = measureLevels(body);
  const chosen = await measureChosen(body);
  log('  end to end...');
  const e2e = await endToEnd(body, 5);
  log('  reuse...');
  const reuse = await reuseSection(body, 3, 4);
  return [levelsSection(body, figures, chosen), e2e, reuse];
}

/** Print sections as Markdown. */
export function printSections(sections: readonly Section[]): void {
  for (const s of sections) {
    console.log(`\n## ${s.title}\n\n${s.what}\n\n${s.table}\n`);
    for (const note of s.notes) console.log(`- ${note}`);
    if (s.targets.length > 0) {
      console.log('\n| figure | target | measured | met |\n| --- | --- | --- | --- |');
      for (const t of s.targets) console.log(`| ${t.figure} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : 'NO'} |`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printSections(await compressionSections((line) => process.stderr.write(`${line}\n`)));
}
